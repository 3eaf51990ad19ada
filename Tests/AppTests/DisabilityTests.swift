// Issue 14, item 9 (阳光助残 一人一策): the disability and the plan are sealed and need the permission to be written
// or read (403 without, 404 from another county); the plan is due 30 days after pairing and a review every 90
// days, each going overdue (`planStatus`); a double-clicked pair is one pair. `scripts/test` runs these again on
// PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct DisabilityTests {
    struct NewPair: Content {
        var campaign = 2022; var name = "李小华"; var idNumber = TestIDs.make("441882", "20120305", 7); var category = "hearing"; var level = "2"
        var guardian = "李大华"; var guardianPhone = "13912345678"; var organisation = "连州市助残志愿服务队"; var startedOn = "2022-03-01"
    }

    func status(_ app: Application, _ h: HTTPHeaders, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [DisabilityAPIController.PairDTO] {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/disability-pairs?campaign=2022", headers: h)
        #expect(res.status == .ok, "\(res.body.string)", sourceLocation: sourceLocation)
        return try res.content.decode(ItemList<DisabilityAPIController.PairDTO>.self).items
    }

    @Test func aPlanWithin30DaysAndAReviewEvery90WithTheDisabilitySealed() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-03-20")
            try await app.makeUser("lz_plain", in: "连州市", role: .staff)
            try await app.makeUser("lz_sens", in: "连州市", role: .staff, sensitiveData: true)
            try await app.makeUser("lc_sens", in: "乐昌市", role: .staff, sensitiveData: true)
            let plain = try await app.bearer("lz_plain"), other = try await app.bearer("lc_sens")
            var sens = try await app.bearer("lz_sens")

            let first = try await app.post("/api/v1/disability-pairs", NewPair(), plain)
            #expect(first.status == .forbidden, "\(first.body.string)")
            let sent = NewPair(), writer = sens
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<5 { group.addTask { try await app.post("/api/v1/disability-pairs", sent, writer).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            var bad = NewPair(); bad.idNumber = TestIDs.make("441882", "20120305", 8); bad.level = "9223372036854775808"; bad.category = "隐身"
            let refused = try await app.post("/api/v1/disability-pairs", bad, sens)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"field\":\"level\"") && !refused.body.string.contains("隐身"))

            let pair = try #require(try await DisabilityPair.query(on: app.db).first())
            #expect(!pair.disabilityCipher.contains("hearing") && pair.dueOn == "2022-03-31")
            var listed = try await status(app, plain)
            #expect(listed.map(\.planStatus) == [.none] && listed[0].consentGap && !listed[0].planOverdue)
            let asPlain = try await app.testing().sendRequest(.GET, "/api/v1/disability-pairs?campaign=2022", headers: plain)
            #expect(!asPlain.body.string.contains("hearing") && !asPlain.body.string.contains("听力"))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/disability-pairs/\(pair.id!)", headers: plain).status == .forbidden)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/disability-pairs/\(pair.id!)", headers: other).status == .notFound)
            #expect(try await app.testing().sendRequest(.PUT, "/api/v1/disability-pairs/\(pair.id!)/plan", headers: other, beforeRequest: { req in
                try req.content.encode(["goals": "x", "measures": "x", "responsible": "x", "nextReview": "2022-05-01"]) }).status == .notFound)

            // No plan by 04-01: overdue.
            app.setToday("2022-04-01")
            listed = try await status(app, sens)
            #expect(listed[0].planStatus == .none && listed[0].planOverdue)
            #expect(try await app.post("/api/v1/disability-pairs/\(pair.id!)/reviews", ["date": "2022-04-01", "progress": "x", "nextSteps": "x", "nextReview": "2022-05-01"], sens).status == .conflict)
            let tooLate = try await app.testing().sendRequest(.PUT, "/api/v1/disability-pairs/\(pair.id!)/plan", headers: sens, beforeRequest: { req in
                try req.content.encode(["goals": "提高听说能力", "measures": "每周两次手语与口语练习", "responsible": "王老师", "nextReview": "2022-12-01"]) })
            #expect(tooLate.status == .unprocessableEntity && tooLate.body.string.contains("nextReview"))
            let planned = try await app.testing().sendRequest(.PUT, "/api/v1/disability-pairs/\(pair.id!)/plan", headers: sens, beforeRequest: { req in
                try req.content.encode(["goals": "提高听说能力", "measures": "每周两次手语与口语练习", "responsible": "王老师", "nextReview": "2022-06-01"]) })
            #expect(planned.status == .ok, "\(planned.body.string)")
            #expect(try planned.content.decode(DisabilityAPIController.PairDTO.self).planStatus == .ok)
            #expect(try await DisabilityPair.find(pair.id, on: app.db)?.dueOn == "2022-06-30")

            // 90 days on without a review: overdue; a review moves the clock.
            app.setToday("2022-07-01")
            sens = try await app.bearer("lz_sens")   // the token of March has expired
            #expect(try await status(app, sens)[0].planStatus == .reviewOverdue)
            let reviewed = try await app.post("/api/v1/disability-pairs/\(pair.id!)/reviews",
                                              ["date": "2022-07-01", "progress": "能简单对话", "nextSteps": "继续练习", "nextReview": "2022-09-01"], sens)
            #expect(reviewed.status == .created, "\(reviewed.body.string)")
            listed = try await status(app, sens)
            #expect(listed[0].planStatus == .ok && listed[0].dueOn == "2022-09-29" && listed[0].reviews == 1)

            let detail = try await app.testing().sendRequest(.GET, "/api/v1/disability-pairs/\(pair.id!)", headers: sens)
            #expect(detail.status == .ok && detail.body.string.contains("听力残疾") && detail.body.string.contains("每周两次"))
            let events = try await AuditEvent.query(on: app.db).all()
            #expect(events.contains { $0.action == "sensitive.read" && $0.username == "lz_sens" })
            #expect(!events.contains { ($0.detail + $0.target).contains("听力") || ($0.detail + $0.target).contains("手语") })

            let session = try await app.signIn("lz_sens", "Secret-pass-1")
            #expect(try await app.page("/disability?campaign=2022", cookie: session.cookie).contains("pair-table"))
            #expect(try await app.page("/disability/\(pair.id!)", cookie: session.cookie).contains("听力残疾"))
            let plainSession = try await app.signIn("lz_plain", "Secret-pass-1")
            let plainList = try await app.page("/disability?campaign=2022", cookie: plainSession.cookie)
            #expect(plainList.contains("李小华") && !plainList.contains("听力"))
            _ = try await app.page("/disability/\(pair.id!)", cookie: plainSession.cookie, status: .forbidden)
        }
    }
}
