// Issue 14, item 8 (健康直通车): visits and checks through the API and the import; what a check found is sealed
// and shown only with the permission in the unit's subtree (another county 404, no permission 403), audited, never
// in the log; a finding is due a follow-up 30 days on, goes overdue, and a follow-up moves the clock; a child under
// 14 without a dated guardian consent is a gap. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct HealthTests {
    static func id(_ n: Int) -> String { TestIDs.make("441882", "20120305", n) }

    struct NewVisit: Content { var campaign = 2022; var collective = "清远市人民医院儿科青年文明号"; var countyId: String; var village = "东陂村"; var visitedOn = "2022-08-10"; var services = "体检" }

    @Test func findingsAreSealedFollowedUpAndOnlyShownWithThePermission() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-09-01")
            let lianzhou = try await app.org(named: "连州市").id!.uuidString
            try await app.makeUser("lz_staff", in: "连州市", role: .staff)
            try await app.makeUser("lz_sens", in: "连州市", role: .staff, sensitiveData: true)
            try await app.makeUser("lc_sens", in: "乐昌市", role: .staff, sensitiveData: true)
            let staff = try await app.bearer("lz_staff"), sens = try await app.bearer("lz_sens"), other = try await app.bearer("lc_sens")

            let visitRes = try await app.post("/api/v1/health-visits", NewVisit(countyId: lianzhou), staff)
            #expect(visitRes.status == .created, "\(visitRes.body.string)")
            let visit = try visitRes.content.decode(HealthAPIController.VisitDTO.self).id
            var future = NewVisit(countyId: lianzhou); future.visitedOn = "2022-09-30"
            #expect(try await app.post("/api/v1/health-visits", future, staff).status == .unprocessableEntity)

            func check(_ n: Int, finding: String, consent: String = "", height: String = "142") -> String {
                #"{"visitId":"\#(visit)","person":{"name":"学生\#(n)","idNumber":"\#(Self.id(n))","sex":"男"},"measurements":{"height":"\#(height)","weight":35,"visionLeft":4.8},"finding":"\#(finding)","consent":"\#(consent)"}"#
            }
            func postJSON(_ path: String, _ json: String, _ h: HTTPHeaders) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, path, headers: h, beforeRequest: { req in req.headers.contentType = .json; req.body = ByteBuffer(string: json) })
            }
            let created = try await postJSON("/api/v1/health-checks", check(1, finding: "右眼视力下降，建议配镜"), staff)
            #expect(created.status == .created && !created.body.string.contains("视力下降"), "\(created.body.string)")
            let checkID = try created.content.decode(HealthAPIController.CheckDTO.self).id
            #expect(try created.content.decode(HealthAPIController.CheckDTO.self).consentGap)
            #expect(try await postJSON("/api/v1/health-checks", check(1, finding: "无"), staff).status == .conflict)
            let refused = try await postJSON("/api/v1/health-checks", check(2, finding: "无", height: "9223372036854775808"), staff)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("measurements.height"), "\(refused.body.string)")
            let wrongSex = try await postJSON("/api/v1/health-checks", check(3, finding: "无").replacingOccurrences(of: "\"sex\":\"男\"", with: "\"sex\":\"女\""), staff)
            #expect(wrongSex.status == .unprocessableEntity)

            // Sealed at rest; the list without the permission says nothing of findings; the content is 403 / 404.
            let row = try #require(try await HealthCheck.find(checkID, on: app.db))
            #expect(!row.findingCipher.contains("视力") && !row.idCipher.contains(Self.id(1)) && row.dueOn == "2022-09-09")
            let plain = try await app.testing().sendRequest(.GET, "/api/v1/health-visits/\(visit)/checks", headers: staff)
            #expect(plain.status == .ok && !plain.body.string.contains("hasFinding\":true") && !plain.body.string.contains("dueOn\":\"2022"))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/health-checks/\(checkID)", headers: staff).status == .forbidden)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/health-checks/\(checkID)", headers: other).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/health-visits/\(visit)/checks", headers: other).status == .notFound)
            let opened = try await app.testing().sendRequest(.GET, "/api/v1/health-checks/\(checkID)", headers: sens)
            // The finding in full; the ID number stays masked (in full only in the subject-access export).
            #expect(opened.status == .ok && opened.body.string.contains("视力下降") && !opened.body.string.contains(Self.id(1)))

            // Overdue on 09-20 (due 09-09), not on 09-05; the list needs the permission.
            let early = try await app.testing().sendRequest(.GET, "/api/v1/health-checks/overdue?campaign=2022&asOf=2022-09-05", headers: sens)
            #expect(early.status == .ok && early.body.string.contains("\"items\":[]"))
            let late = try await app.testing().sendRequest(.GET, "/api/v1/health-checks/overdue?campaign=2022&asOf=2022-09-20", headers: sens)
            let overdue = try late.content.decode(HealthRegister.Overdue.self)
            #expect(overdue.items.map(\.id) == [checkID] && overdue.items.first?.daysOverdue == 11 && overdue.byCounty.first?.overdue == 1)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/health-checks/overdue?asOf=2022-09-20", headers: staff).status == .forbidden)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/health-checks/overdue?asOf=9223372036854775808", headers: sens).status == .badRequest)

            // A follow-up moves the clock to 30 days after it.
            let follow = try await postJSON("/api/v1/health-checks/\(checkID)/follow-ups", #"{"date":"2022-09-01","note":"已配镜，视力矫正良好"}"#, staff)
            #expect(follow.status == .created, "\(follow.body.string)")
            #expect(try await HealthCheck.find(checkID, on: app.db)?.dueOn == "2022-10-01")
            #expect(try await postJSON("/api/v1/health-checks/\(checkID)/follow-ups", #"{"date":"2022-08-01","note":"早于检查"}"#, staff).status == .unprocessableEntity)
            let after = try await app.testing().sendRequest(.GET, "/api/v1/health-checks/overdue?campaign=2022&asOf=2022-09-20", headers: sens)
            #expect(after.body.string.contains("\"items\":[]"))

            // The sheet: all or nothing.
            let header = "姓名,身份证号,身高（厘米）,体重（千克）,左眼视力,右眼视力,检查发现,监护人同意,同意日期"
            let bad = [header, "学生5,\(Self.id(5)),140,33,4.9,5.0,无,是,2022-08-01", "学生6,123,140,33,7.0,5.0,龋齿,是,2022-08-01"].joined(separator: "\n")
            let no = try await app.upload("/api/v1/health-visits/\(visit)/checks/import?campaign=2022", headers: staff, content: bad)
            #expect(no.status == .unprocessableEntity && !no.body.string.contains("龋齿"), "\(no.body.string)")
            #expect(try await HealthCheck.query(on: app.db).count() == 1)
            let good = [header, "学生5,\(Self.id(5)),140,33,4.9,5.0,无,是,2022-08-01", "学生6,\(Self.id(6)),139,31,4.7,4.8,龋齿,否,"].joined(separator: "\n")
            let yes = try await app.upload("/api/v1/health-visits/\(visit)/checks/import?campaign=2022", headers: staff, content: good)
            #expect(yes.status == .ok && yes.body.string.contains("\"added\":2"), "\(yes.body.string)")

            // What a check found never reaches the audit log.
            let events = try await AuditEvent.query(on: app.db).all()
            #expect(events.contains { $0.action == "sensitive.read" && $0.username == "lz_sens" })
            #expect(!events.contains { ($0.detail + $0.target).contains("视力下降") || ($0.detail + $0.target).contains("配镜") || ($0.detail + $0.target).contains(Self.id(1)) })

            // Pages.
            let session = try await app.signIn("lz_sens", "Secret-pass-1")
            let index = try await app.page("/health?campaign=2022", cookie: session.cookie)
            #expect(index.contains("visit-list") && index.contains("随访逾期"))
            let visitPage = try await app.page("/health/visits/\(visit)", cookie: session.cookie)
            #expect(visitPage.contains("consent-gaps") && visitPage.contains("学生6"))
            #expect(try await app.page("/health/checks/\(checkID)", cookie: session.cookie).contains("视力下降"))
            let plainSession = try await app.signIn("lz_staff", "Secret-pass-1")
            let plainVisit = try await app.page("/health/visits/\(visit)", cookie: plainSession.cookie)
            #expect(!plainVisit.contains("视力下降") && !plainVisit.contains("龋齿") && !plainVisit.contains("随访逾期"))
            _ = try await app.page("/health/checks/\(checkID)", cookie: plainSession.cookie, status: .forbidden)
        }
    }
}
