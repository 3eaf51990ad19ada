// The targets board (work item 4): target, actual, % and the projection to 08-31 for the province, by city and by
// university, with its xlsx; the province sets the targets, imports their shares and ticks the 返家乡 key counties.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct TargetsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("targets", use: board)
        pages.get("targets", "export.xlsx", use: export)
        pages.get("key-counties", use: keyCounties)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post("targets", use: setTargets)
        writers.post("key-counties", use: setKeyCounties)
        writers.get("targets", "template.xlsx", use: sharesTemplate)
    }

    struct Row: Encodable {
        let label: String
        let target: String
        let actual: Int
        let percent: String
        let projected: Int
        let verdict: String
        let meets: Bool
        let bar: Int
        let hasTarget: Bool
    }
    struct UnitRows: Encodable { let name: String; let rows: [Row] }
    struct Field: Encodable { let name, label: String; let value: Int }
    struct BoardPage: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let asOf, deadline: String
        let isProvince: Bool
        let rows: [Row]
        let cities: [UnitRows]
        let universities: [UnitRows]
        let keyCounties: Int
        let keyCountyWarning: String?
        let fields: [Field]
    }

    /// After 08-31 the projection is what was done: the verdict says so instead of speaking of a pace.
    static func row(_ i: TargetsBoard.Item, closed: Bool = false) -> Row {
        let verdict = i.willMeet.map { meets in closed ? (meets ? "已完成目标" : "截止时未完成") : (meets ? "按近14天进度可完成" : "按近14天进度难以完成") }
        return Row(label: i.label, target: i.target.map(String.init) ?? "—", actual: i.actual, percent: i.percent.map { "\($0)%" } ?? "—",
                   projected: i.projected, verdict: verdict ?? "未分解目标", meets: i.willMeet ?? true, bar: min(100, i.percent ?? 0),
                   hasTarget: i.target != nil)
    }

    func board(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let me = try req.access.current
        let dto = try await TargetsBoard.build(req, campaign: campaign)
        let province = try await CampaignTarget.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == nil).first()
        let closed = dto.asOf > dto.deadline
        return try await req.view.render("targets", BoardPage(
            layout: await Layout.build(for: req, title: "实践目标进度"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), asOf: dto.asOf, deadline: dto.deadline,
            isProvince: me.org.kind == .province && me.user.role.canWrite, rows: dto.items.map { Self.row($0, closed: closed) },
            cities: dto.byCity.map { u in UnitRows(name: u.name, rows: u.items.map { Self.row($0, closed: closed) }) },
            universities: dto.byUniversity.map { u in UnitRows(name: u.name, rows: u.items.map { Self.row($0, closed: closed) }) },
            keyCounties: dto.keyCounties, keyCountyWarning: dto.keyCountyWarning,
            fields: TargetKey.allCases.map { Field(name: $0.rawValue, label: $0.label, value: province?[$0] ?? $0.defaultTarget) }))
    }

    func setTargets(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var practiceTeams, practiceStudents, civilityPairs, returnHomeInKeyCounties: LooseText? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/targets", campaign: form.campaign, orgID: nil)) {
            let campaign = try await req.access.campaign(form.campaign)
            var figures: [TargetKey: Int] = [:]
            for (key, value) in [(TargetKey.practiceTeams, form.practiceTeams), (.practiceStudents, form.practiceStudents),
                                 (.civilityPairs, form.civilityPairs), (.returnHomeInKeyCounties, form.returnHomeInKeyCounties)] {
                guard let text = value?.text, !text.isEmpty else { continue }
                guard let n = Int(text) else { throw AppError.invalid("\(key.label)目标应为整数") }
                figures[key] = n
            }
            try await req.targetSettings.setTargets(campaign: campaign, figures)
            return "已保存\(campaign.year)年度工作目标"
        }
    }

    func export(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let dto = try await TargetsBoard.build(req, campaign: campaign)
        let header = ["单位", "指标", "目标", "已完成", "完成率", "预计至\(dto.deadline)", "判断"]
        func lines(_ unit: String, _ items: [TargetsBoard.Item]) -> [[WriteValue]] {
            items.map { i in
                let r = Self.row(i, closed: dto.asOf > dto.deadline)
                return [.string(unit), .string(i.label), i.target.map { .number(Double($0)) } ?? .string("—"), .number(Double(i.actual)),
                        .string(r.percent), .number(Double(i.projected)), .string(r.verdict)]
            }
        }
        let rows = lines("全省", dto.items) + dto.byCity.flatMap { lines($0.name, $0.items) } + dto.byUniversity.flatMap { lines($0.name, $0.items) }
        return try VolunteerController.workbook(req, name: "目标进度", filename: "实践目标进度-\(campaign.year)",
            title: "\(campaign.year)年三下乡、百校百号、返家乡目标进度（截至\(dto.asOf)）", header: header, rows: rows, textColumns: [])
    }

    func sharesTemplate(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let units = try await Organization.query(on: req.db).filter(\.$kind ~~ [.city, .university]).sort(\.$code).sort(\.$name).all()
        return try VolunteerController.workbook(req, name: "目标分解", filename: "目标分解表-\(campaign.year)",
            title: "\(campaign.year)年目标分解表（各地市、高校分解数，不分解的留空）", header: TargetShareSpec.specs.map(\.title),
            rows: units.map { [.string($0.name)] }, textColumns: [])
    }

    // MARK: Key counties

    struct CountyBox: Encodable { let id: UUID; let name: String; let checked: Bool }
    struct CityGroup: Encodable { let name: String; let counties: [CountyBox] }
    struct KeyPage: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let count: Int
        let warning: String?
        let canWrite: Bool
        let cities: [CityGroup]
    }

    func keyCounties(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let me = try req.access.current
        let chosen = Set(try await req.targetSettings.keyCounties(campaign: campaign))
        let cities = try await Organization.query(on: req.db).filter(\.$kind == .city).sort(\.$code).all()
        let counties = Dictionary(grouping: try await Organization.query(on: req.db).filter(\.$kind == .county).sort(\.$code).all()) { $0.parentID }
        return try await req.view.render("key-counties", KeyPage(
            layout: await Layout.build(for: req, title: "返家乡重点县"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), count: chosen.count,
            warning: PracticeTargets.keyCountyWarning(count: chosen.count), canWrite: me.org.kind == .province && me.user.role.canWrite,
            cities: cities.map { c in CityGroup(name: c.name, counties: (counties[c.id] ?? []).map { CountyBox(id: $0.id!, name: $0.name, checked: chosen.contains($0.id!)) }) }))
    }

    func setKeyCounties(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var counties: [UUID]? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/key-counties", campaign: form.campaign, orgID: nil)) {
            let stored = try await req.targetSettings.setKeyCounties(campaign: try await req.access.campaign(form.campaign), form.counties ?? [])
            return "已保存重点县名单（\(stored.count)个）" + (PracticeTargets.keyCountyWarning(count: stored.count).map { "。" + $0 } ?? "")
        }
    }
}
