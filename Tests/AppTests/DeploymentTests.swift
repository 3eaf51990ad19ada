// Issue 12, work item 3: the 希望乡村教师 register through the API, the import and the pages — the rules as the
// server applies them, coverage with gaps and relays, who sees whose postings, ID numbers kept hidden, and the
// same posting sent many times at once. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

struct NewDeployment: Content {
    var campaign = 2022
    var orgId: UUID?
    var volunteerName = "陈立新"
    var volunteerId = TestIDs.make("440104", "19990101", 11)
    var sex = "男"
    var programme = "mountain"
    var universityId: UUID?
    var school = "连州市第二小学"
    var countyId: UUID?
    var subject = "数学"
    var startDate = "2021-09-01"
    var endDate = "2022-08-31"
}

extension Application {
    func postDeployment(_ d: NewDeployment, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
        try await testing().sendRequest(.POST, "/api/v1/deployments", headers: headers, beforeRequest: { req in try req.content.encode(d) })
    }

    func coverage(_ headers: HTTPHeaders, asOf: String, orgID: UUID? = nil) async throws -> DeploymentCoverage.DTO {
        let res = try await testing().sendRequest(.GET, "/api/v1/deployments/coverage?campaign=2022&asOf=\(asOf)" + (orgID.map { "&orgId=\($0)" } ?? ""), headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return try res.content.decode(DeploymentCoverage.DTO.self)
    }
}

@Suite struct DeploymentTests {
    /// 连州市 (清远, 粤北) and the city's staff; the clock on a fixed day so no test depends on today.
    func setUp(_ app: Application) async throws -> (qingyuan: HTTPHeaders, lianzhou: UUID) {
        app.setToday("2023-03-01")
        try await app.makeUser("qy_staff", in: "清远市", role: .staff)
        return (try await app.bearer("qy_staff"), try await app.org(named: "连州市").id!)
    }

    @Test func aPostingIsStoredEncryptedAndAnsweredMasked() async throws {
        try await withTestApp { app in
            let (qy, lianzhou) = try await setUp(app)
            let posting = NewDeployment(countyId: lianzhou)
            let res = try await app.postDeployment(posting, qy)
            #expect(res.status == .created, "\(res.body.string)")
            #expect(res.body.string.contains("\"volunteerIdMasked\":\"440104********0") && !res.body.string.contains(posting.volunteerId))
            let stored = try #require(try await Deployment.query(on: app.db).first())
            #expect(stored.volunteerIDCipher != posting.volunteerId && !stored.volunteerIDCipher.contains("19990101"))
            #expect(try app.appServices.cipher.open(stored.volunteerIDCipher) == posting.volunteerId)
            let audit = try await AuditEvent.query(on: app.db).all().map { $0.detail + $0.target }.joined()
            #expect(audit.contains("登记希望乡村教师派驻") && !audit.contains(posting.volunteerId) && !audit.contains("19990101"))
        }
    }

    @Test func thePearlRiverDeltaShortTermsAndTwoSchoolsAtOnceAreRefusedInChinese() async throws {
        try await withTestApp { app in
            let (_, lianzhou) = try await setUp(app)
            try await app.makeUser("gd_staff", in: "广东省", role: .staff)
            let province = try await app.bearer("gd_staff")
            var delta = NewDeployment(countyId: try await app.org(named: "天河区").id!)
            let refused = try await app.postDeployment(delta, province)
            #expect(refused.status == .unprocessableEntity && (refused.errorMessage ?? "").contains("希望乡村教师计划派驻粤东西北地区"), "\(refused.body.string)")

            delta.countyId = lianzhou
            delta.endDate = "2022-08-30"      // one day short of a year
            let short = try await app.postDeployment(delta, province)
            #expect(short.status == .unprocessableEntity && short.body.string.contains("\"field\":\"endDate\"") && (short.errorMessage ?? "").contains("任期至少1年"))

            #expect(try await app.postDeployment(NewDeployment(countyId: lianzhou), province).status == .created)
            var elsewhere = NewDeployment(school: "连州市第三小学", countyId: lianzhou, startDate: "2022-03-01", endDate: "2023-02-28")
            let twice = try await app.postDeployment(elsewhere, province)
            #expect(twice.status == .unprocessableEntity && (twice.errorMessage ?? "").contains("同一志愿者不能同时派驻两所学校"))
            elsewhere.startDate = "2022-09-01"; elsewhere.endDate = "2023-08-31"
            #expect(try await app.postDeployment(elsewhere, province).status == .created)
            #expect(try await Deployment.query(on: app.db).count() == 2)
        }
    }

