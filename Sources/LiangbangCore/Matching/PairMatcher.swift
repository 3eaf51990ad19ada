// 智能结对: the hard rules, the score and the reasons, over the exact solver. One engine for cloud tutoring
// (pupils ↔ volunteers); other declarations describe their two sides with the same `MatchSeeker` / `MatchOffer`.

/// One who needs partners (a pupil waiting): what it needs and when.
public struct MatchSeeker: Sendable {
    public let row: Int
    public let name: String
    public let sex: Sex
    /// The ID number's value: a volunteer is never the pupil; also the key of last year's pairs.
    public let idValue: String
    public let age: Int
    public let subjects: BitSet32
    public let dialects: BitSet32
    public let slots: BitSet32
    /// ID numbers of last campaign's partners (the column, or the previous roster).
    public var previous: Set<String>
    /// 1, or 2 for 多对一.
    public let wanted: Int

    public init(row: Int, name: String, sex: Sex, idValue: String, age: Int, subjects: BitSet32, dialects: BitSet32,
                slots: BitSet32, previous: Set<String> = [], wanted: Int = 1) {
        self.row = row; self.name = name; self.sex = sex; self.idValue = idValue; self.age = age; self.subjects = subjects
        self.dialects = dialects; self.slots = slots; self.previous = previous; self.wanted = wanted
    }
}

/// One who offers (a volunteer): what it teaches, when, and for how many.
public struct MatchOffer: Sendable {
    public let row: Int
    public let name: String
    public let sex: Sex
    public let idValue: String
    public let major: String
    public let subjects: BitSet32
    public let dialects: BitSet32
    public let slots: BitSet32
    public let capacity: Int
    let majorSubjects: BitSet32

    public init(row: Int, name: String, sex: Sex, idValue: String, major: String, subjects: BitSet32, dialects: BitSet32,
                slots: BitSet32, capacity: Int) {
        self.row = row; self.name = name; self.sex = sex; self.idValue = idValue; self.major = major; self.subjects = subjects
        self.dialects = dialects; self.slots = slots; self.capacity = capacity
        self.majorSubjects = MatchVocabulary.subjects(ofMajor: major)
    }
}

/// The score's weights, in points: campaign settings, shown on the page.
public struct MatchWeights: Sendable, Codable, Equatable {
    /// For covering all needed subjects (a share of it for some).
    public var subjects = 40
    public var dialect = 15
    /// Per shared time slot, counted up to `slotLimit`.
    public var slot = 5
    public var slotLimit = 3
    public var sameSex = 10
    /// Same sex is preferred from this age on.
    public var sameSexFromAge = 12
    public var major = 10

    public init() {}

    public var maxScore: Int { subjects + dialect + slot * slotLimit + sameSex + major }

    /// Each weight between 0 and 100, the age between 0 and 19.
    public var problem: String? {
        for (name, v) in [("科目", subjects), ("方言", dialect), ("共同时间", slot), ("同性别", sameSex), ("专业对口", major)] where !(0...100).contains(v) {
            return "“\(name)”权重应在0到100之间"
        }
        if !(0...21).contains(slotLimit) { return "共同时间计分上限应在0到21之间" }
        if !(0...19).contains(sameSexFromAge) { return "同性别优先的起始年龄应在0到19之间" }
        return nil
    }
}

public struct MatchPairRef: Sendable, Hashable, Codable {
    public let pupilRow: Int
    public let volunteerRow: Int
    public init(pupilRow: Int, volunteerRow: Int) { self.pupilRow = pupilRow; self.volunteerRow = volunteerRow }
}

public struct ProposedPair: Sendable, Equatable, Codable {
    public let pupilRow: Int
    public let volunteerRow: Int
    public let score: Int
    public let continuing: Bool
    public let locked: Bool
    public let reasons: [String]
}

public struct UnmatchedSeeker: Sendable, Equatable, Codable {
    public let pupilRow: Int
    public let reason: String
}

