// Test harness: each test gets its own database — in-memory SQLite, or a fresh schema of the
// PostgreSQL named by DATABASE_URL — migrated and seeded exactly as on a first start.
@testable import App
import Fluent
import LiangbangCore
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

enum TestEnv {
    static let adminPassword = "Admin-pass-2022"
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
    static let secretKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()

    static func config(dataDirectory: String? = nil, schema: String? = nil, fileDatabase: Bool = false) -> AppConfig {
        let dir = dataDirectory ?? NSTemporaryDirectory() + "liangbang-test-" + UUID().uuidString
        let database: AppConfig.Database
        if let url = postgresURL {
            database = .postgres(url: url, searchPath: schema ?? "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())
        } else {
            database = fileDatabase ? .sqliteFile(dir + "/liangbang.sqlite") : .sqliteMemory
        }
        return AppConfig(dataDirectory: dir, database: database, adminPassword: adminPassword, secretKeyBase64: secretKey,
                         trustProxy: false, bcryptCost: 4, maxFailedLogins: 5, lockMinutes: 15, webSessionHours: 12,
                         apiTokenDays: 30, secureCookies: false)
    }
}

/// Runs `test` against a freshly configured app and tears it (and its PostgreSQL schema) down afterwards.
func withTestApp<T>(config: AppConfig? = nil, dropSchema: Bool = true, _ test: (Application) async throws -> T) async throws -> T {
    let config = config ?? TestEnv.config()
    // Swift Testing starts every test at once; on PostgreSQL each app opens a pool of its own, and 168 of them
    // exceed the server's max_connections ("too many clients already"). The gate lets a bounded number run.
    let gated: Bool
    if case .postgres = config.database { gated = true } else { gated = false }
    if gated { await PostgresTestGate.shared.enter() }
    defer { if gated { Task { await PostgresTestGate.shared.leave() } } }
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    do {
        try await configure(app, config: config)
        let result = try await test(app)
        try await cleanUp(app, config: config, dropSchema: dropSchema)
        try await app.asyncShutdown()
        return result
    } catch {
        try? await cleanUp(app, config: config, dropSchema: dropSchema)
        try? await app.asyncShutdown()
        throw error
    }
}

/// A counting semaphore for test apps on PostgreSQL: 16 apps × 8 pooled connections stay well under the
/// throwaway server's max_connections (300), with room for tests that open connections of their own.
actor PostgresTestGate {
    static let shared = PostgresTestGate(permits: 16)
    private var permits: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(permits: Int) { self.permits = permits }

    func enter() async {
        if permits > 0 { permits -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { permits += 1 } else { waiting.removeFirst().resume() }
    }
}

private func cleanUp(_ app: Application, config: AppConfig, dropSchema: Bool) async throws {
    if dropSchema, case .postgres(_, let schema?) = config.database {
        try await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }
}

// MARK: Builders

extension Application {
    func org(named name: String) async throws -> Organization {
        guard let org = try await Organization.query(on: db).filter(\.$name == name).first() else {
            throw TestFailure("no organisation named \(name)")
        }
        return org
    }

    @discardableResult
    func makeUser(_ username: String, in orgName: String, role: Role, sensitiveData: Bool = false, password: String = "Secret-pass-1") async throws -> User {
        let org = try await org(named: orgName)
        let user = User(username: username, displayName: username, passwordHash: try Bcrypt.hash(password, cost: 4),
                        orgID: org.id!, role: role, sensitiveData: sensitiveData)
        try await user.create(on: db)
        return user
    }

    /// Signs in through the API and returns the bearer headers.
    func bearer(_ username: String, password: String = "Secret-pass-1") async throws -> HTTPHeaders {
        var headers = HTTPHeaders()
        try await testing().test(.POST, "/api/v1/session", beforeRequest: { req in
            try req.content.encode(["username": username, "password": password])
        }, afterResponse: { res in
            guard res.status == .ok else { throw TestFailure("login \(username) failed: \(res.status) \(res.body.string)") }
            headers.bearerAuthorization = .init(token: try res.content.decode(SessionController.TokenResponse.self).token)
        })
        return headers
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Application {
    /// The login page's pre-session cookie and CSRF token, as a browser gets them before posting the form.
    func loginForm() async throws -> (cookie: String, csrf: String) {
        var result = ("", "")
        try await testing().test(.GET, "/login") { res in
            let nonce = try #require(res.headers.setCookie?[LoginCookie.name])
            let html = res.body.string
            let marker = #"name="_csrf" value=""#
            let start = try #require(html.range(of: marker)).upperBound
            result = ("\(LoginCookie.name)=\(nonce.string)", String(html[start...].prefix(32)))
        }
        return result
    }

    /// Posts the login form as a browser does (pre-session cookie and token first).
    /// Signs in through the login form and returns the Cookie header and the CSRF token of the session.
    func signIn(_ username: String, _ password: String) async throws -> (cookie: String, csrf: String) {
        var cookie = ""
        try await postLogin(["username": username, "password": password]) { res in
            let value = try #require(res.headers.setCookie?[SessionCookie.name])
            cookie = "\(SessionCookie.name)=\(value.string)"
        }
        var csrf = ""
        try await testing().test(.GET, "/account/password", headers: ["Cookie": cookie]) { res in
            let html = res.body.string
            let marker = #"name="_csrf" value=""#
            let start = try #require(html.range(of: marker)).upperBound
            csrf = String(html[start...].prefix(32))
        }
        return (cookie, csrf)
    }

    func postLogin(_ fields: [String: String], check: (TestingHTTPResponse) async throws -> Void) async throws {
        let (cookie, csrf) = try await loginForm()
        try await testing().test(.POST, "/login", headers: ["Cookie": cookie], beforeRequest: { req in
            try req.content.encode(fields.merging(["_csrf": csrf]) { a, _ in a }, as: .urlEncodedForm)
        }, afterResponse: check)
    }
}

extension Application {
    /// A page as a signed-in browser gets it (the session cookie from `signIn`), expecting `status`.
    func page(_ path: String, cookie: String, status: HTTPStatus = .ok,
              sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let res = try await testing().sendRequest(.GET, path, headers: ["Cookie": cookie])
        #expect(res.status == status, "\(path) \(res.status)", sourceLocation: sourceLocation)
        return res.body.string
    }
}

extension TestingHTTPResponse {
    /// The `message` of a JSON error body.
    var errorMessage: String? {
        struct Body: Decodable { let error: String; let message: String }
        return try? JSONDecoder().decode(Body.self, from: Data(buffer: body)).message
    }
}

/// A TCP port nobody listens on now: the kernel picks it (port 0), so parallel runs and other servers on the
/// machine cannot collide with it the way a random guess could.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// True when the text contains Chinese characters (every user-facing message must).
func isChinese(_ text: String?) -> Bool {
    text?.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) } ?? false
}

extension Application {
    /// For tests about 附件3's activity quotas: the campaign's training quotas (work item 6, `TrainingTests`) removed,
    /// so a unit's colour and missing list speak of activities and submissions only.
    func keepOnlyActivityQuotas() async throws {
        try await CampaignQuota.query(on: db).filter(\.$metric ~~ [.trainingClasses, .trainingPersonTimes, .trainingTrainees]).delete()
    }
}
