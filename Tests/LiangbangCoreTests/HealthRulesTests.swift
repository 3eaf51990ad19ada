// 健康直通车's rules: a check line as offices write it (units after numbers, two vision scales, "无" for nothing
// found), a referral no earlier than the visit, a guardian's consent for a child under 14, and a finding followed
// up every 30 days (the kernel's repeating step) until closed.
import LiangbangCore
import Testing

@Suite struct HealthRulesTests {
    let visit = LocalDate(iso: "2022-08-10")!, today = LocalDate(iso: "2022-09-01")!

    func line(_ changes: [String: String]) -> RegisterInput {
        RegisterInput(row: 4, values: [HealthColumn.name: "陈小明", HealthColumn.idNumber: makeID("441882", "20120305", seq: "001"),
                                       HealthColumn.height: "142cm", HealthColumn.weight: "35.26公斤", HealthColumn.visionLeft: "4.8",
                                       HealthColumn.visionRight: "0.6", HealthColumn.finding: "右眼视力下降"].merging(changes) { $1 })
    }

    @Test func aCheckLineIsReadAsOfficesWriteIt() throws {
        let (entry, problems) = HealthRules.check(line([:]), visitDate: visit, today: today)
        let e = try #require(entry, "\(problems)")
        #expect(e.measurements.heightCm == 142 && e.measurements.weightKg == 35.3 && e.measurements.bmi == 17.5)
        #expect(e.measurements.visionLeft == "4.8" && e.measurements.visionRight == "0.6" && e.hasFinding)
        #expect(HealthRules.check(line([HealthColumn.finding: "无异常"]), visitDate: visit, today: today).0?.hasFinding == false)
        let (bad, found) = HealthRules.check(line([HealthColumn.height: "9223372036854775808", HealthColumn.visionLeft: "6.1",
                                                   HealthColumn.referralDate: "2022-08-01", HealthColumn.consent: "也许"]), visitDate: visit, today: today)
        #expect(bad == nil && found.map(\.column) == [HealthColumn.height, HealthColumn.visionLeft, HealthColumn.referralDate, HealthColumn.referralHospital, HealthColumn.consent])
        #expect(found.allSatisfy { $0.row == 4 } && !found.contains { $0.message.contains("视力下降") })
    }

    @Test func childrenUnder14NeedTheirGuardiansDatedConsent() {
        #expect(GuardianConsent.isGap(age: 10, given: false, on: nil))
        #expect(GuardianConsent.isGap(age: 10, given: true, on: nil))
        #expect(!GuardianConsent.isGap(age: 10, given: true, on: LocalDate(iso: "2022-08-01")))
        #expect(!GuardianConsent.isGap(age: 14, given: false, on: nil))
        let entry = HealthRules.check(line([HealthColumn.consent: "是", HealthColumn.consentDate: "2022-08-01"]), visitDate: visit, today: today).0
        #expect(entry?.consent == GuardianConsent(given: true, on: LocalDate(iso: "2022-08-01")))
    }

    @Test func aFindingIsFollowedUpEvery30DaysUntilClosed() {
        #expect(HealthRules.due(checked: visit, followUps: [], hasFinding: true, closed: false) == LocalDate(iso: "2022-09-09"))
        #expect(HealthRules.due(checked: visit, followUps: [LocalDate(iso: "2022-09-01")!], hasFinding: true, closed: false) == LocalDate(iso: "2022-10-01"))
        #expect(HealthRules.due(checked: visit, followUps: [LocalDate(iso: "2022-09-01")!], hasFinding: true, closed: true) == nil)
        #expect(HealthRules.due(checked: visit, followUps: [], hasFinding: false, closed: false) == nil)
        #expect(HealthRules.due(checked: visit, followUps: [], hasFinding: true, closed: false, days: 14) == LocalDate(iso: "2022-08-24"))
        let twice = [line([:]), RegisterInput(row: 9, values: line([:]).values)].compactMap { HealthRules.check($0, visitDate: visit, today: today).0 }
        #expect(HealthRules.repeated(twice).map(\.row) == [9])
    }
}
