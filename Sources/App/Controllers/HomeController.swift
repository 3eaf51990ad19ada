// The start page after login, and the health check for load balancers.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
        // Browsers ask for /favicon.ico whatever the page says: the same icon.
        routes.get("favicon.ico") { req in req.redirect(to: "/favicon.svg", redirectType: .permanent) }
        routes.grouped(RequireLogin()).get(use: home)
        routes.grouped("api", "v1").grouped(RequireLogin()).get("todo", use: todo)
    }

    /// `GET /api/v1/todo?campaign=` → `{"items":[{"kind","title","due","url"}],"total":n}`.
    func todo(req: Request) async throws -> ItemList<TodoItem> {
        ItemList(try await req.todo.items(campaign: try await req.access.campaign()))
    }

    func health(req: Request) async throws -> Response {
        do {
            // A real round trip to the database, not only a live process.
            _ = try await (req.db as! any SQLDatabase).raw("SELECT 1 AS ok").all()
            return Response(status: .ok, body: .init(string: "ok"))
        } catch {
            req.logger.error("health check: database unreachable")
            return Response(status: .serviceUnavailable, body: .init(string: "database unavailable"))
        }
    }

    struct HomePage: Encodable {
        struct Milestone: Encodable { let label: String; let date: String; let note: String }
        let layout: Layout
        let orgName: String
        let orgKind: String
        let visibleOrgs: Int
        let visibleUsers: Int
        let campaignYear: Int?
        let milestones: [Milestone]
        let mustChangePassword: Bool
        let todo: [TodoItem]
        /// The province's map of its 21 cities (nil for every other unit).
        let map: ProvinceMapSection?
    }

    func home(req: Request) async throws -> Response {
        let me = try req.access.current
        // A volunteer's whole job on the platform is its tutoring log.
        if me.user.role == .volunteer { return req.redirect(to: "/tutoring") }
        let today = LocalDate(instant: req.now)
        let campaign = try await Campaign.current(on: req.db, today: today)
        var milestones: [HomePage.Milestone] = []
        if let c = campaign?.calendar {
            func note(_ d: LocalDate) -> String {
                let days = d.dayNumber - today.dayNumber
                return days > 0 ? "还有\(days)天" : days == 0 ? "今天截止" : "已过\(-days)天"
            }
            milestones = [
                .init(label: "结对名单（附件2）报送截止", date: c.rosterDue.iso, note: note(c.rosterDue)),
                .init(label: "活动汇总表（附件3）计划报送截止", date: c.planDue.iso, note: note(c.planDue)),
                .init(label: "集中行动月", date: "\(c.focusStart.iso) 至 \(c.focusEnd.iso)", note: note(c.focusEnd)),
                .init(label: "活动汇总表（附件3）更新报送截止", date: c.updateDue.iso, note: note(c.updateDue)),
            ]
        }
        let todo = if let campaign { try await req.todo.items(campaign: campaign) } else { [TodoItem]() }
        // The province may look at another year's map (`?campaign=`); the to-do list stays on the current one.
        let mapCampaign = me.org.kind != .province ? nil
            : req.query[String.self, at: "campaign"] != nil ? try await req.access.campaign() : campaign
        let map = try await mapCampaign.asyncMap { try await ProvinceMapSection.build(req, campaign: $0) }
        return try await req.view.render("home", HomePage(
            layout: await Layout.build(for: req, title: "首页"), orgName: me.org.name, orgKind: me.org.kind.label,
            visibleOrgs: try await req.access.visibleOrganizations().count(),
            visibleUsers: try await req.access.visibleUsers().count(),
            campaignYear: campaign?.year, milestones: milestones, mustChangePassword: me.user.mustChangePassword,
            todo: todo, map: map)).encodeResponse(for: req)
    }
}
