// Finds who is calling (session cookie for pages, bearer token for the API) and checks CSRF on cookie writes.
import Fluent
import LiangbangCore
import Vapor

struct CurrentUser: Sendable {
    let user: User
    let org: Organization
    let token: AuthToken
    /// The session came from the cookie (pages), so writes need the CSRF token.
    let viaCookie: Bool
    var actor: Actor { Actor(role: user.role, sensitiveData: user.sensitiveData, orgPath: org.path) }
}

extension Request {
    private struct CurrentUserKey: StorageKey { typealias Value = CurrentUser }
    var currentUser: CurrentUser? {
        get { storage[CurrentUserKey.self] }
        set { storage[CurrentUserKey.self] = newValue }
    }

    /// The CSRF token of this session: an HMAC of the session token, so nothing extra is stored.
    var csrfToken: String? {
        guard let current = currentUser, current.viaCookie, let raw = cookies[SessionCookie.name]?.string else { return nil }
        _ = current
        return String(appServices.secret.hmacHex("csrf:" + raw).prefix(32))
    }
}

enum SessionCookie {
    static let name = "lb_session"

    static func make(_ token: String, expires: Date, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: token, expires: expires, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

struct Authentication: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var raw: String?
        var viaCookie = false
        if let bearer = request.headers.bearerAuthorization?.token {
            raw = bearer
        } else if let cookie = request.cookies[SessionCookie.name]?.string, !cookie.isEmpty {
            raw = cookie
            viaCookie = true
        }
        // Token, user and organisation in one statement: every request pays for this look-up.
        if let raw, raw.count <= 128,
           let token = try await AuthToken.query(on: request.db)
               .join(User.self, on: \AuthToken.$userID == \User.$id)
               .join(Organization.self, on: \User.$orgID == \Organization.$id)
               .filter(\.$tokenHash == AuthToken.hash(raw))
               .filter(\.$expiresAt > request.now)
               .filter(User.self, \.$disabled == false).first(),
           let user = try? token.joined(User.self),
           let org = try? token.joined(Organization.self) {
            request.currentUser = CurrentUser(user: user, org: org, token: token, viaCookie: viaCookie)
            if viaCookie, ![.GET, .HEAD].contains(request.method) {
                try await checkCSRF(request)
            }
        }
        return try await next.respond(to: request)
    }

    private func checkCSRF(_ request: Request) async throws {
        guard let expected = request.csrfToken else { return }
        var given = request.headers.first(name: "X-CSRF-Token")
        let isMultipart = request.headers.contentType?.type == "multipart"
        if given == nil, request.headers.contentType == .urlEncodedForm || isMultipart {
            // The route collects the body only after the middleware: read it here, within the same limits
            // (uploads are the only multipart forms).
            if request.body.data == nil {
                let limit = isMultipart ? UploadedTable.maxUploadBytes : request.application.routes.defaultMaxBodySize.value
                _ = try await request.eventLoop.flatSubmit { request.body.collect(max: limit) }.get()
            }
            given = try? request.content.get(String.self, at: "_csrf")
        }
        guard given == expected else {
            throw AppError.forbidden("页面已过期，请刷新后重新提交")
        }
    }
}

/// The guard on every non-public route. An account whose password an admin set (created or reset) may do nothing
/// but change it: pages go to the change form, the API answers 403 `password_change_required`.
struct RequireLogin: AsyncMiddleware {
    /// What such an account may still reach (method and path).
    static let beforePasswordChange: Set<String> = ["GET /api/v1/me", "POST /api/v1/me/password", "GET /account/password",
                                                     "POST /account/password", "POST /logout", "DELETE /api/v1/session"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.currentUser else { throw AppError.unauthenticated }
        if current.user.mustChangePassword, !Self.beforePasswordChange.contains("\(request.method.rawValue) \(request.url.path)") {
            if request.url.path.hasPrefix("/api/") {
                throw AppError(status: .forbidden, code: "password_change_required", message: "请先修改管理员设置的初始密码（POST /api/v1/me/password）")
            }
            return request.redirect(to: "/account/password", flash: "info", "请先修改管理员为您设置的初始密码")
        }
        return try await next.respond(to: request)
    }
}

/// Limits a route group to some roles (checked after RequireLogin).
struct RequireRole: AsyncMiddleware {
    let roles: Set<Role>
    init(_ roles: Role...) { self.roles = Set(roles) }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.currentUser else { throw AppError.unauthenticated }
        guard roles.contains(current.user.role) else {
            throw AppError.forbidden("您的角色（\(current.user.role.label)）不能执行此操作")
        }
        return try await next.respond(to: request)
    }
}

/// Limits a route group to users of the provincial committee itself.
struct RequireProvince: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let current = request.currentUser else { throw AppError.unauthenticated }
        guard current.org.kind == .province else { throw AppError.forbidden("只有团省委可以执行此操作") }
        return try await next.respond(to: request)
    }
}

/// The pre-session cookie behind the login form's CSRF token.
enum LoginCookie {
    static let name = "lb_login"

    static func make(_ nonce: String, secure: Bool) -> HTTPCookies.Value {
        HTTPCookies.Value(string: nonce, maxAge: 86_400, path: "/login", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    static func token(_ req: Request, nonce: String) -> String {
        String(req.appServices.secret.hmacHex("login-csrf:" + nonce).prefix(32))
    }
}
