// The 三下乡 pages: a unit's practice teams (add, remove, import, export, blank template) and one team with its
// member list (imported from xlsx; students in two teams at once are flagged).
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct PracticeTeamController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("practice-teams")
        pages.get(use: list)
        pages.get("export", use: export)
        pages.get(":teamID", use: team)
        pages.get(":teamID", "members.xlsx", use: exportMembers)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.get("template.xlsx", use: template)
        writers.get("members-template.xlsx", use: membersTemplate)
        writers.post(use: add)
        writers.post(":teamID", "delete", use: delete)
    }

    struct Option: Encodable { let value, label: String; let selected: Bool }
    struct Row: Encodable {
        let id: UUID
        let name, organiser, destination, dates, theme: String
        let lighthouse: Bool
        let students: Int
        let listed: Bool
        let canChange: Bool
    }
    struct ListPage: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let orgID: UUID
        let unit: String
        let query: String
        let canWrite: Bool
        let total: Int
        let rows: [Row]
        let themes: [Option]
        let counties: [String]
    }

    func list(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let teams = try await req.practiceTeams.list(campaign: campaign, org: org)
        let names = try await Self.places(req, teams.flatMap { [$0.orgID, $0.countyID] })
        let table = try TableQuery(req, sorts: ["start", "name", "destination"])
        let found = teams.filter { table.matches($0.name, names[$0.orgID]?.name, names[$0.countyID]?.name, $0.leader) }
        let shown = table.page(found, request: req) { t, key in
            switch key { case "name": return t.name; case "destination": return names[t.countyID]?.name ?? ""; default: return t.startDate }
        }
        let typed = req.formState?.values
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).all()
        let cities = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$kind == .city).all().map { ($0.id!, $0.name) })
        return try await req.view.render("practice-teams", ListPage(
            layout: await Layout.build(for: req, title: "三下乡实践团队"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org.id!, unit: org.name,
            query: Layout.query(campaign: campaign.year, orgID: me.org.id == org.id ? nil : org.id), canWrite: me.user.role.canWrite,
            total: teams.count,
            rows: shown.map { t in
                Row(id: t.id!, name: t.name, organiser: names[t.orgID]?.name ?? "", destination: names[t.countyID]?.full ?? "",
                    dates: "\(t.startDate)至\(t.endDate)", theme: PracticeTheme(rawValue: t.theme)?.label ?? t.theme, lighthouse: t.lighthouse,
                    students: t.hasList ? t.listedMembers : t.declaredMembers, listed: t.hasList,
                    canChange: me.user.role.canWrite && me.actor.reaches(names[t.orgID]?.path ?? "-"))
            },
            themes: PracticeTheme.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: typed?["theme"] == $0.rawValue) },
            counties: counties.map { (cities[$0.parentID ?? UUID()] ?? "") + $0.name }.sorted()))
    }

    struct Place { let name, full, path: String }

    /// Names (and for counties the city in front) of the organisations a list mentions.
    static func places(_ req: Request, _ ids: [UUID]) async throws -> [UUID: Place] {
        let orgs = try await Organization.query(on: req.db).filter(\.$id ~~ Array(Set(ids))).all()
        let cityIDs = Set(orgs.filter { $0.kind == .county }.compactMap(\.parentID))
        let cities = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Array(cityIDs)).all().map { ($0.id!, $0.name) })
        return Dictionary(uniqueKeysWithValues: orgs.map { o in
            (o.id!, Place(name: o.name, full: (o.kind == .county ? cities[o.parentID ?? UUID()] ?? "" : "") + o.name, path: o.path))
        })
    }

    func add(req: Request) async throws -> Response {
        let form = try req.content.decode(PracticeTeamForm.self)
        var fields = PracticeTeamForm.fields
        fields[PracticeTeamColumn.county] = "destination"
        return try await req.formAction(back: Layout.link("/practice-teams", campaign: form.campaign, orgID: form.orgId), fields: fields,
                                         page: { try await list(req: req) }) {
            "已登记实践团队：\(try await req.practiceTeams.create(form).name)"
        }
    }

    func delete(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/practice-teams", campaign: form.campaign, orgID: form.orgId)) {
            try await req.practiceTeams.delete(req.parameters.get("teamID", as: UUID.self))
            return "已删除该实践团队及其名单"
        }
    }

    struct Member: Encodable { let name, school, studentNo: String }
    struct TeamPage: Encodable {
        let layout: Layout
        let id: UUID
        let year: Int
        let name, organiser, destination, dates, theme, leader: String
        let lighthouse: Bool
        let declared: Int
        let listed: Bool
        let total: Int
        let members: [Member]
        let canWrite: Bool
        let back: String
    }

    func team(req: Request) async throws -> View {
        let team = try await req.practiceTeams.readableTeam(req.parameters.get("teamID", as: UUID.self))
        let me = try req.access.current
        let places = try await Self.places(req, [team.orgID, team.countyID])
        let year = try await Campaign.find(team.campaignID, on: req.db)?.year ?? 0
        let all = try await PracticeMember.query(on: req.db).filter(\.$teamID == team.id!).all()
        let table = try TableQuery(req, sorts: ["studentNo", "name", "school"])
        let shown = table.page(all.filter { table.matches($0.name, $0.school, $0.studentNo) }, request: req) { m, key in
            switch key { case "name": return m.name; case "school": return m.school; default: return m.studentNo }
        }
        return try await req.view.render("practice-team", TeamPage(
            layout: await Layout.build(for: req, title: team.name), id: team.id!, year: year, name: team.name,
            organiser: places[team.orgID]?.name ?? "", destination: (places[team.countyID]?.full ?? "") + team.town,
            dates: "\(team.startDate)至\(team.endDate)", theme: PracticeTheme(rawValue: team.theme)?.label ?? team.theme, leader: team.leader,
            lighthouse: team.lighthouse, declared: team.declaredMembers, listed: team.hasList, total: all.count,
            members: shown.map { Member(name: $0.name, school: $0.school, studentNo: $0.studentNo) },
            canWrite: me.user.role.canWrite && me.actor.reaches(places[team.orgID]?.path ?? "-"),
            back: Layout.link("/practice-teams", campaign: year, orgID: nil)))
    }

    static let header = ["序号"] + PracticeTeamColumn.specs.map(\.title) + ["组织单位", "名单人数"]

    func export(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        let teams = try await req.practiceTeams.list(campaign: campaign, org: org)
        let places = try await Self.places(req, teams.flatMap { [$0.orgID, $0.countyID] })
        return try VolunteerController.workbook(req, name: "三下乡实践团队", filename: "三下乡实践团队-\(org.name)-\(campaign.year)",
            title: "\(campaign.year)年三下乡实践团队（\(org.name)）", header: Self.header, rows: teams.enumerated().map { n, t in
                [.number(Double(n + 1)), .string(t.name), .string(t.lighthouse ? "是" : "否"), .string(t.leader), .string(places[t.countyID]?.full ?? ""),
                 .string(t.town), .string(t.startDate), .string(t.endDate), .string(PracticeTheme(rawValue: t.theme)?.label ?? t.theme),
                 .number(Double(t.declaredMembers)), .string(places[t.orgID]?.name ?? ""), t.hasList ? .number(Double(t.listedMembers)) : .string("")]
            }, textColumns: [])
    }

    /// The team's list in the import's layout (it re-imports as it is).
    func exportMembers(req: Request) async throws -> Response {
        let team = try await req.practiceTeams.readableTeam(req.parameters.get("teamID", as: UUID.self))
        let members = try await PracticeMember.query(on: req.db).filter(\.$teamID == team.id!).sort(\.$school).sort(\.$studentNo).all()
        return try VolunteerController.workbook(req, name: "团队成员名单", filename: "实践团队成员名单-\(team.name)", title: "\(team.name)成员名单",
            header: PracticeMemberColumn.specs.map(\.title), rows: members.map { [.string($0.name), .string($0.studentNo), .string($0.school)] },
            textColumns: [2])
    }

    func template(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "三下乡实践团队", filename: "三下乡实践团队-空白模板-\(campaign.year)",
            title: "\(campaign.year)年三下乡实践团队登记表（灯塔实践团队填是或否；主题类别填\(ActivityCategory.choices)之一；日期如 \(campaign.year)-07-15）",
            header: PracticeTeamColumn.specs.map(\.title), rows: [], textColumns: [])
    }

    func membersTemplate(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "团队成员名单", filename: "实践团队成员名单-空白模板",
            title: "实践团队成员名单（学号请按文本填写，同一学校的同一学号视为同一名学生）",
            header: PracticeMemberColumn.specs.map(\.title), rows: [], textColumns: [2])
    }
}
