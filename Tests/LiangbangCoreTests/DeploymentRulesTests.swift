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
