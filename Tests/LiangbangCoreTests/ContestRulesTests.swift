// Work item 7's ranking against a table worked by hand: criteria 创新性 40 / 带动性 30 / 可行性 30, five judges;
// each judge's weighted score is Σ score × weight (hundredths of a point); with five judges the highest and lowest
// are dropped; ties go to the higher median, then to fewer missing scores; equal entries share a rank.
import LiangbangCore
import Testing

@Suite struct ContestRulesTests {
    let criteria = [Criterion(name: "创新性", weight: 40), Criterion(name: "带动性", weight: 30), Criterion(name: "可行性", weight: 30)]

    func s(_ judge: String, _ a: Int, _ b: Int, _ c: Int) -> JudgeScores { JudgeScores(judge: judge, scores: ["创新性": a, "带动性": b, "可行性": c]) }
    func u(_ judge: String, _ x: Int) -> JudgeScores { s(judge, x, x, x) }

    @Test func theHandWorkedTable() {
        // A: 8100, 8000, 10000, 6900, 8500 → drop 6900 and 10000 → (8000 + 8100 + 8500) / 3 = 8200; median 8100.
        let a = [s("J1", 90, 80, 70), s("J2", 80, 80, 80), s("J3", 100, 100, 100), s("J4", 60, 70, 80), s("J5", 85, 75, 95)]
        // B: 8000, 9000, 7000, 8500, 7950 → (7950 + 8000 + 8500) / 3 = 8150.
        let b = [u("J1", 80), u("J2", 90), u("J3", 70), u("J4", 85), s("J5", 75, 80, 85)]
        // C: 5000, 7600, 7800, 9200, 9500 → (7600 + 7800 + 9200) / 3 = 8200, as A; median 7800 < 8100.
        let c = [u("J1", 50), u("J2", 76), u("J3", 78), u("J4", 92), u("J5", 95)]
        // D: four judges (one missing), no trimming: (7900 + 8100 + 8100 + 8700) / 4 = 8200; median 8100, as A.
        let d = [u("J1", 79), u("J2", 81), u("J3", 81), u("J4", 87)]
        // E: the same scores as A: it shares A's rank.
        let ranking = ContestRules.rank(entries: [("B", b), ("C", c), ("D", d), ("A", a), ("E", a)], criteria: criteria, judges: 5)
        #expect(ranking.map(\.entry) == ["A", "E", "D", "C", "B"])
        #expect(ranking.map(\.rank) == [1, 1, 3, 4, 5])
        #expect(ranking.map(\.score) == [8200, 8200, 8200, 8200, 8150])
        #expect(ranking.map(\.median) == [8100, 8100, 8100, 7800, 8000])
        #expect(ranking.map(\.missing) == [0, 0, 1, 0, 0] && !ranking[2].allScored)
        #expect(ranking[0].judgeScores == [8100, 8000, 10000, 6900, 8500])
        #expect(ContestRules.points(8150) == "81.50" && ContestRules.points(8205) == "82.05" && ContestRules.points(0) == "0.00")
    }

    @Test func fewerThanFiveJudgesAreNotTrimmedAndMeansRoundHalfUp() {
        #expect(ContestRules.trimmedMean([7000, 9000, 8000, 6000]) == 7500)            // 30000 / 4
        #expect(ContestRules.trimmedMean([1, 2]) == 2)                                  // 1.5 → 2
        #expect(ContestRules.trimmedMean([100, 0, 0, 0, 100, 50]) == 38)                // drop 0 and 100: 150 / 4 = 37.5 → 38
        #expect(ContestRules.trimmedMean([]) == 0 && ContestRules.median([]) == 0)
        #expect(ContestRules.median([1, 4]) == 3 && ContestRules.median([9, 1, 5]) == 5)
    }

