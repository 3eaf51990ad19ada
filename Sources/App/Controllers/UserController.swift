// Accounts: admins create users inside their own subtree, never above their role or permission.
import Fluent
import LiangbangCore
import Vapor

struct UserController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(RequireLogin(), RequireRole(.admin)).post("orgs", ":orgID", "users", use: createForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        // Accounts (roles, sensitive-data flags, names) are for those who manage or coordinate them, never volunteers.
        api.grouped(RequireRole(.admin, .staff)).get("users", use: list)
        api.get("me", use: me)
        api.post("me", "password", use: changeOwnPassword)
        let admins = api.grouped(RequireRole(.admin))
        admins.post("users", use: create)
        admins.patch("users", ":userID", use: update)
        admins.post("users", ":userID", "reset-password", use: resetPassword)
        admins.on(.POST, "users", "import", body: .collect(maxSize: "20mb"), use: importAccounts)
    }

    /// The import's report, and once committed each new account with its temporary password (shown only here).
    struct ImportResponse: Content {
        let stored, added, updated, removed, errorCount, warningCount: Int
        let errors, warnings: [ImportProblem]
        let committed: Bool
        let changes: [ImportChange]
        let accounts: [AccountImport.Created]
    }

    /// Multipart `file` (单位名称或代码, 用户名, 姓名, 角色, 手机号), `?dryRun=true` to check only; 422 with every problem.
    func importAccounts(req: Request) async throws -> Response {
        struct Query: Content { var dryRun: Bool? }
        let query = try req.query.decode(Query.self)
        guard let file = try? req.content.decode(PairingAPIController.Upload.self).file else {
            throw AppError.invalid("请以 multipart/form-data 上传文件（字段名 file）")
        }
        let (r, created): (ImportReport, [AccountImport.Created])
        do {
            (r, created) = try await req.accountImport.run(data: Data(buffer: file.data), filename: file.filename, commit: !(query.dryRun ?? false))
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
        let body = ImportResponse(stored: r.stored, added: r.added, updated: r.updated, removed: r.removed, errorCount: r.errorCount,
                                  warningCount: r.warningCount, errors: r.errors, warnings: r.warnings, committed: r.committed, changes: r.changes, accounts: created)
        return try await body.encodeResponse(status: r.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    func update(req: Request) async throws -> User.DTO {
        try await req.accounts.update(req.parameters.get("userID", as: UUID.self), try req.content.decode(Accounts.Change.self)).toDTO()
    }

    struct TemporaryPassword: Content { let temporaryPassword: String }

    func resetPassword(req: Request) async throws -> TemporaryPassword {
        TemporaryPassword(temporaryPassword: try await req.accounts.resetPassword(req.parameters.get("userID", as: UUID.self)).1)
    }

    struct PasswordInput: Content { let currentPassword: String; let newPassword: String }

    /// 204 once changed; 422 with the password rules in Chinese.
    func changeOwnPassword(req: Request) async throws -> HTTPStatus {
        let input = try req.content.decode(PasswordInput.self)
        if let problem = try await req.accounts.changeOwnPassword(current: input.currentPassword, new: input.newPassword) {
            let field = problem == "当前密码不正确" ? "currentPassword" : "newPassword"
            throw AppError.invalid(problem + "（密码至少8位、不能全是数字）", problems: [.init(field: field, message: problem)])
        }
        return .noContent
    }

    struct CreateInput: Content {
        let username: String
        let password: String
        let orgId: UUID
        let role: String
        let displayName: String?
        let sensitiveData: Bool?
    }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(CreateInput.self)
        let user = try await Self.createUser(req, input)
        return try await user.toDTO().encodeResponse(status: .created, for: req)
    }

    /// `?orgId=` one unit; `?q=` part of a username, a name, or a unit's name or code.
    func list(req: Request) async throws -> ItemList<User.DTO> {
        let q = req.query[String.self, at: "q"].map { String($0.prefix(60)) }
        return ItemList(try await req.accounts.list(orgID: req.query[UUID.self, at: "orgId"], q: q).map { try $0.0.toDTO() })
    }

    struct Me: Content {
        let user: User.DTO
        let org: Organization.DTO
    }

    func me(req: Request) async throws -> Me {
        let current = try req.access.current
        return Me(user: try current.user.toDTO(), org: try current.org.toDTO())
    }

    func createForm(req: Request) async throws -> Response {
        struct Form: Content {
            let username: String?; let password: String?; let role: String?
            let displayName: String?; let sensitiveData: String?
        }
        let form = try req.content.decode(Form.self)
        guard let orgID = req.parameters.get("orgID", as: UUID.self) else { throw AppError.notFound("该组织") }
        let input = CreateInput(username: form.username ?? "", password: form.password ?? "", orgId: orgID, role: form.role ?? "",
                                displayName: form.displayName, sensitiveData: form.sensitiveData == "on")
        return try await req.formAction(back: "/orgs/\(orgID)", page: { try await OrganizationController().orgPage(req: req) }) {
            let user = try await Self.createUser(req, input)
            return "已创建用户 \(user.username)（\(user.role.label)）"
        }
    }

    static func createUser(_ req: Request, _ input: CreateInput) async throws -> User {
        let org = try await req.access.organization(input.orgId)
        guard let role = Role(rawValue: input.role) else {
            throw AppError.invalid("角色无效，可选：" + Role.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"),
                                   problems: [.init(field: "role", message: "角色无效")])
        }
        let sensitive = input.sensitiveData ?? false
        try req.access.enforce(AccessPolicy.createUser(by: try req.access.current.actor, inOrgPath: org.path, role: role, sensitiveData: sensitive))
        let username = input.username.trimmingCharacters(in: .whitespaces)
        if let message = AccountRules.usernameProblem(username) {
            throw AppError.invalid(message, problems: [.init(field: "username", message: message)])
        }
        if let why = SessionController.passwordProblem(input.password) {
            throw AppError.invalid(why, problems: [.init(field: "password", message: why)])
        }
        if try await User.query(on: req.db).filter(\.$username == username).count() > 0 {
            var error = AppError.conflict("用户名“\(username)”已被使用，请换一个")
            error.problems = [.init(field: "username", message: error.message)]
            throw error
        }
        let displayName = (input.displayName?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : String($0.prefix(40)) } ?? username
        let user = User(username: username, displayName: displayName, passwordHash: try await req.password.async.hash(input.password),
                        orgID: org.id!, role: role, sensitiveData: sensitive, mustChangePassword: true)
        try await user.create(on: req.db)
        req.auditDetail = "在\(org.name)创建用户 \(username)（\(role.label)\(sensitive ? "，含敏感数据权限" : "")）"
        return user
    }
}
