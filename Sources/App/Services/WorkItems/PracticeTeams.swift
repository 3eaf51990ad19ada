// 三下乡 practice teams and their member lists: whose teams the caller sees and keeps, the one place a team is
// written, and the two register specs (a unit's teams, a team's members) on the shared import pipeline.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

/// A team as the page and the API send it; values as typed, so the import's rules apply.
struct PracticeTeamForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var lighthouse: LooseText?
    var leader: String?
    var destinationCountyId: UUID?
    var destination: String?
    var town: String?
    var startDate: String?
    var endDate: String?
    var theme: String?
    var declaredMembers: LooseText?

    static let fields: [String: String] = [
        PracticeTeamColumn.name: "name", PracticeTeamColumn.lighthouse: "lighthouse", PracticeTeamColumn.leader: "leader",
        PracticeTeamColumn.county: "destinationCountyId", PracticeTeamColumn.town: "town", PracticeTeamColumn.start: "startDate",
        PracticeTeamColumn.end: "endDate", PracticeTeamColumn.theme: "theme", PracticeTeamColumn.declared: "declaredMembers",
    ]
}

struct PracticeTeams {
    let request: Request
    var db: any Database { request.db }

    /// The unit whose teams the caller reads (its own by default).
    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    func writableUnit(_ orgID: UUID?) async throws -> Organization { try await request.access.writableUnit(orgID) }

    /// Teams `org` is concerned with: organised by it or a unit below it, or going to a county in its territory.
    func scoped(_ org: Organization) async throws -> QueryBuilder<PracticeTeam> {
        guard org.kind != .province else { return PracticeTeam.query(on: db) }
        let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
        return PracticeTeam.query(on: db).group(.or) { $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids) }
    }

    /// A team the caller may change (its organiser's staff or above); 404 outside the caller's view.
    func writableTeam(_ id: UUID?) async throws -> (PracticeTeam, Organization) {
        let me = try request.access.current
        guard let id, let team = try await scoped(me.org).filter(\.$id == id).first(),
              let unit = try await Organization.find(team.orgID, on: db) else { throw AppError.notFound("该实践团队") }
        try request.access.enforce(AccessPolicy.write(by: me.actor, orgPath: unit.path))
        return (team, unit)
    }

    func readableTeam(_ id: UUID?) async throws -> PracticeTeam {
        guard let id, let team = try await scoped(try request.access.current.org).filter(\.$id == id).first() else { throw AppError.notFound("该实践团队") }
        return team
    }

    func input(_ f: PracticeTeamForm) async throws -> RegisterInput {
        var county = f.destination ?? ""
        if let id = f.destinationCountyId {
            guard let org = try await Organization.find(id, on: db), org.kind == .county else {
                throw AppError.invalid("destinationCountyId 不是县（市、区）", problems: [.init(field: "destinationCountyId", message: "请选择目的地县（市、区）")])
            }
            county = org.code ?? org.name
        }
        return RegisterInput(row: 1, values: [
            PracticeTeamColumn.name: f.name ?? "", PracticeTeamColumn.lighthouse: f.lighthouse?.text ?? "", PracticeTeamColumn.leader: f.leader ?? "",
            PracticeTeamColumn.county: county, PracticeTeamColumn.town: f.town ?? "", PracticeTeamColumn.start: f.startDate ?? "",
            PracticeTeamColumn.end: f.endDate ?? "", PracticeTeamColumn.theme: f.theme ?? "", PracticeTeamColumn.declared: f.declaredMembers?.text ?? "",
        ])
    }

    func create(_ form: PracticeTeamForm) async throws -> PracticeTeam {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        let spec = TeamSpec(campaign: campaign, unit: unit, counties: CountyMatcher(try await RosterPolicyLoader.counties(db: db)))
        let (entry, problems) = spec.validate(try await input(form))
        guard let entry else { throw AppError.refusal(problems, fields: PracticeTeamForm.fields) }
        let team = try await db.writeTransaction(lock: unit.id) { tx in
            let key = spec.key(entry)
            if try await spec.stored(tx).contains(where: { spec.key($0) == key }) {
                throw AppError.conflict("\(unit.name)本年度已有名为“\(entry.name)”的实践团队")
            }
            let team = try spec.fill(nil, entry)
            try await team.create(on: tx)
            return team
        }
        request.auditDetail = "\(unit.name)登记三下乡实践团队“\(entry.name)”"
        return team
    }

    func delete(_ id: UUID?) async throws {
        let (team, unit) = try await writableTeam(id)
        try await db.writeTransaction(lock: unit.id) { tx in try await team.delete(on: tx) }
        request.auditDetail = "\(unit.name)删除三下乡实践团队“\(team.name)”"
    }

    func list(campaign: Campaign, org: Organization) async throws -> [PracticeTeam] {
        try await scoped(org).filter(\.$campaignID == campaign.id!).sort(\.$startDate).sort(\.$name).all()
    }
}

