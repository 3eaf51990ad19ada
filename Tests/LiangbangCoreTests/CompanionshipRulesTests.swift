// 成长陪伴: letters every 60 days and family visits every 90 (the kernel's repeating step), none for 手拉手; a camp
// participant line, the child's age on the camp's first day, and the consent gap for a child under 14.
import LiangbangCore
import Testing

@Suite struct CompanionshipRulesTests {
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func lettersEvery60DaysVisitsEvery90() {
        #expect(CompanionRules.due(kind: .letter, started: d("2022-03-01"), contacts: []) == d("2022-04-30"))
        #expect(CompanionRules.due(kind: .letter, started: d("2022-03-01"), contacts: [d("2022-04-10"), d("2022-03-20")]) == d("2022-06-09"))
        #expect(CompanionRules.due(kind: .family, started: d("2022-03-01"), contacts: []) == d("2022-05-30"))
        #expect(CompanionRules.due(kind: .handInHand, started: d("2022-03-01"), contacts: []) == nil)
        #expect(CompanionKind.letter.contactKinds == [.sent, .received] && CompanionKind.family.contactKinds == [.visit])
    }

    @Test func aCampParticipantAndTheConsentGap() {
        func line(_ id: String, _ role: String, _ consent: String = "", _ on: String = "") -> RegisterInput {
            RegisterInput(row: 3, values: [CampParticipantColumn.name: "陈小明", CampParticipantColumn.idNumber: id, CampParticipantColumn.role: role,
                                           CampParticipantColumn.consent: consent, CampParticipantColumn.consentDate: on])
        }
        let start = d("2022-07-15"), today = d("2022-07-01")
        let child = CampRules.participant(line(makeID("441882", "20120716", seq: "003"), "营员"), campStart: start, today: today).0
        #expect(child?.age == 9 && child?.isChild == true && child?.consentGap == true)
        let consented = CampRules.participant(line(makeID("441882", "20120716", seq: "003"), "营员", "是", "2022-06-20"), campStart: start, today: today).0
        #expect(consented?.consentGap == false)
        let volunteer = CampRules.participant(line(makeID("441882", "20010203", seq: "004"), "志愿者"), campStart: start, today: today).0
        #expect(volunteer?.isChild == false && volunteer?.consentGap == false)
        let (bad, problems) = CampRules.participant(line("123", "老师", "也许", "2022-08-01"), campStart: start, today: today)
        #expect(bad == nil && problems.map(\.column) == [CampParticipantColumn.idNumber, CampParticipantColumn.role, CampParticipantColumn.consent, CampParticipantColumn.consentDate])
    }
}
