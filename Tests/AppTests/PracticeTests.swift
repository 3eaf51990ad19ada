// Issue 12, work item 4: 三下乡 teams and member lists, 百校百号 pairs, 返家乡 students and the targets board,
// through the API and the pages — students counted once (the board's SQL against the core's rule), duplicates
// refused, the key counties kept by the province only, each university kept to its own. `scripts/test` runs these
// again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Testing
import Vapor
import VaporTesting

struct NewTeam: Content {
    var campaign = 2022
    var orgId: UUID?
    var name = "华师赴连州支教实践团"
    var lighthouse = true
    var leader = "张老师"
    var destinationCountyId: UUID?
    var startDate = "2022-07-10"
    var endDate = "2022-07-20"
    var theme = "academic"
    var declaredMembers = 12
}

extension Application {
    func post<T: Content>(_ path: String, _ body: T, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
        try await testing().sendRequest(.POST, path, headers: headers, beforeRequest: { req in try req.content.encode(body) })
    }

    func targets(_ headers: HTTPHeaders) async throws -> TargetsBoard.DTO {
        let res = try await testing().sendRequest(.GET, "/api/v1/targets?campaign=2022", headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return try res.content.decode(TargetsBoard.DTO.self)
    }
}

extension TargetsBoard.DTO {
    func actual(_ key: TargetKey) -> Int? { items.first { $0.key == key.rawValue }?.actual }
}

@Suite struct PracticeTests {
    static func members(_ lines: [(String, String, String)]) -> String {
        (["姓名,学号,学校"] + lines.map { "\($0.0),\($0.1),\($0.2)" }).joined(separator: "\n")
    }

    struct Counties: Content { let countyIds: [UUID] }

    func setUp(_ app: Application) async throws -> (scnu: HTTPHeaders, lianzhou: UUID) {
        app.setToday("2022-08-01")
        try await app.makeUser("scnu_staff", in: "华南师范大学", role: .staff)
        return (try await app.bearer("scnu_staff"), try await app.org(named: "连州市").id!)
    }

    @Test func teamsAreRefusedInChineseAndTheSameNameTwiceIsAConflict() async throws {
        try await withTestApp { app in
            let (scnu, lianzhou) = try await setUp(app)
            let created = try await app.post("/api/v1/practice-teams", NewTeam(destinationCountyId: lianzhou), scnu)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(try await app.post("/api/v1/practice-teams", NewTeam(destinationCountyId: lianzhou), scnu).status == .conflict)
            var bad = NewTeam(name: "另一支", destinationCountyId: lianzhou)
            bad.theme = "三下乡"; bad.startDate = "2021-07-10"
            let refused = try await app.post("/api/v1/practice-teams", bad, scnu)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"field\":\"theme\"") && refused.body.string.contains("年度内"))
            for huge in ["9223372036854775808", "-1", "1e30"] {
                let res = try await app.testing().sendRequest(.POST, "/api/v1/practice-teams", headers: scnu, beforeRequest: { req in
                    req.headers.contentType = .json
                    req.body = ByteBuffer(string: #"{"campaign":2022,"name":"大数","lighthouse":false,"leader":"李","destinationCountyId":"\#(lianzhou)","startDate":"2022-07-10","endDate":"2022-07-12","theme":"mental","declaredMembers":\#(huge)}"#)
                })
                #expect(res.status == .unprocessableEntity, "\(huge) \(res.status)")
            }
        }
    }

