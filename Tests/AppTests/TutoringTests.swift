// Tutoring sessions and the weekly rule through the API: who may log, refusals, duplicates, the board, hours.
@testable import App
import Fluent
import LiangbangCore
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite struct TutoringTests {
    /// 韶关学院 with two pairings of one pupil (two volunteers) and one more pupil; the clock in the tutoring period.
    func setUp(_ app: Application) async throws -> (staff: HTTPHeaders, lines: [RosterLine]) {
        app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 25)!.startInstant.addingTimeInterval(12 * 3600) })
        try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
        let staff = try await app.bearer("sg_staff")
        var lines = RosterLine.many(2)
        var second = lines[0]
        second.volunteerName = "第二志愿者"
        second.volunteerID = TestIDs.make("440104", "20030303", 333)
        lines.append(second)
        let res = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(lines))
        #expect(res.status == .ok)
        return (staff, lines)
    }

    func volunteer(_ app: Application, _ username: String, idNumber: String, university: String = "韶关学院") async throws -> HTTPHeaders {
        let user = try await app.makeUser(username, in: university, role: .volunteer)
        user.volunteerIDHash = app.appServices.cipher.lookupHash(idNumber)
        try await user.save(on: app.db)
        return try await app.bearer(username)
    }

    func pairing(_ app: Application, volunteer: String) async throws -> Pairing {
        try #require(try await Pairing.query(on: app.db).filter(\.$volunteerName == volunteer).first())
    }

    func log(_ app: Application, _ headers: HTTPHeaders, _ pairing: Pairing, date: String = "2022-07-18", start: String = "19:30",
             minutes: Int = 60, mode: String = "online-video") async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, "/api/v1/sessions", headers: headers, beforeRequest: { req in
            try req.content.encode(SessionInput(pairingId: pairing.id!, date: date, startTime: start, minutes: minutes, content: "数学辅导", mode: mode, note: nil))
        })
    }

    @Test func twoVolunteersOfOnePupilTogetherMakeTheWeekCompliant() async throws {
        try await withTestApp { app in
            let (staff, lines) = try await setUp(app)
            let first = try await volunteer(app, "v1", idNumber: lines[0].volunteerID)
            let second = try await volunteer(app, "v2", idNumber: lines[2].volunteerID)
            #expect(try await log(app, first, try await pairing(app, volunteer: lines[0].volunteerName), minutes: 30).status == .created)
            var board: ComplianceController.APIResult?
            try await app.testing().test(.GET, "/api/v1/compliance?campaign=2022&week=2022-07-20", headers: staff) { res in
                board = try res.content.decode(ComplianceController.APIResult.self)
            }
            #expect(board?.weekStart == "2022-07-18" && board?.pupils == 2 && board?.compliant == 0)
            #expect(board?.missing.first { $0.pupil.name == lines[0].pupilName }?.minutes == 30)
            // Sunday 23:30 still belongs to the week of Monday 07-18.
            #expect(try await log(app, second, try await pairing(app, volunteer: "第二志愿者"), date: "2022-07-24", start: "23:30", minutes: 30).status == .created)
            try await app.testing().test(.GET, "/api/v1/compliance?campaign=2022&week=2022-07-18", headers: staff) { res in
                board = try res.content.decode(ComplianceController.APIResult.self)
            }
            #expect(board?.compliant == 1)
            #expect(board?.missing.map(\.pupil.name) == [lines[1].pupilName])
            #expect(board?.missing.allSatisfy { $0.pupil.idMasked.contains("****") } == true)
            // The university's page breaks the week down by volunteer.
            let campaign = try #require(try await Campaign.query(on: app.db).first())
            let perVolunteer = try await ComplianceBoard(db: app.db as! any SQLDatabase, campaign: campaign)
                .volunteers(LocalDate(year: 2022, month: 7, day: 18)!, scope: BoardScope(universityIDs: [try await app.org(named: "韶关学院").id!], countyIDs: nil))
            #expect(perVolunteer.count == 3)
            #expect(perVolunteer.first { $0.name == "第二志愿者" }?.compliant == 1)
            #expect(perVolunteer.first { $0.name == lines[1].volunteerName }?.compliant == 0)
            // Service hours per volunteer.
            try await app.testing().test(.GET, "/api/v1/volunteer-hours?campaign=2022", headers: staff) { res in
                let rows = try res.content.decode(ItemList<VolunteerController.HoursRow>.self).items
                #expect(rows.first { $0.volunteer.name == "第二志愿者" }?.minutes == 30)
                #expect(rows.count == 3)
            }
        }
    }

    @Test func badSessionsAreRefusedWithChineseMessagesAndNothingIsStored() async throws {
        try await withTestApp { app in
            let (_, lines) = try await setUp(app)
            let v = try await volunteer(app, "v1", idNumber: lines[0].volunteerID)
            let p = try await pairing(app, volunteer: lines[0].volunteerName)
            for (date, start, minutes, mode) in [("2022-07-26", "19:30", 60, "online-video"),   // tomorrow
                                                  ("2022-06-20", "19:30", 60, "online-video"),   // before the period
                                                  ("2022-07-18", "19:30", 0, "online-video"),
                                                  ("2022-07-18", "19:30", 481, "online-video"),
                                                  ("2022-07-18", "25:00", 60, "online-video"),
                                                  ("2022-07-18", "19:30", 60, "by-pigeon"),
                                                  ("18/07/2022", "19:30", 60, "online-video")] {
                let res = try await log(app, v, p, date: date, start: start, minutes: minutes, mode: mode)
                #expect(res.status == .unprocessableEntity, "\(date) \(start) \(minutes) \(mode)")
                #expect(isChinese(res.errorMessage))
            }
            #expect(try await log(app, v, p).status == .created)
            let duplicate = try await log(app, v, p)
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorMessage?.contains("请勿重复登记") == true)
            #expect(try await TutoringSession.query(on: app.db).count() == 1)
        }
    }

    @Test func nobodyLogsForAPairingOutsideTheirReach() async throws {
        try await withTestApp { app in
            let (_, lines) = try await setUp(app)
            let mine = try await volunteer(app, "v1", idNumber: lines[0].volunteerID)
            let others = try await pairing(app, volunteer: lines[1].volunteerName)
            #expect(try await log(app, mine, others).status == .notFound)
            try await app.makeUser("jy_staff", in: "嘉应学院", role: .staff)
            #expect(try await log(app, try await app.bearer("jy_staff"), others).status == .notFound)
            try await app.makeUser("sg_viewer", in: "韶关学院", role: .viewer)
            #expect(try await log(app, try await app.bearer("sg_viewer"), others).status == .forbidden)
            // Another university sees nobody on its board.
            try await app.testing().test(.GET, "/api/v1/compliance?campaign=2022&week=2022-07-18", headers: try await app.bearer("jy_staff")) { res in
                let board = try res.content.decode(ComplianceController.APIResult.self)
                #expect(board.pupils == 0 && board.missing.isEmpty)
            }
            #expect(try await TutoringSession.query(on: app.db).count() == 0)
        }
    }

    @Test func volunteersAmendTheirOwnSessionsForSevenDaysOnly() async throws {
        try await withTestApp { app in
            let (staff, lines) = try await setUp(app)
            let v = try await volunteer(app, "v1", idNumber: lines[0].volunteerID)
            let res = try await log(app, v, try await pairing(app, volunteer: lines[0].volunteerName))
            let id = try res.content.decode(SessionDTO.self).id
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 8, day: 3)!.startInstant })
            try await app.testing().test(.DELETE, "/api/v1/sessions/\(id)", headers: v) { res in
                #expect(res.status == .forbidden)
                #expect(res.errorMessage?.contains("7天") == true)
            }
            try await app.testing().test(.DELETE, "/api/v1/sessions/\(id)", headers: staff) { res in
                #expect(res.status == .noContent)
            }
        }
    }
}
