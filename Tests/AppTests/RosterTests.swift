// The 附件2 roster through the API: all-or-nothing import, encryption at rest, masking, scoping, reveal, submission.
@testable import App
import Fluent
import LiangbangCore
import SQLKit
import Spreadsheet
import Testing
import Vapor
import VaporTesting

@Suite struct RosterTests {
    func sgStaff(_ app: Application, sensitive: Bool = false) async throws -> HTTPHeaders {
        try await app.makeUser("sg_staff", in: "韶关学院", role: .staff, sensitiveData: sensitive)
        return try await app.bearer("sg_staff")
    }

    @Test func aValidRosterIsStoredEncryptedAndListedMasked() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            let lines = RosterLine.many(3)
            let res = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(lines))
            #expect(res.status == .ok, "\(res.body.string)")
            let report = try res.content.decode(ImportReport.self)
            #expect(report.added == 3 && report.stored == 3 && report.errors.isEmpty)

            try await app.testing().test(.GET, "/api/v1/pairings?campaign=2022", headers: staff) { res in
                let pairings = try res.content.decode(ItemList<PairingDTO>.self).items
                #expect(pairings.count == 3)
                let first = try #require(pairings.first { $0.pupil.name == "学生0" })
                #expect(first.pupil.idMasked == IDNumber.mask(lines[0].pupilID))
                #expect(first.pupil.county == "武江区")
                #expect(!res.body.string.contains(lines[0].pupilID))
            }
            // At rest: ciphertext and keyed hash only.
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT * FROM pairings").all()
            for row in rows {
                for column in try row.allColumns {
                    let text = (try? row.decode(column: column, as: String.self)) ?? ""
                    for line in lines { #expect(!text.contains(line.pupilID) && !text.contains(line.volunteerID), "\(column)") }
                }
            }
        }
    }

    @Test func oneBadLineStoresNothingAndEveryProblemIsListedWithItsRow() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            var lines = RosterLine.many(4)
            lines[1].sex = lines[1].sex == "男" ? "女" : "男"         // row 3: sex disagrees with the ID
            lines[3].county = "罗定市"                               // row 5: not 韶关学院's county
            lines[2].volunteerID = String(lines[2].volunteerID.dropLast()) + (lines[2].volunteerID.last == "1" ? "2" : "1") // row 4
            let res = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(lines))
            #expect(res.status == .unprocessableEntity)
            let report = try res.content.decode(ImportReport.self)
            #expect(report.stored == 0 && !report.committed)
            #expect(report.errors.map(\.row) == [3, 4, 5])
            #expect(report.errors.map(\.column) == [RosterColumn.sex, RosterColumn.volunteerID, RosterColumn.county])
            #expect(report.errors.allSatisfy { isChinese($0.message) })
            #expect(try await Pairing.query(on: app.db).count() == 0)
        }
    }

    @Test func aPupilPairedByAnotherUniversityIsRefusedWithoutNamingIt() async throws {
        try await withTestApp { app in
            try await app.makeUser("scnu", in: "华南师范大学", role: .staff)
            try await app.makeUser("lnnu", in: "岭南师范学院", role: .staff)
            var line = RosterLine()
            line.pupilID = TestIDs.make("440982", "20100315", 123)
            line.county = "化州市"
            line.school = "化州第一小学"
            let first = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("scnu"), content: RosterLine.csv([line]))
            #expect(first.status == .ok)
            line.county = "信宜市"
            line.volunteerName = "另一位志愿者"
            line.volunteerID = TestIDs.make("440104", "20020202", 222)
            let second = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("lnnu"), content: RosterLine.csv([line]))
            #expect(second.status == .unprocessableEntity)
            let report = try second.content.decode(ImportReport.self)
            #expect(report.errors.count == 1)
            // An ID number must not tell which university has the child (issue 10 §1.8).
            #expect(report.errors[0].message == PairingConflicts.message)
            #expect(!second.body.string.contains("华南师范大学"))
            #expect(!second.body.string.contains("王志愿") && !second.body.string.contains("化州第一小学"))
        }
    }

    @Test func anotherUniversityCannotSeeOrChangeTheRosterButTheCitySeesItsPupilsReadOnly() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2)))
            let pairing = try #require(try await Pairing.query(on: app.db).first())
            let sg = try await app.org(named: "韶关学院")

            try await app.makeUser("jy_staff", in: "嘉应学院", role: .staff)
            let other = try await app.bearer("jy_staff")
            try await app.testing().test(.GET, "/api/v1/pairings?orgId=\(sg.id!)", headers: other) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/pairings", headers: other) { res in
                let value = try res.content.decode(ItemList<PairingDTO>.self).items
                #expect(value.isEmpty)
            }
            try await app.testing().test(.DELETE, "/api/v1/pairings/\(pairing.id!)", headers: other) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.POST, "/api/v1/pairings/\(pairing.id!)/reveal", headers: other) { res in #expect(res.status == .notFound) }
            let importAsOther = try await app.upload("/api/v1/pairings/import?orgId=\(sg.id!)", headers: other, content: RosterLine.csv(RosterLine.many(1)))
            #expect(importAsOther.status == .notFound)

            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            let city = try await app.bearer("sg_city")
            try await app.testing().test(.GET, "/api/v1/pairings", headers: city) { res in
                let pairings = try res.content.decode(ItemList<PairingDTO>.self).items
                #expect(pairings.count == 2)
                #expect(pairings.allSatisfy { $0.pupil.idMasked.contains("********") })
            }
            try await app.testing().test(.DELETE, "/api/v1/pairings/\(pairing.id!)", headers: city) { res in #expect(res.status == .notFound) }
            try await app.makeUser("mm_city", in: "茂名市", role: .staff)
            try await app.testing().test(.GET, "/api/v1/pairings", headers: try await app.bearer("mm_city")) { res in
                let value = try res.content.decode(ItemList<PairingDTO>.self).items
                #expect(value.isEmpty)
            }
            #expect(try await Pairing.query(on: app.db).count() == 2)
        }
    }

    @Test func fullIDsNeedThePermissionAndEveryRevealIsAudited() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            let line = RosterLine.many(1)[0]
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv([line]))
            let pairing = try #require(try await Pairing.query(on: app.db).first())
            try await app.testing().test(.POST, "/api/v1/pairings/\(pairing.id!)/reveal", headers: staff) { res in
                #expect(res.status == .forbidden)
                #expect(res.errorMessage?.contains("敏感数据权限") == true)
            }
            try await app.testing().test(.GET, "/api/v1/pairings/export?fullId=true&format=csv", headers: staff) { res in
                #expect(res.status == .forbidden)
            }
            try await app.makeUser("sg_privacy", in: "韶关学院", role: .viewer, sensitiveData: true)
            let trusted = try await app.bearer("sg_privacy")
            try await app.testing().test(.POST, "/api/v1/pairings/\(pairing.id!)/reveal", headers: trusted) { res in
                #expect(res.status == .ok)
                let value = try res.content.decode(PairingAPIController.Revealed.self).pupilId
                #expect(value == line.pupilID)
            }
            try await app.testing().test(.GET, "/api/v1/pairings/export?fullId=true&format=csv", headers: trusted) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains(line.pupilID))
            }
            let audited = try await AuditEvent.query(on: app.db).filter(\.$username == "sg_privacy").all()
            #expect(audited.contains { $0.action == "sensitive.reveal" })
            #expect(audited.contains { $0.action == "sensitive.export" })
            #expect(audited.allSatisfy { !$0.detail.contains(line.pupilID) && !$0.target.contains(line.pupilID) })
        }
    }

    @Test func theExportIsTheNoticeLayoutWithMaskedIDsAndDistinctTotals() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            var lines = RosterLine.many(3)
            var second = lines[0]                     // 多对一: the first pupil gets a second volunteer
            second.volunteerName = "第二志愿者"
            second.volunteerID = TestIDs.make("440104", "20030303", 333)
            lines.append(second)
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(lines))
            try await app.testing().test(.GET, "/api/v1/pairings/export?format=xlsx", headers: staff) { res in
                #expect(res.status == .ok)
                let sheet = try Workbook(data: Data(buffer: res.body)).readSheet()
                func text(_ row: Int, _ column: Int) -> String { sheet.cell(row: row, column: column)?.value.text ?? "" }
                #expect(text(1, 1) == "附件2")
                #expect(text(2, 1) == "“青年云支教”结对名单")
                #expect(text(3, 1) == "高校团委（盖章）：韶关学院")
                #expect(text(4, 1) == "帮扶学生总计 3 名，结对志愿者总计 4 名")
                #expect(text(5, 4) == "身份证号")
                #expect(text(6, 1) == "1")
                #expect(text(6, 4).contains("********"))
                #expect(sheet.rowCount == 9)
                #expect(sheet.mergedRanges.contains { $0.firstRow == 2 && $0.lastColumn == 10 })
            }
            try await app.testing().test(.GET, "/api/v1/pairings/export?format=docx", headers: staff) { res in
                #expect(res.status == .ok)
                #expect(res.body.readableBytes > 1000)
            }
        }
    }

    @Test func submissionsAreVersionedTimedAndReturnedByTheProvince() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2)))
            // Before the deadline (Shanghai time) is on time.
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 8)!.startInstant.addingTimeInterval(23 * 3600) })
            var first: RosterLines.SubmissionDTO?
            try await app.testing().test(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                try req.content.encode(["campaign": 2022])
            }) { res in
                #expect(res.status == .created)
                first = try res.content.decode(RosterLines.SubmissionDTO.self)
                #expect(first?.onTime == true && first?.version == 1 && first?.pupils == 2)
            }
            try await app.testing().test(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                try req.content.encode(["campaign": 2022])
            }) { res in #expect(res.status == .conflict) }
            try await app.testing().test(.POST, "/api/v1/roster-submissions/\(first!.id)/return", headers: staff, beforeRequest: { req in
                try req.content.encode(["reason": "x"])
            }) { res in #expect(res.status == .forbidden) }
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.POST, "/api/v1/roster-submissions/\(first!.id)/return", headers: admin, beforeRequest: { req in
                try req.content.encode(["reason": "请补充监护人同意情况"])
            }) { res in
                #expect(res.status == .ok)
                let value = try res.content.decode(RosterLines.SubmissionDTO.self).status
                #expect(value == .returned)
            }
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 9)!.startInstant.addingTimeInterval(3600) })
            try await app.testing().test(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                try req.content.encode(["campaign": 2022])
            }) { res in
                let second = try res.content.decode(RosterLines.SubmissionDTO.self)
                #expect(second.version == 2 && second.onTime == false)
            }
            #expect(try await RosterSubmission.query(on: app.db).count() == 2)
        }
    }

    @Test func hostileAndWrongFilesAreRefusedAndStoreNothing() async throws {
        try await withTestApp { app in
            let staff = try await sgStaff(app)
            let files: [(String, Data)] = [
                ("roster.xlsx", Data("%PDF-1.4 not a workbook".utf8)),
                ("roster.xls", Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 64))),
                ("roster.xlsx", Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])),
                ("roster.csv", Data()),
            ]
            for (name, data) in files {
                let res = try await app.upload("/api/v1/pairings/import", headers: staff, filename: name, data: data)
                #expect(res.status == .unprocessableEntity, "\(name)")
                #expect(isChinese(res.errorMessage), "\(name): \(res.body.string)")
            }
            #expect(try await Pairing.query(on: app.db).count() == 0)
        }
    }
}
