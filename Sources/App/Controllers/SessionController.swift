// Sign in and out (pages and API), lockout after repeated failures, password change.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

struct SessionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Public
        routes.get("login", use: loginPage)
        routes.post("login", use: loginForm)
        routes.grouped("api", "v1").post("session", use: apiLogin)
        // Signed in
        let signedIn = routes.grouped(RequireLogin())
        signedIn.post("logout", use: logout)
        signedIn.grouped("api", "v1").delete("session", use: apiLogout)
        signedIn.get("account", "password", use: passwordPage)
        signedIn.post("account", "password", use: passwordForm)
    }

    struct Credentials: Content {
        let username: String
        let password: String
    }

    struct TokenResponse: Content {
        let token: String
        let expiresAt: Date
        let user: User.DTO
    }

    // MARK: API

    func apiLogin(req: Request) async throws -> TokenResponse {
        let input = try req.content.decode(Credentials.self)
        let (user, token, expires) = try await Self.signIn(req, input, kind: .api)
        return TokenResponse(token: token, expiresAt: expires, user: try user.toDTO())
    }

    func apiLogout(req: Request) async throws -> HTTPStatus {
        try await req.access.current.token.delete(on: req.db)
        return .noContent
    }

    // MARK: Pages

    struct LoginPage: Encodable {
        let layout: Layout
        let username: String
        let next: String
        let error: String?
        let csrf: String
    }

    func loginPage(req: Request) async throws -> Response {
        if req.currentUser != nil { return req.redirect(to: "/") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await Self.renderLogin(req, username: "", next: next, error: nil, status: .ok)
    }

    /// The login form carries a token bound to a pre-session cookie, so another site cannot sign a user in to the
    /// attacker's account (login CSRF). Nothing is stored: the token is an HMAC of the cookie's random value.
    static func renderLogin(_ req: Request, username: String, next: String, error: String?, status: HTTPStatus) async throws -> Response {
        let nonce = req.cookies[LoginCookie.name]?.string.nilIfEmpty ?? AuthToken.newToken()
        let page = LoginPage(layout: await Layout.build(for: req, title: "登录"), username: username, next: next, error: error,
                             csrf: LoginCookie.token(req, nonce: nonce))
        let response = try await req.view.render("login", page).encodeResponse(status: status, for: req)
        response.cookies[LoginCookie.name] = LoginCookie.make(nonce, secure: req.application.config.secureCookies)
        return response
    }

    func loginForm(req: Request) async throws -> Response {
        struct Form: Content { let username: String?; let password: String?; let next: String?; let _csrf: String? }
        let form = try req.content.decode(Form.self)
        let next = Self.safeNext(form.next)
        guard let nonce = req.cookies[LoginCookie.name]?.string.nilIfEmpty, form._csrf == LoginCookie.token(req, nonce: nonce) else {
            return try await Self.renderLogin(req, username: form.username ?? "", next: next, error: "页面已过期，请重新输入密码登录", status: .forbidden)
        }
        do {
            let (_, token, expires) = try await Self.signIn(req, Credentials(username: form.username ?? "", password: form.password ?? ""), kind: .web)
            let response = req.redirect(to: next)
            response.cookies[SessionCookie.name] = SessionCookie.make(token, expires: expires, secure: req.application.config.secureCookies)
            return response
        } catch let error as AppError where error.status == .unauthorized || error.status == .locked || error.status == .unprocessableEntity {
            return try await Self.renderLogin(req, username: form.username ?? "", next: next, error: error.message, status: error.status)
        }
    }

    func logout(req: Request) async throws -> Response {
        try await req.access.current.token.delete(on: req.db)
        let response = req.redirect(to: "/login")
        response.cookies[SessionCookie.name] = .expired
        return response
    }

    struct PasswordPage: Encodable {
        let layout: Layout
        let mustChange: Bool
        let error: String?
    }

    func passwordPage(req: Request) async throws -> View {
        try await req.view.render("password", PasswordPage(layout: await Layout.build(for: req, title: "修改密码"),
                                                           mustChange: try req.access.current.user.mustChangePassword, error: nil))
    }

    func passwordForm(req: Request) async throws -> Response {
        struct Form: Content { let current: String?; let new: String?; let confirm: String? }
        let form = try req.content.decode(Form.self)
        let me = try req.access.current
        let problem = form.new != form.confirm ? "两次输入的新密码不一致"
            : try await req.accounts.changeOwnPassword(current: form.current ?? "", new: form.new ?? "")
        if let problem {
            let page = PasswordPage(layout: await Layout.build(for: req, title: "修改密码"), mustChange: me.user.mustChangePassword, error: problem)
            return try await req.view.render("password", page).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: "/", flash: "success", "密码已修改")
    }

    // MARK: Shared

    /// Checks credentials with lockout and returns a new session token. Every attempt is audited.
    static func signIn(_ req: Request, _ input: Credentials, kind: AuthToken.Kind) async throws -> (User, String, Date) {
        let config = req.application.config
        let username = input.username.trimmingCharacters(in: .whitespaces)
        guard !username.isEmpty, !input.password.isEmpty, username.count <= 64, input.password.count <= 256 else {
            throw AppError.invalid("请输入用户名和密码")
        }
        let wrong = AppError(status: .unauthorized, code: "bad_credentials", message: "用户名或密码错误")
        guard let user = try await User.query(on: req.db).filter(\.$username == username).first() else {
            // Spend the same time as a real check so usernames cannot be probed by timing.
            _ = try? await req.password.async.verify(input.password, created: dummyHash)
            await req.audit("login.failure", target: "账户 \(InvisibleCharacters.strip(String(username.prefix(64))))", detail: "用户不存在")
            throw wrong
        }
        let now = req.now
        let lockedMessage = { (minutes: Int) in
            AppError(status: .locked, code: "locked", message: "登录失败次数过多，账户已锁定，请\(minutes)分钟后再试")
        }
        if let until = user.lockedUntil, until > now {
            await req.audit("login.locked", target: "账户 \(user.username)", detail: "账户锁定中", user: user)
            throw lockedMessage(max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up))))
        }
        // Each attempt claims its number before the (slow) password check, in one statement: of 40 parallel guesses
        // only the first `maxFailedLogins` are checked at all, so the right password at position 30 cannot slip through.
        let sql = req.db as! any SQLDatabase
        let claimed = try await sql.raw("""
            UPDATE users SET failed_logins = failed_logins + 1
            WHERE id = \(bind: user.id!) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING failed_logins
            """).first()
        guard let attempt = try claimed?.decode(column: "failed_logins", as: Int.self), attempt <= config.maxFailedLogins else {
            await req.audit("login.locked", target: "账户 \(user.username)", detail: "账户锁定中", user: user)
            throw lockedMessage(config.lockMinutes)
        }
        guard try await req.password.async.verify(input.password, created: user.passwordHash) else {
            var detail = "密码错误（第\(attempt)次）"
            if attempt >= config.maxFailedLogins {
                let until = now.addingTimeInterval(TimeInterval(config.lockMinutes * 60))
                try await sql.raw("UPDATE users SET locked_until = \(bind: until), failed_logins = 0 WHERE id = \(bind: user.id!)").run()
                detail += "，账户锁定\(config.lockMinutes)分钟"
                await req.audit("login.failure", target: "账户 \(user.username)", detail: detail, user: user)
                throw lockedMessage(config.lockMinutes)
            }
            await req.audit("login.failure", target: "账户 \(user.username)", detail: detail, user: user)
            throw wrong
        }
        // Right password for a disabled account: say so (only now, so the message reveals nothing to a guesser).
        if user.disabled {
            await req.audit("login.failure", target: "账户 \(user.username)", detail: "账户已停用", user: user)
            throw AppError(status: .forbidden, code: "account_disabled", message: "该账户已停用，请联系本单位管理员")
        }
        // Right password: succeed only if no parallel failure locked the account meanwhile.
        let cleared = try await sql.raw("""
            UPDATE users SET failed_logins = 0, locked_until = NULL, last_sign_in_at = \(bind: now)
            WHERE id = \(bind: user.id!) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING id
            """).first()
        guard cleared != nil else {
            await req.audit("login.locked", target: "账户 \(user.username)", detail: "账户锁定中", user: user)
            throw lockedMessage(config.lockMinutes)
        }
        let token = AuthToken.newToken()
        let expires = kind == .web ? now.addingTimeInterval(TimeInterval(config.webSessionHours * 3600))
                                   : now.addingTimeInterval(TimeInterval(config.apiTokenDays * 86_400))
        try await AuthToken(tokenHash: AuthToken.hash(token), userID: user.id!, kind: kind, expiresAt: expires).create(on: req.db)
        await req.audit("login.success", target: "账户 \(user.username)", detail: kind == .web ? "网页登录" : "API 登录", user: user)
        return (user, token, expires)
    }

    /// A bcrypt hash of nothing in particular, verified against when the user does not exist.
    static let dummyHash = "$2b$04$8f7G5y5Hn0mS0fC1pC5lHu6dQq0xW1p7m4o0yYt5m2bq1bS2YvZ1W"

    static func passwordProblem(_ password: String) -> String? {
        if password.count < 8 { return "密码至少8位" }
        if password.count > 128 { return "密码不能超过128位" }
        if password.allSatisfy(\.isNumber) { return "密码不能全是数字" }
        return nil
    }

    /// Only same-site paths, so the login form cannot redirect elsewhere: one leading `/`, then no `/` or `\`
    /// (browsers read `//host`, `/\host` and, as they drop tabs and newlines, `/\t/host` as another site), and no
    /// control characters or spaces anywhere.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.count <= 1000, next.hasPrefix("/"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.isWhitespace
                  || InvisibleCharacters.isInvisible($0) }) else { return "/" }
        let second = next.dropFirst().first
        guard second != "/" else { return "/" }
        return next
    }
}
