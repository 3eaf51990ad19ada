// Upload on the web, for every form on the import pipeline: check and preview, then commit; the error workbook
// for a refused file. What differs between forms (whose table, which importer, what to say) is an `ImportForm`.
import Fluent
import LiangbangCore
import Vapor

extension Request {
    private struct ImportTargetKey: StorageKey { typealias Value = UUID }
    /// The record an upload is for (see `ImportForm.writableUnit(_:_:target:)`).
    var importTarget: UUID? {
        get { storage[ImportTargetKey.self] }
        set { storage[ImportTargetKey.self] = newValue }
    }
}

/// One form the web import serves: the roster (附件2) or the activity table (附件3).
protocol ImportForm: Sendable {
    /// The path segment (`roster` → `/roster/import`) and the `pending_imports.kind`.
    static var name: String { get }
    static var title: String { get }
    static var backLabel: String { get }
    static var defaultMode: ImportMode { get }
    static var columns: [ColumnSpec] { get }
    static func back(campaign: Int?, orgID: UUID?) -> String
    /// The unit whose table the caller may change (404/403 otherwise).
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization
    static func check(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode) async throws
        -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem])
    static func run(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport
    /// The audit sentence and the success message after a commit.
    static func committed(_ report: ImportReport, unit: Organization) -> (audit: String, flash: String)
    /// Called before the error workbook (which holds what the user uploaded) leaves the server again.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async
    /// The answer after a commit: by default back to the form's page with the success message.
    static func afterCommit(_ req: Request, back: String, flash: String) async throws -> Response
    /// For a form whose upload is for one record inside the unit (`targetId`, a team's member list): that record's
    /// unit, checked; `req.importTarget` holds the record for `check` and `run`. By default there is none.
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String
}

extension ImportForm {
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization { try await writableUnit(req, orgID) }
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String { back(campaign: campaign, orgID: orgID) }

    static func afterCommit(_ req: Request, back: String, flash: String) async throws -> Response {
        req.redirect(to: back, flash: "success", flash)
    }
}

struct ImportController<Form: ImportForm>: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff))
        let base = writers.grouped(PathComponent(stringLiteral: Form.name), "import")
        base.on(.POST, body: .collect(maxSize: "20mb"), use: upload)
        base.get(":importID", use: preview)
        base.post(":importID", "commit", use: commit)
        // A download that writes an audit row is a POST (with the page's CSRF token), never a link another site can plant.
        base.post(":importID", "errors.xlsx", use: errorWorkbook)
    }

    struct UploadForm: Content {
        var file: File?
        var mode: String?
        var campaign: Int?
        var orgId: UUID?
        var targetId: UUID?
    }

    /// Stores the upload (encrypted, for one day) and shows what it would do.
    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file, file.data.readableBytes > 0 else {
            return req.redirect(to: Form.back(campaign: form.campaign, orgID: form.orgId, target: form.targetId), flash: "error", "请选择要上传的 .xlsx 或 .csv 文件")
        }
        let campaign = try await req.access.campaign(form.campaign)
        let unit = try await Form.writableUnit(req, form.orgId, target: form.targetId)
        let pending = try await PendingUpload.store(req, kind: Form.name, file: file, org: unit, campaign: campaign,
                                                    mode: form.mode.flatMap(ImportMode.init(rawValue:)) ?? Form.defaultMode, target: form.targetId)
        return req.redirect(to: "/\(Form.name)/import/\(pending.id!)")
    }

    /// The upload, its unit and campaign — only for the user who uploaded it.
    private func pending(_ req: Request) async throws -> (PendingImport, Campaign, Organization, Data) {
        let (pending, campaign, data) = try await PendingUpload.load(req, kind: Form.name)
        let unit = try await Form.writableUnit(req, pending.orgID, target: pending.targetID)
        req.importTarget = pending.targetID
        return (pending, campaign, unit, data)
    }

    func preview(req: Request) async throws -> View {
        let (pending, campaign, unit, data) = try await pending(req)
        return try await ImportPreviewPage.render(
            req, title: Form.title, pending: pending, unit: unit, year: campaign.year, base: "/\(Form.name)/import",
            back: Form.back(campaign: campaign.year, orgID: unit.id, target: pending.targetID), backLabel: Form.backLabel) {
            try await Form.run(req, campaign, unit, data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: false)
        }
    }

    func commit(req: Request) async throws -> Response {
        let (pending, campaign, unit, data) = try await pending(req)
        let back = Form.back(campaign: campaign.year, orgID: unit.id, target: pending.targetID)
        // A replace that deletes rows needs the box ticked that says they were looked at (the preview lists them).
        if PendingUpload.mode(pending) == .replace, (try? req.content.get(String.self, at: "confirmDelete")) != "1" {
            let checked = try? await Form.run(req, campaign, unit, data: data, filename: pending.filename, mode: .replace, commit: false)
            if let removed = checked?.removed, removed > 0 {
                return req.redirect(to: "/\(Form.name)/import/\(pending.id!)", flash: "error",
                                    "替换将删除\(removed)条现有数据，请核对下方列出的将删除的数据，勾选确认后再导入")
            }
        }
        let report: ImportReport
        do {
            report = try await Form.run(req, campaign, unit, data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: true)
        } catch let error as UnreadableUpload {
            return req.redirect(to: back, flash: "error", error.message)
        }
        guard report.committed else {
            return req.redirect(to: "/\(Form.name)/import/\(pending.id!)", flash: "error", "文件有\(report.errorCount)处错误，未保存任何数据")
        }
        try await pending.delete(on: req.db)
        let said = Form.committed(report, unit: unit)
        req.auditDetail = req.auditDetail ?? said.audit
        return try await Form.afterCommit(req, back: back, flash: said.flash)
    }

    func errorWorkbook(req: Request) async throws -> Response {
        let (pending, campaign, unit, data) = try await pending(req)
        do {
            let (rows, merges) = try UploadedTable.table(data: data, filename: pending.filename, columns: Form.columns)
            let checked = try await Form.check(req, campaign, unit, data: data, filename: pending.filename, mode: PendingUpload.mode(pending))
            await Form.willSendErrorWorkbook(req, pending: pending, unit: unit)
            return try ErrorWorkbook.response(rows: rows, merges: merges, layout: checked.layout, report: checked.report, problems: checked.problems,
                                              filename: pending.filename)
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
    }
}

