// Activities through the API (issue 6): every refusal, the quotas as the board evaluates them, timeliness by
// the campaign calendar, returns by the level above, plan/update changes, and who may touch whose table.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

/// An activity as a client posts it; each test spoils one field.
struct NewActivity: Content {
    var campaign = 2022
    var orgId: UUID?
    var title = "暑期学业辅导营"
    var category = "academic"
    var workItem: String? = "cloud-tutoring"
    var startDate = "2022-07-15"
    var endDate: String? = "2022-07-20"
    var coHosts = "乐昌市教育局"
    var summary = "组织大学生志愿者为乡村学生开展学业辅导"
    var peopleCovered: Double? = 120
    var reportLinks = ["https://example.org/news/1"]
    var keyPublicity = false
    var demonstration = false
}

extension Application {
    @discardableResult
    func addActivity(_ a: NewActivity, _ headers: HTTPHeaders, expect status: HTTPResponseStatus = .created) async throws -> TestingHTTPResponse {
        var response: TestingHTTPResponse?
        try await testing().test(.POST, "/api/v1/activities", headers: headers, beforeRequest: { req in
            try req.content.encode(a)
        }) { res in
            #expect(res.status == status, "\(res.body.string)")
            response = res
        }
        return response!
    }

    func submitActivities(_ orgID: UUID?, stage: String, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
        var response: TestingHTTPResponse?
        try await testing().test(.POST, "/api/v1/activity-submissions", headers: headers, beforeRequest: { req in
            struct Body: Content { let campaign: Int; let orgId: UUID?; let stage: String }
            try req.content.encode(Body(campaign: 2022, orgId: orgID, stage: stage))
        }) { res in response = res }
        return response!
    }

    func completeness(_ headers: HTTPHeaders, orgID: UUID? = nil) async throws -> [ActivityAPIController.CompletenessItem] {
        var items: [ActivityAPIController.CompletenessItem] = []
        try await testing().test(.GET, "/api/v1/completeness?campaign=2022" + (orgID.map { "&orgId=\($0)" } ?? ""), headers: headers) { res in
            #expect(res.status == .ok, "\(res.body.string)")
            items = try res.content.decode(ActivityAPIController.Items<ActivityAPIController.CompletenessItem>.self).items
        }
        return items
    }

    func setToday(_ iso: String) {
        let day = LocalDate(iso: iso)!
        appServices.clock = Clock(now: { day.startInstant.addingTimeInterval(12 * 3600) })
    }
}

@Suite struct ActivityTests {
    @Test func eachRefusalIsA422InChineseAndStoresNothing() async throws {
        try await withTestApp { app in
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let staff = try await app.bearer("lc_staff")
            var cases: [(String, NewActivity)] = []
            var a = NewActivity(); a.summary = String(repeating: "乡", count: 101); cases.append(("活动概况和特色亮点", a))
            a = NewActivity(); a.category = "文体活动"; cases.append(("活动类别", a))
            a = NewActivity(); a.peopleCovered = -5; cases.append(("覆盖人数", a))
            a = NewActivity(); a.peopleCovered = 12.5; cases.append(("覆盖人数", a))
            a = NewActivity(); a.reportLinks = ["javascript:alert(1)"]; cases.append(("报道链接", a))
            a = NewActivity(); a.startDate = "2021-07-15"; a.endDate = nil; cases.append(("开展时间", a))
            a = NewActivity(); a.title = ""; cases.append(("活动主题", a))
            for (field, activity) in cases {
                let res = try await app.addActivity(activity, staff, expect: .unprocessableEntity)
                #expect(isChinese(res.errorMessage), "\(field): \(res.body.string)")
                struct Body: Decodable { let problems: [AppError.Problem] }
                let problems = try JSONDecoder().decode(Body.self, from: Data(buffer: res.body)).problems
                #expect(problems.map(\.field) == [field], "\(res.body.string)")
            }
            #expect(try await Activity.query(on: app.db).count() == 0)
            // 100 characters as a reader counts them (emoji included) are accepted.
            a = NewActivity(); a.summary = String(repeating: "乡", count: 98) + "😀é"
            try await app.addActivity(a, staff)
            #expect(try await Activity.query(on: app.db).first()?.summary.count == 100)
        }
    }

    @Test func eachQuotaIsEvaluatedLiveFromTheCampaignsQuotaTable() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-01")
            try await app.keepOnlyActivityQuotas()
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let city = try await app.org(named: "韶关市"), county = try await app.org(named: "乐昌市"), university = try await app.org(named: "韶关学院")
            func item(_ org: Organization) async throws -> ActivityAPIController.CompletenessItem {
                try #require(try await app.completeness(admin).first { $0.orgId == org.id })
            }
            #expect(try await item(county).missing.contains("各县（市、区）团委至少开展1场活动"))
            #expect(try await item(university).missing.contains("各相关高校团委至少开展1场活动"))
            #expect(try await item(city).missing.contains("各地市团委至少开展1场“两帮两促”示范活动"))

