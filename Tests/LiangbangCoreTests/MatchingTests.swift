import Testing
@testable import LiangbangCore

@Suite struct MatchingTests {
    static func slots(_ text: String) -> BitSet32 { MatchVocabulary.slots(text).0 }
    static func subjects(_ text: String) -> BitSet32 { MatchVocabulary.subjects.read(text).0 }

    static func pupil(_ row: Int, _ subjects: String, _ slots: String, sex: Sex = .female, age: Int = 10, dialects: String = "普通话",
                      previous: Set<String> = [], wanted: Int = 1) -> MatchSeeker {
        MatchSeeker(row: row, name: "学生\(row)", sex: sex, idValue: "P\(row)", age: age, subjects: Self.subjects(subjects),
                    dialects: MatchVocabulary.dialects.read(dialects).0, slots: Self.slots(slots), previous: previous, wanted: wanted)
    }

    static func volunteer(_ row: Int, _ subjects: String, _ slots: String, sex: Sex = .female, capacity: Int = 1,
                          dialects: String = "普通话", major: String = "社会工作") -> MatchOffer {
        MatchOffer(row: row, name: "志愿者\(row)", sex: sex, idValue: "V\(row)", major: major, subjects: Self.subjects(subjects),
                   dialects: MatchVocabulary.dialects.read(dialects).0, slots: Self.slots(slots), capacity: capacity)
    }

    @Test func readsSlotsAsOfficesWriteThem() {
        #expect(MatchVocabulary.slotNames(Self.slots("星期三晚上、周末上午，周一晚")) == ["周一晚", "周三晚", "周六上午", "周日上午"])
        #expect(MatchVocabulary.slots("周三").0.count == 3)
        #expect(MatchVocabulary.slots("周八晚 周一").1 == ["周八晚"])
        #expect(MatchVocabulary.subjects.read("语文、数学，英语 政治").0.count == 4)
        #expect(MatchVocabulary.subjects.read("数学 烹饪").1 == ["烹饪"])
    }

