// Work item 3's rules: 1–3 year terms, 粤东西北 only, no two schools at once, and a school's gaps and relays.
import LiangbangCore
import Testing

@Suite struct DeploymentRulesTests {
    func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    @Test func aTermRunsFromOneYearToThreeYears() {
        #expect(DeploymentRules.termProblems(start: d("2022-09-01"), end: d("2023-08-31")).isEmpty)     // exactly one year
        #expect(DeploymentRules.termProblems(start: d("2022-09-01"), end: d("2025-09-01")).isEmpty)     // exactly three years
        #expect(DeploymentRules.termProblems(start: d("2022-09-01"), end: d("2023-08-30")) == ["任期至少1年：2022-09-01开始的派驻，结束日期不能早于2023-08-31"])
        #expect(DeploymentRules.termProblems(start: d("2022-09-01"), end: d("2025-09-02")) == ["任期最长3年：2022-09-01开始的派驻，结束日期不能晚于2025-09-01"])
        #expect(DeploymentRules.termProblems(start: d("2023-01-01"), end: d("2022-12-31")) == ["结束日期不能早于开始日期"])
        // 29 February: a year later is 28 February.
        #expect(DeploymentRules.adding(years: 1, to: d("2024-02-29")) == d("2025-02-28"))
    }

    @Test func onlyEastWestAndNorthGuangdong() {
        #expect(DeploymentRules.regionProblem("粤北") == nil && DeploymentRules.regionProblem("粤东") == nil && DeploymentRules.regionProblem("粤西") == nil)
        #expect(DeploymentRules.regionProblem("珠三角")?.hasPrefix("希望乡村教师计划派驻粤东西北地区") == true)
        #expect(DeploymentRules.overlap(d("2022-09-01")...d("2023-08-31"), d("2023-08-31")...d("2024-08-31")))
        #expect(!DeploymentRules.overlap(d("2022-09-01")...d("2023-08-31"), d("2023-09-01")...d("2024-08-31")))
        #expect(DeploymentProgramme(text: "研究生支教团") == .graduate && DeploymentProgramme(text: "山区计划") == .mountain
                && DeploymentProgramme(text: "MOUNTAIN") == .mountain && DeploymentProgramme(text: "三下乡") == nil)
    }

    @Test func aRelayWithoutABreakLeavesNoGap() {
        let c = SchoolCoverage(terms: [d("2021-09-01")...d("2022-08-31"), d("2022-09-01")...d("2023-08-31")], asOf: d("2023-03-01"))
        #expect(c.gaps.isEmpty && !c.relayDue)
    }

    @Test func moreThan31SchoolDaysWithoutATeacherIsAGapButHolidaysDoNotCount() {
        // Ends 06-30, next starts 09-15: 07-01…07-09 (9 days) + 09-01…09-14 (14 days) = 23 counted days: no gap.
        let summer = SchoolCoverage(terms: [d("2021-07-01")...d("2022-06-30"), d("2022-09-15")...d("2023-09-14")], asOf: d("2023-01-10"))
        #expect(summer.gaps.isEmpty)
        // Ends 2022-10-31, next starts 2022-12-15: 44 school days: a gap.
        let autumn = SchoolCoverage(terms: [d("2021-11-01")...d("2022-10-31"), d("2022-12-15")...d("2023-12-14")], asOf: d("2023-01-10"))
        #expect(autumn.gaps == [SchoolCoverage.Gap(from: d("2022-11-01"), to: d("2022-12-14"), days: 44)])
        // Exactly 31 counted days is not yet a gap; 32 is.
        #expect(SchoolCoverage(terms: [d("2021-10-01")...d("2022-09-30"), d("2022-11-01")...d("2023-10-31")], asOf: d("2023-01-10")).gaps.isEmpty)
        #expect(SchoolCoverage(terms: [d("2021-10-01")...d("2022-09-30"), d("2022-11-02")...d("2023-11-01")], asOf: d("2023-01-10")).gaps.count == 1)
    }

    @Test func aSchoolWhoseTeacherHasLeftHasAGapUpToTodayAndARelayIsDueBeforeTheEnd() {
        let terms = [d("2022-03-01")...d("2023-02-28")]
        #expect(SchoolCoverage(terms: terms, asOf: d("2022-12-15")).relayDue)          // ends within 90 days
        #expect(!SchoolCoverage(terms: terms, asOf: d("2022-10-01")).relayDue)         // 150 days ahead: not yet
        let after = SchoolCoverage(terms: terms, asOf: d("2023-05-01"))
        #expect(!after.relayDue && after.gaps == [SchoolCoverage.Gap(from: d("2023-03-01"), to: d("2023-05-01"), days: 62)])
        // Overlapping postings at one school cover each other; a gap is only what neither covers.
        let overlapping = SchoolCoverage(terms: [d("2021-09-01")...d("2023-08-31"), d("2022-09-01")...d("2023-06-30")], asOf: d("2023-03-01"))
        #expect(overlapping.gaps.isEmpty)
    }
}

