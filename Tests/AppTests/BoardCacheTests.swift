// The weekly board is cached per write version: computed once for many parallel readers, and never stale after a
// write of any kind (session logged, changed or deleted; pairing added, changed or deleted; roster imported).
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct BoardCacheTests {
    actor Counter {
        var n = 0
        func add() { n += 1 }
    }

    @Test func parallelReadersOfOneVersionComputeOnceAndAnOlderVersionIsNotStored() async throws {
        let cache = BoardCache(capacity: 4)
        let counter = Counter()
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await cache.value(version: 7, key: "k") {
                        await counter.add()
                        try await Task.sleep(for: .milliseconds(50))
                        return 42
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: 42, count: 20))
        #expect(await counter.n == 1)
        // A reader that saw an older version computes for itself and leaves the newer entry alone.
        #expect(try await cache.value(version: 6, key: "k") { 1 } == 1)
        #expect(try await cache.value(version: 7, key: "k") { 2 } == 42)
        // A newer version starts afresh.
        #expect(try await cache.value(version: 8, key: "k") { 3 } == 3)
        // The capacity bounds the entries; a failure is not kept.
        for i in 0..<10 { _ = try await cache.value(version: 8, key: "k\(i)") { i } }
        #expect(await cache.count == 4)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await cache.value(version: 8, key: "f") { () async throws -> Int in throw Boom() } }
        #expect(try await cache.value(version: 8, key: "f") { 5 } == 5)
    }

    struct Board: Decodable {
        struct Missing: Decodable { struct Pupil: Decodable { let name: String }; let pupil: Pupil; let minutes: Int }
        let pupils: Int
        let compliant: Int
        let missing: [Missing]
    }

    func board(_ app: Application, _ headers: HTTPHeaders) async throws -> Board {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/compliance?campaign=2022&week=2022-07-18", headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        return try res.content.decode(Board.self)
    }

    @Test func theCachedBoardFollowsEveryKindOfWrite() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 25)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(3))).status == .ok)
            var b = try await board(app, admin)
            #expect((b.pupils, b.compliant, b.missing.count) == (3, 0, 3))
            #expect(try await board(app, admin).pupils == 3)   // served from the cache

            // Session logged, changed, deleted.
            let pairing = try #require(try await Pairing.query(on: app.db).sort(\.$pupilName).first())
            let created = try await app.testing().sendRequest(.POST, "/api/v1/sessions", headers: staff, beforeRequest: { req in
                try req.content.encode(SessionInput(pairingId: pairing.id!, date: "2022-07-19", startTime: "19:30", minutes: 60, content: "数学辅导", mode: "offline", note: nil))
            })
            #expect(created.status == .created, "\(created.body.string)")
            let session = try created.content.decode(IDOnly.self)
            b = try await board(app, admin)
            #expect((b.pupils, b.compliant, b.missing.count) == (3, 1, 2))
            try await app.testing().test(.PATCH, "/api/v1/sessions/\(session.id)", headers: staff, beforeRequest: { req in
                try req.content.encode(SessionInput(pairingId: pairing.id!, date: "2022-07-19", startTime: "19:30", minutes: 40, content: "数学辅导", mode: "offline", note: nil))
            }) { res in #expect(res.status == .ok, "\(res.body.string)") }
            b = try await board(app, admin)
            #expect((b.compliant, b.missing.first { $0.pupil.name == pairing.pupilName }?.minutes) == (0, 40))
            try await app.testing().test(.DELETE, "/api/v1/sessions/\(session.id)", headers: staff) { res in #expect(res.status == .noContent) }
            b = try await board(app, admin)
            #expect(b.missing.first { $0.pupil.name == pairing.pupilName }?.minutes == 0)

            // Pairing added one by one, then deleted.
            let line = RosterLine.many(4)[3]
            let added = try await app.testing().sendRequest(.POST, "/api/v1/pairings", headers: staff, beforeRequest: { req in
                try req.content.encode(PairingInput(campaign: 2022, orgId: nil, pupilName: line.pupilName, sex: line.sex, pupilId: line.pupilID, studentNo: nil,
                                                    school: "示范小学", gradeClass: "五年级1班", county: line.county, volunteerName: line.volunteerName,
                                                    volunteerId: line.volunteerID, startDate: nil, guardianConsent: true, consentDate: "2022-07-01"))
            })
            #expect(added.status == .created || added.status == .ok, "\(added.body.string)")
            #expect(try await board(app, admin).pupils == 4)
            let fourth = try added.content.decode(IDOnly.self)
            try await app.testing().test(.DELETE, "/api/v1/pairings/\(fourth.id)", headers: staff) { res in #expect(res.status == .noContent) }
            #expect(try await board(app, admin).pupils == 3)

            // A roster import replacing the roster.
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(5))).status == .ok)
            #expect(try await board(app, admin).pupils == 5)
        }
    }

    struct IDOnly: Decodable { let id: UUID }
}
