// The pages themselves: every page renders in Chinese for its users, escapes what users typed,
// and forms carry the CSRF token.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct WebPagesTests {
    func signIn(_ app: Application, _ username: String, _ password: String) async throws -> (cookie: String, csrf: String) {
        try await app.signIn(username, password)
    }

    @Test func everyPageRendersForTheProvinceAdmin() async throws {
        try await withTestApp { app in
            let (cookie, _) = try await signIn(app, "admin", TestEnv.adminPassword)
            let city = try await app.org(named: "茂名市")
            let pages = ["/": "工作节点", "/orgs": "地市团委 21 个", "/orgs/\(city.id!)": "化州市", "/campaigns": "2022",
                         "/campaigns/2022": "岭南师范学院", "/audit": "登录成功", "/account/password": "新密码"]
            for (path, text) in pages {
                try await app.testing().test(.GET, path, headers: ["Cookie": cookie]) { res in
                    #expect(res.status == .ok, "\(path)")
                    #expect(res.body.string.contains(text), "\(path) lacks \(text)")
                    #expect(res.headers.first(name: .cacheControl) == "no-store")
                }
            }
            try await app.testing().test(.GET, "/no-such-page", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .notFound)
                #expect(res.body.string.contains("页面或资源不存在"))
            }
        }
    }

    @Test func namesTypedByUsersAreEscaped() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let county = try await app.org(named: "化州市")
            try await app.testing().test(.POST, "/api/v1/orgs", headers: admin, beforeRequest: { req in
                try req.content.encode(["name": "<script>alert(1)</script>镇", "kind": "town", "parentId": county.id!.uuidString])
            }) { res in #expect(res.status == .created) }
            let (cookie, _) = try await signIn(app, "admin", TestEnv.adminPassword)
            try await app.testing().test(.GET, "/orgs/\(county.id!)", headers: ["Cookie": cookie]) { res in
                #expect(!res.body.string.contains("<script>alert(1)"))
                #expect(res.body.string.contains("&lt;script&gt;"))
            }
        }
    }

    @Test func changingThePasswordEndsOtherSessions() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_staff", in: "茂名市", role: .staff)
            let api = try await app.bearer("mm_staff")
            let (cookie, csrf) = try await signIn(app, "mm_staff", "Secret-pass-1")
            try await app.testing().test(.POST, "/account/password", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "current": "Secret-pass-1", "new": "12345678", "confirm": "12345678"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("不能全是数字"))
            }
            try await app.testing().test(.POST, "/account/password", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "current": "Secret-pass-1", "new": "Maoming-2023", "confirm": "Maoming-2023"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther)
            }
            try await app.testing().test(.GET, "/api/v1/me", headers: api) { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "/", headers: ["Cookie": cookie]) { res in #expect(res.status == .ok) }
            _ = try await app.bearer("mm_staff", password: "Maoming-2023")
        }
    }

    @Test func theProvinceEditsTheCalendarThroughTheForm() async throws {
        try await withTestApp { app in
            let (cookie, csrf) = try await signIn(app, "admin", TestEnv.adminPassword)
            try await app.testing().test(.POST, "/campaigns/2022", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "focusStart": "2022-07-01", "focusEnd": "2022-06-01"], as: .urlEncodedForm)
            }) { res in
                // Refused: the page again, with what was typed and the reason.
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains(#"value="2022-06-01""#))
                #expect(res.body.string.contains(#"id="form-error""#))
            }
            let unchanged = try #require(try await Campaign.query(on: app.db).first())
            #expect(unchanged.focusEnd == "2022-08-31")
            try await app.testing().test(.POST, "/campaigns/2022", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "updateDue": "2022-09-30"], as: .urlEncodedForm)
            }) { res in #expect(res.status == .seeOther) }
            let changed = try #require(try await Campaign.query(on: app.db).first())
            #expect(changed.updateDue == "2022-09-30")
        }
    }
}