    @Test func coverageFindsAGapAndARelayDue() async throws {
        try await withTestApp { app in
            let (qy, lianzhou) = try await setUp(app)
            // 2021-09-01…2022-08-31, then nobody until 2022-11-01 (61 school days), then to 2023-04-30.
            #expect(try await app.postDeployment(NewDeployment(countyId: lianzhou), qy).status == .created)
            let late = NewDeployment(volunteerName: "林晓", volunteerId: TestIDs.make("440105", "19980512", 24), sex: "女",
                                     programme: "graduate", countyId: lianzhou, subject: "英语", startDate: "2022-11-01", endDate: "2023-10-31")
            #expect(try await app.postDeployment(late, qy).status == .created)
            let c = try await app.coverage(qy, asOf: "2023-09-01")
            let school = try #require(c.schools.first)
            #expect(c.schools.count == 1 && school.deployments.count == 2 && school.countyId == lianzhou)
            #expect(school.gaps.map { "\($0.from)…\($0.to) \($0.days)" } == ["2022-09-01…2022-10-31 61"])
            #expect(school.relayDue)            // ends 2023-10-31, within 90 days of 2023-09-01, nobody after
            #expect(try await app.coverage(qy, asOf: "2023-03-01").schools.first?.relayDue == false)
            let bad = try await app.testing().sendRequest(.GET, "/api/v1/deployments/coverage?campaign=2022&asOf=2023-02-30", headers: qy)
            #expect(bad.status == .badRequest && (bad.errorMessage ?? "").contains("asOf"))
            let huge = try await app.testing().sendRequest(.GET, "/api/v1/deployments/coverage?campaign=9223372036854775808", headers: qy)
            #expect(huge.status.code >= 400 && huge.status.code < 500)
        }
    }

    @Test func anotherCityAndAnotherUniversityCannotSeeOrChangeAPosting() async throws {
        try await withTestApp { app in
            let (qy, lianzhou) = try await setUp(app)
            let created = try await app.postDeployment(NewDeployment(countyId: lianzhou), qy)
            let id = try created.content.decode(DeploymentAPIController.DTO.self).id
            try await app.makeUser("sg_staff", in: "韶关市", role: .staff)
            try await app.makeUser("scnu_staff", in: "华南师范大学", role: .staff)
            for user in ["sg_staff", "scnu_staff"] {
                let other = try await app.bearer(user)
                let list = try await app.testing().sendRequest(.GET, "/api/v1/deployments?campaign=2022", headers: other)
                #expect(list.status == .ok && list.body.string.contains("\"total\":0"), "\(user) \(list.body.string)")
                #expect(try await app.coverage(other, asOf: "2023-03-01").schools.isEmpty)
                let patch = try await app.testing().sendRequest(.PATCH, "/api/v1/deployments/\(id)", headers: other, beforeRequest: { req in
                    try req.content.encode(["endedOn": "2022-03-01", "endReason": "调动"])
                })
                #expect(patch.status == .notFound, "\(user)")
                #expect(try await app.testing().sendRequest(.DELETE, "/api/v1/deployments/\(id)", headers: other).status == .notFound)
            }
            // 韶关 cannot record in 清远's territory as if it were its own.
            let sg = try await app.postDeployment(NewDeployment(volunteerId: TestIDs.make("440104", "19990101", 35), countyId: lianzhou), try await app.bearer("sg_staff"))
            #expect(sg.status == .unprocessableEntity && (sg.errorMessage ?? "").contains("不在韶关市的辖区内"), "\(sg.body.string)")
            // The university records its own volunteers (anywhere in 粤东西北) and then sees them; 连州 sees them too.
            let scnu = try await app.bearer("scnu_staff")
            let own = try await app.postDeployment(NewDeployment(volunteerId: TestIDs.make("440104", "19990101", 45), school: "潮阳实验学校",
                                                                 countyId: try await app.org(named: "潮阳区").id!), scnu)
            #expect(own.status == .created, "\(own.body.string)")
            guard own.status == .created else { return }
            #expect(try own.content.decode(DeploymentAPIController.DTO.self).universityId == (try await app.org(named: "华南师范大学").id))
            // The city recording an early end of its own posting.
            let ended = try await app.testing().sendRequest(.PATCH, "/api/v1/deployments/\(id)", headers: qy, beforeRequest: { req in
                try req.content.encode(["endedOn": "2022-03-01", "endReason": "考取研究生"])
            })
            #expect(ended.status == .ok && ended.body.string.contains("\"endedOn\":\"2022-03-01\""), "\(ended.body.string)")
        }
    }

