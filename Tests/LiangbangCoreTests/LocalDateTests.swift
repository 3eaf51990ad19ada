// Shanghai dates and Monday–Sunday weeks.
import Foundation
import LiangbangCore
import Testing

@Suite struct LocalDateTests {
    @Test func weeksRunMondayToSunday() {
        let sunday = LocalDate(year: 2022, month: 7, day: 24)!
        #expect(sunday.weekday == 7)
        #expect(sunday.weekStart == LocalDate(year: 2022, month: 7, day: 18))
        #expect(LocalDate(year: 2022, month: 7, day: 18)!.weekStart == LocalDate(year: 2022, month: 7, day: 18))
        #expect(LocalDate(year: 2022, month: 7, day: 25)!.weekStart == LocalDate(year: 2022, month: 7, day: 25))
    }

    @Test func aSessionAt2330OnSundayInShanghaiIsStillSunday() {
        // 2022-07-24 23:30 +08:00 is 15:30 UTC the same day; 00:30 Monday in Shanghai is 16:30 UTC on Sunday.
        let lateSunday = Date(timeIntervalSince1970: 1_658_676_600)      // 2022-07-24T15:30:00Z
        #expect(LocalDate(instant: lateSunday).iso == "2022-07-24")
        let earlyMonday = lateSunday.addingTimeInterval(3600)
        #expect(LocalDate(instant: earlyMonday).iso == "2022-07-25")
        #expect(LocalDate(instant: earlyMonday).weekStart.iso == "2022-07-25")
    }

    @Test func roundTripsDayNumbersAndISOText() {
        for n in stride(from: -719_000, to: 2_900_000, by: 997) {
            let d = LocalDate(dayNumber: n)
            #expect(d.dayNumber == n)
            #expect(LocalDate(iso: d.iso) == d)
        }
        #expect(LocalDate(iso: "2022-02-29") == nil)
        #expect(LocalDate(iso: "2024-02-29") != nil)
        #expect(LocalDate(iso: "2022-7-1") == nil)
    }

    @Test func agesCountWholeYears() {
        let birth = LocalDate(year: 2008, month: 7, day: 9)!
        #expect(LocalDate(year: 2022, month: 7, day: 8)!.years(since: birth) == 13)
        #expect(LocalDate(year: 2022, month: 7, day: 9)!.years(since: birth) == 14)
    }

    @Test func typedDatesWithDigitRunsTooLongForAnIntAreRefusedNotTrapped() {
        for text in ["9223372036854775808", "-9223372036854775808", "2022-07-99999999999999999999", "7.15000000000000000000"] {
            #expect(DateText.parse(text, defaultYear: 2022) == nil, "\(text)")
        }
        #expect(DateText.parse("2022.7.15") == LocalDate(year: 2022, month: 7, day: 15))
        #expect(DateText.parse("7月15日", defaultYear: 2022) == LocalDate(year: 2022, month: 7, day: 15))
    }
}
