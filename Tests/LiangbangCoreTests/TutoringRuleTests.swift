// The weekly tutoring rule (≥ 1 session, ≥ 60 minutes per pupil and week) and what a logged session must satisfy.
import Foundation
import LiangbangCore
import Testing

private func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
private func session(_ pupil: String, _ date: String, _ minutes: Int) -> TutoringSessionFact {
    TutoringSessionFact(pupilKey: pupil, date: day(date), startMinute: 19 * 60 + 30, minutes: minutes)
}
private let period2022 = TutoringPeriod.standard(year: 2022)

@Suite struct TutoringRuleTests {
    @Test func thePeriodRunsInMondayWeeksFromTheWeekOfItsStartToTheWeekOfItsEnd() {
        // 2022-07-01 is a Friday, 2022-12-31 a Saturday: both edge weeks are partial and both count.
        let weeks = period2022.weeks
        #expect(weeks.first?.start.iso == "2022-06-27")
        #expect(weeks.last?.start.iso == "2022-12-26")
        #expect(weeks.count == 27)
        #expect(period2022.week(containing: day("2022-06-30")) == nil)
        #expect(period2022.week(containing: day("2022-07-03"))?.start.iso == "2022-06-27")
        #expect(period2022.lastDay(of: weeks.last!).iso == "2022-12-31")
        #expect(TutoringPeriod(start: day("2022-07-02"), end: day("2022-07-01")).problems().count == 1)
    }

    @Test func aSessionAt2330OnSundayCountsForThatWeek() {
        // 2022-07-24 23:30 in Shanghai is 15:30 UTC; 00:30 on Monday is 16:30 UTC, still Sunday in UTC.
        let lateSunday = LocalDate(instant: Date(timeIntervalSince1970: 1_658_676_600))
        let earlyMonday = LocalDate(instant: Date(timeIntervalSince1970: 1_658_676_600 + 3600))
        let sessions = [TutoringSessionFact(pupilKey: "p", date: lateSunday, startMinute: 23 * 60 + 30, minutes: 60),
                        TutoringSessionFact(pupilKey: "p", date: earlyMonday, startMinute: 30, minutes: 20)]
        let week = WeeklyRule.status(pupil: "p", sessions: sessions, week: day("2022-07-18"))
        #expect(week.week.start.iso == "2022-07-18")
        #expect(week.sessions == 1 && week.minutes == 60 && week.compliant)
        let next = WeeklyRule.status(pupil: "p", sessions: sessions, week: day("2022-07-27"))
        #expect(next.sessions == 1 && next.minutes == 20 && !next.compliant && next.missingMinutes == 40)
    }

    @Test func twoVolunteersOfOnePupilAddUp() {
        // One pupil, two pairings (多对一): 30 minutes from each make the hour.
        let sessions = [session("p", "2022-07-19", 30), session("p", "2022-07-23", 30), session("other", "2022-07-19", 90)]
        let status = WeeklyRule.status(pupil: "p", sessions: sessions, week: day("2022-07-20"))
        #expect(status.sessions == 2 && status.minutes == 60 && status.compliant && status.missingMinutes == 0)
        let spans = [PairingSpan(pupilKey: "p", start: day("2022-07-01")), PairingSpan(pupilKey: "p", start: day("2022-07-10"))]
        let board = WeeklyRule.statuses(spans: spans, sessions: sessions, week: day("2022-07-18"), period: period2022)
        #expect(board.count == 1 && board["p"]?.compliant == true)
    }

    @Test func sixtyMinutesIsEnoughAndFiftyNineIsNot() {
        #expect(WeeklyRule.status(pupil: "p", sessions: [session("p", "2022-07-18", 60)], week: day("2022-07-18")).compliant)
        let short = WeeklyRule.status(pupil: "p", sessions: [session("p", "2022-07-18", 59)], week: day("2022-07-18"))
        #expect(!short.compliant && short.missingMinutes == 1)
        let none = WeeklyRule.status(pupil: "p", sessions: [], week: day("2022-07-18"))
        #expect(!none.compliant && none.sessions == 0 && none.missingMinutes == 60)
    }

