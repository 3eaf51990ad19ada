// The audit log, for province admins: filter by action, user and date.
import Fluent
import LiangbangCore
import Vapor

struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let guarded = routes.grouped(RequireLogin(), RequireProvince(), RequireRole(.admin))
        guarded.get("audit", use: page)
        guarded.get("api", "v1", "audit", use: list)
    }

    struct Filter: Content {
        var action: String?
        var username: String?
        var from: String?
        var to: String?
    }

    struct Row: Content {
        let at: Date
        let atText: String
        let username: String
        /// The user's unit by name (empty for someone not signed in).
        let unit: String
        let ip: String
        let action: String
        let actionLabel: String
        let target: String
        let detail: String
    }

    static let pageSize = 100

    static let actionLabels = [
        "login.success": "登录成功", "login.failure": "登录失败", "login.locked": "锁定中登录",
        "write": "修改数据", "write.refused": "被拒绝的操作", "sensitive.reveal": "查看敏感数据", "sensitive.export": "导出敏感数据",
        "roster.conflict": "结对冲突", "activation.failure": "激活失败",
    ]

    func filtered(_ req: Request, _ filter: Filter) -> QueryBuilder<AuditEvent> {
        var query = AuditEvent.query(on: req.db)
        if let action = filter.action, !action.isEmpty { query = query.filter(\.$action == action) }
        if let username = filter.username?.trimmingCharacters(in: .whitespaces), !username.isEmpty { query = query.filter(\.$username == username) }
        if let from = filter.from.flatMap(LocalDate.init(iso:)) { query = query.filter(\.$at >= from.startInstant) }
        if let to = filter.to.flatMap(LocalDate.init(iso:)) { query = query.filter(\.$at < to.adding(days: 1).startInstant) }
        return query
    }

    /// The API's pages hold 100 events (its contract); the page uses the table component's 50.
    func rows(_ req: Request, _ filter: Filter, offset: Int, count: Int, ascending: Bool = false) async throws -> [Row] {
        let events = try await filtered(req, filter).sort(\.$at, ascending ? .ascending : .descending).sort(\.$id)
            .range(offset ..< offset + count).all()
        let units = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(events.compactMap(\.orgID)))
        return events.map {
            Row(at: $0.at, atText: Layout.time($0.at, seconds: true), username: $0.username, unit: $0.orgID.flatMap { units[$0] } ?? "",
                ip: $0.ip, action: $0.action,
                actionLabel: Self.actionLabels[$0.action] ?? $0.action, target: $0.target, detail: $0.detail)
        }
    }

    /// One page of the API's list: `total` counts every event the filter matches, `per` is the page size.
    struct ListDTO: Content {
        let items: [Row]
        let total: Int
        let page: Int
        let per: Int
    }

    func list(req: Request) async throws -> ListDTO {
        let page = try req.pageNumber()
        let filter = try req.query.decode(Filter.self)
        let total = try await filtered(req, filter).count()
        let items = try await rows(req, filter, offset: (page - 1) * Self.pageSize, count: Self.pageSize)
        return ListDTO(items: items, total: total, page: page, per: Self.pageSize)
    }

    struct Page: Encodable {
        struct Option: Encodable { let value: String; let label: String; let selected: Bool }
        let layout: Layout
        let rows: [Row]
        let filter: Filter
        let actions: [Option]
    }

    func page(req: Request) async throws -> View {
        let filter = (try? req.query.decode(Filter.self)) ?? Filter()
        let table = try TableQuery(req, sorts: ["at"], descendingByDefault: true)
        let total = try await filtered(req, filter).count()
        let rows = try await rows(req, filter, offset: table.offset(total: total, request: req), count: TableQuery.pageSize,
                                  ascending: !table.descending)
        let actions = Self.actionLabels.keys.sorted().map { Page.Option(value: $0, label: Self.actionLabels[$0]!, selected: $0 == filter.action) }
        return try await req.view.render("audit", Page(layout: await Layout.build(for: req, title: "审计日志"), rows: rows, filter: filter,
                                                       actions: actions))
    }
}
