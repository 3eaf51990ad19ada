// First start seeds the reference data once; a restart seeds nothing twice and keeps the admin password.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct SeedTests {
    @Test func firstStartSeedsTheOrganisationTreeCampaignAndAssignments() async throws {
        try await withTestApp { app in
            let orgs = try await Organization.query(on: app.db).all()
            #expect(orgs.filter { $0.kind == .province }.count == 1)
            #expect(orgs.filter { $0.kind == .city }.count == 21)
            #expect(orgs.filter { $0.kind == .county }.count == 122)
            #expect(orgs.filter { $0.kind == .university }.count >= 10)
            // Every county hangs under a city, and paths nest.
            let byID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) })
            for county in orgs where county.kind == .county {
                let parent = try #require(byID[county.parentID!])
                #expect(parent.kind == .city)
                #expect(county.path.hasPrefix(parent.path))
            }
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            #expect(campaign.calendar.planDue.iso == "2022-07-08")
            #expect(campaign.calendar.updateDue.iso == "2022-09-15")
            #expect(try await CampaignQuota.query(on: app.db).count() == QuotaRule.notice.count)
            // 附件1: 化州 → 华南师范大学, 信宜 → 岭南师范学院, the rest of 茂名 → 广东石油化工学院.
            let assignments = try await TutoringAssignment.query(on: app.db).all()
            func university(of county: String) async throws -> String? {
                let c = try await app.org(named: county)
                guard let a = assignments.first(where: { $0.countyID == c.id }) else { return nil }
                return byID[a.universityID]?.name
            }
            #expect(try await university(of: "化州市") == "华南师范大学")
            #expect(try await university(of: "信宜市") == "岭南师范学院")
            #expect(try await university(of: "电白区") == "广东石油化工学院")
            #expect(try await university(of: "罗定市") == "华南师范大学")
            #expect(try await university(of: "南雄市") == "韶关学院")
            #expect(try await university(of: "越秀区") == nil)   // 广州 is not in 附件1
            #expect(try await User.query(on: app.db).filter(\.$username == "admin").count() == 1)
        }
    }

    @Test func secondStartSeedsNothingTwiceAndKeepsTheAdminPassword() async throws {
        let first = TestEnv.config(fileDatabase: true)
        try await withTestApp(config: first, dropSchema: false) { app in
            _ = try await app.bearer("admin", password: TestEnv.adminPassword)
        }
        // Restart on the same database with a different admin password in the environment: it must be ignored.
        var second = first
        second.adminPassword = "Another-password-9"
        try await withTestApp(config: second) { app in
            #expect(try await Organization.query(on: app.db).count() == 1 + 21 + 122 + 10)
            #expect(try await Campaign.query(on: app.db).count() == 1)
            #expect(try await User.query(on: app.db).count() == 1)
            _ = try await app.bearer("admin", password: TestEnv.adminPassword)
        }
    }

    @Test func healthCheckRoundTripsTheDatabase() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz") { res in
                #expect(res.status == .ok)
            }
        }
    }
}
