// The permission layer: every query of organisation-owned data goes through here, scoped to the caller's subtree.
import Fluent
import LiangbangCore
import Vapor

struct Access {
    let request: Request

    var current: CurrentUser {
        get throws {
            guard let current = request.currentUser else { throw AppError.unauthenticated }
            return current
        }
    }

    /// Organisations the caller may see: its own and everything below it.
    func visibleOrganizations() throws -> QueryBuilder<Organization> {
        Organization.query(on: request.db).filter(\.$path =~ (try current.org.path))
    }

    /// One organisation, or 404 when it does not exist or lies outside the caller's subtree
    /// (the caller must not learn that another university or city exists at that id).
    func organization(_ id: UUID?) async throws -> Organization {
        guard let id, let org = try await visibleOrganizations().filter(\.$id == id).first() else {
            throw AppError.notFound("该组织")
        }
        return org
    }

    /// The unit a register call names (`orgId`, in the caller's view), else the caller's own.
    func unit(_ orgID: UUID?) async throws -> Organization {
        try await orgID.asyncMap { try await organization($0) } ?? (try current.org)
    }

    /// As `unit`, and 403 when the caller may only read there.
    func writableUnit(_ orgID: UUID?) async throws -> Organization {
        let org = try await unit(orgID)
        try enforce(AccessPolicy.write(by: try current.actor, orgPath: org.path))
        return org
    }

    func organization(param name: String) async throws -> Organization {
        try await organization(request.parameters.get(name, as: UUID.self))
    }

    /// The campaign named by the argument or by `?campaign=`, else the current one (`Campaign.current`).
    func campaign(_ year: Int? = nil) async throws -> Campaign {
        let year = try year.map { try NumberInput.check($0, in: NumberInput.years, field: "campaign", label: "活动年度") }
            ?? request.queryInt("campaign", in: NumberInput.years, label: "活动年度")
        let found = if let year { try await Campaign.query(on: request.db).filter(\.$year == year).first() }
            else { try await Campaign.current(on: request.db, today: LocalDate(instant: request.now)) }
        guard let campaign = found else { throw AppError.notFound(year.map { "\($0)年度" } ?? "活动年度") }
        return campaign
    }

    /// Users of the caller's subtree.
    func visibleUsers() async throws -> QueryBuilder<User> {
        let ids = try await visibleOrganizations().all(\.$id)
        return User.query(on: request.db).filter(\.$orgID ~~ ids)
    }

    /// Turns a pure policy decision into a response: 404 for what the caller cannot see, 403 for what it cannot do.
    func enforce(_ decision: AccessDecision) throws {
        switch decision {
        case .allowed: return
        case .notVisible: throw AppError.notFound("该组织")
        case .forbidden(let why): throw AppError.forbidden(why)
        }
    }

    /// A record kept by a unit (`unit` names it): 404 when it does not exist or its unit is outside the caller's
    /// view — the same answer, so ids cannot be probed — and whether the caller may change it.
    func record<M: Model>(_ type: M.Type, _ id: UUID?, unit: (M) -> UUID, what: String) async throws
        -> (M, Organization, canWrite: Bool) where M.IDValue == UUID {
        guard let id, let record = try await M.find(id, on: request.db),
              let org = try? await organization(unit(record)) else { throw AppError.notFound(what) }
        let me = try current
        return (record, org, me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed)
    }

    /// A record the caller changes: as `record`, and 403 when it may only read it.
    func writableRecord<M: Model>(_ type: M.Type, _ id: UUID?, unit: (M) -> UUID, what: String) async throws
        -> (M, Organization) where M.IDValue == UUID {
        let (record, org, _) = try await record(type, id, unit: unit, what: what)
        try enforce(AccessPolicy.write(by: try current.actor, orgPath: org.path))
        return (record, org)
    }
}

extension Request {
    var access: Access { Access(request: self) }
}
