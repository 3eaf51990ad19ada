// Issue 11 §7: the audit log reads as plain Chinese — who, did what in words, to which unit, account or record —
// with no route templates and no status codes.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct AuditWordsTests {
    @Test func everyWriteRouteTheAppServesHasItsWords() async throws {
        try await withTestApp { app in
            let writes = app.routes.all.filter { ![.GET, .HEAD].contains($0.method) }
            #expect(writes.count > 50)
            for route in writes {
                let key = AuditWords.key(method: route.method, route: route.path.map(\.description))
                #expect(AuditWords.actions[key] != nil, "no words for \(key)")
            }
            #expect(AuditWords.actions.values.allSatisfy { isChinese($0) && !$0.contains("/") && !$0.contains(":") })
        }
    }

    @Test func theLogSaysWhoDidWhatToWhichRecordInWords() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let county = try await app.org(named: "乐昌市")
            try await app.testing().test(.POST, "/api/v1/users", headers: admin, beforeRequest: { req in
                try req.content.encode(["username": "lc_clerk", "password": "Lechang-2022a", "orgId": county.id!.uuidString, "role": "staff"])
            }) { res in #expect(res.status == .created) }
            // A refused write says why in words.
            let clerk = try await app.bearer("lc_clerk", password: "Lechang-2022a")
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: clerk, beforeRequest: { req in
                try req.content.encode(["year": 2031])
            }) { res in #expect(res.status == .forbidden) }
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            let html = try await app.testing().sendRequest(.GET, "/audit", headers: ["Cookie": cookie]).body.string
            let table = String(html.split(separator: "id=\"audit\"").last ?? "")
            #expect(table.contains("<td>新建账户</td>") && table.contains("lc_clerk"))
            #expect(table.contains("<td>新建活动年度</td><td>未执行：没有权限"))
            #expect(table.contains("lc_clerk<br><span class=\"muted\">乐昌市</span>"))
            // No route templates, no status codes, no English action codes.
            for raw in ["/api/v1", ":orgID", "POST ", " 403", " 201", "write.refused", "user:"] { #expect(!table.contains(raw), "\(raw)") }
        }
    }
}
