// 阳光助残 一人一策: a plan within 30 days of pairing, a review at least every 90 days (the kernel's once and
// repeating steps), and the pair line's checks.
import LiangbangCore
import Testing

@Suite struct DisabilityRulesTests {
    let paired = LocalDate(iso: "2022-03-01")!
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func aPlanWithin30DaysThenAReviewEvery90() {
        #expect(DisabilityRules.planDue(paired: paired, planned: nil) == d("2022-03-31"))
        #expect(DisabilityRules.status(paired: paired, planned: nil, reviews: [], asOf: d("2022-03-31")) == (.none, false, d("2022-03-31")))
        #expect(DisabilityRules.status(paired: paired, planned: nil, reviews: [], asOf: d("2022-04-01")).planOverdue)
        #expect(DisabilityRules.reviewDue(planned: d("2022-03-20"), reviews: []) == d("2022-06-18"))
        #expect(DisabilityRules.status(paired: paired, planned: d("2022-03-20"), reviews: [], asOf: d("2022-06-18")).status == .ok)
        #expect(DisabilityRules.status(paired: paired, planned: d("2022-03-20"), reviews: [], asOf: d("2022-06-19")).status == .reviewOverdue)
        #expect(DisabilityRules.status(paired: paired, planned: d("2022-03-20"), reviews: [d("2022-06-10")], asOf: d("2022-07-01")) == (.ok, false, d("2022-09-08")))
    }

    @Test func aPairLineIsCheckedWithoutRepeatingTheDisability() {
        let values = [DisabilityColumn.name: "李小华", DisabilityColumn.idNumber: makeID("441882", "20120305", seq: "002"), DisabilityColumn.category: "听力",
                      DisabilityColumn.level: "二级", DisabilityColumn.guardian: "李大华", DisabilityColumn.guardianPhone: "13912345678",
                      DisabilityColumn.organisation: "连州市助残志愿服务队", DisabilityColumn.startedOn: "2022-03-01"]
        let (ok, none) = DisabilityRules.pair(RegisterInput(row: 1, values: values), year: 2022, today: d("2022-09-01"))
        #expect(none.isEmpty && ok?.category == .hearing && ok?.level == .two && ok?.guardianPhone == "13912345678")
        var bad = values
        bad[DisabilityColumn.category] = "隐身"; bad[DisabilityColumn.level] = "9223372036854775808"; bad[DisabilityColumn.startedOn] = "2022-10-01"
        let (refused, problems) = DisabilityRules.pair(RegisterInput(row: 1, values: bad), year: 2022, today: d("2022-09-01"))
        #expect(refused == nil && problems.map(\.column) == [DisabilityColumn.category, DisabilityColumn.level, DisabilityColumn.startedOn])
        #expect(!problems.contains { $0.message.contains("隐身") })
    }
}
