// Work item 5's rules: 3–5 graduates per cadre, ≥ 2 recommendations per graduate, the course of a recommendation,
// the lines offices type, and the board's sums. Expected figures are worked out by hand beside each check.
import LiangbangCore
import Testing

@Suite struct EmploymentRulesTests {
    func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    let today = LocalDate(iso: "2027-03-01")!
    func input(_ values: [String: String]) -> RegisterInput { RegisterInput(row: 4, values: values) }

    @Test func aCadreTakesThreeToFiveGraduates() {
        #expect(EmploymentRules.load(graduates: 0) == .tooFew(missing: 3))
        #expect(EmploymentRules.load(graduates: 2) == .tooFew(missing: 1))
        #expect(EmploymentRules.load(graduates: 3) == .meets && EmploymentRules.load(graduates: 4) == .meets)
        #expect(EmploymentRules.load(graduates: 5) == .full)
        #expect(!EmploymentRules.load(graduates: 2).meetsRule && EmploymentRules.load(graduates: 5).meetsRule)
        #expect([0, 2, 3, 5, 6].map(EmploymentRules.cadreMeetsRule) == [false, false, true, true, false])
        // A sixth is refused, naming the cadre; a fifth is not.
        #expect(EmploymentRules.refuseAnother(cadre: "李明", has: 4) == nil)
        #expect(EmploymentRules.refuseAnother(cadre: "李明", has: 5)?.contains("李明") == true)
    }

    @Test func twoRecommendationsWhateverBecameOfThem() {
        #expect(!EmploymentRules.graduateMeetsRule(recommendations: 1))
        #expect(EmploymentRules.graduateMeetsRule(recommendations: 2))
        #expect(EmploymentRules.waiting([.recommended, .declined]))
        #expect(!EmploymentRules.waiting([.declined, .offered]))
        #expect(EmploymentRules.waiting([]))
    }

    @Test func aRecommendationOnlyMovesForward() {
        #expect(JobOutcome.recommended.canMove(to: .applied))
        #expect(JobOutcome.recommended.canMove(to: .offered))          // an offer without an interview on record
        #expect(JobOutcome.interviewed.canMove(to: .declined))
        #expect(!JobOutcome.offered.canMove(to: .applied))             // never back
        #expect(!JobOutcome.hired.canMove(to: .declined))              // hired is final
        #expect(!JobOutcome.declined.canMove(to: .hired))              // declined is final
        #expect(!JobOutcome.applied.canMove(to: .applied))
        #expect(EmploymentRules.change(from: .applied, lastChange: d("2027-02-01"), to: .interviewed, on: d("2027-02-10"), today: today) == nil)
        #expect(EmploymentRules.change(from: .applied, lastChange: d("2027-02-01"), to: .interviewed, on: d("2027-01-31"), today: today)?.contains("2027-02-01") == true)
        #expect(EmploymentRules.change(from: .applied, lastChange: d("2027-02-01"), to: .offered, on: d("2027-03-02"), today: today) == "变更日期不能晚于今天")
        #expect(EmploymentRules.change(from: .hired, lastChange: d("2027-02-01"), to: .declined, on: d("2027-02-02"), today: today) == "该岗位推荐已是“已入职”，不能再更改")
        #expect(EmploymentRules.change(from: .offered, lastChange: d("2027-02-01"), to: .applied, on: d("2027-02-02"), today: today) == "不能从“已录用”改回“已投递”")
    }

    @Test func hardshipAndOutcomeAsOfficesWriteThem() {
        #expect(HardshipCategory(text: "低保户") == .dibao)
        #expect(HardshipCategory(text: "特困供养") == .tekun)
        #expect(HardshipCategory(text: "脱贫家庭") == .tuopin && HardshipCategory(text: "建档立卡户") == .tuopin)
        #expect(HardshipCategory(text: "低收入家庭") == .lowIncome && HardshipCategory(text: "lowIncome") == .lowIncome)
        #expect(HardshipCategory(text: "其它") == .other)
        #expect(HardshipCategory(text: "单亲") == nil && HardshipCategory(text: "") == nil)
        #expect(JobOutcome(text: "已入职") == .hired && JobOutcome(text: "offered") == .offered && JobOutcome(text: "成功") == nil)
    }

    @Test func expectedGraduationInTheYearOrTheNext() {
        #expect(EmploymentRules.graduation("2027-06", year: 2026) == "2027-06")
        #expect(EmploymentRules.graduation("2026年7月", year: 2026) == "2026-07")
        #expect(EmploymentRules.graduation("2027届", year: 2026) == "2027-06")
        #expect(EmploymentRules.graduation("2026.6.30", year: 2026) == "2026-06")
        #expect(EmploymentRules.graduation("2028-06", year: 2026) == nil)         // not graduating this round
        #expect(EmploymentRules.graduation("2027-13", year: 2026) == nil)
        #expect(EmploymentRules.graduation("9223372036854775808", year: 2026) == nil)
        #expect(EmploymentRules.graduation("明年", year: 2026) == nil)
    }