extension Request {
    var practiceTeams: PracticeTeams { PracticeTeams(request: self) }
}

extension AppError {
    /// 422 with every problem of a line, each under the API field the caller sent.
    static func refusal(_ problems: [RowProblem], fields: [String: String]) -> AppError {
        let errors = problems.filter { !$0.warning }
        return AppError.invalid(errors.map(\.message).joined(separator: "；"),
                                problems: errors.map { AppError.Problem(field: fields[$0.column] ?? $0.column, message: $0.message) })
    }
}

/// A unit's teams in a campaign; a line is the same team as a stored one when the names agree.
struct TeamSpec: RegisterSpec {
    let campaign: Campaign
    let unit: Organization
    let counties: CountyMatcher

    var columns: [ColumnSpec] { PracticeTeamColumn.specs }
    var subjectColumn: String { PracticeTeamColumn.name }
    var lock: UUID? { unit.id }

    func validate(_ input: RegisterInput) -> (PracticeTeamEntry?, [RowProblem]) { PracticeRules.team(input, year: campaign.year, counties: counties) }
    func stored(_ db: any Database) async throws -> [PracticeTeam] {
        try await PracticeTeam.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).all()
    }
    func key(_ e: PracticeTeamEntry) -> String { TextNormaliser.headerKey(e.name) }
    func key(_ t: PracticeTeam) -> String { TextNormaliser.headerKey(t.name) }
    func describe(_ e: PracticeTeamEntry) -> (name: String, detail: String) { (e.name, "\(e.county.fullName)，\(e.start.iso)至\(e.end.iso)") }
    func describe(_ t: PracticeTeam) -> (name: String, detail: String) { (t.name, "\(t.startDate)至\(t.endDate)") }

    func changes(_ t: PracticeTeam, _ e: PracticeTeamEntry) -> [String] {
        var out: [String] = []
        if t.lighthouse != e.lighthouse { out.append(PracticeTeamColumn.lighthouse) }
        if t.leader != e.leader { out.append(PracticeTeamColumn.leader) }
        if t.countyID.uuidString != e.county.key || t.town != e.town { out.append(PracticeTeamColumn.county) }
        if t.startDate != e.start.iso || t.endDate != e.end.iso { out.append("实践日期") }
        if t.theme != e.theme.rawValue { out.append(PracticeTeamColumn.theme) }
        if t.declaredMembers != e.declared { out.append(PracticeTeamColumn.declared) }
        return out
    }

    /// A team whose destination changed moves its members' city with it.
    func finish(_ db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE practice_members SET city_id = (SELECT o.parent_id FROM practice_teams t JOIN organizations o ON o.id = t.county_id
                                                   WHERE t.id = practice_members.team_id)
            WHERE team_id IN (SELECT id FROM practice_teams WHERE campaign_id = \(bind: campaign.id!) AND org_id = \(bind: unit.id!))
            """).run()
    }

    func fill(_ row: PracticeTeam?, _ e: PracticeTeamEntry) throws -> PracticeTeam {
        let t = row ?? PracticeTeam()
        if row == nil {
            t.campaignID = campaign.id!; t.orgID = unit.id!; t.hasList = false; t.listedMembers = 0
        }
        t.name = e.name; t.lighthouse = e.lighthouse; t.leader = e.leader; t.countyID = UUID(uuidString: e.county.key)!
        t.town = e.town; t.startDate = e.start.iso; t.endDate = e.end.iso; t.theme = e.theme.rawValue; t.declaredMembers = e.declared
        return t
    }
}

/// One team's member list; the list replaces what the team declared. A student is the same student in every team
/// (school and 学号); out with two teams at once is a warning.
struct MemberSpec: RegisterSpec {
    let team: PracticeTeam
    /// The city of the team's destination (copied onto each member for the board).
    let cityID: UUID?

    static func of(_ team: PracticeTeam, db: any Database) async throws -> MemberSpec {
        MemberSpec(team: team, cityID: try await Organization.find(team.countyID, on: db)?.parentID)
    }

    var columns: [ColumnSpec] { PracticeMemberColumn.specs }
    var subjectColumn: String { PracticeMemberColumn.name }
    var lock: UUID? { team.orgID }

    func validate(_ input: RegisterInput) -> (PracticeMemberEntry?, [RowProblem]) { PracticeRules.member(input) }
    func stored(_ db: any Database) async throws -> [PracticeMember] {
        try await PracticeMember.query(on: db).filter(\.$teamID == team.id!).all()
    }
    func key(_ e: PracticeMemberEntry) -> String { e.key }
    func key(_ m: PracticeMember) -> String { m.studentKey }
    func describe(_ e: PracticeMemberEntry) -> (name: String, detail: String) { (e.name, "\(e.member.school) \(e.member.studentNo)") }
    func describe(_ m: PracticeMember) -> (name: String, detail: String) { (m.name, "\(m.school) \(m.studentNo)") }
    func changes(_ m: PracticeMember, _ e: PracticeMemberEntry) -> [String] { m.name == e.name ? [] : [PracticeMemberColumn.name] }

    func fill(_ row: PracticeMember?, _ e: PracticeMemberEntry) throws -> PracticeMember {
        let m = row ?? PracticeMember()
        if row == nil { m.teamID = team.id!; m.campaignID = team.campaignID; m.orgID = team.orgID }
        m.cityID = cityID
        m.name = e.name; m.school = e.member.school; m.studentNo = e.member.studentNo; m.studentKey = e.key
        return m
    }

    /// Repeated lines are errors; the same students in other teams out at the same time are warnings.
    func crossCheck(_ entries: [PracticeMemberEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        var problems = PracticeRules.repeatedMembers(entries)
        let keys = Array(Set(entries.map(\.key)))
        var others: [UUID: [PracticeMember]] = [:]
        for chunk in keys.chunked(into: 500) {
            for m in try await PracticeMember.query(on: db).filter(\.$campaignID == team.campaignID).filter(\.$studentKey ~~ Array(chunk))
                .filter(\.$teamID != team.id!).all() { others[m.teamID, default: []].append(m) }
        }
        guard !others.isEmpty else { return problems }
        let teams = try await PracticeTeam.query(on: db).filter(\.$id ~~ Array(others.keys)).all()
        var list = teams.map { t in
            TeamMembers(name: t.name, dates: t.dates, members: (others[t.id!] ?? []).map { .init(school: $0.school, studentNo: $0.studentNo) })
        }
        list.append(TeamMembers(name: team.name, dates: team.dates, members: entries.map(\.member)))
        for o in PracticeStudentCount.overlappingMembers(teams: list) where o.team == list.count - 1 {
            let row = entries.first { $0.member == o.member }?.row ?? 0
            problems.append(RowProblem(row: row, column: PracticeMemberColumn.studentNo, message: o.message, warning: true))
        }
        return problems
    }

    /// The team now counts its list.
    func finish(_ db: any Database) async throws {
        let n = try await PracticeMember.query(on: db).filter(\.$teamID == team.id!).count()
        try await PracticeTeam.query(on: db).filter(\.$id == team.id!).set(\.$hasList, to: true).set(\.$listedMembers, to: n).update()
    }
}
