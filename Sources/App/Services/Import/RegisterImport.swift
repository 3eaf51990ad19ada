// The import pipeline of the work-item registers (practice teams, a team's members, 百校百号 pairs, 返家乡
// students, target shares): read → locate header → validate lines with the core's rules → rules across lines →
// compare with what the unit keeps → preview, or commit everything in one transaction. Each register says only
// what differs (`RegisterSpec`).
import Fluent
import Foundation
import LiangbangCore
import Vapor

protocol RegisterSpec: Sendable {
    associatedtype Entry: Sendable
    associatedtype Row: Model

    var columns: [ColumnSpec] { get }
    /// The column that names a line in the report (姓名, 团队名称…).
    var subjectColumn: String { get }
    /// The write lock (see `Database.writeTransaction`).
    var lock: UUID? { get }

    func validate(_ input: RegisterInput) -> (Entry?, [RowProblem])
    /// Rules across the file's lines and the rest of the register (duplicates, overlaps); warnings allowed.
    func crossCheck(_ entries: [Entry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem]
    /// The rows the file stands for: compared, updated, and in replace mode removed.
    func stored(_ db: any Database) async throws -> [Row]
    /// Lines and rows with the same key are the same record.
    func key(_ entry: Entry) -> String
    func key(_ row: Row) -> String
    func describe(_ entry: Entry) -> (name: String, detail: String)
    func describe(_ row: Row) -> (name: String, detail: String)
    /// The columns whose values differ (empty: unchanged).
    func changes(_ row: Row, _ entry: Entry) -> [String]
    /// Writes the entry into a stored row, or a new one when `row` is nil.
    func fill(_ row: Row?, _ entry: Entry) throws -> Row
    /// After the lines are written, inside the transaction (a team's member count).
    func finish(_ db: any Database) async throws
}

extension RegisterSpec {
    func crossCheck(_ entries: [Entry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] { [] }
    func finish(_ db: any Database) async throws {}
}

struct RegisterImport<Spec: RegisterSpec> where Spec.Row.IDValue == UUID {
    let db: any Database
    let spec: Spec

