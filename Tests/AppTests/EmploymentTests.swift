// Issue 13, work item 5: a cadre takes 3 to 5 graduates (the sixth refused, also when sent at once), a graduate
// is helped by one university (the other not named), recommendations only move forward (a double click cannot hire
// twice), the hardship category stays encrypted and hidden without the permission, the import is all-or-nothing,
// and another university sees nothing. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Testing
import Vapor
import VaporTesting

@Suite struct EmploymentTests {
    struct NewCadre: Content { var campaign = 2022; var orgId: UUID? = nil; var name = "李明"; var position = "校团委副书记" }
    struct NewGraduate: Content {
        var campaign = 2022; var orgId: UUID? = nil; var cadreId: UUID; var name = "陈小红"; var idNumber: String
        var major = "会计学"; var graduation = "2023-06"; var hardship = "dibao"
    }
    struct NewJob: Content { var employer = "清远某农业科技有限公司"; var position = "会计"; var city = "清远"; var recommendedOn = "2023-02-10"; var outcome: String? = nil }

    /// Every cell of the first sheet, for "is it there" checks.
    static func sheetText(_ data: Data) throws -> String {
        try Workbook(data: data).readSheet().rows.flatMap { $0.cells.map(\.value.text) }.joined(separator: " ")
    }

    static func id(_ n: Int) -> String { TestIDs.make("441882", "20010203", n) }

    func setUp(_ app: Application) async throws -> (scnu: HTTPHeaders, cadre: UUID) {
        app.setToday("2023-03-01")
        try await app.makeUser("scnu_staff", in: "华南师范大学", role: .staff)
        let scnu = try await app.bearer("scnu_staff")
        let res = try await app.post("/api/v1/cadres", NewCadre(), scnu)
        #expect(res.status == .created, "\(res.body.string)")
        return (scnu, try res.content.decode(EmploymentAPIController.CadreDTO.self).id)
    }

    func board(_ app: Application, _ headers: HTTPHeaders, orgId: UUID? = nil) async throws -> EmploymentBoard.DTO {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/employment?campaign=2022" + (orgId.map { "&orgId=\($0)" } ?? ""), headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return try res.content.decode(EmploymentBoard.DTO.self)
    }

