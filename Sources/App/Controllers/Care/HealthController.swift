// 健康直通车 pages: a unit's visits (form) and, with the permission, the follow-ups overdue by county; one visit's
// checks (form, the sheet's upload, template); one check's findings and follow-ups (permission, audited).
import Fluent
import LiangbangCore
import Vapor

struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("health")
        pages.get(use: index)
        pages.get("visits", ":visitID", use: visit)
        pages.get("checks", ":checkID", use: check)
        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.get("template.xlsx", use: template)
        writers.post("visits", use: addVisit)
        writers.post("visits", ":visitID", "checks", use: addCheck)
        writers.post("checks", ":checkID", "follow-ups", use: addFollowUp)
    }

    struct Option: Encodable { let value: String; let label: String }

    struct IndexPage: Encodable {
        struct VisitRow: Encodable { let id: UUID; let collective, county, village, visitedOn: String }
        let layout: Layout
        let year: Int
        let unit: String
        let canWrite: Bool
        let seesContent: Bool
        let visits: [VisitRow]
        let overdue: HealthRegister.Overdue?
        let counties: [Option]
        let today: String
        let days: Int
    }

    func index(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.health.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let visits = try await req.health.visits(campaign: campaign, org: org)
        let names = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Array(Set(visits.map(\.countyID)))).all().map { ($0.id!, $0.name) })
        let sees = HealthAPIController.seesContent(req, org)
        let overdue = sees ? try await req.health.overdue(campaign: campaign, org: org, asOf: req.health.today) : nil
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).filter(\.$path =~ org.path).sort(\.$code).all()
        let choices = counties.isEmpty ? try await Organization.query(on: req.db).filter(\.$kind == .county).sort(\.$code).all() : counties
        return try await req.view.render("health", IndexPage(
            layout: await Layout.build(for: req, title: "健康直通车"), year: campaign.year, unit: org.name,
            canWrite: me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed, seesContent: sees,
            visits: visits.map { .init(id: $0.id!, collective: $0.collective, county: names[$0.countyID] ?? "", village: $0.village, visitedOn: $0.visitedOn) },
            overdue: overdue, counties: choices.map { Option(value: $0.id!.uuidString, label: $0.name) }, today: req.health.today.iso,
            days: req.health.days))
    }

    func addVisit(req: Request) async throws -> Response {
        let form = try req.content.decode(HealthVisitForm.self)
        return try await req.formAction(back: Layout.link("/health", campaign: form.campaign, orgID: form.orgId), page: { try await index(req: req) }) {
            let v = try await req.health.createVisit(form)
            return "已登记服务：\(v.collective)（\(v.visitedOn)）"
        }
    }

    struct VisitPage: Encodable {
        let layout: Layout
        let visit: HealthAPIController.VisitDTO
        let county: String
        let canWrite: Bool
        let seesContent: Bool
        let checks: [HealthAPIController.CheckDTO]
        let consentGaps: Int
        let today: String
    }

    func visit(req: Request) async throws -> View {
        let (v, org, canWrite) = try await req.health.visit(req.parameters.get("visitID", as: UUID.self))
        let checks = try await HealthAPIController().checks(req: req).items
        return try await req.view.render("health-visit", VisitPage(
            layout: await Layout.build(for: req, title: "健康直通车服务"), visit: .init(v, year: try await HotlineAPIController.year(req, v.campaignID)),
            county: try await Organization.find(v.countyID, on: req.db)?.name ?? "", canWrite: canWrite, seesContent: HealthAPIController.seesContent(req, org),
            checks: checks, consentGaps: checks.filter(\.consentGap).count, today: req.health.today.iso))
    }

    func addCheck(req: Request) async throws -> Response {
        struct PageForm: Content {
            var name: String?; var idNumber: String?; var height: String?; var weight: String?; var visionLeft: String?; var visionRight: String?
            var dental: String?; var finding: String?; var hospital: String?; var referralDate: String?; var consent: String?; var consentOn: String?
        }
        let p = try req.content.decode(PageForm.self)
        let id = req.parameters.get("visitID", as: UUID.self)
        let form = HealthCheckForm(visitId: id, person: .init(name: p.name, idNumber: p.idNumber),
                                   measurements: .init(height: p.height.map { LooseText(text: $0) }, weight: p.weight.map { LooseText(text: $0) },
                                                       visionLeft: p.visionLeft.map { LooseText(text: $0) }, visionRight: p.visionRight.map { LooseText(text: $0) },
                                                       dental: p.dental),
                                   finding: p.finding, referral: .init(hospital: p.hospital, date: p.referralDate),
                                   consent: p.consent.map { LooseText(text: $0) }, consentOn: p.consentOn)
        let fields = ["person.name": "name", "person.idNumber": "idNumber", "measurements.height": "height", "measurements.weight": "weight",
                      "measurements.visionLeft": "visionLeft", "measurements.visionRight": "visionRight", "measurements.dental": "dental",
                      "referral.hospital": "hospital", "referral.date": "referralDate"]
        return try await req.formAction(back: "/health/visits/\(id?.uuidString ?? "")", fields: fields, page: { try await visit(req: req) }) {
            let c = try await req.health.createCheck(form)
            return "已记录检查：\(c.name)（\(c.idMasked)）"
        }
    }

    struct CheckPage: Encodable {
        let layout: Layout
        let detail: HealthAPIController.CheckDetail
        let visitId: UUID
        let bmi: String
        let height: String
        let weight: String
        let referral: String
        let canWrite: Bool
        let today: String
    }

    func check(req: Request) async throws -> View {
        let detail = try await HealthAPIController().detail(req)
        let (_, _, canWrite) = try await req.access.record(HealthCheck.self, detail.check.id, unit: \.orgID, what: "该检查记录")
        let referral = detail.referral["hospital"].map { $0.isEmpty ? "无" : $0 + " " + (detail.referral["date"] ?? "") } ?? "无"
        return try await req.view.render("health-check", CheckPage(
            layout: await Layout.build(for: req, title: "健康检查记录"), detail: detail, visitId: detail.check.visitId,
            bmi: detail.bmi.map { String($0) } ?? "—", height: detail.measurements.heightCm.map { "\($0)厘米" } ?? "—",
            weight: detail.measurements.weightKg.map { "\($0)千克" } ?? "—", referral: referral, canWrite: canWrite, today: req.health.today.iso))
    }

    func addFollowUp(req: Request) async throws -> Response {
        struct Form: Content { var date: String?; var note: String?; var closed: String? }
        let form = try req.content.decode(Form.self)
        let id = req.parameters.get("checkID", as: UUID.self)
        return try await req.formAction(back: "/health/checks/\(id?.uuidString ?? "")", fields: ["date": "date"], page: { try await check(req: req) }) {
            let f = try await req.health.addFollowUp(id, on: form.date, note: form.note, closed: form.closed == "是")
            return f.closed ? "已记录随访并结束随访" : "已记录随访"
        }
    }

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "健康检查记录", filename: "健康直通车检查记录-空白模板-\(campaign.year)",
            title: "\(campaign.year)年健康直通车检查记录（身份证号按文本填写；检查发现写“无”或具体情况；14岁以下须填监护人同意及日期）",
            header: HealthColumn.specs.map(\.title), rows: [], textColumns: [2])
    }
}

/// A visit's checks on the web's import pipeline (upload → preview → commit, error workbook), named by `targetId`.
enum HealthCheckImportForm: RegisterImportForm {
    static let name = "health-checks"
    static let title = "导入健康检查记录"
    static let backLabel = "健康直通车服务"
    static let what = "健康检查记录"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { HealthColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/health", campaign: campaign, orgID: orgID) }
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String { target.map { "/health/visits/\($0)" } ?? back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { throw AppError.invalid("请从服务页面上传检查记录") }
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization {
        try await req.access.writableRecord(HealthVisit.self, target, unit: \.orgID, what: "该次服务").1
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> HealthCheckSpec {
        req.health.checkSpec(try await req.health.visit(req.importTarget).0)
    }
    /// The error workbook holds the ID numbers and findings as uploaded.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的健康检查记录）")
    }
}
