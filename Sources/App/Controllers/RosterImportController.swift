// Roster upload on the web: check and preview, then commit; the error workbook for a refused file.
import Fluent
import LiangbangCore
import Vapor

struct RosterImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff))
        writers.on(.POST, "roster", "import", body: .collect(maxSize: "20mb"), use: upload)
        writers.get("roster", "import", ":importID", use: preview)
        writers.post("roster", "import", ":importID", "commit", use: commit)
        writers.get("roster", "import", ":importID", "errors.xlsx", use: errorWorkbook)
    }

    struct UploadForm: Content {
        var file: File?
        var mode: String?
        var campaign: Int?
        var orgId: UUID?
    }

    /// Stores the upload (encrypted, for one day) and shows what it would do.
    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        let back = RosterController.back(req, campaign: form.campaign, orgID: form.orgId)
        guard let file = form.file, file.data.readableBytes > 0 else {
            return req.redirect(to: back, flash: "error", "请选择要上传的 .xlsx 或 .csv 文件")
        }
        let campaign = try await req.roster.campaign(form.campaign)
        let university = try await req.roster.writableUniversity(form.orgId)
        let pending = PendingImport()
        pending.kind = "roster"
        pending.userID = try req.access.current.user.id!
        pending.orgID = university.id!
        pending.campaignID = campaign.id!
        pending.filename = String(file.filename.prefix(200))
        pending.mode = ImportMode(rawValue: form.mode ?? "merge")?.rawValue ?? "merge"
        pending.payload = try req.cipher.sealData(Data(buffer: file.data))
        // Uploads older than a day are never needed again.
        try await PendingImport.query(on: req.db).filter(\.$createdAt < req.now.addingTimeInterval(-86_400)).delete()
        try await pending.create(on: req.db)
        return req.redirect(to: "/roster/import/\(pending.id!)")
    }

    /// The upload, its university and campaign — only for the user who uploaded it.
    func pending(_ req: Request) async throws -> (PendingImport, Campaign, Organization, Data) {
        guard let id = req.parameters.get("importID", as: UUID.self), let pending = try await PendingImport.find(id, on: req.db),
              pending.userID == (try req.access.current.user.id) else { throw AppError.notFound("该上传（可能已过期，请重新上传）") }
        guard let campaign = try await Campaign.find(pending.campaignID, on: req.db) else { throw AppError.notFound("活动年度") }
        let university = try await req.roster.writableUniversity(pending.orgID)
        return (pending, campaign, university, try req.cipher.openData(pending.payload))
    }

    struct PreviewPage: Encodable {
        let layout: Layout
        let id: UUID
        let filename: String
        let university: String
        let year: Int
        let orgID: UUID
        let replace: Bool
        let unreadable: String?
        let report: ImportReport?
        let errorsShown: [ImportProblem]
        let moreErrors: Int
    }

    func preview(req: Request) async throws -> View {
        let (pending, campaign, university, data) = try await pending(req)
        let mode = ImportMode(rawValue: pending.mode) ?? .merge
        var report: ImportReport?
        var unreadable: String?
        do {
            report = try await req.rosterLines.importer(campaign, university).run(data: data, filename: pending.filename, mode: mode, commit: false)
        } catch let error as UnreadableUpload {
            unreadable = error.message
        }
        let shown = Array((report?.errors ?? []).prefix(500))
        return try await req.view.render("roster-import", PreviewPage(
            layout: await Layout.build(for: req, title: "导入结对名单"), id: pending.id!, filename: pending.filename, university: university.name,
            year: campaign.year, orgID: university.id!, replace: mode == .replace, unreadable: unreadable, report: report,
            errorsShown: shown, moreErrors: max(0, (report?.errors.count ?? 0) - shown.count)))
    }

    func commit(req: Request) async throws -> Response {
        let (pending, campaign, university, data) = try await pending(req)
        let back = RosterController.back(req, campaign: campaign.year, orgID: university.id)
        let report: ImportReport
        do {
            report = try await req.rosterLines.importer(campaign, university)
                .run(data: data, filename: pending.filename, mode: ImportMode(rawValue: pending.mode) ?? .merge, commit: true)
        } catch let error as UnreadableUpload {
            return req.redirect(to: back, flash: "error", error.message)
        }
        guard report.committed else {
            return req.redirect(to: "/roster/import/\(pending.id!)", flash: "error", "文件有\(report.errors.count)处错误，未保存任何数据")
        }
        try await pending.delete(on: req.db)
        req.auditDetail = "\(university.name)导入结对名单：新增\(report.added)，更新\(report.updated)，删除\(report.removed)"
        return req.redirect(to: back, flash: "success", "导入成功：新增\(report.added)条，更新\(report.updated)条，删除\(report.removed)条，现有结对\(report.stored)条")
    }

    func errorWorkbook(req: Request) async throws -> Response {
        let (pending, campaign, university, data) = try await pending(req)
        let checked: RosterImport.Checked
        let rows: [SheetRow]
        do {
            rows = try UploadedTable.rows(data: data, filename: pending.filename, columns: RosterColumn.specs)
            checked = try await req.rosterLines.importer(campaign, university).check(data: data, filename: pending.filename, mode: ImportMode(rawValue: pending.mode) ?? .merge)
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
        let headerProblems = checked.layout == nil ? checked.report.errors.map { RowProblem(row: $0.row, column: $0.column, message: $0.message) } : []
        let body = try ErrorWorkbook.write(rows: rows, columns: checked.layout?.columns ?? [:], headerRow: checked.layout?.headerRow,
                                           problems: checked.problems + headerProblems)
        // The workbook holds what this user uploaded, IDs included: record that it left the server again.
        await req.audit("sensitive.export", target: "import:\(pending.id!)", detail: "下载错误标注表（\(university.name)上传的结对名单）")
        return Download.response(body, filename: "错误标注-" + pending.filename, format: .xlsx)
    }
}
