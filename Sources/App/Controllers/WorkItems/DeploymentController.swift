// The 希望乡村教师 pages: the coverage board (timelines, gaps, relays due by city and county), a unit's register
// with its form, early ends and removals, the blank template and the export (masked; full IDs with permission).
import Fluent
import LiangbangCore
import Vapor

struct DeploymentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("deployments")
        pages.get(use: coverage)
        pages.get("register", use: register)
        pages.get("export", use: export)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.get("template.xlsx", use: template)
        writers.post(use: add)
        // Full ID numbers are written to the audit log: only as a POST with the page's CSRF token.
        writers.post("export", use: exportFull)
        writers.post(":deploymentID", "end", use: end)
        writers.post(":deploymentID", "delete", use: delete)
    }

    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/deployments/register", campaign: campaign, orgID: orgID) }

    func coverage(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.deployments.unit(req.query[UUID.self, at: "orgId"])
        let page = try await DeploymentCoveragePage.build(req, campaign: campaign, org: org, asOf: try DeploymentAPIController.asOf(req))
        return try await req.view.render("deployments", page)
    }

    func register(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.deployments.unit(req.query[UUID.self, at: "orgId"])
        return try await req.view.render("deployment-register", try await DeploymentRegisterPage.build(req, campaign: campaign, org: org))
    }

    /// The page's form names are the API's; problems of a column land next to its field.
    static let fields = DeploymentForm.fields.merging([DeploymentColumn.county: "county", DeploymentColumn.university: "university"]) { _, new in new }

    func add(req: Request) async throws -> Response {
        let form = try req.content.decode(DeploymentForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: Self.fields,
                                         page: { try await register(req: req) }) {
            let d = try await req.deployments.create(form)
            return "已登记：\(d.volunteerName)派驻\(d.school)（\(d.startDate)至\(d.endDate)）"
        }
    }

    func end(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID?; var endedOn: String?; var endReason: String? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            let d = try await req.deployments.update(req.parameters.get("deploymentID", as: UUID.self),
                                                     DeploymentForm(endedOn: form.endedOn ?? "", endReason: form.endReason ?? ""))
            return d.endedOn.map { "已登记\(d.volunteerName)于\($0)提前结束派驻" } ?? "已撤销\(d.volunteerName)的提前结束"
        }
    }

    func delete(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            try await req.deployments.delete(req.parameters.get("deploymentID", as: UUID.self))
            return "已删除该派驻记录"
        }
    }

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let me = try req.access.current
        let data = try DeploymentExport.workbook(year: campaign.year, unitName: me.org.kind == .province ? "" : me.org.name, lines: [])
        return Download.response(data, filename: "希望乡村教师派驻登记表-空白模板-\(campaign.year)", format: .xlsx)
    }

    func export(req: Request) async throws -> Response {
        try await download(req, fullIDs: false)
    }

    func exportFull(req: Request) async throws -> Response {
        try await download(req, fullIDs: true)
    }

    /// Everything in the unit's view, masked; with full ID numbers only the lines the caller keeps (its own unit
    /// or below), with the permission, audited.
    private func download(_ req: Request, fullIDs: Bool) async throws -> Response {
        if fullIDs { try req.roster.requireSensitive() }
        let campaign = try await req.access.campaign()
        let org = try await req.deployments.unit(req.query[UUID.self, at: "orgId"])
        var lines = try await DeploymentExport.lines(req, try await req.deployments.list(campaign: campaign, org: org), fullIDs: fullIDs)
        if fullIDs {
            let me = try req.access.current
            lines = lines.filter { me.actor.reaches($0.recorderPath) }
            await req.audit("sensitive.export", target: "导出\(campaign.year)年度希望乡村教师派驻（含完整身份证号）",
                            detail: "导出完整身份证号：\(org.name)希望乡村教师派驻登记表，\(lines.count)人")
        }
        let data = try DeploymentExport.workbook(year: campaign.year, unitName: org.name, lines: lines)
        return Download.response(data, filename: "希望乡村教师派驻-\(org.name)-\(campaign.year)" + (fullIDs ? "（含完整身份证号）" : ""), format: .xlsx)
    }
}

/// 希望乡村教师 register: a unit's postings.
enum DeploymentImportForm: RegisterImportForm {
    static let name = "deployments"
    static let title = "导入希望乡村教师派驻登记表"
    static let backLabel = "派驻登记"
    static let what = "希望乡村教师派驻"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { DeploymentColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { DeploymentController.back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.deployments.writableUnit(orgID) }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> DeploymentSpec { try await req.deploymentSpec(campaign, unit) }

    /// The error workbook holds the ID numbers as uploaded: its download is a sensitive export.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的希望乡村教师派驻登记表）")
    }
}
