// The organisation tree: browse the caller's subtree, see an organisation's users, add sub-organisations.
import Fluent
import LiangbangCore
import Vapor

struct OrganizationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("orgs", use: treePage)
        pages.get("orgs", ":orgID", use: orgPage)
        pages.grouped(RequireRole(.admin)).post("orgs", ":orgID", "children", use: createChildForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        api.get("orgs", use: list)
        api.get("orgs", ":orgID", use: show)
        api.post("orgs", use: create)
    }

    // MARK: API

    /// `{"items": [...], "total": n}`: the caller's unit and every unit below it, in tree order.
    func list(req: Request) async throws -> ItemList<Organization.DTO> {
        ItemList(try await req.access.visibleOrganizations().sort(\.$path).all().map { try $0.toDTO() })
    }

    func show(req: Request) async throws -> Organization.DTO {
        try await req.access.organization(param: "orgID").toDTO()
    }

    struct CreateInput: Content {
        let name: String
        let kind: String
        let parentId: UUID
    }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(CreateInput.self)
        let org = try await Self.createChild(req, parentID: input.parentId, name: input.name, kind: input.kind)
        return try await org.toDTO().encodeResponse(status: .created, for: req)
    }

    // MARK: Pages

    struct TreeRow: Encodable {
        let id: UUID
        let name: String
        let kindLabel: String
        let code: String?
        let indent: Int
        let users: Int
    }

    struct TreePage: Encodable {
        let layout: Layout
        let rows: [TreeRow]
        let counts: [String]
    }

    func treePage(req: Request) async throws -> View {
        let orgs = try await req.access.visibleOrganizations().all()
        let userCounts = try await req.access.visibleUsers().all(\.$orgID)
            .reduce(into: [UUID: Int]()) { $0[$1, default: 0] += 1 }
        let rootDepth = try req.access.current.org.path.split(separator: "/").count
        // Tree order by default; search by name or code, sort by any column, 50 a page.
        let table = try TableQuery(req, sorts: ["tree", "name", "kind", "code", "users"])
        let ordered = OrgTree.ordered(orgs).enumerated().filter { table.matches($0.element.name, $0.element.code) }
        let rows = table.page(ordered, request: req) { row, key in
            switch key {
            case "name": row.element.name
            case "kind": row.element.kind.label
            case "code": row.element.code ?? ""
            case "users": String(userCounts[row.element.id!] ?? 0)
            default: String(row.offset)
            }
        }.map(\.element).map { org in
            TreeRow(id: org.id!, name: org.name, kindLabel: org.kind.label, code: org.code,
                    indent: table.sort == "tree" && table.q.isEmpty ? org.path.split(separator: "/").count - rootDepth : 0,
                    users: userCounts[org.id!] ?? 0)
        }
        let counts = OrgKind.allCases.compactMap { kind -> String? in
            let n = orgs.filter { $0.kind == kind }.count
            return n == 0 ? nil : "\(kind.label) \(n) 个"
        }
        return try await req.view.render("orgs", TreePage(layout: await Layout.build(for: req, title: "组织与用户"), rows: rows, counts: counts))
    }

    struct OrgPage: Encodable {
        struct Child: Encodable { let id: UUID; let name: String; let kindLabel: String }
        struct UserRow: Encodable { let username: String; let displayName: String; let roleLabel: String; let sensitiveData: Bool }
        struct Option: Encodable { let value: String; let label: String }
        let layout: Layout
        let id: UUID
        let name: String
        let kindLabel: String
        let code: String?
        let parent: Child?
        let children: [Child]
        let users: [UserRow]
        let canManage: Bool
        let childKinds: [Option]
        let roles: [Option]
        let canGrantSensitive: Bool
        /// The unit's group robot, for an admin over it (nil for others: the section is not shown).
        let robot: RobotSection?
    }

    struct RobotSection: Encodable {
        struct Delivery: Encodable { let id: UUID; let title, statusLabel, status, at: String; let attempts: Int; let error: String?; let canRetry: Bool }
        let current: UnitRobots.DTO?
        let updatedAt: String?
        let deliveries: [Delivery]
        let address: String
    }

    func orgPage(req: Request) async throws -> View {
        let org = try await req.access.organization(param: "orgID")
        let me = try req.access.current
        let children = try await Organization.query(on: req.db).filter(\.$parentID == org.id!).sort(\.$code).sort(\.$name).all()
        let users = try await User.query(on: req.db).filter(\.$orgID == org.id!).sort(\.$username).all()
        // The parent is shown only when the caller may see it.
        let parent = me.actor.reaches(org.path) && org.id != me.org.id ? try await Organization.find(org.parentID, on: req.db) : nil
        let page = OrgPage(
            layout: await Layout.build(for: req, title: org.name),
            id: org.id!, name: org.name, kindLabel: org.kind.label, code: org.code,
            parent: parent.map { .init(id: $0.id!, name: $0.name, kindLabel: $0.kind.label) },
            children: children.map { .init(id: $0.id!, name: $0.name, kindLabel: $0.kind.label) },
            users: users.map { .init(username: $0.username, displayName: $0.displayName, roleLabel: $0.role.label, sensitiveData: $0.sensitiveData) },
            canManage: me.user.role == .admin,
            childKinds: org.kind.creatableChildren.map { .init(value: $0.rawValue, label: $0.label) },
            roles: Role.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            canGrantSensitive: me.user.sensitiveData, robot: try await robotSection(req, org: org, me: me))
        return try await req.view.render("org", page)
    }

    private func robotSection(_ req: Request, org: Organization, me: CurrentUser) async throws -> RobotSection? {
        guard AccessPolicy.configureUnit(by: me.actor, orgPath: org.path) == .allowed else { return nil }
        let robots = req.unitRobots
        let current = try await robots.show(org)
        let deliveries = try await robots.deliveries(org).map {
            RobotSection.Delivery(id: $0.id, title: $0.title, statusLabel: $0.statusLabel, status: $0.status, at: Layout.time($0.createdAt),
                                  attempts: $0.attempts, error: $0.lastError, canRetry: $0.status == RobotDelivery.Status.failed.rawValue)
        }
        return RobotSection(current: current, updatedAt: current.map { Layout.time($0.updatedAt) }, deliveries: deliveries,
                            address: current?.address ?? "")
    }

    func createChildForm(req: Request) async throws -> Response {
        struct Form: Content { let name: String?; let kind: String? }
        let form = try req.content.decode(Form.self)
        let parentID = req.parameters.get("orgID", as: UUID.self)
        do {
            let org = try await Self.createChild(req, parentID: parentID, name: form.name ?? "", kind: form.kind ?? "")
            return req.redirect(to: "/orgs/\(org.id!)", flash: "success", "已添加\(org.kind.label)：\(org.name)")
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .forbidden || error.status == .conflict {
            return req.redirect(to: "/orgs/\(parentID?.uuidString ?? "")", flash: "error", error.message)
        }
    }

    // MARK: Shared

    static func createChild(_ req: Request, parentID: UUID?, name rawName: String, kind rawKind: String) async throws -> Organization {
        let parent = try await req.access.organization(parentID)
        guard let kind = OrgKind(rawValue: rawKind) else {
            throw AppError.invalid("组织类型无效，可选：" + OrgKind.allCases.map { "\($0.rawValue)（\($0.label)）" }.joined(separator: "、"))
        }
        try req.access.enforce(AccessPolicy.createOrganisation(by: try req.access.current.actor, parentPath: parent.path, parentKind: parent.kind, kind: kind))
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (2...60).contains(name.count) else { throw AppError.invalid("组织名称应为2至60个字", problems: [.init(field: "name", message: "长度应为2至60个字")]) }
        if try await Organization.query(on: req.db).filter(\.$parentID == parent.id!).filter(\.$name == name).count() > 0 {
            throw AppError.conflict("\(parent.name)下已有同名组织“\(name)”")
        }
        let org = Organization(name: name, kind: kind, parent: parent)
        try await org.create(on: req.db)
        req.auditDetail = "在\(parent.name)下添加\(kind.label)“\(name)”"
        return org
    }
}

extension Organization {
    convenience init(name: String, kind: OrgKind, parent: Organization) {
        self.init(code: nil, name: name, kind: kind, parent: parent)
    }
}

enum OrgTree {
    /// Depth-first order: each organisation followed by its children, coded ones first by code, then by name.
    static func ordered(_ orgs: [Organization]) -> [Organization] {
        let byParent = Dictionary(grouping: orgs, by: { $0.parentID })
        let ids = Set(orgs.compactMap(\.id))
        let roots = orgs.filter { $0.parentID == nil || !ids.contains($0.parentID!) }
        func sortKey(_ o: Organization) -> (Int, String, String) {
            (o.kind == .university ? 1 : o.kind == .provincialUnit ? 2 : 0, o.code ?? "~", o.name)
        }
        var out: [Organization] = []
        func walk(_ o: Organization) {
            out.append(o)
            for child in (byParent[o.id] ?? []).sorted(by: { sortKey($0) < sortKey($1) }) { walk(child) }
        }
        roots.sorted(by: { sortKey($0) < sortKey($1) }).forEach(walk)
        return out
    }
}
