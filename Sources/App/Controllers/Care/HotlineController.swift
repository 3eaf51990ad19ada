// 12355 pages: for counsellors the cases (new case, overdue first) and one case with its follow-ups and closure;
// for everyone else the counts by city, category and risk, small ones shown as "<5".
import Fluent
import LiangbangCore
import Vapor

struct HotlineController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer, .counselor)).grouped("hotline")
        pages.get(use: index)
        pages.post(use: create)
        pages.get(":caseID", use: show)
        pages.post(":caseID", "follow-ups", use: addFollowUp)
        pages.post(":caseID", "close", use: close)
    }

    struct Option: Encodable { let value: String; let label: String }

    struct CasesPage: Encodable {
        let layout: Layout
        let year: Int
        let unit: String
        let onlyOverdue: Bool
        let cases: [HotlineAPIController.CaseDTO]
        let overdue: Int
        let counties: [Option]
        let channels: [Option]
        let categories: [Option]
        let risks: [Option]
        let now: String
    }

    struct StatsPage: Encodable {
        struct CityRow: Encodable { let cityName, casesText, needsOfflineText, overdueText: String }
        struct Tally: Encodable { let label, casesText: String }
        struct Stats: Encodable { let byCity: [CityRow]; let byCategory: [Tally]; let byRisk: [Tally] }
        let layout: Layout
        let year: Int
        let unit: String
        let stats: Stats

        init(layout: Layout, year: Int, unit: String, stats s: HotlineStats) {
            self.layout = layout; self.year = year; self.unit = unit
            stats = Stats(byCity: s.byCity.map { CityRow(cityName: $0.cityName, casesText: $0.cases.text, needsOfflineText: $0.needsOffline.text, overdueText: $0.overdue.text) },
                          byCategory: s.byCategory.map { Tally(label: $0.label, casesText: $0.cases.text) },
                          byRisk: s.byRisk.map { Tally(label: $0.label, casesText: $0.cases.text) })
        }
    }

    func index(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let me = try req.access.current
        guard me.user.role == .counselor else {
            let stats = try await HotlineStats.build(req, campaign: campaign, org: me.org)
            return try await req.view.render("hotline-stats", StatsPage(layout: await Layout.build(for: req, title: "12355青少年服务台"),
                                                                        year: campaign.year, unit: me.org.name, stats: stats))
        }
        _ = try req.hotline.requireCounsellor()
        let now = req.now
        let all = try await req.hotline.list(campaign: campaign).map { HotlineAPIController.CaseDTO($0, year: campaign.year, now: now) }
        let onlyOverdue = req.query[String.self, at: "overdue"] == "true"
        // Overdue first, then the ones still due, then the rest by date.
        let shown = (onlyOverdue ? all.filter(\.overdue) : all).sorted {
            ($0.overdue ? 0 : $0.dueAt != nil ? 1 : 2, $1.receivedAt) < ($1.overdue ? 0 : $1.dueAt != nil ? 1 : 2, $0.receivedAt)
        }
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).filter(\.$path =~ me.org.path).sort(\.$code).all()
        let choices = counties.isEmpty ? try await Organization.query(on: req.db).filter(\.$kind == .county).sort(\.$code).all() : counties
        return try await req.view.render("hotline", CasesPage(
            layout: await Layout.build(for: req, title: "12355个案"), year: campaign.year, unit: me.org.name, onlyOverdue: onlyOverdue,
            cases: shown, overdue: all.filter(\.overdue).count, counties: choices.map { Option(value: $0.id!.uuidString, label: $0.name) },
            channels: HotlineChannel.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            categories: HotlineCategory.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            risks: HotlineRisk.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            now: DateTimeText.text(now).replacingOccurrences(of: " ", with: "T")))
    }

    func create(req: Request) async throws -> Response {
        var form = try req.content.decode(HotlineCaseForm.self)
        // The page's datetime-local field sends 2026-11-30T14:20.
        form.receivedAt = form.receivedAt.map { $0.replacingOccurrences(of: "T", with: " ") }
        return try await req.formAction(back: Layout.link("/hotline", campaign: form.campaign, orgID: nil), page: { try await index(req: req) }) {
            let c = try await req.hotline.create(form)
            return c.dueAt.map { "已登记个案，请在\(DateTimeText.text($0))前完成回访" } ?? "已登记个案"
        }
    }

    struct CasePage: Encodable {
        let layout: Layout
        let detail: HotlineAPIController.CaseDetail
        let modes: [Option]
        let now: String
    }

    func show(req: Request) async throws -> View {
        let detail = try await HotlineAPIController().detail(req)
        return try await req.view.render("hotline-case", CasePage(
            layout: await Layout.build(for: req, title: "12355个案"), detail: detail,
            modes: FollowUpMode.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            now: DateTimeText.text(req.now).replacingOccurrences(of: " ", with: "T")))
    }

    private func back(_ req: Request) -> String { "/hotline/" + (req.parameters.get("caseID") ?? "") }

    func addFollowUp(req: Request) async throws -> Response {
        var form = try req.content.decode(HotlineFollowUpForm.self)
        form.at = form.at.map { $0.replacingOccurrences(of: "T", with: " ") }
        return try await req.formAction(back: back(req), page: { try await show(req: req) }) {
            _ = try await req.hotline.addFollowUp(req.parameters.get("caseID", as: UUID.self), form)
            return "已记录回访"
        }
    }

    func close(req: Request) async throws -> Response {
        struct Form: Content { var outcome: String? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: back(req), page: { try await show(req: req) }) {
            _ = try await req.hotline.close(req.parameters.get("caseID", as: UUID.self), outcome: form.outcome)
            return "已结案"
        }
    }
}
