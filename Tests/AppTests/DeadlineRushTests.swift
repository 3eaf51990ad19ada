// Issue 10 §2: the 07-08 morning, when the same write arrives many times at once. On SQLite these run on a file
// database (WAL), as the product does; `scripts/test` runs them again on PostgreSQL.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct DeadlineRushTests {
    func parallel<T: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            for i in 0..<n { group.addTask { try await body(i) } }
            return try await group.reduce(into: [T]()) { $0.append($1) }
        }
    }

    @Test func tenParallelSubmissionsGetContiguousVersionsAndNoServerError() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let staff = try await app.bearer("lc_staff")
            try await app.addActivity(NewActivity(), staff)
            let statuses = try await parallel(10) { _ in try await app.submitActivities(nil, stage: "plan", staff).status }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            let versions = try await ActivitySubmission.query(on: app.db).all().map(\.version).sorted()
            #expect(versions == Array(1...10))
        }
    }

    @Test func parallelRosterSubmissionsMakeOneVersionAndRefuseTheRest() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(RosterLine.many(3))).status == .ok)
            let statuses = try await parallel(8) { _ in
                try await app.testing().sendRequest(.POST, "/api/v1/roster-submissions", headers: staff, beforeRequest: { req in
                    try req.content.encode(["campaign": 2022])
                }).status
            }
            #expect(statuses.filter { $0 == .created || $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses)")
            #expect(try await RosterSubmission.query(on: app.db).count() == 1)
        }
    }

    @Test func parallelImportsOfOneFileReportWhatEachReallyChanged() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let file = RosterLine.csv(RosterLine.many(200))
            let reports = try await parallel(5) { _ in
                let res = try await app.upload("/api/v1/pairings/import?campaign=2022&mode=merge", headers: staff, content: file)
                #expect(res.status == .ok, "\(res.body.string.prefix(300))")
                return try res.content.decode(ImportReport.self)
            }
            #expect(reports.map(\.added).sorted() == [0, 0, 0, 0, 200])
            #expect(reports.allSatisfy { $0.stored == 200 })
            #expect(try await Pairing.query(on: app.db).count() == 200)
        }
    }

    @Test func twoUniversitiesImportingAtOnceBothSucceed() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("hs_staff", in: "韩山师范学院", role: .staff)
            let sg = try await app.bearer("sg_staff"), hs = try await app.bearer("hs_staff")
            let sgFile = RosterLine.csv(RosterLine.many(300))
            let hsFile = RosterLine.csv(RosterLine.many(300, county: "湘桥区", countyCode: "445102"))
            let statuses = try await parallel(6) { i in
                try await app.upload("/api/v1/pairings/import?campaign=2022&mode=merge", headers: i % 2 == 0 ? sg : hs,
                                     content: i % 2 == 0 ? sgFile : hsFile).status
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            #expect(try await Pairing.query(on: app.db).count() == 600)
        }
    }

    @Test func aDoubleClickOnIssueCodesIssuesEachCodeOnce() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(RosterLine.many(30))).status == .ok)
            let statuses = try await parallel(4) { _ in
                try await app.testing().sendRequest(.POST, "/volunteers/codes", headers: staff, beforeRequest: { req in
                    try req.content.encode(["campaign": "2022"], as: .urlEncodedForm)
                }).status
            }
            #expect(statuses.allSatisfy { $0.code < 400 }, "\(statuses)")
            #expect(try await ActivationCode.query(on: app.db).count() == 30)
        }
    }
}
