// The weekly summary under parallel writes, and the whole-period rate and trend chart as the pages show them.
@testable import App
import Fluent
import LiangbangCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite struct WeeklySummaryTests {
    func post(_ app: Application, _ headers: HTTPHeaders, _ pairing: Pairing, date: String, start: String, minutes: Int) async throws -> HTTPStatus {
        try await app.testing().sendRequest(.POST, "/api/v1/sessions", headers: headers, beforeRequest: { req in
            try req.content.encode(SessionInput(pairingId: pairing.id!, date: date, startTime: start, minutes: minutes, content: "数学辅导", mode: "offline", note: nil))
        }).status
    }

    func tally(_ app: Application, pupil: String, week: String) async throws -> [Int] {
        let rows = try await (app.db as! any SQLDatabase).raw("SELECT sessions, minutes FROM tutoring_weeks WHERE pupil_id_hash = \(bind: pupil) AND week_start = \(bind: week)").all()
        return try rows.map { [try $0.decode(column: "sessions", as: Int.self), try $0.decode(column: "minutes", as: Int.self)] }.first ?? [0, 0]
    }

    @Test func twentyParallelSessionsOfOnePupilWeekAreAllCounted() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 25)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(1))).status == .ok)
            let pairing = try #require(try await Pairing.query(on: app.db).first())
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<20 {
                    group.addTask { try await post(app, staff, pairing, date: "2022-07-\(18 + i % 7)", start: SessionRules.timeText(8 * 60 + i), minutes: 10 + i) }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try await tally(app, pupil: pairing.pupilIDHash, week: "2022-07-18") == [20, (0..<20).reduce(0) { $0 + 10 + $1 }])
        }
    }

    /// A period ending on a Wednesday: its last week closes on Thursday, not after Sunday, and a session logged
    /// after the new end stops counting. The page's whole-period rate and the trend chart follow the core.
    @Test func theWholePeriodRateAndTrendFollowTheCoreWhenThePeriodEndsMidWeek() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 28)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2))).status == .ok)
            let pairings = try await Pairing.query(on: app.db).sort(\.$pupilName).all()
            let (a, b) = (pairings[0], pairings[1])
            for (p, date, minutes) in [(a, "2022-07-05", 60), (a, "2022-07-26", 60), (b, "2022-07-12", 30), (b, "2022-07-28", 90), (b, "2022-07-19", 60)] {
                #expect(try await post(app, staff, p, date: date, start: "19:30", minutes: minutes) == .created)
            }
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let period = TutoringPeriod(start: LocalDate(year: 2022, month: 7, day: 1)!, end: LocalDate(year: 2022, month: 7, day: 27)!)
            try await app.testing().test(.PATCH, "/api/v1/campaigns/2022", headers: admin, beforeRequest: { req in
                try req.content.encode(CampaignController.UpdateInput(calendar: nil, tutoringPeriod: period, quotas: nil))
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            #expect(try await tally(app, pupil: b.pupilIDHash, week: "2022-07-25") == [0, 0])

            let sessions = try await TutoringSession.query(on: app.db).all()
            let expected = WeeklyRule.summary(spans: pairings.map { PairingSpan(pupilKey: $0.pupilIDHash, start: $0.startDate.flatMap(LocalDate.init(iso:)) ?? period.start) },
                                              sessions: sessions.map { TutoringSessionFact(pupilKey: $0.pupilIDHash, date: LocalDate(iso: $0.date)!, minutes: $0.minutes) },
                                              period: period, asOf: LocalDate(year: 2022, month: 7, day: 28)!)
            #expect(expected.weeks.filter(\.closed).count == 5)   // 06-27 … 07-25: the last one closed on 07-28
            try await app.testing().test(.GET, "/compliance?campaign=2022&orgId=\(a.universityID)", headers: staff) { res in
                #expect(res.status == .ok)
                let rate = ComplianceController.percent(expected.compliantPupilWeeks, expected.pupilWeeks)
                #expect(res.body.string.contains("<span class=\"num\" id=\"period-rate\">\(rate)</span><span>已结束的5周合计"), "\(rate)")
            }
            try await app.testing().test(.GET, "/compliance/trend.svg?campaign=2022", headers: staff) { res in
                #expect(res.status == .ok)
                for week in expected.weeks {
                    #expect(res.body.string.contains("<title>\(week.week.start.iso) 周：\(String(format: "%.1f", (week.rate ?? 0) * 100))%（\(week.pupils)名学生）</title>"), "\(week.week)")
                }
            }
        }
    }
}
