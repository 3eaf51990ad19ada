// 创青春 and 青农优品 pages: a unit's ventures and contests (forms), one contest — for its organiser the entries,
// judges, ranking and selection; for a judge the score sheets — and the published list with its export.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct ContestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("contests")
        pages.get(use: list)
        pages.get("ventures.xlsx", use: ventureExport)
        pages.get(":contestID", use: show)
        pages.get(":contestID", "selected", use: selected)
        pages.get(":contestID", "selected.xlsx", use: selectedExport)
        pages.post(":contestID", "scores", use: score)
        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post("ventures", use: addVenture)
        writers.get("ventures", "template.xlsx", use: ventureTemplate)
        writers.post(use: addContest)
        writers.post(":contestID", "entries", use: addEntry)
        writers.post(":contestID", "judges", use: addJudge)
        writers.post(":contestID", "select", use: select)
    }

    struct Option: Encodable { let value: String; let label: String }

    struct ListPage: Encodable {
        struct VentureRow: Encodable { let name, leader, phone, county, sector: String; let jobs: Int }
        struct ContestRow: Encodable { let id: UUID; let name, kind, level, organiser: String; let published: Bool }
        let layout: Layout
        let year: Int
        let orgID: UUID
        let unit: String
        let canWrite: Bool
        let ventures: [VentureRow]
        let contests: [ContestRow]
        let judging: [ContestRow]
        let counties: [Option]
        let sectors: [Option]
    }

    func list(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.contests.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let ventures = try await req.contests.ventures(campaign: campaign, org: org)
        let contests = try await req.contests.contests(campaign: campaign, org: org)
        let judged = try await ContestJudge.query(on: req.db).filter(\.$userID == me.user.id!).all(\.$contestID)
        let judging = try await Contest.query(on: req.db).filter(\.$id ~~ judged).filter(\.$campaignID == campaign.id!).all()
        let orgIDs = Set(ventures.map(\.countyID) + (contests + judging).map(\.orgID))
        let names = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Array(orgIDs)).all().map { ($0.id!, $0.name) })
        func row(_ c: Contest) -> ListPage.ContestRow {
            .init(id: c.id!, name: c.name, kind: c.contestKind.label, level: ContestLevel(rawValue: c.level)?.label ?? c.level,
                  organiser: names[c.orgID] ?? "", published: c.publishedAt != nil)
        }
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).filter(\.$path =~ org.path).sort(\.$code).all()
        let allCounties = counties.isEmpty ? try await Organization.query(on: req.db).filter(\.$kind == .county).sort(\.$code).all() : counties
        return try await req.view.render("contests", ListPage(
            layout: await Layout.build(for: req, title: "创青春与青农优品"), year: campaign.year, orgID: org.id!, unit: org.name,
            canWrite: me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed,
            ventures: ventures.map { .init(name: $0.name, leader: $0.leaderName, phone: $0.leaderPhoneMasked, county: names[$0.countyID] ?? "",
                                           sector: VentureSector(rawValue: $0.sector)?.label ?? $0.sector, jobs: $0.jobsCreated) },
            contests: contests.map(row), judging: judging.map(row),
            counties: allCounties.map { Option(value: $0.id!.uuidString, label: $0.name) },
            sectors: VentureSector.allCases.map { Option(value: $0.rawValue, label: $0.label) }))
    }

    func addVenture(req: Request) async throws -> Response {
        let form = try req.content.decode(VentureForm.self)
        return try await req.formAction(back: Layout.link("/contests", campaign: form.campaign, orgID: form.orgId),
                                         fields: ["countyId": "county"], page: { try await list(req: req) }) {
            "已登记创业项目：\(try await req.contests.createVenture(form).name)"
        }
    }

    func addContest(req: Request) async throws -> Response {
        struct PageForm: Content {
            var campaign: Int?; var orgId: UUID?; var name: String?; var kind: String?; var level: String?
        }
        let page = try req.content.decode(PageForm.self)
        // Four rows on the page, `criterionName1`…`criterionWeight4`, so that a refused form comes back as typed.
        let rows = (1...4).map { n in
            ((try? req.content.get(String.self, at: "criterionName\(n)")) ?? "", (try? req.content.get(String.self, at: "criterionWeight\(n)")) ?? "")
        }.filter { !$0.0.isEmpty || !$0.1.isEmpty }
        let form = ContestForm(campaign: page.campaign, orgId: page.orgId, name: page.name, kind: page.kind, level: page.level,
                               criteria: rows.map { .init(name: $0.0, weight: LooseText(text: String($0.1.prefix(12)))) })
        return try await req.formAction(back: Layout.link("/contests", campaign: page.campaign, orgID: page.orgId),
                                         fields: ["criteria": "criterionName1"], page: { try await list(req: req) }) {
            "已创建评审：\(try await req.contests.createContest(form).name)"
        }
    }

    struct ContestPage: Encodable {
        struct Field: Encodable { let name, label, value: String }
        /// `fields`: one per criterion, holding the judge's score (or, after a refusal, what was typed).
        struct Entry: Encodable { let id: UUID; let name, sector, description: String; let scored, conflict: Bool; let fields: [Field]; let error: String }
        let layout: Layout
        let id: UUID
        let year: Int
        let name, kind, level, organiser: String
        let criteria: [Criterion]
        let canWrite: Bool
        let isJudge: Bool
        let published: Bool
        let ranking: [ContestRegister.RankingRow]
        let judges: [String]
        let ventureOptions: [Option]
        let userOptions: [Option]
        let entries: [Entry]
    }

    func show(req: Request) async throws -> View {
        let id = req.parameters.get("contestID", as: UUID.self)
        let (c, organiser, canWrite, asJudge) = try await req.contests.contest(id)
        let me = try req.access.current
        let isJudge = try await ContestJudge.query(on: req.db).filter(\.$contestID == c.id!).filter(\.$userID == me.user.id!).first() != nil
        let entries = try await ContestAPIController().entries(req: req)
        let mine = Dictionary(uniqueKeysWithValues: try await ContestScore.query(on: req.db).filter(\.$contestID == c.id!)
            .filter(\.$judgeID == me.user.id!).all().map { ($0.entryID, $0.scores) })
        var ranking: [ContestRegister.RankingRow] = [], judges: [String] = [], ventureOptions: [Option] = [], userOptions: [Option] = []
        if !asJudge {
            ranking = try await req.contests.ranking(id).1
            let judgeIDs = try await ContestJudge.query(on: req.db).filter(\.$contestID == c.id!).all(\.$userID)
            judges = try await User.query(on: req.db).filter(\.$id ~~ judgeIDs).sort(\.$displayName).all().map { "\($0.displayName)（\($0.username)）" }
            if canWrite {
                let campaign = try await Campaign.find(c.campaignID, on: req.db)!
                let entered = Set(ranking.map(\.ventureId))
                ventureOptions = try await req.contests.ventures(campaign: campaign, org: organiser).filter { !entered.contains($0.id!) }
                    .map { Option(value: $0.id!.uuidString, label: $0.name) }
                userOptions = try await req.access.visibleUsers().filter(\.$role ~~ [.admin, .staff, .viewer]).sort(\.$username).range(..<500).all()
                    .filter { !judgeIDs.contains($0.id!) }.map { Option(value: $0.id!.uuidString, label: "\($0.displayName)（\($0.username)）") }
            }
        }
        return try await req.view.render("contest", ContestPage(
            layout: await Layout.build(for: req, title: c.name), id: c.id!, year: try await EmploymentAPIController.year(req, c.campaignID),
            name: c.name, kind: c.contestKind.label, level: ContestLevel(rawValue: c.level)?.label ?? c.level, organiser: organiser.name,
            criteria: c.criteria, canWrite: canWrite, isJudge: isJudge, published: c.publishedAt != nil, ranking: ranking, judges: judges,
            ventureOptions: ventureOptions, userOptions: userOptions,
            entries: isJudge ? entries.map { e in
                let refused = req.formState.flatMap { $0.values["entryId"] == e.entryId.uuidString ? $0 : nil }
                let fields = c.criteria.enumerated().map { n, criterion in
                    ContestPage.Field(name: "score\(n)", label: criterion.name,
                                      value: refused?.values["score\(n)"] ?? mine[e.entryId]?[criterion.name].map(String.init) ?? "")
                }
                return .init(id: e.entryId, name: e.ventureName, sector: e.sector, description: e.description, scored: e.scored,
                             conflict: e.conflict, fields: fields, error: refused?.message ?? "")
            } : []))
    }

    private func back(_ req: Request) -> String { "/contests/" + (req.parameters.get("contestID") ?? "") }

    func addEntry(req: Request) async throws -> Response {
        struct Form: Content { var ventureId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: back(req)) {
            _ = try await req.contests.addEntry(req.parameters.get("contestID", as: UUID.self), ventureID: form.ventureId)
            return "已加入参评项目"
        }
    }

    func addJudge(req: Request) async throws -> Response {
        struct Form: Content { var userId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: back(req)) {
            _ = try await req.contests.addJudge(req.parameters.get("contestID", as: UUID.self), userID: form.userId)
            return "已添加评委"
        }
    }

    /// A judge's sheet from the page: one field per criterion, `score0`, `score1`… in the criteria's order; a refused
    /// sheet comes back with what was typed and the message on that entry.
    func score(req: Request) async throws -> Response {
        struct Form: Content { var entryId: UUID? }
        let form = try req.content.decode(Form.self)
        let (c, _, _, _) = try await req.contests.contest(req.parameters.get("contestID", as: UUID.self))
        var scores: [String: LooseText] = [:]
        for (n, criterion) in c.criteria.enumerated() {
            let typed = (try? req.content.get(String.self, at: "score\(n)")) ?? ""
            scores[criterion.name] = LooseText(text: String(typed.prefix(12)))
        }
        return try await req.formAction(back: back(req), page: { try await show(req: req) }) {
            let sheet = try await req.contests.score(c.id, entryID: form.entryId, scores: scores)
            return "已提交评分：\(ContestRules.points(sheet.weighted))分"
        }
    }

    func select(req: Request) async throws -> Response {
        struct Form: Content { var entryIds: [UUID]? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: back(req)) {
            let chosen = try await req.contests.select(req.parameters.get("contestID", as: UUID.self), entryIDs: form.entryIds)
            return "已公布入选名单：\(chosen.count)个项目，已通知项目所在单位"
        }
    }

    func ventureTemplate(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "涉农创业项目", filename: "涉农创业项目-空白模板-\(campaign.year)",
            title: "\(campaign.year)年涉农创业项目登记表（所属领域填种植、养殖、农产品加工、电商、乡村旅游或其他；成立时间写成 2021-05；手机号按文本填写）",
            header: VentureColumn.specs.map(\.title), rows: [], textColumns: [3])
    }

    /// The unit's ventures as the page lists them: the leader's phone masked.
    func ventureExport(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let org = try await req.contests.unit(req.query[UUID.self, at: "orgId"])
        let ventures = try await req.contests.ventures(campaign: campaign, org: org)
        let orgIDs = Array(Set(ventures.flatMap { [$0.countyID, $0.orgID] }))
        let names = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ orgIDs).all().map { ($0.id!, $0.name) })
        let rows: [[WriteValue]] = ventures.enumerated().map { n, v in
            [.number(Double(n + 1)), .string(v.name), .string(v.leaderName), .string(v.leaderPhoneMasked), .string(names[v.countyID] ?? ""),
             .string(VentureSector(rawValue: v.sector)?.label ?? v.sector), .string(v.founded), .number(Double(v.jobsCreated)),
             .string(v.revenueBand), .string(v.description), .string(names[v.orgID] ?? "")]
        }
        return try VolunteerController.workbook(req, name: "涉农创业项目", filename: "涉农创业项目-\(org.name)-\(campaign.year)",
            title: "\(campaign.year)年涉农创业项目（\(org.name)，手机号已打码）",
            header: ["序号", "项目名称", "负责人", "负责人手机号", "所在县（市、区）", "所属领域", "成立时间", "带动就业人数", "营业收入区间", "项目简介", "登记单位"],
            rows: rows, textColumns: [])
    }

    struct SelectedPage: Encodable { let layout: Layout; let id: UUID; let contest, kind, organiser: String; let items: [String] }

    func selected(req: Request) async throws -> View {
        let dto = try await ContestAPIController().selected(req: req)
        return try await req.view.render("contest-selected", SelectedPage(
            layout: await Layout.build(for: req, title: dto.contest + "入选名单"), id: req.parameters.get("contestID", as: UUID.self)!,
            contest: dto.contest, kind: dto.kind, organiser: dto.organiser, items: dto.items))
    }

    func selectedExport(req: Request) async throws -> Response {
        let dto = try await ContestAPIController().selected(req: req)
        return try VolunteerController.workbook(req, name: "入选名单", filename: "\(dto.contest)入选名单",
            title: "\(dto.contest)入选名单（\(dto.organiser)公布）", header: ["序号", "项目名称"],
            rows: dto.items.enumerated().map { [.number(Double($0.offset + 1)), .string($0.element)] }, textColumns: [])
    }
}

/// A unit's ventures on the web's import pipeline (upload → preview → commit, error workbook).
enum VentureImportForm: RegisterImportForm {
    static let name = "ventures"
    static let title = "导入涉农创业项目"
    static let backLabel = "创青春与青农优品"
    static let what = "涉农创业项目"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { VentureColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/contests", campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.contests.writableUnit(orgID) }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> VentureSpec {
        try await req.contests.ventureSpec(campaign, unit)
    }
}
