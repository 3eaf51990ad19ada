// Issue 14, item 10 (12355) and its access rules: only counsellors with the sensitive-data permission, in the
// holding unit's subtree, read or write cases — the province admin, staff and volunteers get 403 whatever the id,
// another county's counsellor 404; follow-ups are due in 7 days (24 hours for a crisis) and go overdue; a
// double-clicked case is one case and a double-clicked closure one closure; everyone else sees counts with those
// below five as "<5"; what a case says is never in the audit log. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct HotlineTests {
    struct NewCase: Content {
        var campaign = 2022; var receivedAt = "2022-09-01 08:00"; var channel = "hotline"; var name = "陈某"; var age = "15"; var sex = "女"
        var countyId: String; var category = "bullying"; var risk = "crisis"; var needsOffline = "是"; var summary = "来电称在校被同学孤立，情绪低落"
    }

    func at(_ app: Application, _ text: String) {
        let moment = DateTimeText.parse(text)!
        app.appServices.clock = Clock(now: { moment })
    }

    @Test func onlyCounsellorsReadCasesAndEveryoneElseSeesSuppressedCounts() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            at(app, "2022-09-01 12:00")
            let lianzhou = try await app.org(named: "连州市").id!.uuidString
            try await app.makeUser("lz_counsel", in: "连州市", role: .counselor, sensitiveData: true)
            try await app.makeUser("lc_counsel", in: "乐昌市", role: .counselor, sensitiveData: true)
            try await app.makeUser("lz_plain", in: "连州市", role: .counselor)
            try await app.makeUser("gd_admin", in: "广东省", role: .admin, sensitiveData: true)
            try await app.makeUser("lz_staff", in: "连州市", role: .staff, sensitiveData: true)
            try await app.makeUser("lz_vol", in: "连州市", role: .volunteer)
            let counsel = try await app.bearer("lz_counsel")

            let crisis = try await app.post("/api/v1/hotline-cases", NewCase(countyId: lianzhou), counsel)
            #expect(crisis.status == .created, "\(crisis.body.string)")
            let created = try crisis.content.decode(HotlineAPIController.CaseDTO.self)
            #expect(created.dueAt == "2022-09-02 08:00" && !created.overdue && !crisis.body.string.contains("孤立"))
            var offline = NewCase(countyId: lianzhou); offline.risk = "medium"; offline.summary = "学业压力大，需到校了解"; offline.category = "study"
            let week = try await app.post("/api/v1/hotline-cases", offline, counsel).content.decode(HotlineAPIController.CaseDTO.self)
            #expect(week.dueAt == "2022-09-08 08:00")
            var none = NewCase(countyId: lianzhou); none.risk = "low"; none.needsOffline = "否"; none.summary = "咨询考试焦虑"; none.category = "study"
            #expect(try await app.post("/api/v1/hotline-cases", none, counsel).content.decode(HotlineAPIController.CaseDTO.self).dueAt == nil)

            // Bad input: 422 with the field, never repeating what the case says; huge numbers do not trap.
            for (field, value) in [("age", "9223372036854775808"), ("age", "-1"), ("risk", "严重"), ("countyId", UUID().uuidString), ("receivedAt", "2022-09-05 10:00")] {
                var bad = NewCase(countyId: lianzhou); bad.summary = "另一件个案内容"
                switch field { case "age": bad.age = value; case "risk": bad.risk = value; case "countyId": bad.countyId = value; default: bad.receivedAt = value }
                let res = try await app.post("/api/v1/hotline-cases", bad, counsel)
                #expect(res.status == .unprocessableEntity && res.body.string.contains("\"field\":\"\(field)\"") && !res.body.string.contains("个案内容"), "\(field): \(res.body.string)")
            }

            // A double click: six at once, one case.
            var twice = NewCase(countyId: lianzhou); twice.summary = "同一来电"; twice.risk = "high"
            let sent = twice
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<6 { group.addTask { try await app.post("/api/v1/hotline-cases", sent, counsel).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            #expect(try await HotlineCase.query(on: app.db).count() == 4)

            // Every crossing: the role first (403 whatever the id), then the subtree (404).
            let id = created.id
            for user in ["gd_admin", "lz_staff", "lz_vol", "lz_plain"] {
                let h = try await app.bearer(user)
                for (method, path) in [(HTTPMethod.GET, "/api/v1/hotline-cases"), (.GET, "/api/v1/hotline-cases/\(id)"), (.GET, "/api/v1/hotline-cases/\(UUID())"),
                                       (.POST, "/api/v1/hotline-cases/\(id)/follow-ups"), (.POST, "/api/v1/hotline-cases/\(id)/close")] {
                    let res = try await app.testing().sendRequest(method, path, headers: h, beforeRequest: { req in
                        if method == .POST { try req.content.encode(["mode": "phone", "note": "x", "outcome": "x"]) }
                    })
                    #expect(res.status == .forbidden, "\(user) \(method) \(path): \(res.status)")
                    #expect(!res.body.string.contains("孤立"))
                }
                #expect(try await app.post("/api/v1/hotline-cases", NewCase(countyId: lianzhou), h).status == .forbidden)
            }
            let other = try await app.bearer("lc_counsel")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/hotline-cases/\(id)", headers: other).status == .notFound)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/hotline-cases?campaign=2022", headers: other).body.string.contains("\"total\":0"))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/hotline-cases/\(UUID())", headers: counsel).status == .notFound)

            // Two days later the crisis case is overdue.
            at(app, "2022-09-03 12:00")
            let overdue = try await app.testing().sendRequest(.GET, "/api/v1/hotline-cases?campaign=2022&overdue=true", headers: counsel)
            let late = try overdue.content.decode(ItemList<HotlineAPIController.CaseDTO>.self).items
            // Only the crisis case: the others needing offline help have a week (to 09-08).
            #expect(late.map(\.id) == [id] && late.allSatisfy(\.overdue), "\(late.map(\.riskLabel))")
            let stats = try await app.testing().sendRequest(.GET, "/api/v1/hotline-stats?campaign=2022", headers: try await app.bearer("gd_admin"))
            #expect(stats.status == .ok && stats.body.string.contains(#""cases":"<5""#) && !stats.body.string.contains("孤立"), "\(stats.body.string)")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/hotline-stats", headers: try await app.bearer("lz_vol")).status == .forbidden)

            // The follow-up clears it; the counsellor reads the case (audited, without its words in the log).
            let follow = try await app.post("/api/v1/hotline-cases/\(id)/follow-ups", ["at": "2022-09-03 10:00", "mode": "visit", "note": "已上门走访，联系学校老师"], counsel)
            #expect(follow.status == .created, "\(follow.body.string)")
            #expect(try await app.post("/api/v1/hotline-cases/\(id)/follow-ups", ["at": "2022-08-01 10:00", "mode": "visit", "note": "早于受理"], counsel).status == .unprocessableEntity)
            let detail = try await app.testing().sendRequest(.GET, "/api/v1/hotline-cases/\(id)", headers: counsel)
            let opened = try detail.content.decode(HotlineAPIController.CaseDetail.self)
            #expect(opened.summary.contains("孤立") && opened.name == "陈某" && opened.followUps.map(\.note) == ["已上门走访，联系学校老师"])
            #expect(!opened.case.overdue && opened.case.dueAt == nil)
            let events = try await AuditEvent.query(on: app.db).all()
            #expect(events.contains { $0.action == "sensitive.read" && $0.username == "lz_counsel" })
            #expect(!events.contains { ($0.detail + $0.target).contains("孤立") || ($0.detail + $0.target).contains("陈某") || ($0.detail + $0.target).contains("上门走访，联系") })
            let row = try #require(try await HotlineCase.find(id, on: app.db))
            #expect(!row.summaryCipher.contains("孤立") && !row.nameCipher.contains("陈某"))

            // Closing twice at once: one closure.
            let closings = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 { group.addTask { try await app.post("/api/v1/hotline-cases/\(id)/close", ["outcome": "情绪稳定，转学校心理老师跟进"], counsel).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(closings.filter { $0 == .ok }.count == 1 && closings.allSatisfy { $0 == .ok || $0 == .conflict }, "\(closings)")
            #expect(try await app.post("/api/v1/hotline-cases/\(id)/follow-ups", ["mode": "phone", "note": "结案后"], counsel).status == .conflict)

            // Six cases in 清远 (five needing offline help): the city's counts are shown.
            for n in 0..<2 { var more = NewCase(countyId: lianzhou); more.summary = "第\(n)件"; more.receivedAt = "2022-09-03 0\(n):00"; _ = try await app.post("/api/v1/hotline-cases", more, counsel) }
            let shown = try await app.testing().sendRequest(.GET, "/api/v1/hotline-stats?campaign=2022", headers: try await app.bearer("gd_admin")).content.decode(HotlineStats.self)
            let qingyuan = try #require(shown.byCity.first { $0.cityName == "清远市" })
            #expect(qingyuan.cases == .exact(6) && qingyuan.needsOffline == .exact(5) && shown.byCity.first { $0.cityName == "韶关市" }?.cases == .suppressed)

            // Pages: the counsellor's list and case; the admin's counts.
            let session = try await app.signIn("lz_counsel", "Secret-pass-1")
            let list = try await app.page("/hotline?campaign=2022", cookie: session.cookie)
            #expect(list.contains("case-table") && !list.contains("孤立"))
            let casePage = try await app.page("/hotline/\(id)", cookie: session.cookie)
            #expect(casePage.contains("孤立") && casePage.contains("已结案"))
            let admin = try await app.signIn("gd_admin", "Secret-pass-1")
            let counts = try await app.page("/hotline?campaign=2022", cookie: admin.cookie)
            #expect(counts.contains("stats-city") && counts.contains("&lt;5") && !counts.contains("孤立"))
            _ = try await app.page("/hotline/\(id)", cookie: admin.cookie, status: .forbidden)
        }
    }
}
