// The web side of every import: the upload kept (encrypted, one day) until its preview is confirmed,
// the preview page, and the error workbook. The roster and the activity table both go through here.
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Vapor

enum PendingUpload {
    /// Stores an uploaded file for the user who sent it.
    static func store(_ req: Request, kind: String, file: File, org: Organization, campaign: Campaign, mode: ImportMode,
                      target: UUID? = nil) async throws -> PendingImport {
        let pending = PendingImport()
        pending.targetID = target
        pending.kind = kind
        pending.userID = try req.access.current.user.id!
        pending.orgID = org.id!
        pending.campaignID = campaign.id!
        pending.filename = String(file.filename.prefix(200))
        pending.mode = mode.rawValue
        pending.payload = try req.cipher.sealData(Data(buffer: file.data))
        // Uploads older than a day are never needed again.
        try await PendingImport.query(on: req.db).filter(\.$createdAt < req.now.addingTimeInterval(-86_400)).delete()
        try await pending.create(on: req.db)
        return pending
    }

    /// Stores a file the server wrote (智能结对's proposal as 附件2) as if the user had uploaded it.
    static func store(_ req: Request, kind: String, data: Data, filename: String, org: Organization, campaign: Campaign,
                      mode: ImportMode) async throws -> PendingImport {
        try await store(req, kind: kind, file: File(data: ByteBuffer(data: data), filename: filename), org: org, campaign: campaign, mode: mode)
    }

    /// The upload named by `:importID` — only for the user who sent it, and only of this kind.
    static func load(_ req: Request, kind: String) async throws -> (PendingImport, Campaign, Data) {
        guard let id = req.parameters.get("importID", as: UUID.self), let pending = try await PendingImport.find(id, on: req.db),
              pending.kind == kind, pending.userID == (try req.access.current.user.id) else {
            throw AppError.notFound("该上传（可能已过期，请重新上传）")
        }
        guard let campaign = try await Campaign.find(pending.campaignID, on: req.db) else { throw AppError.notFound("活动年度") }
        return (pending, campaign, try req.cipher.openData(pending.payload))
    }

    static func mode(_ pending: PendingImport) -> ImportMode { ImportMode(rawValue: pending.mode) ?? .merge }
}

/// The preview of an upload (import-preview.leaf): what it would add, update and remove, or every problem.
struct ImportPreviewPage: Encodable {
    let layout: Layout
    let id: UUID
    let filename: String
    let unit: String
    let year: Int
    let orgID: UUID
    let targetID: UUID?
    let replace: Bool
    /// Where the upload form posts (`/roster/import`), and the page to go back to.
    let base: String
    let back: String
    let backLabel: String
    let unreadable: String?
    let report: ImportReport?
    let errorsShown: [ImportProblem]
    let moreErrors: Int
    /// The rows the import would add, update and delete, by name.
    let addedRows: [ImportChange]
    let updatedRows: [ImportChange]
    let removedRows: [ImportChange]

    static func render(_ req: Request, title: String, pending: PendingImport, unit: Organization, year: Int, base: String,
                       back: String, backLabel: String, check: () async throws -> ImportReport) async throws -> View {
        var report: ImportReport?
        var unreadable: String?
        do { report = try await check() } catch let error as UnreadableUpload { unreadable = error.message }
        let shown = Array((report?.errors ?? []).prefix(500))
        return try await req.view.render("import-preview", ImportPreviewPage(
            layout: await Layout.build(for: req, title: title), id: pending.id!, filename: pending.filename, unit: unit.name, year: year,
            orgID: unit.id!, targetID: pending.targetID, replace: PendingUpload.mode(pending) == .replace, base: base, back: back, backLabel: backLabel,
            unreadable: unreadable, report: report, errorsShown: shown, moreErrors: max(0, (report?.errorCount ?? 0) - shown.count),
            addedRows: report?.changes.filter { $0.kind == "added" } ?? [], updatedRows: report?.changes.filter { $0.kind == "updated" } ?? [],
            removedRows: report?.changes.filter { $0.kind == "removed" } ?? []))
    }
}

extension ErrorWorkbook {
    /// The uploaded sheet with every problem marked; header problems when the header itself was not found.
    static func response(rows: [SheetRow], merges: [CellRange] = [], layout: TableLayout?, report: ImportReport, problems: [RowProblem],
                         filename: String) throws -> Response {
        let headerProblems = layout == nil ? report.errors.map { RowProblem(row: $0.row, column: $0.column, message: $0.message) } : []
        let body = try write(rows: rows, columns: layout?.columns ?? [:], headerRow: layout?.headerRow, problems: problems + headerProblems,
                             merges: merges)
        return Download.response(body, filename: "错误标注-" + filename, format: .xlsx)
    }
}