    @Test func studentsCountOnceAcrossTeamsAndTheBoardAgreesWithTheCoreRule() async throws {
        try await withTestApp { app in
            let (scnu, lianzhou) = try await setUp(app)
            let a = try await app.post("/api/v1/practice-teams", NewTeam(destinationCountyId: lianzhou), scnu).content.decode(PracticeAPIController.TeamDTO.self)
            let b = try await app.post("/api/v1/practice-teams", NewTeam(name: "华师赴英德实践团", destinationCountyId: try await app.org(named: "英德市").id!,
                                                                     startDate: "2022-07-15", endDate: "2022-07-25"), scnu).content.decode(PracticeAPIController.TeamDTO.self)
            #expect(try await app.post("/api/v1/practice-teams", NewTeam(name: "无名单团队", destinationCountyId: lianzhou, declaredMembers: 7), scnu).status == .created)

            let listA = Self.members([("甲", "2020001", "华南师范大学"), ("乙", "2020002", "华南师范大学"), ("丙", "2020003", "华南师范大学")])
            #expect(try await app.upload("/api/v1/practice-teams/\(a.id)/members/import", headers: scnu, content: listA).status == .ok)
            // 乙 is also in team B, out at the same time (07-15…07-20): a warning, and 乙 counts once. "２０２００２" is the same number.
            let listB = Self.members([("乙", "２０２０００２", "华南师范大学 "), ("丁", "2020004", "华南师范大学")])
            let res = try await app.upload("/api/v1/practice-teams/\(b.id)/members/import", headers: scnu, content: listB)
            #expect(res.status == .ok && res.body.string.contains("\"warningCount\":1") && res.body.string.contains("实践时间重叠"), "\(res.body.string)")
            let repeated = try await app.upload("/api/v1/practice-teams/\(b.id)/members/import?dryRun=true", headers: scnu,
                                                content: Self.members([("丁", "2020004", "华南师范大学"), ("丁", "2020004", "华南师范大学")]))
            #expect(repeated.status == .unprocessableEntity && repeated.body.string.contains("与第2行是同一学生"))

            let board = try await app.targets(scnu)
            // Listed: 甲 乙 丙 丁 = 4; the list-less team declared 7.
            #expect(board.actual(.practiceTeams) == 3 && board.actual(.practiceStudents) == 11)
            let teams = try await PracticeTeam.query(on: app.db).all()
            var core: [TeamMembers] = []
            for t in teams {
                let ms = try await PracticeMember.query(on: app.db).filter(\.$teamID == t.id!).all()
                core.append(t.hasList ? TeamMembers(name: t.name, dates: t.dates, members: ms.map { .init(school: $0.school, studentNo: $0.studentNo) })
                                      : TeamMembers(name: t.name, dates: t.dates, declared: t.declaredMembers))
            }
            #expect(board.actual(.practiceStudents) == PracticeStudentCount.countStudents(teams: core))
            let university = try #require(board.byUniversity.first { $0.name == "华南师范大学" })
            #expect(university.items.first { $0.key == "practiceStudents" }?.actual == 11)
            #expect(board.byCity.isEmpty)      // a university sees no city's row
            try await app.makeUser("gd_viewer", in: "广东省", role: .viewer)
            let qingyuan = try #require(try await app.targets(try await app.bearer("gd_viewer")).byCity.first { $0.name == "清远市" })
            #expect(qingyuan.items.first { $0.key == "practiceTeams" }?.actual == 3)
        }
    }

