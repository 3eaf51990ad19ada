// Bad input never yields a 500: every /api error is JSON with a Chinese message, and nothing is written.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct ApiErrorTests {
    func post(_ app: Application, _ path: String, headers: HTTPHeaders, raw: String, contentType: HTTPMediaType = .json) async throws -> TestingHTTPResponse {
        var headers = headers
        headers.contentType = contentType
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: raw))
    }

    @Test func malformedWrongTypedUnknownAndOversizedInputIs4xxJSONInChinese() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let usersBefore = try await User.query(on: app.db).count()
            let county = try await app.org(named: "化州市")
            let cases: [(String, String, HTTPMediaType, UInt)] = [
                ("/api/v1/users", "{not json", .json, 400),
                ("/api/v1/users", #"{"username": 5, "password": "x", "orgId": "\#(county.id!)", "role": "staff"}"#, .json, 400),
                ("/api/v1/users", #"{"username": "abc"}"#, .json, 400),
                ("/api/v1/users", #"{"username": "abcd", "password": "Long-enough-1", "orgId": "not-a-uuid", "role": "staff"}"#, .json, 400),
                ("/api/v1/users", #"{"username": "abcd", "password": "Long-enough-1", "orgId": "\#(UUID())", "role": "staff"}"#, .json, 404),
                ("/api/v1/users", #"{"username": "abcd", "password": "Long-enough-1", "orgId": "\#(county.id!)", "role": "king"}"#, .json, 422),
                ("/api/v1/users", #"{"username": "a b", "password": "Long-enough-1", "orgId": "\#(county.id!)", "role": "staff"}"#, .json, 422),
                ("/api/v1/users", #"{"username": "abcd", "password": "short", "orgId": "\#(county.id!)", "role": "staff"}"#, .json, 422),
                ("/api/v1/users", "username=abc", .plainText, 400),
                ("/api/v1/session", "[]", .json, 400),
                ("/api/v1/campaigns", #"{"year": "2023"}"#, .json, 400),
                ("/api/v1/campaigns", #"{"year": 2022}"#, .json, 409),
                ("/api/v1/campaigns", #"{"year": 1999}"#, .json, 422),
            ]
            for (path, body, type, status) in cases {
                let res = try await post(app, path, headers: admin, raw: body, contentType: type)
                #expect(res.status.code == status, "\(path) \(body.prefix(80)) → \(res.status)")
                #expect(res.headers.contentType == .json, "\(path) \(body.prefix(80))")
                #expect(isChinese(res.errorMessage), "\(path) \(body.prefix(80)) → \(res.body.string.prefix(200))")
            }
            #expect(try await User.query(on: app.db).count() == usersBefore)
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test func oversizedBodiesAreRefusedBeforeTheyAreRead() async throws {
        try await withTestApp { app in
            // A real server: the body limit is enforced while the request streams in.
            let tester = try app.testing(method: .running(port: freePort()))
            let big = "{\"username\": \"" + String(repeating: "x", count: 2_000_000) + "\"}"
            try await tester.test(.POST, "/api/v1/session", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: big)) { res in
                #expect(res.status == .payloadTooLarge)
                #expect(res.errorMessage?.contains("过大") == true)
            }
            #expect(try await AuditEvent.query(on: app.db).count() == 0)
        }
    }

    @Test func unknownAPIPathsAndMissingTokensAreJSONToo() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/api/v1/nothing-here") { res in
                #expect(res.status == .unauthorized || res.status == .notFound)
                #expect(isChinese(res.errorMessage))
            }
            try await app.testing().test(.GET, "/api/v1/orgs", headers: ["Authorization": "Bearer forged"]) { res in
                #expect(res.status == .unauthorized)
                #expect(res.errorMessage == "请先登录")
            }
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.GET, "/api/v1/nothing-here", headers: admin) { res in
                #expect(res.status == .notFound)
                #expect(isChinese(res.errorMessage))
            }
            try await app.testing().test(.GET, "/api/v1/orgs/12345", headers: admin) { res in
                #expect(res.status == .notFound)
            }
        }
    }
}