    struct Checked {
        var report: ImportReport
        var entries: [Spec.Entry]
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    func check(data: Data, filename: String, mode: ImportMode) async throws -> Checked {
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: spec.columns)
        let existing = try await spec.stored(db)
        var report = ImportReport(stored: existing.count)
        let read = ImportLines.read(rows, columns: spec.columns, validate: spec.validate)
        guard let layout = read.layout else {
            report.refuse(row: read.headerProblem.row, column: "表头", message: read.headerProblem.message)
            return Checked(report: report, entries: [], layout: nil, problems: [])
        }
        let entries = read.entries
        var problems = read.problems
        let byKey = Dictionary(existing.map { (spec.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let keys = entries.map(spec.key)
        let replacing: Set<UUID> = mode == .replace ? Set(existing.compactMap(\.id)) : Set(keys.compactMap { byKey[$0]?.id })
        problems += try await spec.crossCheck(entries, replacing: replacing, db: db)

        for (entry, key) in zip(entries, keys) {
            let said = spec.describe(entry)
            if let row = byKey[key] {
                let fields = spec.changes(row, entry)
                if !fields.isEmpty { report.updated += 1; report.note("updated", said.name, "改动：" + fields.joined(separator: "、")) }
            } else {
                report.added += 1
                report.note("added", said.name, said.detail)
            }
        }
        if mode == .replace {
            let kept = Set(keys)
            let removed = existing.filter { !kept.contains(spec.key($0)) }
            report.removed = removed.count
            for row in removed { let said = spec.describe(row); report.note("removed", said.name, said.detail) }
        }
        report.list(problems, position: layout.columns, layout: layout, subjectColumn: spec.subjectColumn)
        return Checked(report: report, entries: entries, layout: layout, problems: problems)
    }

    func run(data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        var checked = try await check(data: data, filename: filename, mode: mode)
        guard commit, checked.report.errors.isEmpty else { return checked.report }
        let entries = checked.entries, spec = spec
        let changes = try await db.writeTransaction(lock: spec.lock) { tx in
            // Checked again under the lock: someone may have written since the preview.
            let again = try await RegisterImport(db: tx, spec: spec).check(data: data, filename: filename, mode: mode)
            guard again.report.errors.isEmpty else { throw AppError.invalid("导入期间数据已被他人修改，请重新上传检查") }
            return try await RegisterImport(db: tx, spec: spec).apply(entries, mode: mode)
        }
        checked.report.record(changes)
        checked.report.stored = try await spec.stored(db).count
        checked.report.committed = true
        return checked.report
    }

    private func apply(_ entries: [Spec.Entry], mode: ImportMode) async throws -> ImportChanges {
        var changes = ImportChanges()
        let existing = try await spec.stored(db)
        var byKey = Dictionary(existing.map { (spec.key($0), $0) }, uniquingKeysWith: { a, _ in a })
        var kept = Set<UUID>()
        for entry in entries {
            let key = spec.key(entry)
            if let row = byKey[key] {
                let edited = !spec.changes(row, entry).isEmpty
                _ = try spec.fill(row, entry)
                kept.insert(row.id!)
                if edited { try await row.update(on: db); changes.updated += 1 }
            } else {
                let row = try spec.fill(nil, entry)
                try await row.create(on: db)
                byKey[key] = row
                kept.insert(row.id!)
                changes.added += 1
            }
        }
        if mode == .replace {
            let removed = existing.compactMap(\.id).filter { !kept.contains($0) }
            changes.removed = removed.count
            for chunk in removed.chunked(into: 500) { try await Spec.Row.query(on: db).filter(\._$id ~~ Array(chunk)).delete() }
        }
        try await spec.finish(db)
        return changes
    }
}

/// The reading step every line-by-line import shares (the registers, 智能结对's two lists): the header located,
/// each line handed to the form's rule as a `RegisterInput`.
enum ImportLines {
    struct Read<Entry> {
        var layout: TableLayout?
        /// Where and why the header was not found (when `layout` is nil).
        var headerProblem: (row: Int, message: String) = (1, "")
        var entries: [Entry] = []
        var problems: [RowProblem] = []
    }

    static func read<Entry>(_ rows: [SheetRow], columns: [ColumnSpec], validate: (RegisterInput) -> (Entry?, [RowProblem])) -> Read<Entry> {
        var read = Read<Entry>()
        switch TableLayout.locate(in: rows, columns: columns) {
        case .success(let found): read.layout = found
        case .failure(let problem):
            read.headerProblem = (rows.first?.number ?? 1, problem.message)
            return read
        }
        let layout = read.layout!
        for row in layout.rows {
            var values: [String: String] = [:]
            for (title, index) in layout.columns { values[title] = row.cell(index) }
            let (entry, found) = validate(RegisterInput(row: row.number, values: values))
            read.problems += found
            if let entry { read.entries.append(entry) }
        }
        if read.entries.isEmpty && read.problems.isEmpty {
            read.problems.append(RowProblem(row: layout.headerRow, column: "表头", message: "表格中没有数据，请在表头下方逐行填写"))
        }
        return read
    }
}

/// The API's upload for every register: `?campaign=&orgId=&mode=&dryRun=` (or `dryRun` as a form field) and the
/// multipart `file`; 200 with the report, 422 with every problem; nothing is stored when anything is wrong.
enum RegisterUpload {

    struct ImportQuery: Content { var campaign: Int?; var orgId: UUID?; var mode: String?; var dryRun: Bool? }
    struct ImportUpload: Content { var file: File; var dryRun: Bool? }

    static func run<Spec: RegisterSpec>(_ req: Request, defaultMode: ImportMode,
                                              _ make: (Campaign, UUID?) async throws -> (Spec, String)) async throws -> Response where Spec.Row.IDValue == UUID {
        let query = try req.query.decode(ImportQuery.self)
        guard let mode = ImportMode(rawValue: query.mode ?? defaultMode.rawValue) else { throw AppError.invalid("mode 只能是 replace 或 merge") }
        guard let upload = try? req.content.decode(ImportUpload.self) else { throw AppError.invalid("请以 multipart/form-data 上传文件（字段名 file）") }
        let campaign = try await req.access.campaign(query.campaign)
        let (spec, what) = try await make(campaign, query.orgId)
        let report: ImportReport
        do {
            report = try await RegisterImport(db: req.db, spec: spec)
                .run(data: Data(buffer: upload.file.data), filename: upload.file.filename, mode: mode, commit: !(query.dryRun ?? upload.dryRun ?? false))
        } catch let unreadable as UnreadableUpload {
            throw AppError.invalid(unreadable.message)
        }
        if report.committed { req.auditDetail = "\(what)：新增\(report.added)，更新\(report.updated)，删除\(report.removed)" }
        return try await report.encodeResponse(status: report.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }
}
