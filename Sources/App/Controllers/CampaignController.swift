// Campaign years: the calendar (editable by the province), quotas, 附件1, and new years copied from the last.
import Fluent
import LiangbangCore
import Vapor

struct CampaignController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin())
        pages.get("campaigns", use: listPage)
        pages.get("campaigns", ":year", use: detailPage)
        let provincePages = pages.grouped(RequireProvince(), RequireRole(.admin, .staff))
        provincePages.post("campaigns", use: createForm)
        provincePages.post("campaigns", ":year", use: updateForm)
        provincePages.post("campaigns", ":year", "quotas", use: quotasForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        api.get("campaigns", use: list)
        api.get("campaigns", ":year", use: show)
        let provinceAPI = api.grouped(RequireProvince(), RequireRole(.admin, .staff))
        provinceAPI.post("campaigns", use: create)
        provinceAPI.patch("campaigns", ":year", use: update)
    }

    // MARK: API

    struct Detail: Content {
        struct Quota: Content { let orgKind: OrgKind; let metric: QuotaMetric; let minimum: Int; let wording: String }
        struct Assignment: Content { let city: String; let county: String; let countyId: UUID; let university: String; let universityId: UUID }
        let year: Int
        let name: String
        let calendar: CampaignCalendar
        let tutoringPeriod: TutoringPeriod
        let quotas: [Quota]
        let assignments: [Assignment]
    }

    func list(req: Request) async throws -> ItemList<Campaign.DTO> {
        ItemList(try await Campaign.query(on: req.db).sort(\.$year, .descending).all().map { $0.toDTO() })
    }

    func show(req: Request) async throws -> Detail {
        try await Self.detail(req, try await Self.campaign(req))
    }

    struct CreateInput: Content { let year: Int; let copyFrom: Int? }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(CreateInput.self)
        let campaign = try await Self.copy(req, from: input.copyFrom, to: input.year)
        return try await Self.detail(req, campaign).encodeResponse(status: .created, for: req)
    }

    struct UpdateInput: Content { var calendar: CampaignCalendar?; var tutoringPeriod: TutoringPeriod?; var quotas: [Detail.Quota]? }

    func update(req: Request) async throws -> Detail {
        let input = try req.content.decode(UpdateInput.self)
        let campaign = try await Self.campaign(req)
        try await Self.setCalendar(req, campaign, input.calendar ?? campaign.calendar, period: input.tutoringPeriod ?? campaign.tutoringPeriod)
        if let quotas = input.quotas {
            try await Self.setQuotas(req, campaign, quotas.map { QuotaRule(orgKind: $0.orgKind, metric: $0.metric, minimum: $0.minimum, wording: $0.wording) })
        }
        return try await Self.detail(req, campaign)
    }

    // MARK: Pages

    struct ListPage: Encodable {
        struct Row: Encodable { let year: Int; let name: String; let planDue: String; let focus: String; let updateDue: String }
        let layout: Layout
        let rows: [Row]
        let canEdit: Bool
        let nextYear: Int
    }

    func listPage(req: Request) async throws -> View {
        let campaigns = try await Campaign.query(on: req.db).sort(\.$year, .descending).all()
        let me = try req.access.current
        let rows = campaigns.map { c in
            ListPage.Row(year: c.year, name: c.name, planDue: c.planDue, focus: "\(c.focusStart) 至 \(c.focusEnd)", updateDue: c.updateDue)
        }
        return try await req.view.render("campaigns", ListPage(
            layout: await Layout.build(for: req, title: "活动年度"), rows: rows,
            canEdit: me.org.kind == .province && me.user.role.canWrite, nextYear: (campaigns.first?.year ?? 2021) + 1))
    }

    struct DetailPage: Encodable {
        struct Field: Encodable { let key: String; let label: String; let value: String }
        /// `minimum` as text: a refused form shows what was typed. `field` names the input for its message.
        struct QuotaRow: Encodable { let kind: String; let metric: String; let minimum: String; let wording: String; let field: String }
        struct CityRow: Encodable { let city: String; let counties: [String] ; let universities: String }
        let layout: Layout
        let detail: Detail
        let fields: [Field]
        let quotas: [QuotaRow]
        let cities: [CityRow]
        let canEdit: Bool
    }

    func detailPage(req: Request) async throws -> View {
        let campaign = try await Self.campaign(req)
        let detail = try await Self.detail(req, campaign)
        let me = try req.access.current
        let c = campaign.calendar
        let fields = [
            DetailPage.Field(key: "rosterDue", label: "结对名单（附件2）报送截止", value: c.rosterDue.iso),
            .init(key: "planDue", label: "活动汇总表（附件3）计划报送截止", value: c.planDue.iso),
            .init(key: "focusStart", label: "集中行动月开始", value: c.focusStart.iso),
            .init(key: "focusEnd", label: "集中行动月结束", value: c.focusEnd.iso),
            .init(key: "updateDue", label: "活动汇总表（附件3）更新报送截止", value: c.updateDue.iso),
            .init(key: "tutoringStart", label: "“青年云支教”支教期开始", value: campaign.tutoringPeriod.start.iso),
            .init(key: "tutoringEnd", label: "“青年云支教”支教期结束", value: campaign.tutoringPeriod.end.iso),
        ]
        let grouped = Dictionary(grouping: detail.assignments, by: \.city)
        let cities = grouped.keys.sorted().map { city in
            let rows = grouped[city]!
            let byUniversity = Dictionary(grouping: rows, by: \.university)
            return DetailPage.CityRow(city: city, counties: rows.map(\.county),
                                      universities: byUniversity.keys.sorted().map { "\($0)（\(byUniversity[$0]!.count)个县区）" }.joined(separator: "；"))
        }
        return try await req.view.render("campaign", DetailPage(
            layout: await Layout.build(for: req, title: campaign.name), detail: detail, fields: fields,
            quotas: detail.quotas.enumerated().map { i, q in
                .init(kind: q.orgKind.label, metric: q.metric.label, minimum: req.formState?.values["minimums[\(i)]"] ?? String(q.minimum),
                      wording: req.formState?.values["wordings[\(i)]"] ?? q.wording, field: "minimums[\(i)]")
            }, cities: cities,
            canEdit: me.org.kind == .province && me.user.role.canWrite))
    }

    func updateForm(req: Request) async throws -> Response {
        struct Form: Content { let rosterDue, planDue, focusStart, focusEnd, updateDue, tutoringStart, tutoringEnd: String? }
        let form = try req.content.decode(Form.self)
        let campaign = try await Self.campaign(req)
        let old = campaign.calendar
        func date(_ text: String?, _ fallback: LocalDate, field: String) throws -> LocalDate {
            guard let text, !text.isEmpty else { return fallback }
            guard let d = LocalDate(iso: text) else {
                let message = "日期“\(text.prefix(20))”格式不正确，应为 YYYY-MM-DD"
                throw AppError.invalid(message, problems: [.init(field: field, message: message)])
            }
            return d
        }
        return try await req.formAction(back: "/campaigns/\(campaign.year)", page: { try await detailPage(req: req) }) {
            let calendar = CampaignCalendar(rosterDue: try date(form.rosterDue, old.rosterDue, field: "rosterDue"),
                                            planDue: try date(form.planDue, old.planDue, field: "planDue"),
                                            focusStart: try date(form.focusStart, old.focusStart, field: "focusStart"),
                                            focusEnd: try date(form.focusEnd, old.focusEnd, field: "focusEnd"),
                                            updateDue: try date(form.updateDue, old.updateDue, field: "updateDue"))
            let period = TutoringPeriod(start: try date(form.tutoringStart, campaign.tutoringPeriod.start, field: "tutoringStart"),
                                        end: try date(form.tutoringEnd, campaign.tutoringPeriod.end, field: "tutoringEnd"))
            try await Self.setCalendar(req, campaign, calendar, period: period)
            return "已保存\(campaign.year)年度日程"
        }
    }

    /// The quota table's minimums and wordings, in the order the page lists them.
    func quotasForm(req: Request) async throws -> Response {
        struct Form: Content { var minimums: [String]?; var wordings: [String]? }
        let form = try req.content.decode(Form.self)
        let campaign = try await Self.campaign(req)
        let current = try await Self.detail(req, campaign).quotas
        return try await req.formAction(back: "/campaigns/\(campaign.year)", page: { try await detailPage(req: req) }) {
            guard let texts = form.minimums, let wordings = form.wordings, texts.count == current.count, wordings.count == current.count else {
                throw AppError.invalid("指标表单不完整，请刷新页面后重试")
            }
            var minimums: [Int] = []
            for (i, text) in texts.enumerated() {
                guard let n = Int(TextNormaliser.clean(text)) else {
                    let message = "最低数量请填写整数（0 即不再考核）"
                    throw AppError.invalid(message, problems: [.init(field: "minimums[\(i)]", message: message)])
                }
                minimums.append(n)
            }
            let rules = current.indices.map { QuotaRule(orgKind: current[$0].orgKind, metric: current[$0].metric, minimum: minimums[$0], wording: wordings[$0]) }
            try await Self.setQuotas(req, campaign, rules)
            return "已保存\(campaign.year)年度工作指标"
        }
    }

    func createForm(req: Request) async throws -> Response {
        struct Form: Content { let year: Int? }
        let form = try req.content.decode(Form.self)
        do {
            guard let year = form.year else { throw AppError.invalid("请填写年度") }
            let campaign = try await Self.copy(req, from: nil, to: year)
            return req.redirect(to: "/campaigns/\(campaign.year)", flash: "success", "已创建\(year)年度（日程、支教期、对接安排和指标复制自上一年度）")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict || error.status == .notFound {
            return req.redirect(to: "/campaigns", flash: "error", error.message)
        }
    }

    // MARK: Shared

    static func campaign(_ req: Request) async throws -> Campaign {
        guard let year = req.parameters.get("year", as: Int.self), NumberInput.years.contains(year),
              let campaign = try await Campaign.query(on: req.db).filter(\.$year == year).first() else {
            throw AppError.notFound("该活动年度")
        }
        return campaign
    }

    static func detail(_ req: Request, _ campaign: Campaign) async throws -> Detail {
        let quotas = try await CampaignQuota.query(on: req.db).filter(\.$campaignID == campaign.id!).all()
        let assignments = try await TutoringAssignment.query(on: req.db).filter(\.$campaignID == campaign.id!).all()
        let orgIDs = Set(assignments.flatMap { [$0.countyID, $0.universityID] })
        let orgs = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ orgIDs).all().map { ($0.id!, $0) })
        let parentIDs = Set(orgs.values.compactMap(\.parentID))
        let parents = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ parentIDs).all().map { ($0.id!, $0) })
        let rows = assignments.compactMap { a -> Detail.Assignment? in
            guard let county = orgs[a.countyID], let university = orgs[a.universityID] else { return nil }
            return Detail.Assignment(city: parents[county.parentID!]?.name ?? "", county: county.name, countyId: a.countyID,
                                     university: university.name, universityId: a.universityID)
        }.sorted { ($0.city, $0.county) < ($1.city, $1.county) }
        return Detail(year: campaign.year, name: campaign.name, calendar: campaign.calendar, tutoringPeriod: campaign.tutoringPeriod,
                      quotas: quotas.map { .init(orgKind: $0.orgKind, metric: $0.metric, minimum: $0.minimum, wording: $0.wording) }
                          .sorted { ($0.orgKind.rawValue, $0.metric.rawValue) < ($1.orgKind.rawValue, $1.metric.rawValue) },
                      assignments: rows)
    }

    static func setCalendar(_ req: Request, _ campaign: Campaign, _ calendar: CampaignCalendar, period: TutoringPeriod) async throws {
        let problems = calendar.problems(year: campaign.year) + period.problems(year: campaign.year)
        guard problems.isEmpty else { throw AppError.invalid(problems.joined(separator: "；")) }
        let moved = period != campaign.tutoringPeriod
        campaign.calendar = calendar
        campaign.tutoringStartText = period.start.iso
        campaign.tutoringEndText = period.end.iso
        // Sessions outside the period do not count: a moved edge recounts the weekly summary with the save.
        try await req.db.writeTransaction { tx in
            try await campaign.save(on: tx)
            if moved { try await TutoringWeeks.rebuild(campaign: campaign.id!, period: period, on: tx) }
        }
        req.auditDetail = "修改\(campaign.year)年度日程"
    }

    /// Replaces the campaign's quotas (the board evaluates them live, so the change shows at once).
    static func setQuotas(_ req: Request, _ campaign: Campaign, _ rules: [QuotaRule]) async throws {
        let problems = QuotaEvaluator.problems(rules)
        guard problems.isEmpty else { throw AppError.invalid(problems.joined(separator: "；")) }
        try await req.db.writeTransaction { tx in
            try await CampaignQuota.query(on: tx).filter(\.$campaignID == campaign.id!).delete()
            try await rules.map { CampaignQuota(campaignID: campaign.id!, rule: $0) }.create(on: tx)
        }
        req.auditDetail = "修改\(campaign.year)年度工作指标"
    }

    /// A new campaign year starting from the previous one: calendar a year later, the same assignments and quotas.
    /// `sourceYear` nil: the latest year before the new one.
    static func copy(_ req: Request, from sourceYear: Int?, to year: Int) async throws -> Campaign {
        guard (2022...2099).contains(year) else { throw AppError.invalid("年度应在2022至2099之间") }
        if try await Campaign.query(on: req.db).filter(\.$year == year).count() > 0 {
            throw AppError.conflict("\(year)年度已存在")
        }
        let query = Campaign.query(on: req.db)
        let found = try await (sourceYear.map { query.filter(\.$year == $0) } ?? query.filter(\.$year < year).sort(\.$year, .descending)).first()
        guard let source = found else {
            throw AppError.notFound(sourceYear.map { "\($0)年度" } ?? "\(year)年之前的年度（新年度从上一年度复制）")
        }
        let sourceYear = source.year
        let campaign = Campaign(year: year, calendar: source.calendar.shifted(toYear: year))
        let shift = year - sourceYear
        campaign.schoolAgeMin = source.schoolAgeMin
        campaign.schoolAgeMax = source.schoolAgeMax
        func moved(_ d: LocalDate) -> String {
            LocalDate(year: d.year + shift, month: d.month, day: min(d.day, LocalDate.daysInMonth(d.year + shift, d.month)))!.iso
        }
        campaign.tutoringStartText = moved(source.tutoringPeriod.start)
        campaign.tutoringEndText = moved(source.tutoringPeriod.end)
        try await req.db.writeTransaction { db in
            try await campaign.create(on: db)
            let quotas = try await CampaignQuota.query(on: db).filter(\.$campaignID == source.id!).all()
            try await quotas.map { CampaignQuota(campaignID: campaign.id!, rule: $0.rule) }.create(on: db)
            let assignments = try await TutoringAssignment.query(on: db).filter(\.$campaignID == source.id!).all()
            try await assignments.map { TutoringAssignment(campaignID: campaign.id!, countyID: $0.countyID, universityID: $0.universityID) }.create(on: db)
            // Work item 4: the targets (and their shares) and the 返家乡 key counties carry over.
            try await CampaignTarget.query(on: db).filter(\.$campaignID == source.id!).all().map { $0.copy(to: campaign.id!) }.create(on: db)
            try await KeyCounty.query(on: db).filter(\.$campaignID == source.id!).all().map { KeyCounty(campaignID: campaign.id!, countyID: $0.countyID) }.create(on: db)
        }
        req.auditDetail = "从\(sourceYear)年度复制创建\(year)年度"
        return campaign
    }
}