    @Test func aCadreTakesAtMostFiveAndAGraduateIsHelpedByOneUniversity() async throws {
        try await withTestApp { app in
            let (scnu, cadre) = try await setUp(app)
            #expect(try await app.post("/api/v1/cadres", NewCadre(), scnu).status == .conflict)
            for n in 1...5 {
                let res = try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, name: "学生\(n)", idNumber: Self.id(n)), scnu)
                #expect(res.status == .created, "\(res.body.string)")
            }
            let sixth = try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, name: "学生6", idNumber: Self.id(6)), scnu)
            #expect(sixth.status == .conflict && sixth.errorMessage?.contains("李明") == true, "\(sixth.body.string)")

            // Another university cannot take a graduate already helped, and is not told by whom.
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let sg = try await app.bearer("sg_staff")
            let sgCadre = try await app.post("/api/v1/cadres", NewCadre(name: "王芳"), sg).content.decode(EmploymentAPIController.CadreDTO.self).id
            let taken = try await app.post("/api/v1/graduates", NewGraduate(cadreId: sgCadre, idNumber: Self.id(1)), sg)
            #expect(taken.status == .conflict && taken.errorMessage?.contains("其他高校") == true && !taken.body.string.contains("华南师范"), "\(taken.body.string)")
            // Nor use another university's cadre, nor see its graduates.
            #expect(try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, idNumber: Self.id(7)), sg).status == .unprocessableEntity)
            let someone = try #require(try await EmploymentGraduate.query(on: app.db).first())
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/graduates/\(someone.id!)", headers: sg).status == .notFound)
            #expect(try await app.post("/api/v1/graduates/\(someone.id!)/jobs", NewJob(), sg).status == .notFound)
            #expect(try await board(app, sg).graduates.isEmpty)
            let scnuOrg = try await app.org(named: "华南师范大学").id!
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/employment?campaign=2022&orgId=\(scnuOrg)", headers: sg).status == .notFound)

            // Refusals are Chinese and name their field; the hardship typed is never echoed.
            let bad = try await app.post("/api/v1/graduates", NewGraduate(cadreId: sgCadre, idNumber: "440881199901010021", graduation: "2030-06", hardship: "单亲家庭"), sg)
            #expect(bad.status == .unprocessableEntity)
            for field in ["idNumber", "graduation", "hardship"] { #expect(bad.body.string.contains("\"field\":\"\(field)\""), "\(field)") }
            #expect(!bad.body.string.contains("单亲"))

            let mine = try await board(app, scnu)
            #expect(mine.summary.cadres == 1 && mine.summary.cadresMeetingRule == 1 && mine.summary.graduates == 5)
            #expect(mine.cadres.first?.graduates == 5 && mine.cadres.first?.meetsRule == true)
            #expect(mine.graduates.allSatisfy { !$0.meetsRule && $0.waiting })
            let short = try await board(app, sg)
            #expect(short.cadres.first?.meetsRule == false && short.cadres.first?.chase.first == "还需结对3名毕业生")

            // The province rolls both universities up.
            try await app.makeUser("gd_viewer", in: "广东省", role: .viewer)
            let province = try await board(app, try await app.bearer("gd_viewer"))
            #expect(province.summary.cadres == 2 && province.summary.cadresMeetingRule == 1 && province.summary.graduates == 5)
            #expect(province.byUniversity.first { $0.name == "华南师范大学" }?.summary.graduates == 5)
        }
    }

    @Test func theHardshipCategoryIsEncryptedHiddenAndRevealedOnlyWithThePermission() async throws {
        try await withTestApp { app in
            let (scnu, cadre) = try await setUp(app)
            let created = try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, idNumber: Self.id(1), hardship: "tekun"), scnu)
            let g = try created.content.decode(EmploymentAPIController.GraduateDTO.self)
            #expect(g.idMasked != Self.id(1) && !created.body.string.contains(Self.id(1)))
            let stored = try #require(try await EmploymentGraduate.find(g.id, on: app.db))
            #expect(!stored.hardshipCipher.contains("tekun") && !stored.idCipher.contains(Self.id(1)))
            for path in ["/api/v1/employment?campaign=2022", "/api/v1/graduates/\(g.id)"] {
                let body = try await app.testing().sendRequest(.GET, path, headers: scnu).body.string
                #expect(!body.contains("tekun") && !body.contains("特困") && !body.contains(Self.id(1)), "\(path)")
            }
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/graduates/\(g.id)/reveal", headers: scnu).status == .forbidden)

            try await app.makeUser("scnu_officer", in: "华南师范大学", role: .staff, sensitiveData: true)
            let officer = try await app.bearer("scnu_officer")
            let revealed = try await app.testing().sendRequest(.POST, "/api/v1/graduates/\(g.id)/reveal", headers: officer)
            #expect(revealed.status == .ok && revealed.body.string.contains(Self.id(1)) && revealed.body.string.contains("特困"))
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == "sensitive.reveal").all()
            #expect(audit.count == 1 && audit.allSatisfy { !$0.detail.contains(Self.id(1)) && !$0.detail.contains("特困") })

            // The export: masked and without the category; in full only with the permission, audited.
            let (cookie, csrf) = try await app.signIn("scnu_staff", "Secret-pass-1")
            let masked = try await app.testing().sendRequest(.GET, "/employment/export?campaign=2022", headers: ["Cookie": cookie])
            #expect(masked.status == .ok)
            let sheet = try Self.sheetText(Data(buffer: masked.body))
            #expect(sheet.contains("陈小红") && !sheet.contains(Self.id(1)) && !sheet.contains("特困"))
            let refused = try await app.testing().sendRequest(.POST, "/employment/export?campaign=2022", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf], as: .urlEncodedForm)
            })
            #expect(refused.status == .forbidden)
            let officerSession = try await app.signIn("scnu_officer", "Secret-pass-1")
            let full = try await app.testing().sendRequest(.POST, "/employment/export?campaign=2022", headers: ["Cookie": officerSession.cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": officerSession.csrf], as: .urlEncodedForm)
            })
            let fullSheet = try Self.sheetText(Data(buffer: full.body))
            #expect(full.status == .ok && fullSheet.contains(Self.id(1)) && fullSheet.contains("特困"))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "sensitive.export").count() == 1)
        }
    }

    @Test func recommendationsOnlyMoveForwardAndADoubleClickHiresOnce() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            let (scnu, cadre) = try await setUp(app)
            let g = try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, idNumber: Self.id(1)), scnu).content.decode(EmploymentAPIController.GraduateDTO.self)
            let first = try await app.post("/api/v1/graduates/\(g.id)/jobs", NewJob(), scnu)
            #expect(first.status == .created, "\(first.body.string)")
            let job = try first.content.decode(EmploymentAPIController.JobDTO.self)
            #expect(job.outcome == "recommended")
            #expect(try await board(app, scnu).summary.graduatesWithTwoJobs == 0)
            let future = try await app.post("/api/v1/graduates/\(g.id)/jobs", NewJob(recommendedOn: "2023-03-02"), scnu)
            #expect(future.status == .unprocessableEntity && future.body.string.contains("\"field\":\"recommendedOn\""))
            #expect(try await app.post("/api/v1/graduates/\(g.id)/jobs", NewJob(employer: "英德某电商公司", position: "运营"), scnu).status == .created)
            #expect(try await board(app, scnu).summary.graduatesWithTwoJobs == 1)

            func patch(_ outcome: String, _ on: String?) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.PATCH, "/api/v1/jobs/\(job.id)", headers: scnu, beforeRequest: { req in
                    try req.content.encode(["outcome": outcome, "on": on].compactMapValues { $0 })
                })
            }
            #expect(try await patch("interviewed", "2023-02-20").status == .ok)
            #expect(try await patch("applied", "2023-02-21").status == .unprocessableEntity)       // never back
            #expect(try await patch("offered", "2023-02-19").status == .unprocessableEntity)       // before the last change
            #expect(try await patch("promoted", nil).status == .unprocessableEntity)
            // Eight "hired" at once: one moves it, the rest find it already hired.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await patch("hired", "2023-02-28").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.allSatisfy { $0 == .ok || $0 == .conflict }, "\(statuses)")
            let stored = try #require(try await JobRecommendation.find(job.id, on: app.db))
            #expect(stored.changes.map(\.outcome) == ["recommended", "interviewed", "hired"] && stored.version == 2)
            #expect(try await patch("declined", nil).status == .conflict)
            let summary = try await board(app, scnu).summary
            #expect(summary.hired == 1 && summary.offered == 1 && summary.waiting == 0)
        }
    }

    @Test func eightGraduatesSentAtOnceToACadreWithThreeLeaveHimWithFive() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            let (scnu, cadre) = try await setUp(app)
            for n in 1...3 { #expect(try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, idNumber: Self.id(n)), scnu).status == .created) }
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for n in 10..<18 { group.addTask { try await app.post("/api/v1/graduates", NewGraduate(cadreId: cadre, idNumber: Self.id(n)), scnu).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 2 && statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            #expect(try await EmploymentGraduate.query(on: app.db).count() == 5)
        }
    }

    @Test func theImportIsAllOrNothingAndThePagesWork() async throws {
        try await withTestApp { app in
            let (scnu, _) = try await setUp(app)
            let header = "姓名,身份证号,专业,预计毕业时间,家庭困难类别,帮扶团干部"
            let lines = (1...4).map { "学生\($0),\(Self.id($0)),法学,2023年6月,脱贫户,李明" }
            // 李明 would get 4 and 赵六 is no cadre: nothing is stored, every problem listed.
            let refused = try await app.upload("/api/v1/graduates/import?campaign=2022", headers: scnu,
                                               content: ([header] + lines + ["学生9,\(Self.id(9)),法学,,低保,赵六", "学生10,\(Self.id(10)),法学,,低保,李明",
                                                                             "学生11,\(Self.id(11)),法学,,低保,李明"]).joined(separator: "\n"))
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("赵六") && refused.body.string.contains("\"errorCount\":2"), "\(refused.body.string)")
            #expect(try await EmploymentGraduate.query(on: app.db).count() == 0)
            let dry = try await app.upload("/api/v1/graduates/import?campaign=2022&dryRun=true", headers: scnu, content: ([header] + lines).joined(separator: "\n"))
            #expect(dry.status == .ok && dry.body.string.contains("\"added\":4"))
            #expect(try await EmploymentGraduate.query(on: app.db).count() == 0)
            #expect(try await app.upload("/api/v1/graduates/import?campaign=2022", headers: scnu, content: ([header] + lines).joined(separator: "\n")).status == .ok)
            #expect(try await EmploymentGraduate.query(on: app.db).count() == 4)

            let session = try await app.signIn("scnu_staff", "Secret-pass-1")
            let page = try await app.page("/employment?campaign=2022", cookie: session.cookie)
            #expect(page.contains("李明") && page.contains("学生1") && page.contains("不足2个"))
            // The category is only a choice in the form, never shown against a graduate.
            let table = page.components(separatedBy: "id=\"graduate-table\"").last?.components(separatedBy: "</table>").first ?? ""
            #expect(table.contains("学生1") && !table.contains("脱贫"))
            let g = try #require(try await EmploymentGraduate.query(on: app.db).filter(\.$name == "学生1").first())
            let detail = try await app.page("/employment/graduates/\(g.id!)", cookie: session.cookie)
            #expect(detail.contains("尚未推荐岗位") && !detail.contains("脱贫"))
            // A refused page form comes back with what was typed and the message at the field.
            let res = try await app.testing().sendRequest(.POST, "/employment/graduates/\(g.id!)/jobs", headers: ["Cookie": session.cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": session.csrf, "_form": "add-job", "employer": "某某公司", "position": "文员", "city": "", "recommendedOn": "2023-02-01"], as: .urlEncodedForm)
            })
            #expect(res.status == .unprocessableEntity && res.body.string.contains("value=\"某某公司\"") && res.body.string.contains("id=\"error-city\""))
            try await app.makeUser("gd_viewer", in: "广东省", role: .viewer)
            let province = try await app.signIn("gd_viewer", "Secret-pass-1")
            let rollup = try await app.page("/employment?campaign=2022", cookie: province.cookie)
            #expect(rollup.contains("华南师范大学") && rollup.contains("还需推荐2个岗位"))
        }
    }
}