    @Test func aPairingStartingMidWeekOwesItsFirstWeekButNoneBefore() {
        let thursday = PairingSpan(pupilKey: "late", start: day("2022-07-21"))
        #expect(!WeeklyRule.isDue(thursday, week: day("2022-07-17"), period: period2022))
        #expect(WeeklyRule.isDue(thursday, week: day("2022-07-18"), period: period2022))
        #expect(WeeklyRule.isDue(thursday, week: day("2022-12-31"), period: period2022))
        // A roster start before the period means the period start.
        let early = PairingSpan(pupilKey: "early", start: day("2022-06-01"))
        #expect(WeeklyRule.firstWeek(of: early, in: period2022)?.start.iso == "2022-06-27")
        #expect(!WeeklyRule.isDue(early, week: day("2022-06-20"), period: period2022))
        // Several pairings: the pupil's own start is the earliest.
        let merged = PairingSpan.merged([thursday, PairingSpan(pupilKey: "late", start: day("2022-07-05"))])
        #expect(merged["late"]?.start.iso == "2022-07-05")
        let board = WeeklyRule.statuses(spans: [thursday, early], sessions: [], week: day("2022-07-12"), period: period2022)
        #expect(Set(board.keys) == ["early"])
    }

    @Test func theWholePeriodRateCountsClosedWeeksOnly() {
        let spans = [PairingSpan(pupilKey: "a", start: day("2022-07-01")), PairingSpan(pupilKey: "b", start: day("2022-07-21"))]
        let sessions = [session("a", "2022-07-01", 60), session("a", "2022-07-05", 60), session("a", "2022-07-12", 45),
                        session("a", "2022-07-18", 60), session("b", "2022-07-22", 60),
                        session("a", "2022-07-26", 60), session("a", "2022-08-02", 60)]   // the last is after asOf
        let summary = WeeklyRule.summary(spans: spans, sessions: sessions, period: period2022, asOf: day("2022-07-31"))
        #expect(summary.weeks.map(\.week.start.iso) == ["2022-06-27", "2022-07-04", "2022-07-11", "2022-07-18", "2022-07-25"])
        #expect(summary.weeks.map(\.pupils) == [1, 1, 1, 2, 2])
        #expect(summary.weeks.map(\.compliant) == [1, 1, 0, 2, 1])
        // The week of 07-25 runs until Sunday 07-31 = asOf: still open, shown but not in the rate.
        #expect(summary.weeks.map(\.closed) == [true, true, true, true, false])
        #expect(summary.pupilWeeks == 5 && summary.compliantPupilWeeks == 4)
        #expect(summary.rate == 0.8)
        // The next morning the week closes.
        let monday = WeeklyRule.summary(spans: spans, sessions: sessions, period: period2022, asOf: day("2022-08-01"))
        #expect(monday.pupilWeeks == 7 && monday.compliantPupilWeeks == 5)
    }

    @Test func aWeekStraddlingThePeriodEndCountsOnlyItsDaysInThePeriod() {
        // The period ends on Wednesday 07-20: that week counts, a session on Friday 07-22 does not.
        let period = TutoringPeriod(start: day("2022-07-04"), end: day("2022-07-20"))
        #expect(period.weeks.map(\.start.iso) == ["2022-07-04", "2022-07-11", "2022-07-18"])
        let spans = [PairingSpan(pupilKey: "a", start: period.start), PairingSpan(pupilKey: "b", start: period.start)]
        let sessions = [session("a", "2022-07-19", 60), session("b", "2022-07-22", 60)]
        #expect(WeeklyRule.status(pupil: "b", sessions: sessions, week: day("2022-07-18"), period: period).sessions == 0)
        let board = WeeklyRule.statuses(spans: spans, sessions: sessions, week: day("2022-07-18"), period: period)
        #expect(board["a"]?.compliant == true && board["b"]?.compliant == false)
        // Nothing can be logged after 07-20, so on 07-21 the last week is closed although its Sunday is ahead.
        let summary = WeeklyRule.summary(spans: spans, sessions: sessions, period: period, asOf: day("2022-07-21"))
        #expect(summary.weeks.last?.closed == true && summary.weeks.last?.compliant == 1)
        #expect(summary.pupilWeeks == 6)
    }

