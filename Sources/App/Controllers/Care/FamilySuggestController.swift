// 南粤会亲's 建议配对 (the engine of 智能结对): upload the caring families' list, read which child goes to which
// family and why, accept — the pairs become 南粤会亲 matches of the unit. The children are the unit's camp children
// with no family yet, so no list of minors is uploaded; the proposal page posts back only participant IDs and names.
import Fluent
import LiangbangCore
import Vapor

struct FamilySuggestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff)).grouped("companionship")
        writers.get("family-suggest", use: page)
        writers.on(.POST, "family-suggest", body: .collect(maxSize: "21mb"), use: upload)
        writers.post("family-suggest", "accept", use: accept)
        writers.get("families-template.xlsx", use: template)
    }

    struct ChildRow: Encodable { let name, place: String }
    struct PairRow: Encodable { let child, family, county: String; let sameCounty: Bool; let reasons: [String] }
    struct UnmatchedRow: Encodable { let child, reason: String }

    struct Page: Encodable {
        let layout: Layout
        let year: Int
        let orgID: UUID
        let unit: String
        let back: String
        let today: String
        let children: [ChildRow]
        let columns = MatchListReader.hint(FamilyListColumn.specs)
        let error: String
        let errors: [ImportProblem]
        /// The proposal (`proposed` false on the upload page).
        let proposed: Bool
        let pairs: [PairRow]
        let unmatched: [UnmatchedRow]
        let places, sameCounty, sameCity: Int
        /// The accepted pairs as JSON for the accept form (participant IDs and family names only).
        let plan: String
    }

    private func render(_ req: Request, campaign year: Int?, orgID: UUID?, error: String = "", errors: [ImportProblem] = [],
                        suggestion: (FamilySuggestion, [CaringFamily], [WaitingChild])? = nil) async throws -> View {
        let campaign = try await req.access.campaign(year)
        let unit = try await req.companions.writableUnit(orgID)
        var children = suggestion?.2 ?? []
        if suggestion == nil { children = try await req.companions.waitingChildren(campaign: campaign, unit: unit) }
        let s = suggestion?.0
        let counties = Dictionary((suggestion?.1 ?? []).map { ($0.row, $0.county.fullName) }, uniquingKeysWith: { a, _ in a })
        let plan = (s?.pairs ?? []).compactMap { p in UUID(uuidString: p.childKey).map { FamilyPlanItem(child: $0, family: p.family) } }
        return try await req.view.render("family-suggest", Page(
            layout: await Layout.build(for: req, title: "南粤会亲·建议配对"), year: campaign.year, orgID: unit.id!, unit: unit.name,
            back: Layout.link("/companionship", campaign: campaign.year, orgID: orgID), today: req.companions.today.iso,
            children: children.map { ChildRow(name: $0.name, place: $0.county?.fullName ?? $0.city) },
            error: error, errors: errors, proposed: s != nil,
            pairs: (s?.pairs ?? []).map { PairRow(child: $0.child, family: $0.family, county: counties[$0.familyRow] ?? "", sameCounty: $0.sameCounty, reasons: $0.reasons) },
            unmatched: (s?.unmatched ?? []).map { UnmatchedRow(child: $0.child, reason: $0.reason) },
            places: s?.places ?? 0, sameCounty: s?.sameCounty ?? 0, sameCity: s?.sameCity ?? 0,
            plan: String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)))
    }

    func page(req: Request) async throws -> View {
        try await render(req, campaign: req.query[Int.self, at: "campaign"], orgID: req.query[UUID.self, at: "orgId"])
    }

    struct UploadForm: Content { var families: File?; var campaign: Int?; var orgId: UUID? }

    /// Nothing is stored: the proposal is shown, and the accept form carries it back.
    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        func refused(_ message: String, _ errors: [ImportProblem] = []) async throws -> Response {
            try await render(req, campaign: form.campaign, orgID: form.orgId, error: message, errors: errors).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard let file = form.families, file.data.readableBytes > 0 else { return try await refused("请选择\(CompanionRegister.familiesLabel)（.xlsx 或 .csv）") }
        let campaign = try await req.access.campaign(form.campaign)
        let unit = try await req.companions.writableUnit(form.orgId)
        do {
            let families = try await req.companions.families(Data(buffer: file.data), filename: file.filename, campaign: campaign, unit: unit)
            let children = try await req.companions.waitingChildren(campaign: campaign, unit: unit)
            let suggestion = try req.companions.suggestFamilies(children: children, families: families)
            req.auditDetail = "南粤会亲建议配对：\(unit.name)，家庭\(families.count)个，待结对儿童\(children.count)名，建议\(suggestion.pairs.count)对（同县\(suggestion.sameCounty)对）"
            return try await render(req, campaign: form.campaign, orgID: form.orgId, suggestion: (suggestion, families, children)).encodeResponse(for: req)
        } catch let problems as FamilyListProblems {
            return try await refused(problems.message, problems.report.errors)
        } catch let unreadable as UnreadableUpload {
            return try await refused(unreadable.message)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await refused(error.message)
        }
    }

    struct AcceptForm: Content { var campaign: Int?; var orgId: UUID?; var startedOn: String?; var plan: String? }

    func accept(req: Request) async throws -> Response {
        let form = try req.content.decode(AcceptForm.self)
        let back = Layout.link("/companionship", campaign: form.campaign, orgID: form.orgId)
        return try await req.formAction(back: back + "#section-family") {
            let campaign = try await req.access.campaign(form.campaign)
            let unit = try await req.companions.writableUnit(form.orgId)
            let text = form.plan ?? ""
            guard text.utf8.count <= 1_000_000, let plan = try? JSONDecoder().decode([FamilyPlanItem].self, from: Data(text.utf8)) else {
                throw AppError.invalid("建议配对为空或已损坏，请重新上传家庭名单")
            }
            let (registered, skipped) = try await req.companions.acceptFamilies(plan, campaign: campaign, unit: unit, startedOn: form.startedOn)
            return "已按建议登记南粤会亲\(registered)对" + (skipped > 0 ? "；\(skipped)名儿童已有家庭结对或不在本单位营地，未登记" : "")
        }
    }

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: CompanionRegister.familiesLabel, filename: "爱心家庭名单-空白模板-\(campaign.year)",
            title: "\(campaign.year)年南粤会亲爱心家庭名单（所在县（市、区）写如“乐昌市”或“韶关市乐昌市”；最多结对儿童数为1至3，不填按1名）",
            header: FamilyListColumn.specs.map(\.title), rows: [], textColumns: [])
    }
}
