// The care items' kernel: when the next required step is due and whether it is overdue, for a step taken once
// (12355's follow-up) and for a repeating one (a review every 90 days); 12355's rule; small counts suppressed.
import Foundation
import LiangbangCore
import Testing

@Suite struct CaseKernelTests {
    let opened = DateTimeText.parse("2026-03-01 09:00")!
    func at(_ text: String) -> Date { DateTimeText.parse(text)! }

    @Test func aOnceStepIsDueUntilTakenAndARepeatingStepCountsFromTheLatest() {
        let once = RequiredStep.days(7, .once)
        #expect(CaseKernel.nextDue(opened: opened, steps: [], rule: once, closed: false) == at("2026-03-08 09:00"))
        #expect(CaseKernel.nextDue(opened: opened, steps: [at("2026-03-05 10:00")], rule: once, closed: false) == nil)
        #expect(CaseKernel.nextDue(opened: opened, steps: [], rule: once, closed: true) == nil)
        #expect(CaseKernel.nextDue(opened: opened, steps: [], rule: nil, closed: false) == nil)
        let review = RequiredStep.days(90, .repeating)
        #expect(CaseKernel.nextDue(opened: opened, steps: [], rule: review, closed: false) == at("2026-05-30 09:00"))
        #expect(CaseKernel.nextDue(opened: opened, steps: [at("2026-04-01 09:00"), at("2026-03-10 09:00")], rule: review, closed: false)
                == at("2026-06-30 09:00"))
        // A step dated before the opening does not move the clock back.
        #expect(CaseKernel.nextDue(opened: opened, steps: [at("2026-01-01 09:00")], rule: review, closed: false) == at("2026-05-30 09:00"))
        let due = at("2026-03-08 09:00")
        #expect(!CaseKernel.isOverdue(due, asOf: at("2026-03-08 09:00")) && CaseKernel.isOverdue(due, asOf: at("2026-03-08 09:01")))
        #expect(CaseKernel.daysOverdue(due, asOf: at("2026-03-10 10:00")) == 2 && CaseKernel.daysOverdue(nil, asOf: due) == 0)
    }

    @Test func hotlineCasesNeedAFollowUpWithinAWeekOrADayForACrisis() {
        #expect(HotlineRules.step(risk: .crisis, needsOffline: false) == .hours(24, .once))
        #expect(HotlineRules.step(risk: .high, needsOffline: true) == .days(7, .once))
        #expect(HotlineRules.step(risk: .high, needsOffline: false) == nil)
        #expect(HotlineRules.due(receivedAt: opened, risk: .crisis, needsOffline: true, followUps: [], closed: false) == at("2026-03-02 09:00"))
        #expect(HotlineRules.due(receivedAt: opened, risk: .low, needsOffline: true, followUps: [], closed: false) == at("2026-03-08 09:00"))
        #expect(HotlineRules.due(receivedAt: opened, risk: .crisis, needsOffline: true, followUps: [at("2026-03-01 20:00")], closed: false) == nil)
    }

    @Test func aCaseLineIsCheckedWithoutRepeatingWhatItSays() {
        let lianzhou = CountyRef(key: "lz", code: "441882", name: "连州市", cityName: "清远市")
        let now = at("2026-03-02 12:00")
        func line(_ changes: [String: String]) -> RegisterInput {
            RegisterInput(row: 1, values: [HotlineColumn.receivedAt: "2026-03-01 21:30", HotlineColumn.channel: "热线", HotlineColumn.age: "15岁",
                                           HotlineColumn.sex: "女", HotlineColumn.county: "连州", HotlineColumn.category: "校园欺凌",
                                           HotlineColumn.risk: "high", HotlineColumn.needsOffline: "是", HotlineColumn.summary: "来电称在校被同学孤立"]
                .merging(changes) { $1 })
        }
        let (ok, none) = HotlineRules.entry(line([:]), counties: CountyMatcher([lianzhou]), now: now)
        #expect(none.isEmpty && ok?.receivedAt == at("2026-03-01 21:30") && ok?.age == 15 && ok?.risk == .high && ok?.needsOffline == true)
        #expect(ok?.channel == .hotline && ok?.category == .bullying && ok?.county == lianzhou && ok?.name == "")
        let (bad, problems) = HotlineRules.entry(line([HotlineColumn.receivedAt: "2026-03-05 10:00", HotlineColumn.age: "9223372036854775808",
                                                       HotlineColumn.risk: "严重", HotlineColumn.summary: ""]), counties: CountyMatcher([lianzhou]), now: now)
        #expect(bad == nil && problems.map(\.column) == [HotlineColumn.receivedAt, HotlineColumn.age, HotlineColumn.risk, HotlineColumn.summary])
        #expect(!problems.contains { $0.message.contains("孤立") })
    }

    @Test func momentsAreReadAsBeijingTimeUnlessTheySayOtherwise() {
        #expect(DateTimeText.parse("2026-03-01T01:00:00Z") == at("2026-03-01 09:00"))
        #expect(DateTimeText.parse("2026-03-01T09:00:00+08:00") == at("2026-03-01 09:00"))
        #expect(DateTimeText.parse("2026/3/1 9:00") == at("2026-03-01 09:00"))
        #expect(DateTimeText.text(at("2026-03-01 23:59")) == "2026-03-01 23:59")
        for bad in ["2026-03-01", "2026-03-01 25:00", "明天上午", "9223372036854775808-01-01 10:00", ""] { #expect(DateTimeText.parse(bad) == nil, "\(bad)") }
    }

    @Test func countsBelowFiveAreSuppressed() throws {
        #expect([0, 1, 4, 5, 12].map { SmallCount($0).text } == ["<5", "<5", "<5", "5", "12"])
        let json = String(decoding: try JSONEncoder().encode([SmallCount(3), SmallCount(7)]), as: UTF8.self)
        #expect(json == #"["<5",7]"#)
    }
}
