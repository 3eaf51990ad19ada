// 低收入家庭就业帮扶 pages: a university's cadres and graduates with their chase lists (forms, import, export), the
// roll-up by university for the offices above, and one graduate's positions and guidance.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct EmploymentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("employment")
        pages.get(use: board)
        pages.get("export", use: export)
        pages.get("graduates", ":graduateID", use: graduate)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.get("template.xlsx", use: template)
        writers.post("export", use: exportFull)
        writers.post("cadres", use: addCadre)
        writers.post("cadres", ":cadreID", "delete", use: deleteCadre)
        writers.post("graduates", use: addGraduate)
        writers.post("graduates", ":graduateID", "delete", use: deleteGraduate)
        writers.post("graduates", ":graduateID", "reveal", use: reveal)
        writers.post("graduates", ":graduateID", "jobs", use: addJob)
        writers.post("graduates", ":graduateID", "guidance", use: addGuidance)
        writers.post("jobs", ":jobID", "outcome", use: changeJob)
        writers.post("jobs", ":jobID", "delete", use: deleteJob)
    }

    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/employment", campaign: campaign, orgID: orgID) }

    struct Option: Encodable { let value: String; let label: String }

    struct Page: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let orgID: UUID
        let query: String
        let unit: String
        let isUniversity: Bool
        let canWrite: Bool
        let canFull: Bool
        let summary: EmploymentBoard.Summary
        let cadres: [EmploymentBoard.CadreRow]
        let graduates: [EmploymentBoard.GraduateRow]
        let totalGraduates: Int
        let universities: [EmploymentBoard.UniversityRow]
        let cadreOptions: [Option]
        let hardships: [Option]
    }

    func board(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.employment.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let dto = try await EmploymentBoard.build(req, campaign: campaign, org: org)
        let table = try TableQuery(req, sorts: ["cadre", "name", "jobs"])
        let isUniversity = org.kind == .university
        let shownGraduates = isUniversity ? table.page(dto.graduates.filter { table.matches($0.name, $0.major, $0.cadre) }, request: req) { g, key in
            switch key { case "name": return g.name; case "jobs": return String(g.jobs); default: return g.cadre + g.name }
        } : []
        // Offices above see the cadres still short of the rule first: the chase list.
        let cadres = isUniversity ? dto.cadres : dto.cadres.filter { !$0.chase.isEmpty }.prefix(200).map { $0 }
        return try await req.view.render("employment", Page(
            layout: await Layout.build(for: req, title: "就业帮扶"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org.id!,
            query: Layout.query(campaign: campaign.year, orgID: org.id == me.org.id ? nil : org.id), unit: org.name, isUniversity: isUniversity,
            canWrite: isUniversity && me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed,
            canFull: me.user.sensitiveData, summary: dto.summary, cadres: cadres, graduates: shownGraduates, totalGraduates: dto.graduates.count,
            universities: isUniversity ? [] : dto.byUniversity,
            cadreOptions: dto.cadres.map { Option(value: $0.id.uuidString, label: "\($0.name)（已结对\($0.graduates)名）") },
            hardships: HardshipCategory.allCases.map { Option(value: $0.rawValue, label: $0.label) }))
    }

    func addCadre(req: Request) async throws -> Response {
        let form = try req.content.decode(CadreForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: CadreForm.fields, page: { try await board(req: req) }) {
            "已添加团干部：\(try await req.employment.createCadre(form).name)"
        }
    }

    struct Back: Content { var campaign: Int?; var orgId: UUID? }

    func deleteCadre(req: Request) async throws -> Response {
        let form = try req.content.decode(Back.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            try await req.employment.deleteCadre(req.parameters.get("cadreID", as: UUID.self))
            return "已删除该团干部"
        }
    }

    func addGraduate(req: Request) async throws -> Response {
        let form = try req.content.decode(GraduateForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: GraduateForm.fields, page: { try await board(req: req) }) {
            let g = try await req.employment.createGraduate(form)
            return "已登记毕业生：\(g.name)（\(g.idMasked)）"
        }
    }

    func deleteGraduate(req: Request) async throws -> Response {
        let (g, _, _) = try await req.employment.graduate(req.parameters.get("graduateID", as: UUID.self))
        let year = try await EmploymentAPIController.year(req, g.campaignID)
        return try await req.formAction(back: Self.back(campaign: year, orgID: g.orgID)) {
            try await req.employment.deleteGraduate(g.id)
            return "已删除毕业生\(g.name)及其岗位推荐和指导记录"
        }
    }

    // MARK: One graduate

    struct GraduatePage: Encodable {
        let layout: Layout
        let back: String
        let id: UUID
        let name, idMasked, major, graduation, cadre, university: String
        let jobs: [EmploymentAPIController.JobDTO]
        let guidance: [EmploymentAPIController.GuidanceDTO]
        let meetsRule: Bool
        let canWrite: Bool
        let canFull: Bool
        let isRevealed: Bool
        /// The masked number, or the full one after a reveal; the category only after a reveal.
        let shownID: String
        let hardship: String
        let outcomes: [Option]
        let modes: [Option]
        let today: String
    }

    func graduate(req: Request) async throws -> View { try await graduatePage(req, revealed: nil) }

    private func graduatePage(_ req: Request, revealed: EmploymentAPIController.Revealed?) async throws -> View {
        let (g, unit, canWrite) = try await req.employment.graduate(req.parameters.get("graduateID", as: UUID.self))
        let detail = try await EmploymentAPIController.detail(req, g)
        return try await req.view.render("employment-graduate", GraduatePage(
            layout: await Layout.build(for: req, title: g.name), back: Self.back(campaign: detail.graduate.campaign, orgID: unit.id),
            id: g.id!, name: g.name, idMasked: g.idMasked, major: g.major, graduation: g.graduation.isEmpty ? "未填" : g.graduation,
            cadre: detail.cadre, university: unit.name, jobs: detail.jobs, guidance: detail.guidance, meetsRule: detail.meetsRule,
            canWrite: canWrite, canFull: try req.access.current.user.sensitiveData, isRevealed: revealed != nil,
            shownID: revealed?.idNumber ?? g.idMasked, hardship: revealed?.hardshipLabel ?? "",
            outcomes: JobOutcome.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            modes: GuidanceMode.allCases.map { Option(value: $0.rawValue, label: $0.label) }, today: LocalDate(instant: req.now).iso))
    }

    /// The page again with the full ID number and the hardship category (permission checked, audited by `reveal`).
    func reveal(req: Request) async throws -> View {
        let (g, id, hardship) = try await req.employment.reveal(req.parameters.get("graduateID", as: UUID.self))
        return try await graduatePage(req, revealed: .init(id: g.id!, idNumber: id, hardship: hardship.rawValue, hardshipLabel: hardship.label))
    }

    private func graduateLink(_ req: Request) -> String { "/employment/graduates/" + (req.parameters.get("graduateID") ?? "") }

    func addJob(req: Request) async throws -> Response {
        let form = try req.content.decode(JobForm.self)
        return try await req.formAction(back: graduateLink(req), fields: JobForm.fields, page: { try await graduate(req: req) }) {
            let job = try await req.employment.addJob(req.parameters.get("graduateID", as: UUID.self), form)
            return "已记录岗位推荐：\(job.employer) \(job.position)"
        }
    }

    func addGuidance(req: Request) async throws -> Response {
        let form = try req.content.decode(GuidanceForm.self)
        return try await req.formAction(back: graduateLink(req), fields: GuidanceForm.fields, page: { try await graduate(req: req) }) {
            let g = try await req.employment.addGuidance(req.parameters.get("graduateID", as: UUID.self), form)
            return "已记录\(g.givenOn)的就业指导"
        }
    }

    func changeJob(req: Request) async throws -> Response {
        struct Form: Content { var outcome: String?; var on: String? }
        let form = try req.content.decode(Form.self)
        guard let id = req.parameters.get("jobID", as: UUID.self), let job = try await JobRecommendation.find(id, on: req.db) else { throw AppError.notFound("该岗位推荐") }
        return try await req.formAction(back: "/employment/graduates/\(job.graduateID)") {
            let changed = try await req.employment.changeJob(id, outcome: form.outcome, on: form.on)
            return "\(changed.employer) \(changed.position)：\(changed.jobOutcome.label)"
        }
    }

    func deleteJob(req: Request) async throws -> Response {
        guard let id = req.parameters.get("jobID", as: UUID.self), let job = try await JobRecommendation.find(id, on: req.db) else { throw AppError.notFound("该岗位推荐") }
        return try await req.formAction(back: "/employment/graduates/\(job.graduateID)") {
            _ = try await req.employment.deleteJob(id)
            return "已删除该岗位推荐"
        }
    }

    // MARK: Workbooks

    static let header = ["序号"] + GraduateColumn.specs.map(\.title) + ["推荐岗位数", "进展", "高校"]

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "就业帮扶毕业生", filename: "就业帮扶毕业生-空白模板-\(campaign.year)",
            title: "\(campaign.year)年低收入家庭毕业生就业帮扶登记表（每名团干部结对3至5名；身份证号按文本填写；家庭困难类别填低保、特困、脱贫户、低收入或其他）",
            header: GraduateColumn.specs.map(\.title), rows: [], textColumns: [2])
    }

    func export(req: Request) async throws -> Response { try await download(req, full: false) }
    func exportFull(req: Request) async throws -> Response { try await download(req, full: true) }

    /// Masked, without the hardship category; in full (ID numbers and categories) only with the permission, audited.
    private func download(_ req: Request, full: Bool) async throws -> Response {
        if full { try req.roster.requireSensitive() }
        let campaign = try await req.access.campaign()
        let org = try await req.employment.unit(req.query[UUID.self, at: "orgId"])
        let dto = try await EmploymentBoard.build(req, campaign: campaign, org: org)
        let names = Dictionary(uniqueKeysWithValues: dto.byUniversity.map { ($0.orgId, $0.name) })
        var sealed: [UUID: EmploymentGraduate] = [:]
        if full {
            let rows = try await req.employment.graduates(campaign: campaign, in: dto.byUniversity.map(\.orgId))
            sealed = Dictionary(uniqueKeysWithValues: rows.map { ($0.id!, $0) })
            await req.audit("sensitive.export", target: "导出\(campaign.year)年度就业帮扶毕业生（含完整身份证号、家庭困难类别）",
                            detail: "导出完整身份证号及家庭困难类别：\(org.name)就业帮扶毕业生，\(rows.count)人")
        }
        let cipher = req.appServices.cipher
        let rows: [[WriteValue]] = try dto.graduates.enumerated().map { n, g in
            let id = try sealed[g.id].map { try cipher.open($0.idCipher) } ?? g.idMasked
            let hardship = try sealed[g.id].map { HardshipCategory(rawValue: try cipher.open($0.hardshipCipher))?.label ?? "" } ?? "（需敏感数据权限）"
            return [.number(Double(n + 1)), .string(g.name), .string(id), .string(g.major), .string(g.graduation), .string(hardship),
                    .string(g.cadre), .number(Double(g.jobs)), .string(g.progress), .string(names[g.universityId] ?? "")]
        }
        return try VolunteerController.workbook(req, name: "就业帮扶毕业生",
            filename: "就业帮扶毕业生-\(org.name)-\(campaign.year)" + (full ? "（含完整身份证号）" : ""),
            title: "\(campaign.year)年低收入家庭毕业生就业帮扶（\(org.name)\(full ? "" : "，身份证号已打码")）", header: Self.header, rows: rows, textColumns: [3])
    }
}

/// A university's graduates on the web's import pipeline (upload → preview → commit, error workbook).
enum GraduateImportForm: RegisterImportForm {
    static let name = "employment"
    static let title = "导入就业帮扶毕业生"
    static let backLabel = "就业帮扶"
    static let what = "就业帮扶毕业生"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { GraduateColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { EmploymentController.back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.employment.writableUniversity(orgID) }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> GraduateSpec {
        try await req.employment.graduateSpec(campaign, unit)
    }
    /// The error workbook holds the ID numbers and categories as uploaded.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的就业帮扶毕业生名单）")
    }
}
