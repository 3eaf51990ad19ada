// Work item 6's rules: a sign-in sheet as offices fill it (√, 签到, blanks, dates in any header form), person-times
// and trainees counted by hand, the class's dates, and the training quotas on the completeness board.
import LiangbangCore
import Testing

@Suite struct TrainingRulesTests {
    func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    let today = LocalDate(iso: "2022-08-01")!
    let sessions = [LocalDate(iso: "2022-07-15")!, LocalDate(iso: "2022-07-16")!, LocalDate(iso: "2022-07-17")!]

    func row(_ n: Int, _ values: [String: String], marks: [String]) -> RegisterInput {
        var all = values
        for (d, m) in zip(sessions, marks) { all[d.iso] = m }
        return RegisterInput(row: n, values: all)
    }

    @Test func signedCellsAsOfficesWriteThem() {
        for yes in ["√", "✓", "签到", " 已签到 ", "1", "是", "v"] { #expect(TrainingRules.signed(yes) == true, "\(yes)") }
        for no in ["", "×", "缺", "请假", "0", "否", "—"] { #expect(TrainingRules.signed(no) == false, "\(no)") }
        #expect(TrainingRules.signed("迟到") == nil)
    }

    @Test func aSessionColumnIsFoundHoweverTheDateIsWritten() {
        let spec = SignInColumn.session(d("2022-07-15"))
        #expect(spec.title == "2022-07-15")
        #expect(["7月15日", "2022年7月15日", "7.15", "7/15", "2022/7/15"].allSatisfy { spec.aliases.contains($0) })
        #expect(SignInColumn.specs(sessions: sessions).count == SignInColumn.fixed.count + 3)
    }

    @Test func personTimesAndTraineesByHand() {
        let id1 = DeploymentLineTests.id("44188219950101001"), id2 = DeploymentLineTests.id("44188219960202002")
        let lines = [
            row(3, [SignInColumn.name: "甲", SignInColumn.idNumber: id1], marks: ["√", "√", "√"]),            // 3 times
            row(4, [SignInColumn.name: "乙", SignInColumn.phone: "138 0013 8000"], marks: ["签到", "", "1"]),  // 2 times, by phone
            row(5, [SignInColumn.name: "丙", SignInColumn.idNumber: id2, SignInColumn.phone: "13900139000"], marks: ["", "", ""]), // never came
        ]
        let entries = lines.compactMap { TrainingRules.trainee($0, sessions: sessions, today: today).0 }
        #expect(entries.count == 3)
        #expect(entries[1].phone == "13800138000" && entries[1].personKey == "phone:13800138000")
        #expect(entries[2].personKey == "id:" + id2)                   // the ID wins over the phone
        let figures = TrainingRules.figures(entries)
        #expect(figures.personTimes == 5 && figures.trainees == 2)     // 3 + 2 + 0; 丙 never signed
        // The same person on two rows is refused, not counted twice.
        let twice = [entries[0], TrainingRules.trainee(row(9, [SignInColumn.name: "甲", SignInColumn.idNumber: id1], marks: ["√", "", ""]),
                                                       sessions: sessions, today: today).0!]
        #expect(TrainingRules.repeatedTrainees(twice).map(\.row) == [9])
    }

    @Test func everyProblemOfARowAtOnce() {
        let (entry, problems) = TrainingRules.trainee(row(6, [SignInColumn.sex: "未知", SignInColumn.phone: "12345", SignInColumn.category: "游客"],
                                                          marks: ["√", "迟到", ""]), sessions: sessions, today: today)
        #expect(entry == nil)
        #expect(Set(problems.map(\.column)) == [SignInColumn.name, SignInColumn.sex, SignInColumn.phone, SignInColumn.category, "2022-07-16"])
        let nobody = TrainingRules.trainee(row(7, [SignInColumn.name: "丁"], marks: ["√", "", ""]), sessions: sessions, today: today)
        #expect(nobody.0 == nil && nobody.1.first?.message.contains("至少填写一项") == true)
        #expect(TrainingRules.phone("9223372036854775808") == nil && TrainingRules.phone("23800138000") == nil)
    }

    @Test func aClassAndItsDates() {
        let ok = TrainingRules.trainingClass(title: " 连州市领头雁培训班 ", kind: "lingtouyan", mode: "线下", start: "2022-07-15", end: "2022-07-17",
                                             sessions: ["2022-07-16，7月15日", "2022-07-16"], year: 2022)
        #expect(ok.1.isEmpty && ok.0?.title == "连州市领头雁培训班" && ok.0?.sessions == [d("2022-07-15"), d("2022-07-16")])
        let bad = TrainingRules.trainingClass(title: "", kind: "游学", mode: "", start: "2022-07-15", end: "2022-07-17",
                                              sessions: ["2022-07-20"], year: 2022)
        #expect(bad.0 == nil && Set(bad.1.map(\.field)) == ["title", "kind", "mode", "sessionDates"])
        let otherYear = TrainingRules.trainingClass(title: "甲", kind: "skills", mode: "online", start: "2021-07-15", end: "2021-07-17", sessions: ["2021-07-15"], year: 2022)
        #expect(otherYear.1.map(\.field) == ["startDate"])
        #expect(TrainingKind(text: "电商培训") == .ecommerce && TrainingKind(text: "技能培训") == .skills && TrainingKind(text: "") == nil)
    }

    @Test func theTrainingQuotasOnTheBoard() {
        // A city: one class of 120 person-times meets both; a county with one class of 39 trainees misses one.
        let city = ActivityCounts(trainingClasses: 1, trainingPersonTimes: 120, trainingTrainees: 40)
        #expect(QuotaEvaluator.evaluate(kind: .city, counts: city, rules: QuotaRule.training).isEmpty)
        let county = ActivityCounts(trainingClasses: 1, trainingPersonTimes: 200, trainingTrainees: 39)
        #expect(QuotaEvaluator.evaluate(kind: .county, counts: county, rules: QuotaRule.training).map(\.metric) == [.trainingTrainees])
        #expect(QuotaEvaluator.evaluate(kind: .county, counts: ActivityCounts(), rules: QuotaRule.training).map(\.metric) == [.trainingClasses, .trainingTrainees])
        // Rolled up: classes add, the best class is the best of them (not a sum of two small classes).
        let sum = ActivityCounts(trainingClasses: 1, trainingPersonTimes: 60, trainingTrainees: 30) + ActivityCounts(trainingClasses: 2, trainingPersonTimes: 70, trainingTrainees: 20)
        #expect(sum.trainingClasses == 3 && sum.trainingPersonTimes == 70 && sum.trainingTrainees == 30)
        #expect(QuotaRule.notice.filter { $0.metric == .trainingPersonTimes }.map(\.minimum) == [100])
    }
}