/// One register line through `DeploymentRules.validate`, the code the page, the API and the import all call.
@Suite struct DeploymentLineTests {
    static func id(_ first17: String) -> String { first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! })) }
    let lianzhou = CountyRef(key: "lz", code: "441882", name: "连州市", cityName: "清远市")
    let tianhe = CountyRef(key: "th", code: "440106", name: "天河区", cityName: "广州市")
    let scnu = UniversityRef(key: "u1", name: "华南师范大学")

    func policy(territory: Set<String>? = nil, fixed: UniversityRef? = nil) -> DeploymentPolicy {
        DeploymentPolicy(today: LocalDate(iso: "2026-12-01")!, counties: CountyMatcher([lianzhou, tianhe]),
                         regions: ["lz": "粤北", "th": "珠三角"], territory: territory, territoryName: "清远市",
                         universities: [scnu], fixedUniversity: fixed)
    }

    func line(_ changes: [String: String] = [:]) -> RegisterInput {
        var values = [DeploymentColumn.name: "陈立新", DeploymentColumn.sex: "男", DeploymentColumn.idNumber: Self.id("44010419990101001"),
                      DeploymentColumn.programme: "山区计划", DeploymentColumn.university: "华南师范大学", DeploymentColumn.school: "连州市第二小学",
                      DeploymentColumn.county: "连州", DeploymentColumn.subject: "数学", DeploymentColumn.start: "2025/9/1",
                      DeploymentColumn.end: "2027-08-31"]
        for (k, v) in changes { values[k] = v }
        return RegisterInput(row: 4, values: values)
    }

    @Test func aGoodLineBecomesAnEntry() throws {
        let (entry, problems) = DeploymentRules.validate(line(), policy: policy())
        #expect(problems.isEmpty)
        let e = try #require(entry)
        #expect(e.county == lianzhou && e.university == scnu && e.programme == .mountain && e.start == LocalDate(iso: "2025-09-01"))
        #expect(e.term == LocalDate(iso: "2025-09-01")!...LocalDate(iso: "2027-08-31")!)
    }

    @Test func aPearlRiverDeltaCountyIsRefused() {
        let (entry, problems) = DeploymentRules.validate(line([DeploymentColumn.county: "天河区"]), policy: policy())
        #expect(entry == nil)
        #expect(problems.map(\.column) == [DeploymentColumn.county])
        #expect(problems[0].message.hasPrefix("希望乡村教师计划派驻粤东西北地区") && problems[0].message.contains("广州市天河区"))
    }

    @Test func everyProblemOfALineIsListedWithItsColumn() {
        let (_, problems) = DeploymentRules.validate(line([DeploymentColumn.sex: "女", DeploymentColumn.programme: "三下乡",
                                                           DeploymentColumn.end: "2026-06-30", DeploymentColumn.school: ""]), policy: policy())
        #expect(Set(problems.map(\.column)) == [DeploymentColumn.sex, DeploymentColumn.programme, DeploymentColumn.end, DeploymentColumn.school])
        #expect(problems.allSatisfy { $0.row == 4 && !$0.message.contains("44010419990101001") })
    }

    @Test func aUniversityRecordsOnlyItsOwnVolunteersAndACountyOnlyItsTerritory() {
        let other = UniversityRef(key: "u2", name: "嘉应学院")
        let (_, p1) = DeploymentRules.validate(line(), policy: policy(fixed: other))
        #expect(p1.map(\.column) == [DeploymentColumn.university])
        let (e2, _) = DeploymentRules.validate(line([DeploymentColumn.university: ""]), policy: policy(fixed: other))
        #expect(e2?.university == other)
        let (_, p3) = DeploymentRules.validate(line(), policy: policy(territory: ["elsewhere"]))
        #expect(p3.map(\.column) == [DeploymentColumn.county])
    }

    @Test func anEarlyEndNeedsADateBeforeThePlannedEndAndAReason() {
        let (e, p) = DeploymentRules.validate(line([DeploymentColumn.endedOn: "2026-03-31", DeploymentColumn.endReason: "考取研究生"]), policy: policy())
        #expect(p.isEmpty && e?.term.upperBound == LocalDate(iso: "2026-03-31"))
        let (_, noReason) = DeploymentRules.validate(line([DeploymentColumn.endedOn: "2026-03-31"]), policy: policy())
        #expect(noReason.map(\.column) == [DeploymentColumn.endReason])
        let (_, future) = DeploymentRules.validate(line([DeploymentColumn.endedOn: "2027-03-31", DeploymentColumn.endReason: "调动"]), policy: policy())
        #expect(future.map(\.column) == [DeploymentColumn.endedOn])
    }

    @Test func oneVolunteerIsNotAtTwoSchoolsAtOnce() {
        let d = { (s: String) in LocalDate(iso: s)! }
        let stored = [DeploymentRules.Posting(volunteer: "v1", term: d("2024-09-01")...d("2025-08-31"), school: "甲小学")]
        let lines: [(row: Int, posting: DeploymentRules.Posting)] = [
            (3, .init(volunteer: "v1", term: d("2025-09-01")...d("2026-08-31"), school: "乙小学")),   // after the stored one: fine
            (4, .init(volunteer: "v1", term: d("2026-03-01")...d("2027-02-28"), school: "丙小学")),   // overlaps line 3
            (5, .init(volunteer: "v2", term: d("2025-03-01")...d("2026-02-28"), school: "丁小学")),
            (6, .init(volunteer: "v1", term: d("2025-01-01")...d("2025-12-31"), school: "戊小学")),   // overlaps the stored one first
        ]
        let problems = DeploymentRules.overlaps(lines, stored: stored)
        #expect(problems.map(\.row) == [4, 6])
        #expect(problems[0].message.hasPrefix("与第3行是同一志愿者") && problems[1].message.contains("已派驻甲小学"))
    }
}
