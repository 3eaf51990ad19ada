// Issue 11 §4: every notification lands in the inbox of the unit's accounts (a bell on every page, the API), and
// reaches the unit's 企业微信 / 钉钉 group robot when one is set — tried again when it fails, never lost, sent once
// even with several couriers at once. The robot is a local fake server.
@testable import App
import Crypto
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

/// A 企业微信 / 钉钉 robot on 127.0.0.1: records what it is sent and answers with the scripted statuses
/// (then 200 `{"errcode":0}`).
final class FakeRobot: Sendable {
    struct Received: Sendable { let path: String; let query: String; let body: String }
    let port: Int
    private let app: Application
    private actor State {
        var received: [Received] = []
        var failures: [HTTPResponseStatus] = []
        func record(_ r: Received) -> HTTPResponseStatus? {
            received.append(r)
            return failures.isEmpty ? nil : failures.removeFirst()
        }
        func fail(_ statuses: [HTTPResponseStatus]) { failures += statuses }
    }
    private let state = State()

    private init(app: Application, port: Int) { self.app = app; self.port = port }

    static func start() async throws -> FakeRobot {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        let robot = FakeRobot(app: app, port: freePort())
        for path in [["cgi-bin", "webhook", "send"], ["robot", "send"]] {
            app.on(.POST, path.map { PathComponent(stringLiteral: $0) }) { [robot] req async -> Response in await robot.answer(req) }
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: robot.port))
        return robot
    }

    private func answer(_ req: Request) async -> Response {
        let failure = await state.record(Received(path: req.url.path, query: req.url.query ?? "", body: req.body.string ?? ""))
        if let failure { return Response(status: failure) }
        return Response(status: .ok, body: .init(string: #"{"errcode":0,"errmsg":"ok"}"#))
    }

    func failNext(_ times: Int, with status: HTTPResponseStatus = .internalServerError) async {
        await state.fail(Array(repeating: status, count: times))
    }
    var received: [Received] { get async { await state.received } }
    var host: String { "127.0.0.1:\(port)" }
    var wecomURL: String { "http://\(host)/cgi-bin/webhook/send?key=test-key-0123456789" }

    func stop() async throws {
        await app.server.shutdown()
        try await app.asyncShutdown()
    }
}

/// Runs `test` with a fake robot the app is allowed to post to.
func withRobot(_ test: (Application, FakeRobot) async throws -> Void) async throws {
    let robot = try await FakeRobot.start()
    var config = TestEnv.config()
    config.robotTestHosts = [robot.host]
    do {
        try await withTestApp(config: config) { app in try await test(app, robot) }
    } catch {
        try await robot.stop()
        throw error
    }
    try await robot.stop()
}

@Suite(.serialized) struct NotificationsTests {
    struct Inbox: Decodable { struct Item: Decodable { let id: UUID; let kind, title, body, url: String; let read: Bool }
        let items: [Item]; let total: Int; let unread: Int }

    func inbox(_ app: Application, _ headers: HTTPHeaders) async throws -> Inbox {
        var out: Inbox?
        try await app.testing().test(.GET, "/api/v1/notifications", headers: headers) { res in
            #expect(res.status == .ok)
            out = try res.content.decode(Inbox.self)
        }
        return try #require(out)
    }

    func chase(_ app: Application, as user: String) async throws -> String {
        let (cookie, csrf) = try await app.signIn(user, "Secret-pass-1")
        var flash = ""
        try await app.testing().test(.POST, "/completeness/chase", headers: ["Cookie": cookie], beforeRequest: { req in
            try req.content.encode(["_csrf": csrf, "campaign": "2022"], as: .urlEncodedForm)
        }) { res in
            #expect(res.status == .seeOther)
            flash = res.headers.setCookie?[Layout.Flash.cookie]?.string.removingPercentEncoding ?? ""
        }
        return flash
    }

    @Test func aChaseLandsInTheInboxOfTheOwingUnitsAccountsAndNowhereElse() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-10")
            try await app.makeUser("rh_staff", in: "仁化县", role: .staff)
            try await app.makeUser("rh_viewer", in: "仁化县", role: .viewer)
            try await app.makeUser("sg_city", in: "韶关市", role: .admin)
            let (cityCookie, _) = try await app.signIn("sg_city", "Secret-pass-1")
            // Before sending, the chase list says which units nobody can be told about; the city is not on its own list.
            try await app.testing().test(.GET, "/completeness?campaign=2022", headers: ["Cookie": cityCookie]) { res in
                let list = String(res.body.string.split(separator: "id=\"chase-list\"").last ?? "")
                #expect(list.contains(">仁化县</a></td>"))
                #expect(list.contains(">南雄市</a> <span class=\"tag no-account\">无账号，无法提醒</span>"))
                #expect(!list.contains(">韶关市</a>"))
            }
            let flash = try await chase(app, as: "sg_city")
            #expect(flash.contains("还没有管理员或工作人员账号") && flash.contains("南雄市"))

            let rhStaff = try await app.bearer("rh_staff"), rhViewer = try await app.bearer("rh_viewer"), city = try await app.bearer("sg_city")
            let got = try await inbox(app, rhStaff)
            #expect(got.total == 1 && got.unread == 1)
            let message = try #require(got.items.first)
            #expect(message.kind == "chase" && message.title.contains("仁化县") && message.body.contains("逾期未报送活动计划"))
            #expect(message.url.hasPrefix("/activities?campaign=2022&orgId="))
            #expect(try await inbox(app, rhViewer).total == 0)
            #expect(try await inbox(app, city).total == 0)

            // The bell on every page and the to-do list count it; the inbox page lists it.
            let (cookie, csrf) = try await app.signIn("rh_staff", "Secret-pass-1")
            try await app.testing().test(.GET, "/", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"<span class="badge" id="bell-count">1</span>"#))
            }
            try await app.testing().test(.GET, "/api/v1/todo?campaign=2022", headers: rhStaff) { res in
                #expect(res.body.string.contains(#""kind":"notification""#))
            }
            try await app.testing().test(.GET, "/notifications", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok && res.body.string.contains(message.title) && res.body.string.contains("共 1 条"), "\(res.status) \(res.body.string.prefix(3000))")
            }
            // Someone else's message is not there for them.
            try await app.testing().test(.POST, "/api/v1/notifications/\(message.id)/read", headers: city) { res in
                #expect(res.status == .notFound && isChinese(res.errorMessage))
            }
            try await app.testing().test(.POST, "/notifications/\(message.id)/open", headers: ["Cookie": cityCookie]) { res in
                #expect(res.status != .seeOther)
            }
            // Opening it marks it read and goes to the page it is about.
            try await app.testing().test(.POST, "/notifications/\(message.id)/open", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther && res.headers.first(name: .location) == message.url)
            }
            #expect(try await inbox(app, rhStaff).unread == 0)
            try await app.testing().test(.GET, "/", headers: ["Cookie": cookie]) { res in
                #expect(!res.body.string.contains("bell-count"))
            }
            try await app.testing().test(.POST, "/api/v1/notifications/not-a-uuid/read", headers: rhStaff) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func aDoubleClickedChaseRemindsEachUnitOnce() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-07-10")
            try await app.makeUser("rh_staff", in: "仁化县", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .admin)
            let (cookie, csrf) = try await app.signIn("sg_city", "Secret-pass-1")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/completeness/chase", headers: ["Cookie": cookie], beforeRequest: { req in
                            try req.content.encode(["_csrf": csrf, "campaign": "2022"], as: .urlEncodedForm)
                        }).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(statuses)")
            #expect(try await inbox(app, try await app.bearer("rh_staff")).total == 1)
            // Ten minutes later it may be sent again.
            app.setToday("2022-07-11")
            _ = try await chase(app, as: "sg_city")
            #expect(try await inbox(app, try await app.bearer("rh_staff")).total == 2)
        }
    }

    @Test func returnsAndReviewsTellTheSubmittingUnit() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-05")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            let county = try await app.bearer("lc_staff"), city = try await app.bearer("sg_city")
            try await app.addActivity(NewActivity(), county)
            let plan = try await app.submitActivities(nil, stage: "plan", county).content.decode(ActivitySubmissions.DTO.self)
            try await app.testing().test(.POST, "/api/v1/activity-submissions/\(plan.id)/return", headers: city, beforeRequest: { req in
                try req.content.encode(["reason": "请补充报道链接"])
            }) { res in #expect(res.status == .ok) }
            let returned = try #require(try await inbox(app, county).items.first)
            #expect(returned.kind == "returned" && returned.body.contains("理由：请补充报道链接") && returned.url.hasPrefix("/activities?campaign=2022"))
            #expect(try await inbox(app, city).total == 0)

            // The province accepts a university's roster: the university hears it.
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2)))
            var submission: RosterLines.SubmissionDTO?
            try await app.testing().test(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                try req.content.encode(["campaign": 2022])
            }) { res in submission = try res.content.decode(RosterLines.SubmissionDTO.self) }
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.POST, "/api/v1/roster-submissions/\(try #require(submission).id)/accept", headers: admin) { res in
                #expect(res.status == .ok)
            }
            let accepted = try #require(try await inbox(app, staff).items.first)
            #expect(accepted.kind == "accepted" && accepted.title.contains("审核通过") && accepted.url.hasPrefix("/roster?campaign=2022"))
        }
    }

    @Test func onlyAnAdminOverTheUnitSetsItsRobotAndOnlyToTheRobotServices() async throws {
        try await withRobot { app, robot in
            try await app.makeUser("rh_admin", in: "仁化县", role: .admin)
            try await app.makeUser("rh_staff", in: "仁化县", role: .staff)
            try await app.makeUser("gz_admin", in: "广州市", role: .admin)
            let renhua = try await app.org(named: "仁化县")
            let path = "/api/v1/orgs/\(renhua.id!)/robot"
            func put(_ headers: HTTPHeaders, _ body: [String: String], _ check: (TestingHTTPResponse) async throws -> Void) async throws {
                try await app.testing().test(.PUT, path, headers: headers, beforeRequest: { req in try req.content.encode(body) }, afterResponse: check)
            }
            let admin = try await app.bearer("rh_admin")
            try await put(try await app.bearer("rh_staff"), ["url": robot.wecomURL]) { res in #expect(res.status == .forbidden) }
            try await put(try await app.bearer("gz_admin"), ["url": robot.wecomURL]) { res in #expect(res.status == .notFound) }
            // Only 企业微信 and 钉钉 themselves, over HTTPS (the fake is allowed by configuration): no internal addresses.
            for bad in ["http://169.254.169.254/latest/meta-data", "https://qyapi.weixin.qq.com.evil.cn/cgi-bin/webhook/send?key=abcdefgh12",
                        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
                        "http://127.0.0.1:1/cgi-bin/webhook/send?key=abcdefgh12", "www.baidu.com", "", String(repeating: "x", count: 5000)] {
                try await put(admin, ["url": bad]) { res in
                    #expect(res.status == .unprocessableEntity, "\(bad.prefix(60))")
                    #expect(isChinese(res.errorMessage))
                }
            }
            try await put(admin, ["url": robot.wecomURL, "secret": "SECabcdefghijk"]) { res in
                #expect(res.status == .unprocessableEntity && res.errorMessage?.contains("企业微信群机器人没有加签密钥") == true)
            }
            try await put(admin, ["url": robot.wecomURL]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("企业微信") && res.body.string.contains("key=test…") && !res.body.string.contains("test-key-0123456789"))
            }
            // The key is stored encrypted and never written to the audit log.
            let stored = try #require(try await UnitRobot.query(on: app.db).first())
            #expect(!stored.urlCipher.contains("test-key"))
            #expect(try await AuditEvent.query(on: app.db).all().allSatisfy { !$0.detail.contains("test-key") && !$0.target.contains("test-key") })
            // The page shows it masked to its admin, and not at all to its staff.
            let (cookie, _) = try await app.signIn("rh_admin", "Secret-pass-1")
            try await app.testing().test(.GET, "/orgs/\(renhua.id!)", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains("id=\"robot-current\"") && !res.body.string.contains("test-key-0123456789"))
            }
            let (staffCookie, _) = try await app.signIn("rh_staff", "Secret-pass-1")
            try await app.testing().test(.GET, "/orgs/\(renhua.id!)", headers: ["Cookie": staffCookie]) { res in
                #expect(res.status == .ok && !res.body.string.contains("id=\"robot\""))
            }
        }
    }

    @Test func aFailedDeliveryIsRetriedThenShownFailedAndCanBeSentAgain() async throws {
        try await withRobot { app, robot in
            app.setToday("2022-07-10")
            try await app.makeUser("rh_admin", in: "仁化县", role: .admin)
            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            let renhua = try await app.org(named: "仁化县")
            let admin = try await app.bearer("rh_admin")
            try await app.testing().test(.PUT, "/api/v1/orgs/\(renhua.id!)/robot", headers: admin, beforeRequest: { req in
                try req.content.encode(["url": robot.wecomURL])
            }) { res in #expect(res.status == .ok) }
            // The robot is down for its first five posts.
            await robot.failNext(5)
            _ = try await chase(app, as: "sg_city")
            let courier = RobotCourier(application: app)
            let start = app.appServices.clock.now()
            var elapsed: TimeInterval = 0
            for wait in [0, 60, 300, 1800, 7200] {
                elapsed += TimeInterval(wait)
                let at = start.addingTimeInterval(elapsed)
                app.appServices.clock = Clock(now: { at })
                #expect(try await courier.deliverDue() == 0)
                // Nothing more is due until the next wait has passed.
                #expect(try await courier.deliverDue() == 0)
            }
            #expect(await robot.received.count == 5)
            let delivery = try #require(try await RobotDelivery.query(on: app.db).first())
            #expect(delivery.status == .failed && delivery.attempts == 5 && delivery.lastError == "对方返回 HTTP 500")
            // Sent as the documented text message, naming the unit.
            struct Message: Decodable { struct Text: Decodable { let content: String }; let msgtype: String; let text: Text }
            let first = try #require(await robot.received.first)
            let sent = try JSONDecoder().decode(Message.self, from: Data(first.body.utf8))
            #expect(sent.msgtype == "text" && sent.text.content.contains("仁化县") && first.path == "/cgi-bin/webhook/send")

            // Shown to the unit's admin, who sends it again once the robot is back.
            try await app.testing().test(.GET, "/api/v1/orgs/\(renhua.id!)/robot/deliveries", headers: admin) { res in
                #expect(res.body.string.contains(#""status":"failed""#) && res.body.string.contains("发送失败"))
            }
            try await app.testing().test(.POST, "/api/v1/orgs/\(renhua.id!)/robot/deliveries/\(delivery.id!)/retry", headers: admin) { res in
                #expect(res.status == .noContent)
            }
            let again = try #require(try await RobotDelivery.find(delivery.id, on: app.db))
            #expect(again.status == .delivered && again.attempts == 1)
            #expect(await robot.received.count == 6)
            try await app.testing().test(.POST, "/api/v1/orgs/\(renhua.id!)/robot/deliveries/\(delivery.id!)/retry", headers: admin) { res in
                #expect(res.status == .conflict)
            }
        }
    }

    @Test func couriersRunningAtOnceSendEachMessageOnce() async throws {
        try await withRobot { app, robot in
            try await app.makeUser("rh_admin", in: "仁化县", role: .admin)
            let renhua = try await app.org(named: "仁化县")
            try await app.testing().test(.PUT, "/api/v1/orgs/\(renhua.id!)/robot", headers: try await app.bearer("rh_admin"), beforeRequest: { req in
                try req.content.encode(["url": robot.wecomURL])
            }) { res in #expect(res.status == .ok) }
            let notices = (1...8).map { Notice(orgID: renhua.id!, orgName: renhua.name, kind: .chase, title: "提醒\($0)", body: "正文", url: "/") }
            let outcome = try await App.Inbox(db: app.db, application: app).notify(notices)
            #expect(outcome.robots == 8 && outcome.messages == 8)
            // Several instances' couriers wake at the same moment.
            let delivered = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await RobotCourier(application: app).deliverDue(limit: 3) } }
                var total = 0
                for try await n in group { total += n }
                return total
            }
            let rest = try await RobotCourier(application: app).deliverDue()
            #expect(delivered + rest == 8)
            let received = await robot.received
            #expect(received.count == 8 && Set(received.map(\.body)).count == 8)
            #expect(try await RobotDelivery.query(on: app.db).filter(\.$status == .delivered).count() == 8)
        }
    }

    @Test func aDingTalkRobotWithASecretGetsSignedPosts() async throws {
        try await withRobot { app, robot in
            let renhua = try await app.org(named: "仁化县")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let secret = "SEC0123456789abcdef"
            try await app.testing().test(.PUT, "/api/v1/orgs/\(renhua.id!)/robot", headers: admin, beforeRequest: { req in
                try req.content.encode(["url": "http://\(robot.host)/robot/send?access_token=token0123456789", "secret": secret])
            }) { res in
                #expect(res.status == .ok && res.body.string.contains(#""kind":"dingtalk""#) && res.body.string.contains(#""signed":true"#))
            }
            try await app.testing().test(.POST, "/api/v1/orgs/\(renhua.id!)/robot/test", headers: admin) { res in
                #expect(res.status == .ok && res.body.string.contains(#""status":"delivered""#))
            }
            let post = try #require(await robot.received.first)
            let items = URLComponents(string: "http://x/?" + post.query)?.queryItems ?? []
            let timestamp = try #require(items.first { $0.name == "timestamp" }?.value)
            let sign = try #require(items.first { $0.name == "sign" }?.value)
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            #expect(sign == Data(mac).base64EncodedString())
            #expect(items.first { $0.name == "access_token" }?.value == "token0123456789")
        }
    }
}