public struct MatchProposal: Sendable, Equatable, Codable {
    public let pairs: [ProposedPair]
    public let unmatched: [UnmatchedSeeker]
    /// Pairs made (a 多对一 pupil counts once per volunteer).
    public let matched: Int
    /// The most pairs the hard rules allow, before locks and forbids.
    public let maximum: Int
    public let continuing: Int
    /// Σ over pairs of (continuingWeight if continuing) + score: what the solver maximises after the count.
    public let objective: Int64
    public let continuingWeight: Int64
    public let candidatePairs: Int
    public let phases: Int
}

public struct MatchingProblem: Error, Sendable, Equatable { public let message: String }

public enum PairMatcher {
    /// Hard rules: a needed subject taught, a shared time slot, never the same person.
    @inline(__always)
    static func feasible(_ p: MatchSeeker, _ v: MatchOffer) -> Bool {
        p.subjects.overlaps(v.subjects) && p.slots.overlaps(v.slots) && p.idValue != v.idValue
    }

    /// The score of a feasible pair (the one rule; reasons are written from the same terms).
    @inline(__always)
    static func score(_ p: MatchSeeker, _ v: MatchOffer, _ w: MatchWeights) -> Int {
        let needed = p.subjects.count
        let covered = p.subjects.intersection(v.subjects).count
        var s = needed == 0 ? 0 : (w.subjects * covered + needed / 2) / needed
        if p.dialects.overlaps(v.dialects) { s += w.dialect }
        s += w.slot * min(p.slots.intersection(v.slots).count, w.slotLimit)
        if p.age >= w.sameSexFromAge && p.sex == v.sex { s += w.sameSex }
        if v.majorSubjects.overlaps(p.subjects.intersection(v.subjects)) { s += w.major }
        return s
    }

    static func reasons(_ p: MatchSeeker, _ v: MatchOffer, _ w: MatchWeights, continuing: Bool, locked: Bool) -> [String] {
        let covered = p.subjects.intersection(v.subjects)
        let missing = BitSet32(p.subjects.bits & ~v.subjects.bits)
        var out = ["科目：" + MatchVocabulary.subjects.names(covered).joined(separator: "、") + " ✓"
                   + (missing.isEmpty ? "" : "（未覆盖：" + MatchVocabulary.subjects.names(missing).joined(separator: "、") + "）")]
        let dialect = p.dialects.intersection(v.dialects)
        out.append(dialect.isEmpty ? "方言：不同" : "方言：" + MatchVocabulary.dialects.names(dialect).joined(separator: "、") + " ✓")
        out.append("共同时间：" + MatchVocabulary.slotNames(p.slots.intersection(v.slots)).joined(separator: "、"))
        if p.age >= w.sameSexFromAge { out.append(p.sex == v.sex ? "同性别 ✓" : "性别不同") }
        if v.majorSubjects.overlaps(covered) { out.append("专业对口 ✓（\(v.major)）") }
        if continuing { out.append("上年度结对 ✓") }
        if locked { out.append("已锁定") }
        return out
    }

    /// What the solver is given: each pupil's remaining need, each volunteer's remaining room (after locks), and one
    /// edge per feasible, not forbidden, not locked pair, valued `continuingWeight` (if continuing) + score.
    public struct Graph: Sendable {
        public let demand: [Int]
        public let capacity: [Int]
        public let edges: [Assignment.Edge]
        public let continuingWeight: Int64
        let lockedPairs: [(Int, Int)]
        let forbidden: Set<Int64>
        /// Every feasible pair, valued 0, when locks or forbids restrict the run (for the maximum the rules allow).
        let unrestricted: [Assignment.Edge]?
    }

    static func key(_ i: Int, _ j: Int) -> Int64 { Int64(i) << 32 | Int64(j) }

    /// Candidate pairs one run may hold (memory: ~60 bytes each in the solver). Real lists give about a million;
    /// a sheet built to exhaust memory is refused before it can.
    public static let maxCandidatePairs = 3_000_000

