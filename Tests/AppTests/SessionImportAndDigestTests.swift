// Bulk session import (all or nothing, row-numbered errors) and the daily digest through the notifier.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct SessionImportAndDigestTests {
    static let header = "学生身份证号,志愿者身份证号,日期,开始时间,时长（分钟）,辅导内容,辅导方式,备注"

    @Test func aSessionFileWithOneBadLineStoresNothingThenTheFixedFileStoresAll() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 25)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let lines = RosterLine.many(2)
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(lines))
            let good1 = "\(lines[0].pupilID),\(lines[0].volunteerID),2022-07-18,19:30,60,数学辅导,线上视频,"
            let good2 = "\(lines[1].pupilID),\(lines[1].volunteerID),2022/7/19,20:00,1小时,英语口语,语音,"
            let strangers = "\(lines[0].pupilID),\(lines[1].volunteerID),2022-07-18,19:30,60,数学辅导,线上视频,"
            let bad = [Self.header, good1, good2, strangers, "\(lines[1].pupilID),\(lines[1].volunteerID),2022-07-20,19:30,0,作业,线下,"].joined(separator: "\n")
            let refused = try await app.upload("/api/v1/sessions/import?campaign=2022", headers: staff, filename: "sessions.csv", content: bad)
            #expect(refused.status == .unprocessableEntity)
            let report = try refused.content.decode(ImportReport.self)
            #expect(report.errors.map(\.row) == [4, 5])
            #expect(report.errors[0].message.contains("结对名单中没有"))
            #expect(report.errors[1].column == SessionColumn.minutes)
            #expect(try await TutoringSession.query(on: app.db).count() == 0)

            let fixed = [Self.header, good1, good2].joined(separator: "\n")
            let stored = try await app.upload("/api/v1/sessions/import?campaign=2022", headers: staff, filename: "sessions.csv", content: fixed)
            #expect(stored.status == .ok, "\(stored.body.string)")
            #expect(try await TutoringSession.query(on: app.db).count() == 2)
            // The same file again would double them: refused, row by row.
            let again = try await app.upload("/api/v1/sessions/import?campaign=2022", headers: staff, filename: "sessions.csv", content: fixed)
            #expect(try again.content.decode(ImportReport.self).errors.map(\.row) == [2, 3])
            #expect(try await TutoringSession.query(on: app.db).count() == 2)
        }
    }

    @Test func theDigestReachesEachUniversitysStaffWithItsWeek() async throws {
        try await withTestApp { app in
            let today = LocalDate(year: 2022, month: 7, day: 20)!
            app.appServices.clock = Clock(now: { today.startInstant })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("sg_viewer", in: "韶关学院", role: .viewer)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(RosterLine.many(3)))
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            let sent = try await DailyDigest(app: app, campaign: campaign).send(today: today)
            // One inbox message, to the staff account (not the viewer), about the university's week.
            let messages = try await Notification.query(on: app.db).all()
            let staff = try #require(try await User.query(on: app.db).filter(\.$username == "sg_staff").first())
            #expect(sent == 1 && messages.count == 1)
            #expect(messages[0].userID == staff.id && messages[0].kind == .digest)
            #expect(messages[0].title.contains("已达标0/3"))
            #expect(messages[0].body.contains("志愿者0"))
            #expect(messages[0].url.hasPrefix("/compliance?campaign=2022&week=2022-07-18"))
        }
    }
}
