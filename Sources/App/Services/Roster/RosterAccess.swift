// Who may read and keep which roster: the university its own; the province every university's;
// a city or county, read-only and masked, the pairs of pupils living in its territory.
import Fluent
import LiangbangCore
import Vapor

struct RosterAccess {
    let request: Request

    func campaign(_ year: Int? = nil) async throws -> Campaign { try await request.access.campaign(year) }

    /// The university whose roster the caller keeps or reads in full: its own, or (province) the one it names.
    func university(_ orgID: UUID?) async throws -> Organization {
        let me = try request.access.current
        if me.org.kind == .university {
            if let orgID, orgID != me.org.id { _ = try await request.access.organization(orgID) }
            return me.org
        }
        guard let orgID else { throw AppError.invalid("请先选择一所高校（从“结对名单”中的高校列表进入）") }
        let org = try await request.access.organization(orgID)
        guard org.kind == .university else { throw AppError.invalid("\(org.name)不是高校，结对名单由高校团委维护") }
        return org
    }

    /// The university whose roster the caller may change (staff or admin of it, or of the province).
    func writableUniversity(_ orgID: UUID?) async throws -> Organization {
        let university = try await university(orgID)
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: university.path))
        return university
    }

    /// Pairings the caller may read in a campaign, optionally narrowed to an organisation it can see
    /// (a university: its roster; a city or county: pupils living there).
    func readable(_ campaign: Campaign, orgID: UUID?) async throws -> QueryBuilder<Pairing> {
        let me = try request.access.current
        let query = Pairing.query(on: request.db).filter(\.$campaignID == campaign.id!)
        var target = me.org
        if let orgID { target = try await request.access.organization(orgID) }
        switch target.kind {
        case .university:
            return query.filter(\.$universityID == target.id!)
        case .province:
            return query
        case .city, .county:
            let counties = try await Organization.query(on: request.db)
                .filter(\.$path =~ target.path).filter(\.$kind == .county).all(\.$id)
            return query.filter(\.$countyID ~~ counties)
        case .town, .provincialUnit:
            throw AppError.forbidden("\(target.kind.label)没有结对名单")
        }
    }

    /// A pairing the caller may change, or 404.
    func writablePairing(_ id: UUID?) async throws -> (Pairing, Organization) {
        guard let id, let pairing = try await Pairing.find(id, on: request.db) else { throw AppError.notFound("该结对") }
        let me = try request.access.current
        guard let university = try await Organization.find(pairing.universityID, on: request.db), me.actor.reaches(university.path) else {
            throw AppError.notFound("该结对")
        }
        try request.access.enforce(AccessPolicy.write(by: me.actor, orgPath: university.path))
        return (pairing, university)
    }

    /// Full ID numbers need the sensitive-data permission; the caller's reveal is audited by the caller.
    func requireSensitive() throws {
        guard try request.access.current.user.sensitiveData else {
            throw AppError.forbidden("查看或导出完整身份证号需要“敏感数据权限”，请联系管理员")
        }
    }
}

extension Request {
    var roster: RosterAccess { RosterAccess(request: self) }
}
