// 附件3 upload on the web: the same check → preview → commit as the roster, for a unit's activity table.
import Fluent
import LiangbangCore
import Vapor

struct ActivityImportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff))
        writers.on(.POST, "activities", "import", body: .collect(maxSize: "20mb"), use: upload)
        writers.get("activities", "import", ":importID", use: preview)
        writers.post("activities", "import", ":importID", "commit", use: commit)
        writers.get("activities", "import", ":importID", "errors.xlsx", use: errorWorkbook)
    }

    struct UploadForm: Content {
        var file: File?
        var mode: String?
        var campaign: Int?
        var orgId: UUID?
    }

    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file, file.data.readableBytes > 0 else {
            return req.redirect(to: ActivityController.back(campaign: form.campaign, orgID: form.orgId), flash: "error", "请选择要上传的 .xlsx 或 .csv 文件")
        }
        let campaign = try await req.access.campaign(form.campaign)
        let unit = try await req.activityLines.writableUnit(form.orgId)
        let pending = try await PendingUpload.store(req, kind: "activities", file: file, org: unit, campaign: campaign,
                                                    mode: ImportMode(rawValue: form.mode ?? "replace") ?? .replace)
        return req.redirect(to: "/activities/import/\(pending.id!)")
    }

    private func pending(_ req: Request) async throws -> (PendingImport, Campaign, Organization, Data) {
        let (pending, campaign, data) = try await PendingUpload.load(req, kind: "activities")
        return (pending, campaign, try await req.activityLines.writableUnit(pending.orgID), data)
    }

    func preview(req: Request) async throws -> View {
        let (pending, campaign, unit, data) = try await pending(req)
        return try await ImportPreviewPage.render(
            req, title: "导入活动汇总表", pending: pending, unit: unit, year: campaign.year, base: "/activities/import",
            back: ActivityController.back(campaign: campaign.year, orgID: unit.id), backLabel: "活动汇总表") {
            try await req.activityImporter(campaign, unit).run(data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: false)
        }
    }

    func commit(req: Request) async throws -> Response {
        let (pending, campaign, unit, data) = try await pending(req)
        let back = ActivityController.back(campaign: campaign.year, orgID: unit.id)
        let report: ImportReport
        do {
            report = try await req.activityImporter(campaign, unit).run(data: data, filename: pending.filename, mode: PendingUpload.mode(pending), commit: true)
        } catch let error as UnreadableUpload {
            return req.redirect(to: back, flash: "error", error.message)
        }
        guard report.committed else {
            return req.redirect(to: "/activities/import/\(pending.id!)", flash: "error", "文件有\(report.errors.count)处错误，未保存任何数据")
        }
        try await pending.delete(on: req.db)
        req.auditDetail = "\(unit.name)导入活动汇总表：新增\(report.added)，更新\(report.updated)，删除\(report.removed)"
        return req.redirect(to: back, flash: "success", "导入成功：新增\(report.added)项，更新\(report.updated)项，删除\(report.removed)项，现有活动\(report.stored)项")
    }

    func errorWorkbook(req: Request) async throws -> Response {
        let (pending, campaign, unit, data) = try await pending(req)
        do {
            let rows = try UploadedTable.rows(data: data, filename: pending.filename, columns: ActivityColumns.specs)
            let checked = try await req.activityImporter(campaign, unit).check(data: data, filename: pending.filename, mode: PendingUpload.mode(pending))
            return try ErrorWorkbook.response(rows: rows, layout: checked.layout, report: checked.report, problems: checked.problems, filename: pending.filename)
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
    }
}