    @Test func criteriaAndScoresAreChecked() {
        #expect(ContestRules.criteriaProblems(criteria).isEmpty)
        #expect(ContestRules.criteriaProblems([Criterion(name: "创新性", weight: 50), Criterion(name: "带动性", weight: 40)]) == ["各项权重之和应为100（现为90）"])
        #expect(ContestRules.criteriaProblems([Criterion(name: "甲", weight: 100), Criterion(name: "甲", weight: 0)]).count == 2)
        #expect(ContestRules.criteriaProblems([]) == ["请设置至少一项评分标准"])
        #expect(ContestRules.scoreProblems(["创新性": 101, "带动性": -1, "外观": 50], criteria: criteria)
                == ["“外观”不是本次评审的评分标准", "“创新性”的分数应为0至100的整数", "“带动性”的分数应为0至100的整数", "请为“可行性”打分"])
        #expect(ContestRules.weighted(["创新性": 100, "带动性": 100, "可行性": 100], criteria: criteria) == 10000)
    }

    @Test func aJudgeFromTheVenturesCountyOrUnitHasAConflict() {
        let county = "/gd/shaoguan/lechang/"
        #expect(ContestRules.conflict(judgeOrgPath: county, ventureOrgPath: "/gd/shaoguan/", ventureOrgKind: .city, ventureCountyPath: county))
        #expect(ContestRules.conflict(judgeOrgPath: county + "town1/", ventureOrgPath: "/gd/shaoguan/", ventureOrgKind: .city, ventureCountyPath: county))
        #expect(ContestRules.conflict(judgeOrgPath: "/gd/uni/", ventureOrgPath: "/gd/uni/", ventureOrgKind: .university, ventureCountyPath: county))
        #expect(!ContestRules.conflict(judgeOrgPath: "/gd/shaoguan/", ventureOrgPath: "/gd/uni/", ventureOrgKind: .university, ventureCountyPath: county))
        // The province's office recorded it for a county: its own staff still judge the provincial contest.
        #expect(!ContestRules.conflict(judgeOrgPath: "/gd/", ventureOrgPath: "/gd/", ventureOrgKind: .province, ventureCountyPath: county))
        #expect(!ContestRules.conflict(judgeOrgPath: "/gd/shaoguan/", ventureOrgPath: "/gd/shaoguan/", ventureOrgKind: .city, ventureCountyPath: county))
        #expect(VentureSector(text: "乡村旅游") == .tourism && VentureSector(text: "矿业") == nil)
    }

    @Test func aVentureLineIsCheckedByOneRule() {
        let lechang = CountyRef(key: "lc", code: "440281", name: "乐昌市", cityName: "韶关市")
        let counties = CountyMatcher([lechang])
        func line(_ values: [String: String]) -> RegisterInput {
            RegisterInput(row: 3, values: [VentureColumn.name: "乐昌香芋合作社", VentureColumn.leader: "黄晓明", VentureColumn.phone: "138-1234-5678",
                                           VentureColumn.county: "乐昌", VentureColumn.sector: "种植"].merging(values) { $1 })
        }
        let (ok, none) = ContestRules.venture(line([VentureColumn.founded: "2020年5月", VentureColumn.jobs: "12人"]), year: 2022, counties: counties)
        #expect(none.isEmpty && ok?.phone == "13812345678" && ok?.phoneMasked == "138****5678" && ok?.county == lechang)
        #expect(ok?.founded == "2020-05" && ok?.jobsCreated == 12 && ok?.sector == .planting)
        #expect(ContestRules.venture(line([VentureColumn.founded: "2022-12-01"]), year: 2022, counties: counties).0?.founded == "2022-12")
        #expect(ContestRules.venture(line([:]), year: 2022, counties: counties).0?.jobsCreated == 0)
        let (bad, problems) = ContestRules.venture(line([VentureColumn.phone: "23812345678", VentureColumn.county: "天河区", VentureColumn.sector: "矿业",
                                                         VentureColumn.founded: "2023-01", VentureColumn.jobs: "100001"]), year: 2022, counties: counties)
        #expect(bad == nil)
        #expect(problems.map(\.column) == [VentureColumn.phone, VentureColumn.county, VentureColumn.sector, VentureColumn.founded, VentureColumn.jobs])
        #expect(problems.allSatisfy { $0.row == 3 } && !problems.contains { $0.message.contains("23812345678") })
        for month in ["2021-13", "1949-05", "二〇二一年", "2021-5-5-5"] {
            #expect(ContestRules.venture(line([VentureColumn.founded: month]), year: 2022, counties: counties).0 == nil, "\(month)")
        }
        let twice = [ok!, ContestRules.venture(RegisterInput(row: 9, values: line([:]).values), year: 2022, counties: counties).0!]
        #expect(ContestRules.repeatedVentures(twice).map(\.row) == [9])
    }
}
