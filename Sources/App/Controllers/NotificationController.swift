// The inbox (issue 11 §4): every signed-in user's own messages, newest first, with the unread ones marked; opening
// one marks it read and goes to the page it is about. Only one's own: another user's message is 404.
import Fluent
import LiangbangCore
import Vapor

struct NotificationController: RouteCollection {
    static let pageSize = TableQuery.pageSize

    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin())
        pages.get("notifications", use: page)
        pages.post("notifications", ":notificationID", "open", use: open)
        pages.post("notifications", "read-all", use: readAllForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        api.get("notifications", use: list)
        api.post("notifications", ":notificationID", "read", use: read)
        api.post("notifications", "read-all", use: readAll)
    }

    struct DTO: Content {
        let id: UUID
        let kind: String
        let kindLabel: String
        let title: String
        let body: String
        let url: String
        let createdAt: Date
        let read: Bool

        init(_ n: Notification) {
            id = n.id!; kind = n.kind.rawValue; kindLabel = n.kind.label; title = n.title; body = n.body; url = n.url
            createdAt = n.createdAt; read = n.readAt != nil
        }
    }

    struct ListDTO: Content {
        let items: [DTO]
        let total: Int
        let unread: Int
    }

    /// `?unread=true` for the unread ones only; `?page=` pages of 50.
    func messages(_ req: Request) async throws -> (items: [Notification], total: Int, unread: Int) {
        let me = try req.access.current.user.requireID()
        let onlyUnread = req.query[String.self, at: "unread"] == "true"
        var query = Notification.query(on: req.db).filter(\.$userID == me)
        if onlyUnread { query = query.filter(\.$readAt == nil) }
        let total = try await query.count()
        let offset = try TableQuery(req, sorts: []).offset(total: total, request: req)
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(offset ..< offset + Self.pageSize).all()
        return (items, total, try await req.inbox.unreadCount(of: me))
    }

    func list(req: Request) async throws -> ListDTO {
        let found = try await messages(req)
        return ListDTO(items: found.items.map(DTO.init), total: found.total, unread: found.unread)
    }

    func read(req: Request) async throws -> HTTPStatus {
        let me = try req.access.current.user.requireID()
        guard try await req.inbox.markRead(req.parameters.get("notificationID", as: UUID.self), by: me) != nil else {
            throw AppError.notFound("该提醒")
        }
        return .noContent
    }

    func readAll(req: Request) async throws -> HTTPStatus {
        try await req.inbox.markAllRead(by: try req.access.current.user.requireID())
        return .noContent
    }

    // MARK: Pages

    struct Page: Encodable {
        struct Item: Encodable { let id: UUID; let kindLabel: String; let title: String; let body: String; let at: String; let read: Bool }
        let layout: Layout
        let items: [Item]
        let total: Int
        let unread: Int
        let onlyUnread: Bool
    }

    func page(req: Request) async throws -> View {
        let found = try await messages(req)
        let onlyUnread = req.query[String.self, at: "unread"] == "true"
        let items = found.items.map {
            Page.Item(id: $0.id!, kindLabel: $0.kind.label, title: $0.title, body: $0.body, at: Layout.time($0.createdAt), read: $0.readAt != nil)
        }
        return try await req.view.render("notifications", Page(
            layout: await Layout.build(for: req, title: "消息提醒"), items: items, total: found.total, unread: found.unread,
            onlyUnread: onlyUnread))
    }

    /// Marks it read and goes to the page it is about (always one of ours: the url is stored by the app).
    func open(req: Request) async throws -> Response {
        let me = try req.access.current.user.requireID()
        guard let n = try await req.inbox.markRead(req.parameters.get("notificationID", as: UUID.self), by: me) else {
            throw AppError.notFound("该提醒")
        }
        return req.redirect(to: n.url.hasPrefix("/") && !n.url.hasPrefix("//") ? n.url : "/")
    }

    func readAllForm(req: Request) async throws -> Response {
        try await req.inbox.markAllRead(by: try req.access.current.user.requireID())
        return req.redirect(to: "/notifications", flash: "success", "已全部标为已读")
    }
}