    @Test func theSamePostingSentEightTimesAtOnceIsStoredOnce() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            let (qy, lianzhou) = try await setUp(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await app.postDeployment(NewDeployment(countyId: lianzhou), qy).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses)")
            #expect(try await Deployment.query(on: app.db).count() == 1)
        }
    }

    static func csv(_ lines: [[String]]) -> String {
        (["志愿者姓名,性别,身份证号,项目类别,派出高校,服务学校,所在县（市、区）,任教学科,开始日期,结束日期"] + lines.map { $0.joined(separator: ",") })
            .joined(separator: "\n")
    }

    @Test func theImportIsAllOrNothingListsEveryProblemAndMergesOnTheSecondRun() async throws {
        try await withTestApp { app in
            let (qy, _) = try await setUp(app)
            let good = ["周可", "女", TestIDs.make("440104", "19970304", 62), "研究生支教团", "华南师范大学", "连州市第二小学", "连州市", "语文", "2022-09-01", "2023-08-31"]
            let other = ["黄一", "男", TestIDs.make("440104", "19960101", 71), "山区计划", "", "英德市英红小学", "英德", "科学", "2022-09-01", "2024-08-31"]
            var broken = other
            broken[6] = "天河区"; broken[9] = "2026-09-01"
            let refused = try await app.upload("/api/v1/deployments/import?campaign=2022", headers: qy, content: Self.csv([good, broken]))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("希望乡村教师计划派驻粤东西北地区") && refused.body.string.contains("任期最长3年"), "\(refused.body.string)")
            #expect(!refused.body.string.contains(broken[2]))
            #expect(try await Deployment.query(on: app.db).count() == 0)

            let dry = try await app.upload("/api/v1/deployments/import?campaign=2022&dryRun=true", headers: qy, content: Self.csv([good, other]))
            #expect(dry.status == .ok && dry.body.string.contains("\"added\":2"))
            #expect(try await Deployment.query(on: app.db).count() == 0)
            #expect(try await app.upload("/api/v1/deployments/import?campaign=2022", headers: qy, content: Self.csv([good, other])).status == .ok)
            var changed = other
            changed[7] = "数学"
            let again = try await app.upload("/api/v1/deployments/import?campaign=2022", headers: qy, content: Self.csv([good, changed]))
            #expect(again.status == .ok && again.body.string.contains("\"updated\":1") && again.body.string.contains("\"added\":0"), "\(again.body.string)")
            #expect(try await Deployment.query(on: app.db).count() == 2)
            #expect(try await Deployment.query(on: app.db).filter(\.$subject == "数学").count() == 1)
        }
    }

    @Test func thePagesDrawTheGapAndKeepARefusedFormAsTyped() async throws {
        try await withTestApp { app in
            let (qy, lianzhou) = try await setUp(app)
            #expect(try await app.postDeployment(NewDeployment(countyId: lianzhou), qy).status == .created)
            var late = NewDeployment(volunteerId: TestIDs.make("440105", "19980512", 24), countyId: lianzhou, startDate: "2022-11-01", endDate: "2023-10-31")
            late.volunteerName = "林晓"; late.sex = "女"
            #expect(try await app.postDeployment(late, qy).status == .created)
            let (cookie, csrf) = try await app.signIn("qy_staff", "Secret-pass-1")
            let board = try await app.page("/deployments?campaign=2022&asOf=2023-03-01", cookie: cookie)
            #expect(board.contains("class=\"gap\"") && board.contains("2022-09-01至2022-10-31") && board.contains("连州市第二小学"))
            let register = try await app.page("/deployments/register?campaign=2022", cookie: cookie)
            #expect(register.contains("林晓") && register.contains("440105********") && !register.contains(late.volunteerId))

            let res = try await app.testing().sendRequest(.POST, "/deployments", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                          body: ByteBuffer(string: "_csrf=\(csrf)&_form=add-deployment&campaign=2022&volunteerName=%E5%BC%A0%E4%B8%89&sex=%E7%94%B7&volunteerId=&programme=mountain&school=%E6%9F%90%E5%B0%8F%E5%AD%A6&county=%E5%A4%A9%E6%B2%B3%E5%8C%BA&subject=%E9%9F%B3%E4%B9%90&startDate=2022-09-01&endDate=2023-08-31"))
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("value=\"某小学\"") && html.contains("value=\"天河区\"") && html.contains("希望乡村教师计划派驻粤东西北地区"))
            #expect(try await Deployment.query(on: app.db).count() == 2)
        }
    }
}