    @Test func aDissolvedPairingStopsCountingAfterTheWeekItEnds() {
        let span = PairingSpan(pupilKey: "p", start: day("2022-07-01"), end: day("2022-07-13"))
        #expect(WeeklyRule.isDue(span, week: day("2022-07-11"), period: period2022))
        #expect(!WeeklyRule.isDue(span, week: day("2022-07-18"), period: period2022))
        // While one of its pairings lasts, the pupil is still due.
        let merged = PairingSpan.merged([span, PairingSpan(pupilKey: "p", start: day("2022-07-10"))])
        #expect(merged["p"]?.end == nil)
    }

    @Test func sessionsAreRefusedWithMessagesThatSayWhatToFix() {
        let today = day("2022-07-20")
        func problems(_ date: String, _ time: String = "19:30", _ minutes: Int = 60) -> [String] {
            SessionRules.validate(date: day(date), startTime: time, minutes: minutes, today: today, period: period2022).map(\.message)
        }
        // Each problem names the field it is about (the log form shows it there, an import in that column).
        #expect(SessionRules.validate(date: day("2022-07-21"), startTime: "7pm", minutes: 0, today: today, period: period2022).map(\.field)
                == [.date, .startTime, .minutes])
        #expect(problems("2022-07-20").isEmpty)
        #expect(problems("2022-07-21").first?.contains("晚于今天") == true)
        #expect(problems("2022-06-30").first?.contains("不在支教期") == true)
        #expect(problems("2022-07-18", "19:30", 0) == ["时长须大于0分钟"])
        #expect(problems("2022-07-18", "19:30", 480).isEmpty)
        #expect(problems("2022-07-18", "19:30", 481).first?.contains("480") == true)
        #expect(problems("2022-07-18", "7:30pm").count == 1)
        #expect(problems("2022-07-18", "24:00").count == 1)
        #expect(problems("2022-07-18", "").count == 1)
        #expect(problems("2022-07-18", "１９：３０").isEmpty)
        let beforePairing = SessionRules.validate(date: day("2022-07-18"), startTime: "19:30", minutes: 60, today: today,
                                                  period: period2022, pairingStart: day("2022-07-19"))
        #expect(beforePairing.first?.message.contains("早于结对开始日期") == true)
    }

    @Test func startTimesAndDurationsAsImportsTypeThem() {
        #expect(SessionRules.startMinute("19:30") == 1170)
        #expect(SessionRules.startMinute("9:05") == 545)
        #expect(SessionRules.startMinute("19:30:00") == 1170)
        #expect(SessionRules.startMinute("19:5") == nil)
        #expect(SessionRules.startMinute("1930") == nil)
        #expect(SessionRules.timeText(545) == "09:05")
        #expect(SessionRules.duration("60") == 60)
        #expect(SessionRules.duration("45分钟") == 45)
        #expect(SessionRules.duration("1小时") == 60)
        #expect(SessionRules.duration("1.5小时") == 90)
        #expect(SessionRules.duration("1小时30分") == 90)
        #expect(SessionRules.duration("1h30") == 90)
        #expect(SessionRules.duration("一小时") == nil)
        #expect(SessionRules.duration("1.01小时") == nil)
    }

    @Test func sessionModesFromCodesAndChineseLabels() {
        #expect(SessionMode.parse("online-video") == .onlineVideo)
        #expect(SessionMode.parse("线上视频") == .onlineVideo)
        #expect(SessionMode.parse(" 线上语音 ") == .onlineVoice)
        #expect(SessionMode.parse("电话") == .onlineVoice)
        #expect(SessionMode.parse("线下") == .offline)
        #expect(SessionMode.parse("线上") == nil)
        #expect(SessionMode.allCases.map(\.label) == ["线上视频", "线上语音", "线下"])
    }

    @Test func volunteersMayAmendForSevenDays() {
        let logged = Date(timeIntervalSince1970: 1_658_676_600)
        #expect(SessionRules.canAmend(loggedAt: logged, now: logged.addingTimeInterval(7 * 86_400)))
        #expect(!SessionRules.canAmend(loggedAt: logged, now: logged.addingTimeInterval(7 * 86_400 + 1)))
    }
}