    @Test func aGraduateLine() {
        let id = DeploymentLineTests.id("44088119990101002")
        let (entry, problems) = EmploymentRules.graduate(input([
            GraduateColumn.name: " 陈小红 ", GraduateColumn.idNumber: id, GraduateColumn.major: "会计学",
            GraduateColumn.graduation: "2027年6月", GraduateColumn.hardship: "低保", GraduateColumn.cadre: "李明"]), year: 2026, today: today)
        #expect(problems.isEmpty)
        #expect(entry?.name == "陈小红" && entry?.graduation == "2027-06" && entry?.hardship == .dibao && entry?.id.value == id)
        // Every problem of the line at once; the hardship message never repeats what was typed.
        let (none, all) = EmploymentRules.graduate(input([GraduateColumn.idNumber: "440881199901010020", GraduateColumn.hardship: "单亲家庭"]),
                                                   year: 2026, today: today)
        #expect(none == nil)
        #expect(Set(all.map(\.column)) == [GraduateColumn.name, GraduateColumn.major, GraduateColumn.cadre, GraduateColumn.idNumber,
                                          GraduateColumn.hardship])
        #expect(!all.contains { $0.message.contains("单亲") })
        // The expected graduation may be left blank, but what is typed must be a month of this round.
        let blank = EmploymentRules.graduate(input([GraduateColumn.name: "甲", GraduateColumn.idNumber: id, GraduateColumn.major: "法学",
                                                    GraduateColumn.hardship: "特困", GraduateColumn.cadre: "李明"]), year: 2026, today: today)
        #expect(blank.0?.graduation == "" && blank.1.isEmpty)
        let late = EmploymentRules.graduate(input([GraduateColumn.name: "甲", GraduateColumn.idNumber: id, GraduateColumn.major: "法学",
                                                   GraduateColumn.graduation: "2029-06", GraduateColumn.hardship: "特困", GraduateColumn.cadre: "李明"]), year: 2026, today: today)
        #expect(late.0 == nil && late.1.map(\.column) == [GraduateColumn.graduation])
    }

    @Test func aGuidanceLine() {
        let ok = EmploymentRules.guidance(input([GuidanceColumn.on: "2027/2/1", GuidanceColumn.mode: "微信视频", GuidanceColumn.note: "修改简历"]), year: 2026, today: today)
        #expect(ok.0 == GuidanceEntry(on: d("2027-02-01"), mode: .online, note: "修改简历") && ok.1.isEmpty)
        let bad = EmploymentRules.guidance(input([GuidanceColumn.on: "2025-12-31", GuidanceColumn.mode: "托梦"]), year: 2026, today: today)
        #expect(bad.0 == nil && Set(bad.1.map(\.column)) == [GuidanceColumn.on, GuidanceColumn.mode, GuidanceColumn.note])
    }

    @Test func aJobLine() {
        let ok = EmploymentRules.job(input([JobColumn.employer: "广州某科技有限公司", JobColumn.position: "会计", JobColumn.city: "广州",
                                            JobColumn.recommendedOn: "2027-02-10"]), year: 2026, today: today)
        #expect(ok.0?.outcome == .recommended && ok.1.isEmpty)
        let future = EmploymentRules.job(input([JobColumn.employer: "甲", JobColumn.position: "乙", JobColumn.city: "丙",
                                                JobColumn.recommendedOn: "2027-03-02", JobColumn.outcome: "升职"]), year: 2026, today: today)
        #expect(future.0 == nil && Set(future.1.map(\.column)) == [JobColumn.recommendedOn, JobColumn.outcome])
    }

    @Test func aFileCannotOverloadACadre() {
        func g(_ row: Int, _ cadre: String, _ serial: Int) -> GraduateEntry {
            let id = DeploymentLineTests.id("4408811999010" + String(1000 + serial).suffix(4))
            return GraduateEntry(row: row, name: "生\(row)", id: try! IDNumber.parse(id).get(), major: "法学", graduation: "2027-06", hardship: .other, cadre: cadre)
        }
        // 李明 keeps 3 outside the file; the file gives him 3 more: the 6th (row 4, his 3rd in the file) is over.
        let entries = [g(2, "李明", 1), g(3, "李明", 2), g(4, "李明", 3), g(5, "王芳", 4)]
        let problems = EmploymentRules.overloadedCadres(entries, kept: ["李明": 3])
        #expect(problems.map(\.row) == [4])
        #expect(EmploymentRules.repeatedGraduates([g(2, "李明", 1), g(3, "王芳", 1)]).map(\.row) == [3])
    }

    @Test func theBoardsSums() {
        var a = EmploymentTally()
        a.add(cadreWith: 3); a.add(cadreWith: 2)                        // 2 cadres, 1 meets
        a.add(graduateWith: [.recommended, .hired])                     // two jobs, hired, offered, not waiting
        a.add(graduateWith: [.declined])                                // one job, waiting
        a.add(graduateWith: [.offered, .applied, .declined])            // two jobs, offered, not waiting
        #expect(a.cadres == 2 && a.cadresMeetingRule == 1)
        #expect(a.graduates == 3 && a.graduatesWithTwoJobs == 2 && a.hired == 1 && a.offered == 2 && a.waiting == 1)
        #expect(a.twoJobsPercent == 66)                                  // 2/3 rounded down
        var b = EmploymentTally(); b.add(cadreWith: 5); b.add(graduateWith: [])
        let sum = a + b
        #expect(sum.cadres == 3 && sum.cadresMeetingRule == 2 && sum.graduates == 4 && sum.waiting == 2 && sum.twoJobsPercent == 50)
        #expect(EmploymentTally().twoJobsPercent == 0)
    }
}
