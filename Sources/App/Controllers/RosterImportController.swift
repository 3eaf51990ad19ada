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
        let pending = try await PendingUpload.store(req, kind: "roster", file: file, org: university, campaign: campaign,
                                                    mode: ImportMode(rawValue: form.mode ?? "merge") ?? .merge)
        return req.redirect(to: "/roster/import/\(pending.id!)")
    }

    /// The upload, its university and campaign — only for the user who uploaded it.
    func pending(_ req: Request) async throws -> (PendingImport, Campaign, Organization, Data) {
        let (pending, campaign, data) = try await PendingUpload.load(req, kind: "roster")
        return (pending, campaign, try await req.roster.writableUniversity(pending.orgID), data)
    }

    func preview(req: Request) async throws -> View {
        let (pending, campaign, university, data) = try await pending(req)
        return try await ImportPreviewPage.render(
            req, title: "导入结对名单", pending: pending, unit: university, year: campaign.year, base: "/roster/import",
            back: RosterController.back(req, campaign: campaign.year, orgID: university.id), backLabel: "结对名单") {
            try await req.rosterLines.importer(campaign, university).run(data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: false)
        }
    }

    func commit(req: Request) async throws -> Response {
        let (pending, campaign, university, data) = try await pending(req)
        let back = RosterController.back(req, campaign: campaign.year, orgID: university.id)
        let report: ImportReport
        do {
            report = try await req.rosterLines.importer(campaign, university)
                .run(data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: true)
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
            checked = try await req.rosterLines.importer(campaign, university).check(data: data, filename: pending.filename, mode: PendingUpload.mode(pending))
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
        // The workbook holds what this user uploaded, IDs included: record that it left the server again.
        await req.audit("sensitive.export", target: "import:\(pending.id!)", detail: "下载错误标注表（\(university.name)上传的结对名单）")
        return try ErrorWorkbook.response(rows: rows, layout: checked.layout, report: checked.report, problems: checked.problems, filename: pending.filename)
    }
}
