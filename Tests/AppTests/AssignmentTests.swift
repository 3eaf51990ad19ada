// 附件1 assignments: the province edits them; gaps show; nobody else can change them; the roster follows them.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct AssignmentTests {
    @Test func theProvinceReassignsAndClearsCountiesAndTheRosterFollows() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let luoding = try await app.org(named: "罗定市")
            let sg = try await app.org(named: "韶关学院")
            var rows: [AssignmentController.Row] = []
            try await app.testing().test(.GET, "/api/v1/campaigns/2022/assignments", headers: admin) { res in
                rows = try res.content.decode(ItemList<AssignmentController.Row>.self).items
            }
            #expect(rows.allSatisfy { $0.universityId != nil })
            #expect(rows.first { $0.county == "罗定市" }?.university == "华南师范大学")
            #expect(!rows.contains { $0.city == "广州市" })

            // 罗定 → 韶关学院: now 韶关学院 may pair a pupil of 罗定.
            try await app.testing().test(.PUT, "/api/v1/campaigns/2022/assignments/\(luoding.id!)", headers: admin, beforeRequest: { req in
                try req.content.encode(["universityId": sg.id!.uuidString])
            }) { res in
                #expect(res.status == .ok)
                let row = try res.content.decode(AssignmentController.Row.self)
                #expect(row.university == "韶关学院")
            }
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            var line = RosterLine()
            line.pupilID = TestIDs.make("445381", "20100315", 123)
            line.county = "罗定市"
            let res = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv([line]))
            #expect(res.status == .ok, "\(res.body.string)")

            // Clearing leaves a gap that the list flags.
            let huazhou = try #require(rows.first { $0.county == "化州市" })
            try await app.testing().test(.PUT, "/api/v1/campaigns/2022/assignments/\(huazhou.countyId)", headers: admin, beforeRequest: { req in
                try req.content.encode(AssignmentController.SetInput(universityId: nil))
            }) { res in
                let row = try res.content.decode(AssignmentController.Row.self)
                #expect(row.universityId == nil)
            }
            let cookieless = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.GET, "/campaigns/2022/assignments", headers: cookieless) { res in
                #expect(res.body.string.contains("有 1 个县（市、区）没有对接高校"))
            }
        }
    }

    @Test func nobodyButTheProvinceEditsAssignments() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let county = try await app.org(named: "化州市")
            let sg = try await app.org(named: "韶关学院")
            try await app.testing().test(.PUT, "/api/v1/campaigns/2022/assignments/\(county.id!)", headers: try await app.bearer("mm_admin"), beforeRequest: { req in
                try req.content.encode(["universityId": sg.id!.uuidString])
            }) { res in #expect(res.status == .forbidden) }
            let assignment = try #require(try await TutoringAssignment.query(on: app.db).filter(\.$countyID == county.id!).first())
            #expect(assignment.universityID != sg.id)
        }
    }
}