    /// Greedy by score gives 学生1 its best volunteer (志愿者1) and leaves 学生2 with no one; the maximum is two.
    @Test func matchesMoreThanGreedy() throws {
        let pupils = [Self.pupil(1, "数学、英语", "周六上午"), Self.pupil(2, "数学", "周六上午")]
        let volunteers = [Self.volunteer(1, "数学、英语", "周六上午", major: "数学与应用数学"), Self.volunteer(2, "英语", "周六上午")]
        // Greedy: the highest-scoring pair first.
        let best = PairMatcher.score(pupils[0], volunteers[0], MatchWeights())
        #expect(best > PairMatcher.score(pupils[0], volunteers[1], MatchWeights()))
        #expect(!PairMatcher.feasible(pupils[1], volunteers[1]))
        let proposal = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(proposal.matched == 2)
        #expect(proposal.maximum == 2)
        #expect(proposal.pairs.map { MatchPairRef(pupilRow: $0.pupilRow, volunteerRow: $0.volunteerRow) }
                == [MatchPairRef(pupilRow: 1, volunteerRow: 2), MatchPairRef(pupilRow: 2, volunteerRow: 1)])
        #expect(proposal.unmatched.isEmpty)
    }

    /// 学生1 had 志愿者1 last year, but 志愿者1 is the only one who can tutor 学生2: coverage comes first.
    @Test func continuityGivesWayToCoverage() throws {
        let pupils = [Self.pupil(1, "数学", "周三晚", previous: ["V1"]), Self.pupil(2, "物理", "周三晚")]
        let volunteers = [Self.volunteer(1, "数学、物理", "周三晚"), Self.volunteer(2, "数学", "周三晚")]
        let proposal = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(proposal.matched == 2)
        #expect(proposal.continuing == 0)
        #expect(proposal.pairs.first { $0.pupilRow == 1 }?.volunteerRow == 2)
    }

    /// With room for both, last year's volunteer wins over a better score.
    @Test func continuityBeatsScore() throws {
        let pupils = [Self.pupil(1, "数学、英语", "周三晚、周六上午", previous: ["V1"])]
        let volunteers = [Self.volunteer(1, "数学", "周三晚"), Self.volunteer(2, "数学、英语", "周三晚、周六上午", major: "英语")]
        let proposal = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(proposal.pairs.map(\.volunteerRow) == [1])
        #expect(proposal.continuing == 1)
        #expect(proposal.pairs[0].reasons.contains("上年度结对 ✓"))
        #expect(proposal.pairs[0].reasons.contains("科目：数学 ✓（未覆盖：英语）"))
    }

    @Test func locksHoldAndForbidsAreNeverProposed() throws {
        let pupils = [Self.pupil(1, "数学", "周六上午"), Self.pupil(2, "数学", "周六上午")]
        let volunteers = [Self.volunteer(1, "数学", "周六上午", major: "数学"), Self.volunteer(2, "数学", "周六上午")]
        let free = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(free.matched == 2)
        let locked = try PairMatcher.propose(seekers: pupils, offers: volunteers, locks: [MatchPairRef(pupilRow: 2, volunteerRow: 1)])
        #expect(locked.pairs.contains { $0.pupilRow == 2 && $0.volunteerRow == 1 && $0.locked && $0.reasons.contains("已锁定") })
        #expect(locked.matched == 2)
        let forbidden = try PairMatcher.propose(seekers: pupils, offers: volunteers,
                                                forbids: [MatchPairRef(pupilRow: 1, volunteerRow: 1), MatchPairRef(pupilRow: 2, volunteerRow: 1)])
        #expect(!forbidden.pairs.contains { $0.volunteerRow == 1 })
        #expect(forbidden.matched == 1 && forbidden.maximum == 2)
        #expect(forbidden.unmatched.count == 1)
        #expect(forbidden.unmatched[0].reason.contains("均已结满") || forbidden.unmatched[0].reason.contains("禁止配对"))
        // A lock that breaks the hard rules, or is also forbidden, is refused with the reason.
        let bad = [Self.volunteer(3, "英语", "周六上午")]
        #expect(throws: MatchingProblem.self) { try PairMatcher.propose(seekers: pupils, offers: bad, locks: [MatchPairRef(pupilRow: 1, volunteerRow: 3)]) }
        #expect(throws: MatchingProblem.self) {
            try PairMatcher.propose(seekers: pupils, offers: volunteers, locks: [MatchPairRef(pupilRow: 1, volunteerRow: 1)],
                                    forbids: [MatchPairRef(pupilRow: 1, volunteerRow: 1)])
        }
        #expect(throws: MatchingProblem.self) { try PairMatcher.propose(seekers: pupils, offers: volunteers, locks: [MatchPairRef(pupilRow: 9, volunteerRow: 1)]) }
    }

    @Test func explainsEveryUnmatchedPupil() throws {
        let pupils = [Self.pupil(1, "化学", "周六上午"), Self.pupil(2, "数学", "周一晚"), Self.pupil(3, "数学", "周六上午"),
                      Self.pupil(4, "数学", "周六上午")]
        let volunteers = [Self.volunteer(1, "数学", "周六上午")]
        let proposal = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        let reasons = Dictionary(uniqueKeysWithValues: proposal.unmatched.map { ($0.pupilRow, $0.reason) })
        #expect(reasons[1] == "没有志愿者能辅导其需要的科目（化学）")
        #expect(reasons[2]?.contains("没有人与其可辅导时间（周一晚）相同") == true)
        #expect(proposal.matched == 1)
        #expect(reasons.values.filter { $0.contains("均已结满") }.count == 1)
    }

    @Test func manyToOneAndCapacity() throws {
        let pupils = [Self.pupil(1, "数学", "周六上午", wanted: 2), Self.pupil(2, "数学", "周六上午")]
        let volunteers = [Self.volunteer(1, "数学", "周六上午", capacity: 2), Self.volunteer(2, "数学", "周六上午")]
        let proposal = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(proposal.matched == 3)
        #expect(proposal.pairs.filter { $0.pupilRow == 1 }.count == 2)
        #expect(proposal.pairs.filter { $0.volunteerRow == 1 }.count <= 2)
    }

    @Test func aVolunteerIsNeverThePupil() throws {
        let p = MatchSeeker(row: 1, name: "甲", sex: .male, idValue: "X", age: 18, subjects: Self.subjects("数学"),
                            dialects: BitSet32(), slots: Self.slots("周一晚"))
        let v = MatchOffer(row: 1, name: "甲", sex: .male, idValue: "X", major: "", subjects: Self.subjects("数学"),
                           dialects: BitSet32(), slots: Self.slots("周一晚"), capacity: 1)
        let proposal = try PairMatcher.propose(seekers: [p], offers: [v])
        #expect(proposal.matched == 0)
    }

    /// The solver against every possible choice on small random instances: the same count, continuing and score.
    @Test func solverIsExactOnRandomSmallInstances() {
        var rng = SplitMix(seed: 7)
        for _ in 0..<300 {
            let nl = Int(rng.next() % 5) + 1, nr = Int(rng.next() % 4) + 1
            let demand = (0..<nl).map { _ in Int(rng.next() % 2) + 1 }
            let capacity = (0..<nr).map { _ in Int(rng.next() % 3) + 1 }
            var edges: [Assignment.Edge] = []
            for l in 0..<nl { for r in 0..<nr where rng.next() % 3 != 0 {
                edges.append(Assignment.Edge(left: l, right: r, value: Int64(rng.next() % 5) + (rng.next() % 4 == 0 ? 100 : 0)))
            } }
            let got = Assignment.solve(demand: demand, capacity: capacity, edges: edges)
            let best = Self.bruteForce(demand: demand, capacity: capacity, edges: edges)
            #expect(got.chosen.count == best.count && got.totalValue == best.value, "instance \(demand) \(capacity) \(edges)")
            // Feasible: no node over its limit.
            var dl = [Int](repeating: 0, count: nl), dr = [Int](repeating: 0, count: nr)
            for i in got.chosen { dl[Int(edges[i].left)] += 1; dr[Int(edges[i].right)] += 1 }
            #expect(zip(dl, demand).allSatisfy { $0 <= $1 } && zip(dr, capacity).allSatisfy { $0 <= $1 })
        }
    }

    /// Lists built to exhaust memory: past the limit of candidate pairs the run is refused, in words.
    @Test func refusesTooManyCandidatePairs() {
        let pupils = (1...10).map { Self.pupil($0, "数学", "周六上午") }
        let volunteers = (1...10).map { Self.volunteer($0, "数学", "周六上午") }
        #expect(throws: MatchingProblem.self) { try PairMatcher.propose(seekers: pupils, offers: volunteers, limit: 50) }
        #expect((try? PairMatcher.propose(seekers: pupils, offers: volunteers, limit: 100))?.matched == 10)
    }

    @Test func deterministic() throws {
        let pupils = (1...30).map { Self.pupil($0, $0 % 2 == 0 ? "数学" : "英语、数学", $0 % 3 == 0 ? "周六上午" : "周六上午、周三晚") }
        let volunteers = (1...12).map { Self.volunteer($0, "数学、英语", "周六上午、周三晚", capacity: 2) }
        let a = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        let b = try PairMatcher.propose(seekers: pupils, offers: volunteers)
        #expect(a == b)
        #expect(a.matched == 24)
    }

    static func bruteForce(demand: [Int], capacity: [Int], edges: [Assignment.Edge]) -> (count: Int, value: Int64) {
        var seen = Set<Int64>(), unique: [Assignment.Edge] = []
        for e in edges where seen.insert(Int64(e.left) << 32 | Int64(e.right)).inserted { unique.append(e) }
        var best = (count: 0, value: Int64(0))
        var dl = [Int](repeating: 0, count: demand.count), dr = [Int](repeating: 0, count: capacity.count)
        func go(_ k: Int, _ count: Int, _ value: Int64) {
            if k == unique.count {
                if count > best.count || (count == best.count && value > best.value) { best = (count, value) }
                return
            }
            go(k + 1, count, value)
            let e = unique[k], l = Int(e.left), r = Int(e.right)
            if dl[l] < demand[l] && dr[r] < capacity[r] {
                dl[l] += 1; dr[r] += 1
                go(k + 1, count + 1, value + e.value)
                dl[l] -= 1; dr[r] -= 1
            }
        }
        go(0, 0, 0)
        return best
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

@Suite struct CadreBalanceTests {
    static func graduates(_ counts: [(cadre: String, majors: [String])]) -> [GraduateSeat] {
        var out: [GraduateSeat] = []
        for (cadre, majors) in counts { for m in majors { out.append(GraduateSeat(key: "g\(out.count)", name: "毕业生\(out.count)", major: m, cadreKey: cadre)) } }
        return out
    }

    /// A new cadre with no one: two graduates move from the cadres with five (the fewest moves), the one whose
    /// major fits the new cadre's post first; nobody is left over five.
    @Test func bringsANewCadreToThreeWithTheFewestMoves() {
        let cadres = [CadreSeat(key: "A", name: "甲", position: "校团委副书记"), CadreSeat(key: "B", name: "乙", position: "经济学院团委书记"),
                      CadreSeat(key: "C", name: "丙", position: "计算机学院团委书记")]
        let gs = Self.graduates([("A", ["会计学", "法学", "软件工程", "汉语言文学", "英语"]), ("B", ["金融学", "统计学", "会计学", "计算机科学与技术"])])
        let s = CadreBalance.suggest(cadres: cadres, graduates: gs)
        #expect(s.meetingBefore == 2 && s.meetingAfter == 3)
        #expect(s.moves.count == 3)
        #expect(s.moves.allSatisfy { $0.toKey == "C" })
        #expect(Set(s.moves.map(\.graduateKey)).isSuperset(of: ["g2", "g8"]))   // 软件工程 and 计算机科学与技术 fit 计算机学院
        #expect(s.moves.contains { $0.reasons.contains { $0.hasPrefix("专业对口") } })
    }

    /// Too few graduates for everyone: the cadres that already have the most keep them; nobody is moved for nothing.
    @Test func movesNobodyWhenNoMoreCadresCanReachThree() {
        let cadres = [CadreSeat(key: "A", name: "甲", position: ""), CadreSeat(key: "B", name: "乙", position: ""), CadreSeat(key: "C", name: "丙", position: "")]
        let gs = Self.graduates([("A", ["会计学", "法学", "英语", "金融学"]), ("B", ["统计学"])])
        let s = CadreBalance.suggest(cadres: cadres, graduates: gs)
        #expect(s.moves.isEmpty && s.meetingBefore == 1 && s.meetingAfter == 1)
    }
}
