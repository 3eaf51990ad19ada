// Issue 11 §3: the home page says what to do next — per unit, with deadlines and one link each — and the same list
// through `GET /api/v1/todo`.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct TodoTests {
    func todo(_ app: Application, _ headers: HTTPHeaders) async throws -> [TodoItem] {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/todo?campaign=2022", headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return try res.content.decode(ItemList<TodoItem>.self).items
    }

    @Test func aUniversityIsToldWhatItOwesSoonestFirstAndItemsGoWhenDone() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 5)!.startInstant.addingTimeInterval(10 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2))).status == .ok)
            let items = try await todo(app, staff)
            // Soonest deadline first: roster and plan (07-08), this week (07-10), quotas (09-15), then the undated.
            #expect(items.map(\.kind) == ["submission", "submission", "tutoring", "quota", "quota", "activation"], "\(items)")
            #expect(items[2].title.contains("本周还有2名学生") && items[2].due == "2022-07-10" && items[2].url == "/compliance?campaign=2022")
            #expect(items.contains { $0.title.contains("结对名单（附件2）") && $0.due == "2022-07-08" && $0.url == "/roster?campaign=2022" })
            #expect(items.contains { $0.title.contains("活动计划") && $0.url == "/activities?campaign=2022" })
            #expect(items.last?.title.contains("2名结对志愿者尚未激活") == true)
            #expect(items.allSatisfy { isChinese($0.title) })

            // Submitting the roster takes its item off the list; the home page shows the rest, with links.
            let submitted = try await app.testing().sendRequest(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                try req.content.encode(["campaign": 2022])
            })
            #expect(submitted.status == .created || submitted.status == .ok, "\(submitted.body.string)")
            #expect(try await !todo(app, staff).contains { $0.title.contains("附件2") })
            let session = try await app.signIn("sg_staff", "Secret-pass-1")
            let home = try await app.testing().sendRequest(.GET, "/", headers: ["Cookie": session.cookie])
            #expect(home.body.string.contains(#"<a href="/activities?campaign=2022">报送活动汇总表（附件3）活动计划</a>"#), "\(home.body.string)")
        }
    }

    @Test func aReturnedPlanCarriesItsReasonAndTheCitySeesItsCountiesOwing() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 12)!.startInstant.addingTimeInterval(10 * 3600) })
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            let county = try await app.bearer("lc_staff"), city = try await app.bearer("sg_city")
            let lechang = try await app.org(named: "乐昌市")
            let activity = try await app.testing().sendRequest(.POST, "/api/v1/activities", headers: county, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"campaign":2022,"orgId":"\#(lechang.id!)","title":"暑期课堂","category":"academic","startDate":"2022-07-15","summary":"学业辅导","peopleCovered":30,"reportLinks":[]}"#)
            })
            #expect(activity.status == .created, "\(activity.body.string)")
            let plan = try await app.testing().sendRequest(.POST, "/api/v1/activity-submissions", headers: county, beforeRequest: { req in
                struct Submit: Content { let campaign: Int; let orgId: UUID; let stage: String }
                try req.content.encode(Submit(campaign: 2022, orgId: lechang.id!, stage: "plan"))
            })
            #expect(plan.status == .created, "\(plan.body.string)")
            let id = try #require(try await ActivitySubmission.query(on: app.db).first()?.id)
            let returned = try await app.testing().sendRequest(.POST, "/api/v1/activity-submissions/\(id)/return", headers: city, beforeRequest: { req in
                try req.content.encode(["reason": "缺少示范活动"])
            })
            #expect(returned.status == .ok, "\(returned.body.string)")
            let items = try await todo(app, county)
            #expect(items.first { $0.kind == "returned" }?.title.contains("理由：缺少示范活动") == true, "\(items)")
            #expect(try await todo(app, city).contains { $0.kind == "chase" && $0.url == "/completeness?campaign=2022&missingOnly=1" })
        }
    }

    @Test func aUnitThatOwesNothingIsToldSo() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 12)!.startInstant })
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let lechang = try await app.org(named: "乐昌市")
            let made = try await app.testing().sendRequest(.POST, "/api/v1/orgs", headers: admin, beforeRequest: { req in
                try req.content.encode(["name": "坪石镇", "kind": "town", "parentId": lechang.id!.uuidString])
            })
            #expect(made.status == .created || made.status == .ok, "\(made.body.string)")
            try await app.makeUser("ps_staff", in: "坪石镇", role: .staff)
            #expect(try await todo(app, try await app.bearer("ps_staff")).isEmpty)
            let session = try await app.signIn("ps_staff", "Secret-pass-1")
            let home = try await app.testing().sendRequest(.GET, "/", headers: ["Cookie": session.cookie])
            #expect(home.body.string.contains("本单位当前没有待办事项"))
        }
    }
}
