// 创青春 and 青农优品's JSON API: ventures, contests, entries, judges, a judge's scores, the ranking, the selection.
import Fluent
import LiangbangCore
import Vapor

struct ContestAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("ventures", use: ventures)
        api.get("contests", use: contests)
        api.get("contests", ":contestID", "ranking", use: ranking)
        api.get("contests", ":contestID", "selected", use: selected)
        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("ventures", use: createVenture)
        writers.on(.POST, "ventures", "import", body: .collect(maxSize: "20mb"), use: importVentures)
        writers.post("contests", use: createContest)
        writers.post("contests", ":contestID", "entries", use: addEntry)
        writers.post("contests", ":contestID", "judges", use: addJudge)
        writers.post("contests", ":contestID", "select", use: select)
        // A judge may be any account the organiser chose, volunteers' excepted: staff and viewers score.
        let judges = routes.grouped("api", "v1", "contests").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        judges.get(":contestID", "entries", use: listEntries)
        judges.post(":contestID", "scores", use: score)
    }

    struct VentureDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, name: String, leaderName: String, leaderPhoneMasked: String, countyId: UUID
        let sector: String, sectorLabel: String, founded: String, jobsCreated: Int, revenueBand: String, description: String
        init(_ v: Venture, year: Int) {
            id = v.id!; campaign = year; orgId = v.orgID; name = v.name; leaderName = v.leaderName; leaderPhoneMasked = v.leaderPhoneMasked
            countyId = v.countyID; sector = v.sector; sectorLabel = VentureSector(rawValue: v.sector)?.label ?? v.sector; founded = v.founded
            jobsCreated = v.jobsCreated; revenueBand = v.revenueBand; description = v.description
        }
    }

    struct ContestDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, name: String, kind: String, level: String, criteria: [Criterion], published: Bool
        init(_ c: Contest, year: Int) {
            id = c.id!; campaign = year; orgId = c.orgID; name = c.name; kind = c.kind; level = c.level; criteria = c.criteria; published = c.publishedAt != nil
        }
    }

    func ventures(req: Request) async throws -> ItemList<VentureDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.contests.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.contests.ventures(campaign: campaign, org: org).map { VentureDTO($0, year: campaign.year) })
    }

    func createVenture(req: Request) async throws -> Response {
        let v = try await req.contests.createVenture(try req.content.decode(VentureForm.self))
        return try await VentureDTO(v, year: try await EmploymentAPIController.year(req, v.campaignID)).encodeResponse(status: .created, for: req)
    }

    /// The ventures workbook through the same importer as the page: 200 with the report, or 422 with every problem.
    func importVentures(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, orgID in
            let unit = try await req.contests.writableUnit(orgID)
            return (try await req.contests.ventureSpec(campaign, unit), unit.name + "导入涉农创业项目")
        }
    }

    func contests(req: Request) async throws -> ItemList<ContestDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.contests.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.contests.contests(campaign: campaign, org: org).map { ContestDTO($0, year: campaign.year) })
    }

    func createContest(req: Request) async throws -> Response {
        let c = try await req.contests.createContest(try req.content.decode(ContestForm.self))
        return try await ContestDTO(c, year: try await EmploymentAPIController.year(req, c.campaignID)).encodeResponse(status: .created, for: req)
    }

    func addEntry(req: Request) async throws -> Response {
        struct Body: Content { var ventureId: UUID? }
        let e = try await req.contests.addEntry(req.parameters.get("contestID", as: UUID.self), ventureID: try req.content.decode(Body.self).ventureId)
        struct DTO: Content { let id: UUID; let ventureId: UUID }
        return try await DTO(id: e.id!, ventureId: e.ventureID).encodeResponse(status: .created, for: req)
    }

    func addJudge(req: Request) async throws -> Response {
        struct Body: Content { var userId: UUID? }
        let j = try await req.contests.addJudge(req.parameters.get("contestID", as: UUID.self), userID: try req.content.decode(Body.self).userId)
        struct DTO: Content { let id: UUID; let userId: UUID }
        return try await DTO(id: j.id!, userId: j.userID).encodeResponse(status: .created, for: req)
    }

    struct EntryDTO: Content { let entryId: UUID; let ventureName: String; let sector: String; let description: String; let scored: Bool; let conflict: Bool }

    func listEntries(req: Request) async throws -> ItemList<EntryDTO> { ItemList(try await entries(req: req)) }

    /// What a judge sees: the contest's entries (name, sector, description), whether it scored each, and those it
    /// must stay out of. The organiser's staff see the same list; the contest page reads it too.
    func entries(req: Request) async throws -> [EntryDTO] {
        let (c, _, _, _) = try await req.contests.contest(req.parameters.get("contestID", as: UUID.self))
        let me = try req.access.current
        let entries = try await ContestEntry.query(on: req.db).filter(\.$contestID == c.id!).all()
        let ventures = try await Venture.query(on: req.db).filter(\.$id ~~ entries.map(\.ventureID)).all()
        let byID = Dictionary(uniqueKeysWithValues: ventures.map { ($0.id!, $0) })
        let conflicts = try await req.contests.conflicts(ventures, judge: me.org)
        let mine = Set(try await ContestScore.query(on: req.db).filter(\.$contestID == c.id!).filter(\.$judgeID == me.user.id!).all(\.$entryID))
        return entries.compactMap { e in
            guard let v = byID[e.ventureID] else { return nil }
            return EntryDTO(entryId: e.id!, ventureName: v.name, sector: VentureSector(rawValue: v.sector)?.label ?? v.sector, description: v.description,
                            scored: mine.contains(e.id!),
                            conflict: conflicts[v.id!] ?? true)
        }.sorted { $0.ventureName < $1.ventureName }
    }

    func score(req: Request) async throws -> Response {
        struct Body: Content { var entryId: UUID?; var scores: [String: LooseText]? }
        let body = try req.content.decode(Body.self)
        let sheet = try await req.contests.score(req.parameters.get("contestID", as: UUID.self), entryID: body.entryId, scores: body.scores)
        struct DTO: Content { let entryId: UUID; let scores: [String: Int]; let weighted: Double }
        return try await DTO(entryId: sheet.entryID, scores: sheet.scores, weighted: Double(sheet.weighted) / 100).encodeResponse(status: .created, for: req)
    }

    func ranking(req: Request) async throws -> ItemList<ContestRegister.RankingRow> {
        ItemList(try await req.contests.ranking(req.parameters.get("contestID", as: UUID.self)).1)
    }

    func select(req: Request) async throws -> ItemList<ContestRegister.RankingRow> {
        struct Body: Content { var entryIds: [UUID]? }
        let id = req.parameters.get("contestID", as: UUID.self)
        _ = try await req.contests.select(id, entryIDs: try req.content.decode(Body.self).entryIds)
        return ItemList(try await req.contests.ranking(id).1.filter(\.selected))
    }

    struct SelectedDTO: Content { let contest: String; let kind: String; let organiser: String; let items: [String] }

    /// A published list is for every unit: the names of the selected ventures, nothing more.
    func selected(req: Request) async throws -> SelectedDTO {
        guard let id = req.parameters.get("contestID", as: UUID.self), let c = try await Contest.find(id, on: req.db), c.publishedAt != nil else {
            throw AppError.notFound("该评审的公布名单")
        }
        let chosen = try await ContestEntry.query(on: req.db).filter(\.$contestID == id).filter(\.$selected == true).all(\.$ventureID)
        let names = try await Venture.query(on: req.db).filter(\.$id ~~ chosen).sort(\.$name).all(\.$name)
        return SelectedDTO(contest: c.name, kind: c.contestKind.label, organiser: try await Organization.find(c.orgID, on: req.db)?.name ?? "", items: names)
    }
}
