// 成长陪伴 pages: a unit's camps, letter pairs, 南粤会亲 matches and 手拉手 pairs (forms; a contact recorded on its
// row; the overdue ones flagged), and one camp's participants with its consent gaps and the list's upload.
import Fluent
import LiangbangCore
import Vapor

struct CompanionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("companionship")
        pages.get(use: index)
        pages.get("camps", ":campID", use: camp)
        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.get("participants-template.xlsx", use: template)
        writers.post("camps", use: addCamp)
        writers.post("matches", ":kind", use: addMatch)
        writers.post("matches", ":kind", ":matchID", "contacts", use: addContact)
    }

    struct Option: Encodable { let value: String; let label: String }
    struct Section: Encodable { let kind: String; let label: String; let rows: [CompanionAPIController.MatchDTO]; let flagged: Int; let every: Int }

    struct IndexPage: Encodable {
        let layout: Layout
        let year: Int
        let unit: String
        let orgID: UUID
        let canWrite: Bool
        let camps: [CompanionAPIController.CampDTO]
        let sections: [Section]
        let campKinds: [Option]
        let today: String
    }

    func index(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.companions.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let today = req.companions.today
        func section(_ kind: CompanionKind) async throws -> Section {
            let rows = try await req.companions.matches(campaign: campaign, org: org, kind: kind).map { CompanionAPIController.MatchDTO($0, year: campaign.year, today: today) }
            return Section(kind: kind.rawValue, label: kind.label, rows: rows.sorted { ($0.flagged ? 0 : 1, $0.startedOn) < ($1.flagged ? 0 : 1, $1.startedOn) },
                           flagged: rows.filter(\.flagged).count, every: Int((kind.step?.within ?? 0) / 86_400))
        }
        return try await req.view.render("companionship", IndexPage(
            layout: await Layout.build(for: req, title: "成长陪伴"), year: campaign.year, unit: org.name, orgID: org.id!,
            canWrite: me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed,
            camps: try await req.companions.camps(campaign: campaign, org: org).map { .init($0, year: campaign.year) },
            sections: [try await section(.letter), try await section(.family), try await section(.handInHand)],
            campKinds: CampKind.allCases.map { Option(value: $0.rawValue, label: $0.label) }, today: today.iso))
    }

    func addCamp(req: Request) async throws -> Response {
        let form = try req.content.decode(CampForm.self)
        return try await req.formAction(back: Layout.link("/companionship", campaign: form.campaign, orgID: form.orgId), page: { try await index(req: req) }) {
            "已登记营地：\(try await req.companions.createCamp(form).title)"
        }
    }

    func addMatch(req: Request) async throws -> Response {
        guard let kind = CompanionKind(rawValue: req.parameters.get("kind") ?? "") else { throw AppError.notFound("该页面") }
        let form = try req.content.decode(MatchForm.self)
        return try await req.formAction(back: Layout.link("/companionship", campaign: form.campaign, orgID: form.orgId), page: { try await index(req: req) }) {
            let m = try await req.companions.createMatch(kind, form)
            return "已登记\(kind.label)：\(m.subject) — \(m.partner)"
        }
    }

    func addContact(req: Request) async throws -> Response {
        guard let kind = CompanionKind(rawValue: req.parameters.get("kind") ?? "") else { throw AppError.notFound("该页面") }
        let form = try req.content.decode(ContactForm.self)
        let back = Layout.link("/companionship", campaign: req.query[Int.self, at: "campaign"], orgID: nil)
        return try await req.formAction(back: back) {
            let c = try await req.companions.addContact(req.parameters.get("matchID", as: UUID.self), kind: kind, form)
            return "已记录\(ContactKind(rawValue: c.kind)?.label ?? "")（\(c.on)）"
        }
    }

    struct CampPage: Encodable {
        let layout: Layout
        let camp: CompanionAPIController.CampDTO
        let canWrite: Bool
        let participants: [CompanionAPIController.ParticipantDTO]
    }

    func camp(req: Request) async throws -> View {
        let detail = try await CompanionAPIController().camp(req: req)
        let (_, _, canWrite) = try await req.companions.camp(detail.camp.id)
        return try await req.view.render("companion-camp", CampPage(layout: await Layout.build(for: req, title: detail.camp.title),
                                                                    camp: detail.camp, canWrite: canWrite, participants: detail.participants))
    }

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "营员名单", filename: "营员名单-空白模板-\(campaign.year)",
            title: "\(campaign.year)年成长陪伴营员名单（身份填“营员”或“志愿者”；身份证号按文本填写；14岁以下营员须填监护人同意及日期）",
            header: CampParticipantColumn.specs.map(\.title), rows: [], textColumns: [2])
    }
}

/// A camp's participant list on the web's import pipeline (upload → preview → commit, error workbook), by `targetId`.
enum CampParticipantImportForm: RegisterImportForm {
    static let name = "camp-participants"
    static let title = "导入营员名单"
    static let backLabel = "营地"
    static let what = "营员名单"
    static let defaultMode = ImportMode.replace
    static var columns: [ColumnSpec] { CampParticipantColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/companionship", campaign: campaign, orgID: orgID) }
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String { target.map { "/companionship/camps/\($0)" } ?? back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { throw AppError.invalid("请从营地页面上传营员名单") }
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization {
        try await req.access.writableRecord(Camp.self, target, unit: \.orgID, what: "该营地").1
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> CampParticipantSpec {
        req.companions.participantSpec(try await req.companions.camp(req.importTarget).0)
    }
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的营员名单）")
    }
}