/// 附件2: a university's roster.
enum RosterImportForm: ImportForm {
    static let name = "roster"
    static let title = "导入结对名单"
    static let backLabel = "结对名单"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { RosterColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { RosterController.back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.roster.writableUniversity(orgID) }

    static func check(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode) async throws
        -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem]) {
        let checked = try await req.rosterLines.importer(campaign, unit).check(data: data, filename: filename, mode: mode)
        return (checked.report, checked.layout, checked.problems)
    }

    static func run(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        try await req.rosterLines.importer(campaign, unit).run(data: data, filename: filename, mode: mode, commit: commit)
    }

    static func committed(_ r: ImportReport, unit: Organization) -> (audit: String, flash: String) {
        ("\(unit.name)导入结对名单：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
         "导入成功：新增\(r.added)条，更新\(r.updated)条，删除\(r.removed)条，现有结对\(r.stored)条")
    }

    /// The roster's error workbook holds ID numbers: its download is a sensitive export.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的结对名单）")
    }
}

/// 附件3: a unit's activity table.
enum ActivityImportForm: ImportForm {
    static let name = "activities"
    static let title = "导入活动汇总表"
    static let backLabel = "活动汇总表"
    static let defaultMode = ImportMode.replace
    static var columns: [ColumnSpec] { ActivityColumns.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { ActivityController.back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.activityLines.writableUnit(orgID) }

    static func check(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode) async throws
        -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem]) {
        let checked = try await req.activityImporter(campaign, unit).check(data: data, filename: filename, mode: mode)
        return (checked.report, checked.layout, checked.problems)
    }

    static func run(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        try await req.activityImporter(campaign, unit).run(data: data, filename: filename, mode: mode, commit: commit)
    }

    static func committed(_ r: ImportReport, unit: Organization) -> (audit: String, flash: String) {
        ("\(unit.name)导入活动汇总表：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
         "导入成功：新增\(r.added)项，更新\(r.updated)项，删除\(r.removed)项，现有活动\(r.stored)项")
    }

    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {}
}
