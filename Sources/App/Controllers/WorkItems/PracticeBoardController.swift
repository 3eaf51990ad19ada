// Work item 4's 百校百号 and 返家乡 pages: list, add, remove, import, export, blank template.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct PracticeBoardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("civility-pairs", use: pairs)
        pages.get("return-home", use: returnHome)
        pages.get("civility-pairs", "export", use: exportPairs)
        pages.get("return-home", "export", use: exportReturnHome)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post("civility-pairs", use: addPair)
        writers.post("civility-pairs", ":pairID", "delete", use: deletePair)
        writers.post("return-home", use: addReturnHome)
        writers.post("return-home", ":studentID", "delete", use: deleteReturnHome)
        writers.get("civility-pairs", "template.xlsx", use: pairTemplate)
        writers.get("return-home", "template.xlsx", use: returnHomeTemplate)
    }

    struct Page<Row: Encodable>: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let orgID: UUID?
        let query: String
        let canWrite: Bool
        let total: Int
        let rows: [Row]
        let universities: [String]
        let counties: [String]
    }

    func page<Row: Encodable>(_ req: Request, view: String, title: String, campaign: Campaign, org: Organization?, canWrite: Bool,
                                      total: Int, rows: [Row]) async throws -> View {
        let me = try req.access.current
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).all()
        let cities = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$kind == .city).all().map { ($0.id!, $0.name) })
        return try await req.view.render(view, Page(
            layout: await Layout.build(for: req, title: title), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org?.id,
            query: Layout.query(campaign: campaign.year, orgID: org.flatMap { $0.id == me.org.id ? nil : $0.id }), canWrite: canWrite, total: total, rows: rows,
            universities: try await Organization.query(on: req.db).filter(\.$kind == .university).sort(\.$name).all(\.$name),
            counties: counties.map { (cities[$0.parentID ?? UUID()] ?? "") + $0.name }.sorted()))
    }

    // MARK: 百校百号

    struct PairRow: Encodable { let id: UUID; let collective, sector, university: String; let activities: Int }

    func pairs(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let me = try req.access.current
        let all = try await req.practiceRecords.pairs(campaign: campaign)
        let places = try await PracticeTeamController.places(req, all.map(\.universityID))
        let table = try TableQuery(req, sorts: ["collective", "university"])
        let shown = table.page(all.filter { table.matches($0.collectiveName, $0.sector, places[$0.universityID]?.name) }, request: req) { p, key in
            key == "university" ? places[p.universityID]?.name ?? "" : p.collectiveName
        }
        return try await page(req, view: "civility-pairs", title: "百校百号", campaign: campaign, org: nil,
                              canWrite: me.user.role.canWrite && [.province, .university].contains(me.org.kind), total: all.count,
                              rows: shown.map { PairRow(id: $0.id!, collective: $0.collectiveName, sector: $0.sector,
                                                        university: places[$0.universityID]?.name ?? "", activities: $0.activityIDList.count) })
    }

    func addPair(req: Request) async throws -> Response {
        let form = try req.content.decode(CivilityPairForm.self)
        var fields = CivilityPairForm.fields
        fields[CivilityPairColumn.university] = "university"
        return try await req.formAction(back: Layout.link("/civility-pairs", campaign: form.campaign, orgID: nil), fields: fields,
                                         page: { try await pairs(req: req) }) {
            "已登记百校百号结对：\(try await req.practiceRecords.createPair(form).collectiveName)"
        }
    }

    func deletePair(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/civility-pairs", campaign: form.campaign, orgID: nil)) {
            try await req.practiceRecords.deletePair(req.parameters.get("pairID", as: UUID.self))
            return "已删除该结对"
        }
    }

    func exportPairs(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let all = try await req.practiceRecords.pairs(campaign: campaign)
        let places = try await PracticeTeamController.places(req, all.map(\.universityID))
        return try VolunteerController.workbook(req, name: "百校百号", filename: "百校百号结对-\(campaign.year)", title: "\(campaign.year)年百校百号结对",
            header: ["序号"] + CivilityPairColumn.specs.map(\.title) + ["共同开展的活动（项）"],
            rows: all.enumerated().map { n, p in
                [.number(Double(n + 1)), .string(p.collectiveName), .string(p.sector), .string(places[p.universityID]?.name ?? ""), .number(Double(p.activityIDList.count))]
            }, textColumns: [])
    }

    func pairTemplate(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "百校百号", filename: "百校百号结对-空白模板",
            title: "百校百号结对登记表（青年文明号集体与高校团委结对；结对高校填全称）", header: CivilityPairColumn.specs.map(\.title), rows: [], textColumns: [])
    }

    // MARK: 返家乡

    struct StudentRow: Encodable { let id: UUID; let name, idMasked, university, county, host, dates, hours, recorder: String; let key: Bool; let canChange: Bool }

    func returnHome(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let all = try await req.practiceRecords.returnHome(campaign: campaign, org: org)
        let keys = Set(try await req.targetSettings.keyCounties(campaign: campaign))
        let places = try await PracticeTeamController.places(req, all.flatMap { [$0.orgID, $0.countyID] + ($0.universityID.map { [$0] } ?? []) })
        let table = try TableQuery(req, sorts: ["start", "name", "county"])
        let shown = table.page(all.filter { table.matches($0.name, $0.hostUnit, places[$0.countyID]?.full) }, request: req) { s, key in
            switch key { case "name": return s.name; case "county": return places[s.countyID]?.full ?? ""; default: return s.startDate }
        }
        return try await page(req, view: "return-home", title: "返家乡", campaign: campaign, org: org, canWrite: me.user.role.canWrite,
                              total: all.count, rows: shown.map { s in
            StudentRow(id: s.id!, name: s.name, idMasked: s.idMasked, university: s.universityID.flatMap { places[$0]?.name } ?? "",
                       county: places[s.countyID]?.full ?? "", host: s.hostUnit, dates: "\(s.startDate)至\(s.endDate)",
                       hours: String(format: "%.1f", Double(s.hoursTenths) / 10), recorder: places[s.orgID]?.name ?? "", key: keys.contains(s.countyID),
                       canChange: me.user.role.canWrite && me.actor.reaches(places[s.orgID]?.path ?? "-"))
        })
    }

    func addReturnHome(req: Request) async throws -> Response {
        let form = try req.content.decode(ReturnHomeForm.self)
        var fields = ReturnHomeForm.fields
        fields[ReturnHomeColumn.county] = "homeCounty"
        return try await req.formAction(back: Layout.link("/return-home", campaign: form.campaign, orgID: form.orgId), fields: fields,
                                         page: { try await returnHome(req: req) }) {
            "已登记返家乡学生：\(try await req.practiceRecords.createReturnHome(form).name)"
        }
    }

    func deleteReturnHome(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/return-home", campaign: form.campaign, orgID: form.orgId)) {
            try await req.practiceRecords.deleteReturnHome(req.parameters.get("studentID", as: UUID.self))
            return "已删除该记录"
        }
    }

    /// Masked ID numbers (the list is for counting, not for contacting).
    func exportReturnHome(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let org = try await req.practiceTeams.unit(req.query[UUID.self, at: "orgId"])
        let all = try await req.practiceRecords.returnHome(campaign: campaign, org: org)
        let keys = Set(try await req.targetSettings.keyCounties(campaign: campaign))
        let places = try await PracticeTeamController.places(req, all.flatMap { [$0.orgID, $0.countyID] + ($0.universityID.map { [$0] } ?? []) })
        return try VolunteerController.workbook(req, name: "返家乡", filename: "返家乡学生-\(org.name)-\(campaign.year)", title: "\(campaign.year)年返家乡社会实践学生（\(org.name)，身份证号已打码）",
            header: ["序号"] + ReturnHomeColumn.specs.map(\.title) + ["重点县", "登记单位"],
            rows: all.enumerated().map { n, s in
                [.number(Double(n + 1)), .string(s.name), .string(s.idMasked), .string(s.universityID.flatMap { places[$0]?.name } ?? ""),
                 .string(places[s.countyID]?.full ?? ""), .string(s.hostUnit), .string(s.startDate), .string(s.endDate),
                 .number(Double(s.hoursTenths) / 10), .string(keys.contains(s.countyID) ? "是" : ""), .string(places[s.orgID]?.name ?? "")]
            }, textColumns: [3])
    }

    func returnHomeTemplate(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        return try VolunteerController.workbook(req, name: "返家乡", filename: "返家乡学生-空白模板-\(campaign.year)",
            title: "\(campaign.year)年返家乡社会实践学生登记表（身份证号按文本填写；时长按小时，可保留一位小数）",
            header: ReturnHomeColumn.specs.map(\.title), rows: [], textColumns: [2])
    }
}
