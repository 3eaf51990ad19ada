// Work item 4's JSON API: 三下乡 teams and member lists, 百校百号 pairs, 返家乡 students, the key counties, the
// targets and the progress board.
import Fluent
import LiangbangCore
import Vapor

struct PracticeAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("practice-teams", use: teams)
        api.get("practice-teams", ":teamID", "members", use: members)
        api.get("civility-pairs", use: pairs)
        api.get("return-home", use: returnHome)
        api.get("campaigns", ":year", "key-counties", use: keyCounties)
        api.get("targets", use: targets)

        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("practice-teams", use: createTeam)
        writers.delete("practice-teams", ":teamID", use: deleteTeam)
        writers.on(.POST, "practice-teams", "import", body: .collect(maxSize: "20mb"), use: importTeams)
        writers.on(.POST, "practice-teams", ":teamID", "members", "import", body: .collect(maxSize: "20mb"), use: importMembers)
        writers.post("civility-pairs", use: createPair)
        writers.delete("civility-pairs", ":pairID", use: deletePair)
        writers.on(.POST, "civility-pairs", "import", body: .collect(maxSize: "20mb"), use: importPairs)
        writers.post("return-home", use: createReturnHome)
        writers.delete("return-home", ":studentID", use: deleteReturnHome)
        writers.on(.POST, "return-home", "import", body: .collect(maxSize: "20mb"), use: importReturnHome)
        writers.put("campaigns", ":year", "key-counties", use: setKeyCounties)
        writers.put("campaigns", ":year", "targets", use: setTargets)
        writers.on(.POST, "targets", "import", body: .collect(maxSize: "20mb"), use: importShares)
    }

    // MARK: Shapes

    struct TeamDTO: Content {
        let id: UUID
        let campaign: Int
        let orgId: UUID
        let name: String
        let lighthouse: Bool
        let leader: String
        let destinationCountyId: UUID
        let town, startDate, endDate, theme, themeLabel: String
        let declaredMembers: Int
        let hasList: Bool
        let listedMembers: Int
        init(_ t: PracticeTeam, year: Int) {
            id = t.id!; campaign = year; orgId = t.orgID; name = t.name; lighthouse = t.lighthouse; leader = t.leader
            destinationCountyId = t.countyID; town = t.town; startDate = t.startDate; endDate = t.endDate; theme = t.theme
            themeLabel = PracticeTheme(rawValue: t.theme)?.label ?? t.theme; declaredMembers = t.declaredMembers; hasList = t.hasList
            listedMembers = t.listedMembers
        }
    }
    struct MemberDTO: Content { let id: UUID; let name, school, studentNo: String }
    struct PairDTO: Content {
        let id: UUID
        let collectiveName, sector: String
        let collectiveOrgId: UUID?
        let universityId: UUID
        let activityIds: [UUID]
        init(_ p: CivilityPair) {
            id = p.id!; collectiveName = p.collectiveName; sector = p.sector; collectiveOrgId = p.collectiveOrgID
            universityId = p.universityID; activityIds = p.activityIDList
        }
    }
    struct ReturnHomeDTO: Content {
        let id: UUID
        let orgId: UUID
        let name, idNumberMasked: String
        let universityId: UUID?
        let homeCountyId: UUID
        let hostUnit, startDate, endDate: String
        let hours: Double
        init(_ s: ReturnHomeStudent) {
            id = s.id!; orgId = s.orgID; name = s.name; idNumberMasked = s.idMasked; universityId = s.universityID
            homeCountyId = s.countyID; hostUnit = s.hostUnit; startDate = s.startDate; endDate = s.endDate; hours = Double(s.hoursTenths) / 10
        }
    }
    struct KeyCountiesDTO: Content { let campaign: Int; let countyIds: [UUID]; let count: Int; let warning: String? }

    // MARK: Teams

    func teams(req: Request) async throws -> ItemList<TeamDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.practiceTeams.list(campaign: campaign, org: org).map { TeamDTO($0, year: campaign.year) })
    }

    func createTeam(req: Request) async throws -> Response {
        let form = try req.content.decode(PracticeTeamForm.self)
        let team = try await req.practiceTeams.create(form)
        return try await TeamDTO(team, year: try await req.access.campaign(form.campaign).year).encodeResponse(status: .created, for: req)
    }

    func deleteTeam(req: Request) async throws -> HTTPStatus {
        try await req.practiceTeams.delete(req.parameters.get("teamID", as: UUID.self))
        return .noContent
    }

    func members(req: Request) async throws -> ItemList<MemberDTO> {
        let team = try await req.practiceTeams.readableTeam(req.parameters.get("teamID", as: UUID.self))
        return ItemList(try await PracticeMember.query(on: req.db).filter(\.$teamID == team.id!).sort(\.$school).sort(\.$studentNo).all()
            .map { MemberDTO(id: $0.id!, name: $0.name, school: $0.school, studentNo: $0.studentNo) })
    }

    func importTeams(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, orgID in
            let unit = try await req.practiceTeams.writableUnit(orgID)
            return (TeamImportForm.spec(req, campaign, unit: unit, counties: try await RosterPolicyLoader.counties(db: req.db)), unit.name + "导入三下乡实践团队")
        }
    }

    /// The team's member list: the file is the whole list (replace), unless `mode=merge`.
    func importMembers(req: Request) async throws -> Response {
        let (team, unit) = try await req.practiceTeams.writableTeam(req.parameters.get("teamID", as: UUID.self))
        let spec = try await MemberSpec.of(team, db: req.db)
        return try await RegisterUpload.run(req, defaultMode: .replace) { _, _ in (spec, "\(unit.name)导入实践团队“\(team.name)”名单") }
    }

    // MARK: 百校百号

    func pairs(req: Request) async throws -> ItemList<PairDTO> {
        ItemList(try await req.practiceRecords.pairs(campaign: try await req.access.campaign()).map(PairDTO.init))
    }

    func createPair(req: Request) async throws -> Response {
        try await PairDTO(try await req.practiceRecords.createPair(try req.content.decode(CivilityPairForm.self))).encodeResponse(status: .created, for: req)
    }

    func deletePair(req: Request) async throws -> HTTPStatus {
        try await req.practiceRecords.deletePair(req.parameters.get("pairID", as: UUID.self))
        return .noContent
    }

    func importPairs(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, _ in
            (try await PairImportForm.spec(req, campaign), "导入百校百号结对")
        }
    }

    // MARK: 返家乡

    func returnHome(req: Request) async throws -> ItemList<ReturnHomeDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.practiceRecords.returnHome(campaign: campaign, org: org).map(ReturnHomeDTO.init))
    }

    func createReturnHome(req: Request) async throws -> Response {
        try await ReturnHomeDTO(try await req.practiceRecords.createReturnHome(try req.content.decode(ReturnHomeForm.self))).encodeResponse(status: .created, for: req)
    }

    func deleteReturnHome(req: Request) async throws -> HTTPStatus {
        try await req.practiceRecords.deleteReturnHome(req.parameters.get("studentID", as: UUID.self))
        return .noContent
    }

    func importReturnHome(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, orgID in
            let unit = try await req.practiceTeams.writableUnit(orgID)
            return (try await req.practiceRecords.returnHomeSpec(campaign, unit), unit.name + "导入返家乡学生")
        }
    }

    // MARK: Key counties and targets

    static func year(_ req: Request) async throws -> Campaign {
        guard let raw = req.parameters.get("year"), let year = Int(raw) else { throw AppError.notFound("该年度") }
        return try await req.access.campaign(try NumberInput.check(year, in: NumberInput.years, field: "year", label: "活动年度", status: .notFound))
    }

    func keyCounties(req: Request) async throws -> KeyCountiesDTO {
        let campaign = try await Self.year(req)
        let ids = try await req.targetSettings.keyCounties(campaign: campaign)
        return KeyCountiesDTO(campaign: campaign.year, countyIds: ids, count: ids.count, warning: PracticeTargets.keyCountyWarning(count: ids.count))
    }

    func setKeyCounties(req: Request) async throws -> KeyCountiesDTO {
        struct Input: Content { var countyIds: [UUID]? }
        let campaign = try await Self.year(req)
        guard let ids = try req.content.decode(Input.self).countyIds else { throw AppError.invalid("请提供 countyIds（县（市、区）编号列表）") }
        let stored = try await req.targetSettings.setKeyCounties(campaign: campaign, ids)
        return KeyCountiesDTO(campaign: campaign.year, countyIds: stored, count: stored.count, warning: PracticeTargets.keyCountyWarning(count: stored.count))
    }

    func setTargets(req: Request) async throws -> TargetsBoard.DTO {
        struct Input: Content { var practiceTeams, practiceStudents, civilityPairs, returnHomeInKeyCounties: Int? }
        let campaign = try await Self.year(req)
        let input = try req.content.decode(Input.self)
        let figures: [TargetKey: Int?] = [.practiceTeams: input.practiceTeams, .practiceStudents: input.practiceStudents,
                                          .civilityPairs: input.civilityPairs, .returnHomeInKeyCounties: input.returnHomeInKeyCounties]
        try await req.targetSettings.setTargets(campaign: campaign, figures.compactMapValues { $0 })
        return try await TargetsBoard.build(req, campaign: campaign)
    }

    func targets(req: Request) async throws -> TargetsBoard.DTO {
        try await TargetsBoard.build(req, campaign: try await req.access.campaign())
    }

    func importShares(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .replace) { campaign, _ in
            try req.targetSettings.requireProvince()
            return (try await SharesImportForm.spec(req, campaign), "导入\(campaign.year)年度目标分解表")
        }
    }
}
