// Accounts in bulk from a sheet (单位名称或代码, 用户名, 姓名, 角色, 手机号), on the shared import pipeline: read,
// locate the header, check every line, preview, then create all or nothing. Each new account gets a temporary
// password, shown once on a printable sheet (and in the API's answer), and must change it at its first sign-in.
import Fluent
import LiangbangCore
import Vapor

struct AccountImport {
    let request: Request
    var db: any Database { request.db }

    /// An account made by a commit, with the password to hand over.
    struct Created: Content {
        let unit: String
        let username: String
        let displayName: String
        let role: String
        let temporaryPassword: String
    }

    struct Checked {
        var report: ImportReport
        var lines: [(AccountEntry, Organization)]
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    /// Larger files are refused: each account costs a bcrypt hash (a quarter second) on commit.
    static let maxLines = 2000

    func check(data: Data, filename: String) async throws -> Checked {
        let me = try request.access.current
        try request.access.enforce(AccessPolicy.manageUser(by: me.actor, targetOrgPath: me.org.path, isSelf: false,
                                                           changesRoleOrStatus: false, changesSensitiveData: false))
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: AccountColumn.specs)
        var report = ImportReport(stored: 0)
        let layout: TableLayout
        switch TableLayout.locate(in: rows, columns: AccountColumn.specs) {
        case .success(let found): layout = found
        case .failure(let problem):
            report.refuse(row: rows.first?.number ?? 1, column: "表头", message: problem.message)
            return Checked(report: report, lines: [], layout: nil, problems: [])
        }
        guard layout.rows.count <= Self.maxLines else {
            report.refuse(row: layout.headerRow, column: "表头", message: "一次最多导入\(Self.maxLines)个账户，请拆分后分批上传")
            return Checked(report: report, lines: [], layout: layout, problems: [])
        }
        var problems: [RowProblem] = []
        var entries: [AccountEntry] = []
        for row in layout.rows {
            let (entry, found) = AccountRules.validate(row: row.number) { TextNormaliser.clean(row.cell(layout.columns[$0])) }
            problems += found
            if let entry { entries.append(entry) }
        }
        problems += AccountRules.crossCheck(entries)
        // Units by name or code, inside the caller's subtree only.
        let units = try await request.access.visibleOrganizations().all()
        let byCode = Dictionary(units.compactMap { u in u.code.map { ($0, u) } }, uniquingKeysWith: { a, _ in a })
        let byName = Dictionary(grouping: units, by: \.name)
        let taken = Set(try await User.query(on: db).filter(\.$username ~~ entries.map(\.username)).all(\.$username))
        var lines: [(AccountEntry, Organization)] = []
        for e in entries {
            if taken.contains(e.username) {
                problems.append(RowProblem(row: e.row, column: AccountColumn.username, message: "用户名“\(e.username)”已被使用，请换一个"))
            }
            let named = byName[e.unit] ?? byName[e.unit.hasSuffix("团委") ? String(e.unit.dropLast(2)) : e.unit] ?? []
            if let unit = byCode[e.unit] ?? (named.count == 1 ? named[0] : nil) {
                lines.append((e, unit))
            } else {
                problems.append(RowProblem(row: e.row, column: AccountColumn.unit, message: named.count > 1
                    ? "有多个单位名为“\(e.unit)”，请改填单位代码"
                    : "“\(e.unit)”不是本单位或下级单位的名称或代码，请核对（只能为本单位及下级单位创建账户）"))
            }
        }
        report.added = lines.count
        for (e, unit) in lines { report.note("added", e.username, "\(unit.name) · \(e.displayName) · \(e.role.label)") }
        report.list(problems, position: layout.columns, layout: layout, subjectColumn: AccountColumn.username)
        return Checked(report: report, lines: lines, layout: layout, problems: problems)
    }

    /// Checks and, when `commit` and nothing is wrong, creates every account in one transaction.
    func run(data: Data, filename: String, commit: Bool) async throws -> (ImportReport, [Created]) {
        var checked = try await check(data: data, filename: filename)
        guard commit, checked.report.errors.isEmpty, !checked.lines.isEmpty else { return (checked.report, []) }
        let me = try request.access.current
        // The hashes first (slow, on the thread pool), then one short transaction.
        var made: [(User, Created)] = []
        for (entry, unit) in checked.lines {
            let temporary = Accounts.temporaryPassword()
            let user = User(username: entry.username, displayName: entry.displayName, passwordHash: try await request.password.async.hash(temporary),
                            orgID: unit.id!, role: entry.role, mustChangePassword: true)
            user.phone = entry.phone
            made.append((user, Created(unit: unit.name, username: entry.username, displayName: entry.displayName, role: entry.role.label,
                                       temporaryPassword: temporary)))
        }
        let users = made.map(\.0)
        // A username taken meanwhile fails the unique index: nothing is stored (409).
        try await db.writeTransaction(lock: me.org.id!) { tx in
            for chunk in users.chunked(into: 200) { try await Array(chunk).create(on: tx) }
        }
        checked.report.committed = true
        checked.report.stored = users.count
        request.auditDetail = "批量创建账户\(users.count)个（\(Set(checked.lines.map(\.1.name)).sorted().prefix(5).joined(separator: "、"))\(checked.lines.count > 5 ? "等" : "")）"
        return (checked.report, made.map(\.1))
    }
}

extension Request {
    var accountImport: AccountImport { AccountImport(request: self) }
}