            var a = NewActivity(); a.orgId = county.id
            try await app.addActivity(a, admin)
            #expect(try await item(county).meetsQuota)
            a.orgId = university.id
            try await app.addActivity(a, admin)
            let uni = try await item(university)
            #expect(!uni.meetsQuota && uni.missing.contains("各相关高校团委推荐至少一个项目作为重点宣传项目") && uni.activities == 1)
            a.keyPublicity = true
            try await app.addActivity(a, admin)
            #expect(try await item(university).meetsQuota)
            a.orgId = city.id; a.keyPublicity = true
            try await app.addActivity(a, admin)
            #expect(try await item(city).missing == ["尚未报送活动计划（7月8日截止）", "各地市团委至少开展1场“两帮两促”示范活动"])
            a.keyPublicity = false; a.demonstration = true
            try await app.addActivity(a, admin)
            let c = try await item(city)
            #expect(c.meetsQuota && c.demonstrations == 1 && c.keyPublicity == 1)

            // Quotas are data: the province raises the county minimum to 2 and the county no longer meets it.
            try await app.testing().test(.PATCH, "/api/v1/campaigns/2022", headers: admin, beforeRequest: { req in
                var rules = QuotaRule.notice
                rules[2].minimum = 2; rules[2].wording = "各县（市、区）团委至少开展2场活动"
                try req.content.encode(CampaignController.UpdateInput(quotas: rules.map { .init(orgKind: $0.orgKind, metric: $0.metric, minimum: $0.minimum, wording: $0.wording) }))
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            #expect(try await item(county).missing.contains("各县（市、区）团委至少开展2场活动"))
        }
    }