    @Test func pairsAreUniqueAndKeyCountiesBelongToTheProvince() async throws {
        try await withTestApp { app in
            let (scnu, lianzhou) = try await setUp(app)
            struct Pair: Content { var campaign = 2022; var collectiveName = "广州地铁客运一中心青年文明号"; var sector = "交通"; var universityId: UUID }
            let university = try await app.org(named: "华南师范大学").id!
            #expect(try await app.post("/api/v1/civility-pairs", Pair(universityId: university), scnu).status == .created)
            #expect(try await app.post("/api/v1/civility-pairs", Pair(collectiveName: "广州地铁客运一中心 青年文明号", universityId: university), scnu).status == .conflict)
            let other = try await app.org(named: "韶关学院").id!
            #expect(try await app.post("/api/v1/civility-pairs", Pair(universityId: other), scnu).status == .notFound)

            struct Student: Content {
                var campaign = 2022; var name = "何小东"; var idNumber: String; var homeCountyId: UUID; var hostUnit = "连州市人民医院"
                var startDate = "2022-07-11"; var endDate = "2022-08-05"; var hours = 80.5
            }
            #expect(try await app.post("/api/v1/return-home", Student(idNumber: TestIDs.make("441882", "20020304", 11), homeCountyId: lianzhou), scnu).status == .created)
            #expect(try await app.post("/api/v1/return-home", Student(idNumber: TestIDs.make("441882", "20020304", 11), homeCountyId: lianzhou), scnu).status == .conflict)
            let tianhe = try await app.org(named: "天河区").id!
            #expect(try await app.post("/api/v1/return-home", Student(name: "林小南", idNumber: TestIDs.make("440106", "20020101", 22), homeCountyId: tianhe), scnu).status == .created)
            let bad = try await app.post("/api/v1/return-home", Student(idNumber: TestIDs.make("441882", "20020304", 33), homeCountyId: lianzhou, hours: 1e300), scnu)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("\"field\":\"hours\""))

            // Only the province ticks key counties.
            let put = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/key-counties", headers: scnu, beforeRequest: { req in
                try req.content.encode(Counties(countyIds: [lianzhou]))
            })
            #expect(put.status == .forbidden)
            try await app.makeUser("gd_staff", in: "广东省", role: .staff)
            let province = try await app.bearer("gd_staff")
            #expect(try await app.targets(province).actual(.returnHomeInKeyCounties) == 0)
            let set = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/key-counties", headers: province, beforeRequest: { req in
                try req.content.encode(Counties(countyIds: [lianzhou]))
            })
            #expect(set.status == .ok && set.body.string.contains("通知确定38个重点县，当前名单为1个"), "\(set.body.string)")
            let notCounty = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/key-counties", headers: province, beforeRequest: { req in
                try req.content.encode(Counties(countyIds: [university]))
            })
            #expect(notCounty.status == .unprocessableEntity)
            let board = try await app.targets(province)
            #expect(board.actual(.returnHomeInKeyCounties) == 1 && board.actual(.civilityPairs) == 1)

            // Targets are data: the province changes them, and the next year starts from them.
            let targets = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/targets", headers: province, beforeRequest: { req in
                try req.content.encode(["civilityPairs": 120])
            })
            #expect(targets.status == .ok)
            let item = try #require(try await app.targets(province).items.first { $0.key == "civilityPairs" })
            #expect(item.target == 120 && item.actual == 1 && item.percent == 0)
            let tooBig = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/targets", headers: province, beforeRequest: { req in
                try req.content.encode(["civilityPairs": -1])
            })
            #expect(tooBig.status == .unprocessableEntity)
            try await app.makeUser("gd_admin", in: "广东省", role: .admin)
            let admin = try await app.bearer("gd_admin")
            #expect(try await app.post("/api/v1/campaigns", ["year": 2023, "copyFrom": 2022], admin).status == .created)
            let next = try await app.testing().sendRequest(.GET, "/api/v1/campaigns/2023/key-counties", headers: province)
            #expect(next.body.string.contains(lianzhou.uuidString))
            let copied = try await CampaignTarget.query(on: app.db).filter(\.$civilityPairs == 120).count()
            #expect(copied == 2)
        }
    }

    @Test func aTeamThatChangesItsDestinationTakesItsStudentsToTheNewCity() async throws {
        try await withTestApp { app in
            let (scnu, _) = try await setUp(app)
            let header = "团队名称,灯塔实践团队,负责人,目的地县（市、区）,开始日期,结束日期,主题类别,团队人数"
            #expect(try await app.upload("/api/v1/practice-teams/import?campaign=2022", headers: scnu,
                                         content: [header, "华师实践团,否,李老师,连州市,2022-07-05,2022-07-15,学业帮助,20"].joined(separator: "\n")).status == .ok)
            let team = try #require(try await PracticeTeam.query(on: app.db).first())
            #expect(try await app.upload("/api/v1/practice-teams/\(team.id!)/members/import", headers: scnu,
                                         content: Self.members([("甲", "1", "华南师范大学"), ("乙", "2", "华南师范大学")])).status == .ok)
            try await app.makeUser("gd_viewer", in: "广东省", role: .viewer)
            let province = try await app.bearer("gd_viewer")
            func students(_ city: String) async throws -> Int? {
                try await app.targets(province).byCity.first { $0.name == city }?.items.first { $0.key == "practiceStudents" }?.actual
            }
            let before = (try await students("清远市"), try await students("韶关市"))
            #expect(before.0 == 2 && before.1 == 0)
            #expect(try await app.upload("/api/v1/practice-teams/import?campaign=2022", headers: scnu,
                                         content: [header, "华师实践团,否,李老师,乐昌市,2022-07-05,2022-07-15,学业帮助,20"].joined(separator: "\n")).status == .ok)
            let after = (try await students("清远市"), try await students("韶关市"))
            #expect(after.0 == 0 && after.1 == 2)
        }
    }

    @Test func anotherUniversitySeesNeitherTheTeamNorItsList() async throws {
        try await withTestApp { app in
            let (scnu, lianzhou) = try await setUp(app)
            let team = try await app.post("/api/v1/practice-teams", NewTeam(destinationCountyId: lianzhou), scnu).content.decode(PracticeAPIController.TeamDTO.self)
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let sg = try await app.bearer("sg_staff")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/practice-teams/\(team.id)/members", headers: sg).status == .notFound)
            #expect(try await app.upload("/api/v1/practice-teams/\(team.id)/members/import", headers: sg, content: Self.members([("甲", "1", "韶关学院")])).status == .notFound)
            #expect(try await app.testing().sendRequest(.DELETE, "/api/v1/practice-teams/\(team.id)", headers: sg).status == .notFound)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/practice-teams?campaign=2022", headers: sg)
            #expect(list.body.string.contains("\"total\":0"))
            // 清远 sees the team going to its county.
            try await app.makeUser("qy_staff", in: "清远市", role: .staff)
            let qy = try await app.testing().sendRequest(.GET, "/api/v1/practice-teams?campaign=2022", headers: try await app.bearer("qy_staff"))
            #expect(qy.body.string.contains("\"total\":1"))
        }
    }

    @Test func eightParallelSavesOfOneTeamMakeOneTeam() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            let (scnu, lianzhou) = try await setUp(app)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await app.post("/api/v1/practice-teams", NewTeam(destinationCountyId: lianzhou), scnu).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            #expect(try await PracticeTeam.query(on: app.db).count() == 1)
        }
    }

    @Test func theTeamImportIsAllOrNothingAndThePagesShowTheBoard() async throws {
        try await withTestApp { app in
            let (scnu, _) = try await setUp(app)
            let header = "团队名称,灯塔实践团队,负责人,目的地县（市、区）,开始日期,结束日期,主题类别,团队人数"
            let good = "华师赴连南实践团,是,李老师,连南瑶族自治县,2022-07-05,2022-07-15,心理健康促进,20"
            let bad = "坏团队,也许,李老师,火星,2022-07-05,2022-07-01,三下乡,0"
            let refused = try await app.upload("/api/v1/practice-teams/import?campaign=2022", headers: scnu, content: [header, good, bad].joined(separator: "\n"))
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"errorCount\":5"), "\(refused.body.string)")
            #expect(try await PracticeTeam.query(on: app.db).count() == 0)
            #expect(try await app.upload("/api/v1/practice-teams/import?campaign=2022", headers: scnu, content: [header, good].joined(separator: "\n")).status == .ok)

            let (cookie, _) = try await app.signIn("scnu_staff", "Secret-pass-1")
            let teams = try await app.page("/practice-teams?campaign=2022", cookie: cookie)
            #expect(teams.contains("华师赴连南实践团") && teams.contains("清远市连南瑶族自治县"))
            let board = try await app.page("/targets?campaign=2022", cookie: cookie)
            #expect(board.contains("三下乡实践团队") && board.contains("10000") && board.contains("华南师范大学"))
            for path in ["/civility-pairs?campaign=2022", "/return-home?campaign=2022", "/key-counties?campaign=2022"] {
                _ = try await app.page(path, cookie: cookie)
            }
        }
    }
}