    public static func graph(seekers: [MatchSeeker], offers: [MatchOffer], weights: MatchWeights = MatchWeights(),
                             locks: [MatchPairRef] = [], forbids: [MatchPairRef] = [], limit: Int = maxCandidatePairs) throws -> Graph {
        let seekerAt = Dictionary(seekers.enumerated().map { ($1.row, $0) }, uniquingKeysWith: { a, _ in a })
        let offerAt = Dictionary(offers.enumerated().map { ($1.row, $0) }, uniquingKeysWith: { a, _ in a })
        var demand = seekers.map(\.wanted)
        var capacity = offers.map(\.capacity)
        var forbidden = Set<Int64>()
        for f in forbids {
            guard let i = seekerAt[f.pupilRow], let j = offerAt[f.volunteerRow] else {
                throw MatchingProblem(message: "禁止配对中的第\(f.pupilRow)行学生或第\(f.volunteerRow)行志愿者不在名单中")
            }
            forbidden.insert(key(i, j))
        }
        var lockedPairs: [(Int, Int)] = []
        var lockedKeys = Set<Int64>()
        for l in locks {
            guard let i = seekerAt[l.pupilRow], let j = offerAt[l.volunteerRow] else {
                throw MatchingProblem(message: "锁定配对中的第\(l.pupilRow)行学生或第\(l.volunteerRow)行志愿者不在名单中")
            }
            let p = seekers[i], v = offers[j]
            guard lockedKeys.insert(key(i, j)).inserted else { continue }
            if forbidden.contains(key(i, j)) { throw MatchingProblem(message: "第\(p.row)行学生与第\(v.row)行志愿者既被锁定又被禁止，请只选一种") }
            guard feasible(p, v) else {
                throw MatchingProblem(message: "锁定的配对（第\(p.row)行\(p.name) ↔ 第\(v.row)行\(v.name)）不符合结对规则：\(explainPair(p, v))")
            }
            demand[i] -= 1; capacity[j] -= 1
            if demand[i] < 0 { throw MatchingProblem(message: "第\(p.row)行学生\(p.name)锁定的志愿者多于所需人数（\(p.wanted)名）") }
            if capacity[j] < 0 { throw MatchingProblem(message: "第\(v.row)行志愿者\(v.name)锁定的学生多于其最多结对人数（\(v.capacity)人）") }
            lockedPairs.append((i, j))
        }

        // Continuity outweighs any total of scores; the count is the solver's first aim in any case.
        let totalDemand = seekers.reduce(0) { $0 + max(0, $1.wanted) }
        let continuingWeight = Int64(weights.maxScore) * Int64(totalDemand) + 1
        var edges: [Assignment.Edge] = []
        var fullEdges: [Assignment.Edge] = []
        let restricted = !locks.isEmpty || !forbids.isEmpty
        for (i, p) in seekers.enumerated() {
            if edges.count > limit || fullEdges.count > limit {
                throw MatchingProblem(message: "符合规则的候选配对超过\(limit)对，无法一次计算：请按县（市、区）分批上传待结对学生名单")
            }
            for (j, v) in offers.enumerated() where feasible(p, v) {
                if restricted { fullEdges.append(Assignment.Edge(left: i, right: j, value: 0)) }
                let k = key(i, j)
                if restricted && (forbidden.contains(k) || lockedKeys.contains(k)) { continue }
                let s = Int64(score(p, v, weights))
                edges.append(Assignment.Edge(left: i, right: j, value: p.previous.contains(v.idValue) ? continuingWeight + s : s))
            }
        }
        return Graph(demand: demand, capacity: capacity, edges: edges, continuingWeight: continuingWeight, lockedPairs: lockedPairs,
                     forbidden: forbidden, unrestricted: restricted ? fullEdges : nil)
    }

