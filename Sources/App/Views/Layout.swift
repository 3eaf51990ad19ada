// What base.leaf needs on every page: who is signed in, the navigation for its role, the flash message.
import Fluent
import LiangbangCore
import Vapor

struct Layout: Encodable {
    struct NavItem: Encodable { let title: String; let href: String; let active: Bool }
    struct Flash: Encodable { let kind: String; let message: String }

    let title: String
    let userName: String?
    let orgName: String?
    let roleLabel: String?
    let nav: [NavItem]
    let flash: Flash?
    let csrf: String
    /// The bell's count: the signed-in user's unread messages.
    let unread: Int

    static func build(for request: Request, title: String) async -> Layout {
        let current = request.currentUser
        var nav: [NavItem] = []
        if let current {
            let path = request.url.path
            func item(_ title: String, _ href: String) -> NavItem {
                NavItem(title: title, href: href, active: href == "/" ? path == "/" : path.hasPrefix(href))
            }
            nav.append(item("首页", "/"))
            if current.user.role == .volunteer || (current.org.kind == .university && current.user.role.canWrite) {
                nav.append(item("支教记录", "/tutoring"))
            }
            if current.org.kind == .university && current.user.role != .volunteer && current.user.role != .counselor {
                nav.append(item("志愿者", "/volunteers"))
            }
            if current.user.role == .counselor { nav.append(item("12355个案", "/hotline")) }
            if current.user.role != .volunteer && current.user.role != .counselor {
                if [.province, .city, .county, .university].contains(current.org.kind) {
                    nav.append(item("结对名单", "/roster"))
                    nav.append(item("每周达标", "/compliance"))
                }
                if current.org.kind != .province { nav.append(item("活动汇总", "/activities")) }
                if DeploymentRegister.recordingKinds.contains(current.org.kind) { nav.append(item("希望乡村教师", "/deployments")) }
                nav.append(item("实践与目标", "/targets"))
                if [.province, .university].contains(current.org.kind) { nav.append(item("就业帮扶", "/employment")) }
                if current.org.kind != .university { nav.append(item("培训", "/trainings")) }
                nav.append(item("创青春", "/contests"))
                if [.province, .city, .county, .provincialUnit].contains(current.org.kind) { nav.append(item("健康直通车", "/health")) }
                if [.province, .city, .county].contains(current.org.kind) { nav.append(item("阳光助残", "/disability")) }
                if current.org.kind != .university { nav.append(item("成长陪伴", "/companionship")) }
                if [.province, .city, .county].contains(current.org.kind) { nav.append(item("12355", "/hotline")) }
                nav.append(item("完成情况", "/completeness"))
                nav.append(item("组织与用户", "/orgs"))
                if current.user.role == .admin { nav.append(item("账户管理", "/users")) }
                nav.append(item("活动年度", "/campaigns"))
                if current.org.kind == .province { nav.append(item("附件1对接", "/assignments")) }
            }
            if current.org.kind == .province && current.user.role == .admin {
                nav.append(item("审计日志", "/audit"))
                if current.user.sensitiveData { nav.append(item("个人信息", "/privacy")) }
            }
            nav.append(item("修改密码", "/account/password"))
        }
        let unread = if let id = current?.user.id { (try? await request.inbox.unreadCount(of: id)) ?? 0 } else { 0 }
        return Layout(title: title, userName: current?.user.displayName, orgName: current?.org.name,
                      roleLabel: current?.user.role.label, nav: nav, flash: Flash.read(request), csrf: request.csrfToken ?? "",
                      unread: unread)
    }
}

extension Layout {
    /// A page of a unit's data, keeping the campaign and the unit: `/roster?campaign=2022&orgId=…`.
    static func link(_ path: String, campaign: Int?, orgID: UUID?) -> String {
        let q = query(campaign: campaign, orgID: orgID)
        return path + (q.isEmpty ? "" : "?" + q)
    }

    /// `campaign=2022&orgId=…`, each part only when given.
    static func query(campaign: Int?, orgID: UUID?) -> String {
        var items = [URLQueryItem]()
        if let campaign { items.append(.init(name: "campaign", value: String(campaign))) }
        if let orgID { items.append(.init(name: "orgId", value: orgID.uuidString)) }
        var c = URLComponents()
        c.queryItems = items
        return c.percentEncodedQuery ?? ""
    }

    /// A moment as offices read it: Beijing time, `yyyy-MM-dd HH:mm` (with seconds for the audit log).
    static func time(_ date: Date, seconds: Bool = false) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}

extension Layout.Flash {
    static let cookie = "lb_flash"

    static func read(_ request: Request) -> Layout.Flash? {
        guard let raw = request.cookies[cookie]?.string.removingPercentEncoding,
              let bar = raw.firstIndex(of: "|") else { return nil }
        let kind = String(raw[..<bar])
        guard ["success", "error", "info"].contains(kind) else { return nil }
        return Layout.Flash(kind: kind, message: String(raw[raw.index(after: bar)...]))
    }
}

extension Response {
    /// A one-time message shown on the next page (kept in a cookie, so any instance can show it).
    func flash(_ kind: String, _ message: String) {
        let value = (kind + "|" + message).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        cookies[Layout.Flash.cookie] = HTTPCookies.Value(string: value, maxAge: 60, path: "/", isHTTPOnly: true, sameSite: .lax)
    }
}

/// Clears a flash message once a page has shown it.
struct FlashMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.cookies[Layout.Flash.cookie] != nil, response.cookies[Layout.Flash.cookie] == nil,
           response.headers.contentType == .html {
            response.cookies[Layout.Flash.cookie] = .expired
        }
        return response
    }
}

extension Request {
    /// Redirect after a form post, with a flash message.
    func redirect(to path: String, flash kind: String, _ message: String) -> Response {
        let response = redirect(to: path)
        response.flash(kind, message)
        return response
    }

    /// A button's action (submit, return, review: nothing typed to keep): success goes to `back` with its message; a
    /// refusal (any 4xx but 404, which stays an error page) goes there with the refusal's message. Forms with fields
    /// use `formAction(back:fields:page:_:)`, which renders the page again with what was typed.
    func formAction(back: String, _ action: () async throws -> String) async throws -> Response {
        do {
            return redirect(to: back, flash: "success", try await action())
        } catch let error as AppError where error.status.code < 500 && error.status != .notFound {
            return redirect(to: back, flash: "error", error.message)
        }
    }
}

/// The way back up a drill-down (每周达标, 完成情况): the caller's own unit down to the one shown, each a link to the
/// same board for that unit.
struct Crumb: Encodable {
    let name: String
    let href: String
}

extension Layout {
    static func crumbs(_ req: Request, board path: String, campaign: Int, target: Organization) async throws -> [Crumb] {
        let me = try req.access.current.org
        guard target.id != me.id else { return [] }
        // Ancestors of the target that the caller reaches (its own unit and below it), top first.
        let above = try await req.access.visibleOrganizations().filter(\.$id != target.id!).all()
            .filter { target.path.hasPrefix($0.path) }
            .sorted { $0.path.count < $1.path.count }
        return above.map { Crumb(name: $0.name, href: link(path, campaign: campaign, orgID: $0.id == me.id ? nil : $0.id)) }
    }
}
