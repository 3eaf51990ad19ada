// Claims on pupils another university pairs: refused without naming it, counted, audited, and listed to the
// pupil's county and the levels above (never to universities, so an ID number cannot be probed for its owner).
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct PairingConflicts {
    let request: Request
    var db: any Database { request.db }

    /// What the claimant reads: the duplicate is refused, the other university stays unnamed.
    static let message = "该学生本年度已由其他高校结对，请联系所在县（市、区）团委核实"

    struct Claim: Sendable {
        let countyID: UUID
        let pupilHash: String
        let pupilMasked: String
        let pupilName: String
        let owner: UUID
    }

    /// Counts each refused claim and audits them (the single-line path, where an ID can be tried one at a time).
    func record(_ claims: [Claim], campaign: Campaign, claimant: Organization) async throws {
        guard !claims.isEmpty else { return }
        try await Self.store(claims, db: db, campaign: campaign, claimant: claimant, now: request.now)
        let shown = claims.prefix(3).map(\.pupilMasked).joined(separator: "、")
        await request.audit("roster.conflict", target: "结对冲突（\(claimant.name)）",
                            detail: "\(claimant.name)提交的\(claims.count)名学生已由其他高校结对，已拒绝（学生\(shown)\(claims.count > 3 ? "等" : "")）")
    }

    /// One upsert per pupil, so parallel refusals all count. Imports call this directly (the upload is audited as a write).
    static func store(_ claims: [Claim], db: any Database, campaign: Campaign, claimant: Organization, now: Date) async throws {
        let sql = db as! any SQLDatabase
        for c in claims.prefix(5000) {
            try await sql.raw("""
                INSERT INTO pairing_conflicts (id, campaign_id, county_id, pupil_id_hash, pupil_id_masked, pupil_name,
                    owner_university_id, claimant_university_id, attempts, first_at, last_at)
                VALUES (\(bind: UUID()), \(bind: campaign.id!), \(bind: c.countyID), \(bind: c.pupilHash), \(bind: c.pupilMasked),
                    \(bind: c.pupilName), \(bind: c.owner), \(bind: claimant.id!), 1, \(bind: now), \(bind: now))
                ON CONFLICT (campaign_id, pupil_id_hash, claimant_university_id)
                DO UPDATE SET attempts = pairing_conflicts.attempts + 1, last_at = excluded.last_at
                """).run()
        }
    }

    struct DTO: Content {
        let id: UUID
        let county: String
        let pupilName: String
        let pupilIdMasked: String
        let ownerUniversity: String
        let claimantUniversity: String
        let attempts: Int
        let lastAt: Date
    }

    /// Conflicts about pupils of the caller's territory (counties in its subtree); universities see none.
    func list(campaign: Campaign) async throws -> [DTO] {
        let me = try request.access.current
        guard me.org.kind != .university else { throw AppError.forbidden("结对冲突由学生所在县（市、区）团委和团省委核实") }
        let visible = try await request.access.visibleOrganizations().all()
        let names = Dictionary(uniqueKeysWithValues: visible.map { ($0.id!, $0.name) })
        let counties = visible.filter { $0.kind == .county }.compactMap(\.id)
        guard !counties.isEmpty else { return [] }
        let rows = try await PairingConflict.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$countyID ~~ counties)
            .sort(\.$lastAt, .descending).all()
        let universities = Set(rows.flatMap { [$0.ownerUniversityID, $0.claimantUniversityID] })
        let universityNames = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ universities).all()
            .map { ($0.id!, $0.name) })
        return rows.map {
            DTO(id: $0.id!, county: names[$0.countyID] ?? "", pupilName: $0.pupilName, pupilIdMasked: $0.pupilIDMasked,
                ownerUniversity: universityNames[$0.ownerUniversityID] ?? "", claimantUniversity: universityNames[$0.claimantUniversityID] ?? "",
                attempts: $0.attempts, lastAt: $0.lastAt)
        }
    }
}

extension Request {
    var pairingConflicts: PairingConflicts { PairingConflicts(request: self) }
}
