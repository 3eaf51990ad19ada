// Campaign years (edit, copy) and the audit log that records every write and login.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct CampaignAndAuditTests {
    @Test func theProvinceEditsTheCalendarAndCopiesANewYear() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            var calendar = CampaignCalendar.notice(year: 2022)
            calendar.updateDue = LocalDate(year: 2022, month: 9, day: 20)!
            try await app.testing().test(.PATCH, "/api/v1/campaigns/2022", headers: admin, beforeRequest: { req in
                try req.content.encode(CampaignController.UpdateInput(calendar: calendar))
            }) { res in
                #expect(res.status == .ok)
                let value = try res.content.decode(CampaignController.Detail.self).calendar.updateDue.iso
                #expect(value == "2022-09-20")
            }
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: admin, beforeRequest: { req in
                try req.content.encode(["year": 2023])
            }) { res in
                #expect(res.status == .created)
                let detail = try res.content.decode(CampaignController.Detail.self)
                #expect(detail.calendar.planDue.iso == "2023-07-08")
                #expect(detail.calendar.updateDue.iso == "2023-09-20")
                #expect(detail.quotas.count == QuotaRule.notice.count)
                #expect(detail.assignments.count == (try await TutoringAssignment.query(on: app.db).count()) / 2)
            }
            // 2022 is kept unchanged beside it.
            try await app.testing().test(.GET, "/api/v1/campaigns", headers: admin) { res in
                let value = try res.content.decode(ItemList<Campaign.DTO>.self).items.map(\.year)
                #expect(value == [2023, 2022])
            }
        }
    }

    @Test func pagesOpenOnTheCurrentYearNotOnOneCreatedInAdvance() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: admin, beforeRequest: { req in
                try req.content.encode(CampaignController.CreateInput(year: 2023, copyFrom: 2022))
            }) { res in #expect(res.status == .created) }
            func current(_ day: String) async throws -> Int? {
                try await Campaign.current(on: app.db, today: LocalDate(iso: day)!)?.year
            }
            #expect(try await current("2022-12-01") == 2022)
            #expect(try await current("2023-01-02") == 2023)
            #expect(try await current("2030-01-01") == 2023)
            try await Campaign.query(on: app.db).filter(\.$year == 2022).delete()
            #expect(try await current("2022-12-01") == 2023)       // only a year ahead: that one
        }
    }

    @Test func onlyTheProvinceEditsCampaigns() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let headers = try await app.bearer("mm_admin")
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: headers, beforeRequest: { req in
                try req.content.encode(["year": 2023])
            }) { res in
                #expect(res.status == .forbidden)
                #expect(res.errorMessage == "只有团省委可以执行此操作")
            }
            try await app.testing().test(.GET, "/api/v1/campaigns/2022", headers: headers) { res in
                #expect(res.status == .ok)
            }
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test func everyWriteAndLoginIsAuditedAndOnlyProvinceAdminsReadTheLog() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let county = try await app.org(named: "化州市")
            try await app.testing().test(.POST, "/api/v1/users", headers: admin, beforeRequest: { req in
                try req.content.encode(["username": "hz_admin", "password": "Huazhou-2022", "orgId": county.id!.uuidString, "role": "admin"])
            }) { res in #expect(res.status == .created) }
            let hz = try await app.bearer("hz_admin", password: "Huazhou-2022")
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: hz, beforeRequest: { req in
                try req.content.encode(["year": 2023])
            }) { res in #expect(res.status == .forbidden) }

            let events = try await AuditEvent.query(on: app.db).all()
            let created = try #require(events.first { $0.action == "write" && $0.detail.contains("hz_admin") })
            #expect(created.username == "admin")
            #expect(created.target == "新建账户")
            #expect(!created.detail.contains("Huazhou-2022"))
            #expect(events.contains { $0.action == "write.refused" && $0.username == "hz_admin" && $0.detail.hasPrefix("未执行：没有权限") && $0.target == "新建活动年度" })
            #expect(events.filter { $0.action == "login.success" }.count == 2)

            try await app.testing().test(.GET, "/api/v1/audit?action=login.success", headers: admin) { res in
                #expect(res.status == .ok)
                let list = try res.content.decode(AuditController.ListDTO.self)
                #expect(list.items.count == 2 && list.total == 2 && list.page == 1 && list.per == AuditController.pageSize)
            }
            try await app.testing().test(.GET, "/api/v1/audit", headers: hz) { res in
                #expect(res.status == .forbidden)
            }
        }
    }
}
