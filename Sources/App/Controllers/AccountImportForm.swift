// Accounts in bulk on the web import (`/users/import`): preview, all or nothing, error workbook; after the commit,
// the printable sheet of initial passwords instead of a redirect.
import Fluent
import LiangbangCore
import Vapor

enum AccountImportForm: ImportForm {
    static let name = "users"
    static let title = "批量创建账户"
    static let backLabel = "账户管理"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { AccountColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { "/users" }

    /// The caller's own unit (accounts go anywhere in its subtree); only admins.
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization {
        let me = try req.access.current
        guard me.user.role.canManageUsers else { throw AppError.forbidden("只有管理员可以批量创建账户") }
        return me.org
    }

    static func check(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode) async throws
        -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem]) {
        let checked = try await req.accountImport.check(data: data, filename: filename)
        return (checked.report, checked.layout, checked.problems)
    }

    static func run(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        let (report, created) = try await req.accountImport.run(data: data, filename: filename, commit: commit)
        req.createdAccounts = created
        return report
    }

    static func committed(_ r: ImportReport, unit: Organization) -> (audit: String, flash: String) {
        ("批量创建账户\(r.added)个", "已创建\(r.added)个账户")
    }

    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {}

    struct Sheet: Encodable {
        let layout: Layout
        let accounts: [AccountImport.Created]
        let issuedBy: String
        let issuedAt: String
    }

    /// The initial passwords, once: a page to print and hand out (not stored, never in a URL or the log).
    static func afterCommit(_ req: Request, back: String, flash: String) async throws -> Response {
        let me = try req.access.current
        let response = try await req.view.render("user-passwords", Sheet(
            layout: await Layout.build(for: req, title: "初始密码"), accounts: req.createdAccounts,
            issuedBy: me.org.name, issuedAt: Layout.time(req.now))).encodeResponse(for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

extension Request {
    private struct CreatedAccountsKey: StorageKey { typealias Value = [AccountImport.Created] }
    /// The accounts the import just made, for the answer that shows their passwords.
    var createdAccounts: [AccountImport.Created] {
        get { storage[CreatedAccountsKey.self] ?? [] }
        set { storage[CreatedAccountsKey.self] = newValue }
    }
}
