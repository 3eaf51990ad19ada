// The admins' accounts page: the subtree's users, searchable, with reset password, disable/enable, role and the
// sensitive-data permission. The JSON API does the same through `Accounts`.
import Fluent
import LiangbangCore
import Vapor

struct UserPagesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admins = routes.grouped(RequireLogin(), RequireRole(.admin))
        admins.get("users", use: page)
        admins.post("users", ":userID", use: change)
        admins.post("users", ":userID", "reset-password", use: reset)
        admins.get("users", "import", "template.xlsx", use: template)
    }

    /// The blank sheet for the bulk import: the title (with an example, so no example line is left to import) and
    /// the header.
    func template(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "批量创建账户", title: "批量创建账户（示例：乐昌市 | lc_clerk | 张三 | 工作人员 | 13800138000）",
            header: AccountColumn.specs.map(\.title), rows: [], textColumns: [1, 2, 3, 4, 5])
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let id: UUID; let unit: String; let username: String; let name: String; let role: String; let roleLabel: String
            let sensitiveData: Bool; let lastSignIn: String; let disabled: Bool; let mustChange: Bool; let isSelf: Bool
        }
        struct Option: Encodable { let value: String; let label: String }
        let layout: Layout
        let q: String
        let orgID: UUID?
        let rows: [Row]
        let total: Int
        let roles: [Option]
        let canGrantSensitive: Bool
        let query: String
    }

    func page(req: Request) async throws -> View {
        let q = String((req.query[String.self, at: "q"] ?? "").prefix(60))
        let orgID = req.query[UUID.self, at: "orgId"]
        let me = try req.access.current
        let table = try TableQuery(req, sorts: ["unit", "username", "name", "role", "lastSignIn", "status"])
        let found = try await req.accounts.list(orgID: orgID, q: q)
        let shown = table.page(found, request: req) { row, key in
            let (user, org) = row
            switch key {
            case "unit": return org.code ?? org.name
            case "name": return user.displayName
            case "role": return user.role.label
            case "lastSignIn": return user.lastSignInAt.map { String(Int($0.timeIntervalSince1970)) } ?? "0"
            case "status": return user.disabled ? "2" : user.mustChangePassword ? "1" : "0"
            default: return user.username
            }
        }
        // Buttons come back to this very page (search, sort and page kept).
        let query = URLComponents(string: req.url.string)?.percentEncodedQuery ?? ""
        return try await req.view.render("users", Page(
            layout: await Layout.build(for: req, title: "账户管理"), q: q, orgID: orgID,
            rows: shown.map { user, org in
                Page.Row(id: user.id!, unit: org.name, username: user.username, name: user.displayName, role: user.role.rawValue,
                         roleLabel: user.role.label, sensitiveData: user.sensitiveData,
                         lastSignIn: user.lastSignInAt.map { Layout.time($0) } ?? "从未登录",
                         disabled: user.disabled, mustChange: user.mustChangePassword, isSelf: user.id == me.user.id)
            },
            total: found.count, roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            canGrantSensitive: me.user.sensitiveData, query: query))
    }

    /// One change per button: the row's role, the permission, or the status.
    func change(req: Request) async throws -> Response {
        struct Form: Content { var role: String?; var sensitiveData: String?; var disabled: String?; var back: String? }
        let form = try req.content.decode(Form.self)
        let back = Self.back(form.back)
        return try await req.formAction(back: back, page: { try await page(req: req) }) {
            let change = Accounts.Change(role: form.role, disabled: form.disabled.map { $0 == "1" },
                                         sensitiveData: form.sensitiveData.map { $0 == "1" }, displayName: nil)
            let user = try await req.accounts.update(req.parameters.get("userID", as: UUID.self), change)
            return "已保存账户 \(user.username)"
        }
    }

    struct ResetPage: Encodable {
        let layout: Layout
        let username: String
        let name: String
        let temporaryPassword: String
        let back: String
    }

    /// The temporary password, shown once on this page (never stored in plain text, never in a URL or the log).
    func reset(req: Request) async throws -> Response {
        struct Form: Content { var back: String? }
        let back = Self.back(try req.content.decode(Form.self).back)
        let (user, temporary) = try await req.accounts.resetPassword(req.parameters.get("userID", as: UUID.self))
        let response = try await req.view.render("user-reset", ResetPage(
            layout: await Layout.build(for: req, title: "重置密码"), username: user.username, name: user.displayName,
            temporaryPassword: temporary, back: back)).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    /// Back to the list as it was filtered: a same-site path (`SessionController.safeNext`'s rule) on this page.
    static func back(_ text: String?) -> String {
        let path = SessionController.safeNext(text)
        return path.hasPrefix("/users") ? path : "/users"
    }
}
