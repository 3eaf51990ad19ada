// When a campaign is over, and when its personal fields are past retention.
import LiangbangCore
import Testing

@Suite struct RetentionTests {
    func d(_ s: String) -> LocalDate { LocalDate(iso: s)! }

    @Test func aCampaignEndsAtTheYearsEndOrItsLastDate() {
        #expect(Retention.end(year: 2022, lastDates: [d("2022-12-15")]) == d("2022-12-31"))
        #expect(Retention.end(year: 2022, lastDates: [d("2023-01-15"), d("2022-07-01")]) == d("2023-01-15"))
        #expect(Retention.isOpen(end: d("2022-12-31"), today: d("2022-12-31")) && !Retention.isOpen(end: d("2022-12-31"), today: d("2023-01-01")))
    }

    @Test func retentionCountsWholeYearsAfterTheEnd() {
        #expect(!Retention.expired(end: d("2022-12-31"), years: 3, today: d("2025-12-31")))
        #expect(Retention.expired(end: d("2022-12-31"), years: 3, today: d("2026-01-01")))
        #expect(Retention.expired(end: d("2024-02-29"), years: 1, today: d("2025-03-01")) && !Retention.expired(end: d("2024-02-29"), years: 1, today: d("2025-02-28")))
    }
}
