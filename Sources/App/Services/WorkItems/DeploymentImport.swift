// The 希望乡村教师 register on the shared register pipeline (`RegisterImport`): a line is the same posting as a
// stored one when the volunteer and the start date agree; one volunteer at one school at a time is checked across
// the file and every unit's register, again under the lock at commit.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct DeploymentSpec: RegisterSpec {
    let campaign: Campaign
    let unit: Organization
    let policy: DeploymentPolicy
    let cipher: PersonalDataCipher

    static func of(db: any Database, campaign: Campaign, unit: Organization, today: LocalDate, cipher: PersonalDataCipher) async throws -> DeploymentSpec {
        DeploymentSpec(campaign: campaign, unit: unit, policy: try await DeploymentRegister.policy(db: db, unit: unit, today: today), cipher: cipher)
    }

    var columns: [ColumnSpec] { DeploymentColumn.specs }
    var subjectColumn: String { DeploymentColumn.name }
    var lock: UUID? { DeploymentRegister.registerLock(unit) }

    func validate(_ input: RegisterInput) -> (DeploymentEntry?, [RowProblem]) { DeploymentRules.validate(input, policy: policy) }

    /// Lines of this unit's table the file takes the place of do not count against it.
    func crossCheck(_ entries: [DeploymentEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        let hashes = entries.map { cipher.lookupHash($0.id.value) }
        let stored = try await DeploymentRegister.postings(db, hashes: hashes, except: replacing)
        return DeploymentRules.overlaps(zip(entries, hashes).map { ($0.row, .init(volunteer: $1, term: $0.term, school: $0.school)) }, stored: stored)
    }

    func stored(_ db: any Database) async throws -> [Deployment] {
        try await Deployment.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).sort(\.$startDate).all()
    }
    func key(_ e: DeploymentEntry) -> String { cipher.lookupHash(e.id.value) + "|" + e.start.iso }
    func key(_ d: Deployment) -> String { d.volunteerIDHash + "|" + d.startDate }
    func describe(_ e: DeploymentEntry) -> (name: String, detail: String) { ("\(e.name)（\(e.school)）", "\(e.start.iso)至\(e.end.iso)") }
    func describe(_ d: Deployment) -> (name: String, detail: String) { ("\(d.volunteerName)（\(d.school)）", "\(d.startDate)至\(d.endDate)") }

    /// The columns an office would see changed (the ID number is the match key, so it is never one of them).
    func changes(_ d: Deployment, _ e: DeploymentEntry) -> [String] {
        var out: [String] = []
        if d.volunteerName != e.name { out.append(DeploymentColumn.name) }
        if d.sex != e.sex.rawValue { out.append(DeploymentColumn.sex) }
        if d.programme != e.programme.rawValue { out.append(DeploymentColumn.programme) }
        if d.universityID?.uuidString != e.university?.key { out.append(DeploymentColumn.university) }
        if d.school != e.school { out.append(DeploymentColumn.school) }
        if d.countyID.uuidString != e.county.key { out.append(DeploymentColumn.county) }
        if d.subject != e.subject { out.append(DeploymentColumn.subject) }
        if d.endDate != e.end.iso { out.append(DeploymentColumn.end) }
        if d.endedOn != e.endedOn?.iso || (d.endReason ?? "") != e.endReason { out.append(DeploymentColumn.endedOn) }
        return out
    }

    func fill(_ row: Deployment?, _ e: DeploymentEntry) throws -> Deployment {
        let d = row ?? Deployment()
        if row == nil { d.campaignID = campaign.id!; d.orgID = unit.id! }
        try DeploymentRegister.fill(d, e, cipher: cipher)
        return d
    }
}

extension Request {
    func deploymentSpec(_ campaign: Campaign, _ unit: Organization) async throws -> DeploymentSpec {
        try await DeploymentSpec.of(db: db, campaign: campaign, unit: unit, today: LocalDate(instant: now), cipher: appServices.cipher)
    }
}