    @Test func submissionsAreTimedByTheCalendarVersionedAndReturnedOnlyFromAbove() async throws {
        try await withTestApp { app in
            try await app.keepOnlyActivityQuotas()
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            let county = try await app.bearer("lc_staff"), city = try await app.bearer("sg_city")
            let lechang = try await app.org(named: "乐昌市")
            // An empty table cannot be submitted.
            app.setToday("2022-07-05")
            #expect(try await app.submitActivities(nil, stage: "plan", county).status == .unprocessableEntity)
            try await app.addActivity(NewActivity(), county)
            let first = try await app.submitActivities(nil, stage: "plan", county)
            #expect(first.status == .created)
            let plan = try first.content.decode(ActivitySubmissions.DTO.self)
            #expect(plan.version == 1 && plan.onTime && plan.stage == .plan)
            #expect(try await app.completeness(city, orgID: lechang.id).first?.status == .green)

            // The county cannot return its own plan; its city can, with a reason.
            try await app.testing().test(.POST, "/api/v1/activity-submissions/\(plan.id)/return", headers: county, beforeRequest: { req in
                try req.content.encode(["reason": "自己退回"])
            }) { res in #expect(res.status == .forbidden) }
            try await app.testing().test(.POST, "/api/v1/activity-submissions/\(plan.id)/return", headers: city, beforeRequest: { req in
                try req.content.encode(["reason": ""])
            }) { res in #expect(res.status == .unprocessableEntity) }
            try await app.testing().test(.POST, "/api/v1/activity-submissions/\(plan.id)/return", headers: city, beforeRequest: { req in
                try req.content.encode(["reason": "请补充报道链接"])
            }) { res in
                #expect(res.status == .ok)
                let status = try res.content.decode(ActivitySubmissions.DTO.self).status
                #expect(status == .returned)
            }
            let returned = try #require(try await app.completeness(city, orgID: lechang.id).first)
            #expect(!returned.submitted.plan && returned.missing.first == "活动计划已被退回，待修改后重新报送" && returned.status == .amber)

            // Sent again after the deadline: version 2, late.
            app.setToday("2022-07-09")
            let second = try await app.submitActivities(nil, stage: "plan", county).content.decode(ActivitySubmissions.DTO.self)
            #expect(second.version == 2 && !second.onTime)
            let late = try #require(try await app.completeness(city, orgID: lechang.id).first)
            #expect(late.submitted.plan && !late.onTime.plan && late.status == .amber)
            // The update by 09-15 is on time; a missing update after it would be red.
            app.setToday("2022-09-15")
            let update = try await app.submitActivities(nil, stage: "update", county).content.decode(ActivitySubmissions.DTO.self)
            #expect(update.version == 1 && update.onTime && update.stage == .update)
            #expect(try await app.submitActivities(nil, stage: "final", county).status == .unprocessableEntity)
        }
    }

    @Test func theChangesBetweenPlanAndUpdateAreAddedRemovedAndEdited() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-05")
            try await app.makeUser("sgu", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sgu")
            var a = NewActivity(); a.title = "暑期支教"
            let kept = try await app.addActivity(a, staff).content.decode(ActivityLines.DTO.self)
            a.title = "送教下乡"
            let dropped = try await app.addActivity(a, staff).content.decode(ActivityLines.DTO.self)
            _ = try await app.submitActivities(nil, stage: "plan", staff)
            try await app.testing().test(.DELETE, "/api/v1/activities/\(dropped.id)", headers: staff) { res in #expect(res.status == .noContent) }
            a.title = "暑期支教（第一期）"; a.peopleCovered = 300
            try await app.testing().test(.PATCH, "/api/v1/activities/\(kept.id)", headers: staff, beforeRequest: { req in try req.content.encode(a) }) { res in
                #expect(res.status == .ok)
            }
            a.title = "成长陪伴夏令营"
            try await app.addActivity(a, staff)
            app.setToday("2022-09-10")
            let september = try await app.bearer("sgu")     // the July token has expired by September
            #expect(try await app.submitActivities(nil, stage: "update", september).status == .created)
            try await app.testing().test(.GET, "/api/v1/activity-submissions/changes?campaign=2022", headers: september) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let changes = try res.content.decode(ActivityAPIController.Changes.self)
                #expect(changes.added.map(\.activity.title) == ["成长陪伴夏令营"])
                #expect(changes.removed.map(\.activity.title) == ["送教下乡"])
                #expect(changes.edited.map(\.title) == ["暑期支教（第一期）"])
                #expect(changes.edited.first?.fields == ["活动主题", "覆盖人数"])
            }
        }
    }

    @Test func aUnitCannotReadOrWriteAnotherUnitsTable() async throws {
        try await withTestApp { app in
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            try await app.makeUser("rh_staff", in: "仁化县", role: .staff)
            try await app.makeUser("sg_viewer", in: "韶关市", role: .viewer)
            try await app.makeUser("gz_city", in: "广州市", role: .staff)
            try await app.makeUser("sgu", in: "韶关学院", role: .staff)
            try await app.makeUser("scnu", in: "华南师范大学", role: .staff)
            let lechang = try await app.org(named: "乐昌市"), renhua = try await app.org(named: "仁化县"), sgu = try await app.org(named: "韶关学院")
            let lc = try await app.bearer("lc_staff"), rh = try await app.bearer("rh_staff")
            let mine = try await app.addActivity(NewActivity(), lc).content.decode(ActivityLines.DTO.self)
            try await app.addActivity(NewActivity(), try await app.bearer("sgu"))

            // A county cannot add to, submit for, change or delete its neighbour's table.
            var a = NewActivity(); a.orgId = lechang.id
            try await app.addActivity(a, rh, expect: .notFound)
            #expect(try await app.submitActivities(lechang.id, stage: "plan", rh).status == .notFound)
            try await app.testing().test(.PATCH, "/api/v1/activities/\(mine.id)", headers: rh, beforeRequest: { req in try req.content.encode(NewActivity()) }) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.DELETE, "/api/v1/activities/\(mine.id)", headers: rh) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/activities?campaign=2022&orgId=\(lechang.id!)", headers: rh) { res in #expect(res.status == .notFound) }
            // Another university, another city: not found.
            let scnu = try await app.bearer("scnu")
            try await app.testing().test(.GET, "/api/v1/activities?campaign=2022&orgId=\(sgu.id!)", headers: scnu) { res in #expect(res.status == .notFound) }
            let gz = try await app.bearer("gz_city")
            #expect(try await app.submitActivities(lechang.id, stage: "plan", gz).status == .notFound)
            try await app.testing().test(.GET, "/api/v1/completeness?campaign=2022&orgId=\(lechang.id!)", headers: gz) { res in #expect(res.status == .notFound) }
            // The city's viewer reads its counties, cannot write, and sees nothing of other cities or universities.
            let viewer = try await app.bearer("sg_viewer")
            try await app.testing().test(.GET, "/api/v1/activities?campaign=2022&orgId=\(lechang.id!)", headers: viewer) { res in
                #expect(res.status == .ok)
                let count = try res.content.decode(ActivityAPIController.Items<ActivityLines.DTO>.self).items.count
                #expect(count == 1)
            }
            a.orgId = renhua.id
            try await app.addActivity(a, viewer, expect: .forbidden)
            let items = try await app.completeness(viewer)
            #expect(items.contains { $0.orgId == lechang.id } && items.contains { $0.name == "韶关市" })
            #expect(!items.contains { $0.kind == .university || $0.name == "广州市" || $0.name == "荔湾区" })
            #expect(try await Activity.query(on: app.db).count() == 2)
        }
    }
}