    /// The proposal: the most pairs, then the most continuing pairs, then the best total score.
    /// Locked pairs are kept (they must pass the hard rules); forbidden pairs are never proposed.
    public static func propose(seekers: [MatchSeeker], offers: [MatchOffer], weights: MatchWeights = MatchWeights(),
                               locks: [MatchPairRef] = [], forbids: [MatchPairRef] = [], limit: Int = maxCandidatePairs) throws -> MatchProposal {
        let graph = try graph(seekers: seekers, offers: offers, weights: weights, locks: locks, forbids: forbids, limit: limit)
        let (demand, capacity, edges, continuingWeight) = (graph.demand, graph.capacity, graph.edges, graph.continuingWeight)
        let lockedPairs = graph.lockedPairs, forbidden = graph.forbidden
        let result = Assignment.solve(demand: demand, capacity: capacity, edges: edges)
        let maximum = graph.unrestricted.map {
            Assignment.solve(demand: seekers.map(\.wanted), capacity: offers.map(\.capacity), edges: $0).chosen.count
        } ?? result.chosen.count

        var chosen = lockedPairs.map { (i: $0.0, j: $0.1, locked: true) }
        chosen += result.chosen.map { (i: Int(edges[$0].left), j: Int(edges[$0].right), locked: false) }
        chosen.sort { ($0.i, offers[$0.j].row) < ($1.i, offers[$1.j].row) }
        var got = [Int](repeating: 0, count: seekers.count)
        var pairs: [ProposedPair] = [], objective: Int64 = 0, continuing = 0
        for c in chosen {
            let p = seekers[c.i], v = offers[c.j]
            let isContinuing = p.previous.contains(v.idValue)
            let s = score(p, v, weights)
            objective += Int64(s) + (isContinuing ? continuingWeight : 0)
            if isContinuing { continuing += 1 }
            got[c.i] += 1
            pairs.append(ProposedPair(pupilRow: p.row, volunteerRow: v.row, score: s, continuing: isContinuing, locked: c.locked,
                                      reasons: reasons(p, v, weights, continuing: isContinuing, locked: c.locked)))
        }
        var unmatched: [UnmatchedSeeker] = []
        for (i, p) in seekers.enumerated() where got[i] < p.wanted {
            let why = explainUnmatched(p, index: i, offers: offers, forbidden: forbidden, key: key)
            unmatched.append(UnmatchedSeeker(pupilRow: p.row, reason: got[i] > 0 ? "需要\(p.wanted)名志愿者，只配到\(got[i])名：" + why : why))
        }
        return MatchProposal(pairs: pairs, unmatched: unmatched, matched: pairs.count, maximum: max(maximum, pairs.count),
                             continuing: continuing, objective: objective, continuingWeight: continuingWeight,
                             candidatePairs: edges.count + lockedPairs.count, phases: result.phases)
    }

    /// Why a pair breaks the hard rules.
    static func explainPair(_ p: MatchSeeker, _ v: MatchOffer) -> String {
        if p.idValue == v.idValue { return "志愿者与学生是同一人" }
        if !p.subjects.overlaps(v.subjects) { return "志愿者不能辅导其需要的科目（\(MatchVocabulary.subjects.names(p.subjects).joined(separator: "、"))）" }
        return "没有共同的可辅导时间"
    }

    /// Why a pupil kept (some of) its need: the first of the hard rules that leaves no one, else capacity.
    static func explainUnmatched(_ p: MatchSeeker, index i: Int, offers: [MatchOffer], forbidden: Set<Int64>,
                                 key: (Int, Int) -> Int64) -> String {
        let needs = MatchVocabulary.subjects.names(p.subjects).joined(separator: "、")
        let teaching = offers.indices.filter { offers[$0].subjects.overlaps(p.subjects) && offers[$0].idValue != p.idValue }
        if teaching.isEmpty { return "没有志愿者能辅导其需要的科目（\(needs)）" }
        let sharing = teaching.filter { offers[$0].slots.overlaps(p.slots) }
        if sharing.isEmpty {
            return "能辅导\(needs)的志愿者有\(teaching.count)名，但没有人与其可辅导时间（\(MatchVocabulary.slotNames(p.slots).joined(separator: "、"))）相同"
        }
        let allowed = sharing.filter { !forbidden.contains(key(i, $0)) }
        if allowed.isEmpty { return "符合条件的\(sharing.count)名志愿者均已被设为“禁止配对”" }
        return "符合条件的\(allowed.count)名志愿者均已结满：为使结对人数最多，他们已与其他学生结对"
    }
}
