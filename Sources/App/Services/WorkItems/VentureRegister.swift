// 涉农创业 ventures: the one place they are written — from the page, the API (one at a time) and the import sheet,
// each line checked by `ContestRules.venture`. A unit reads the ventures it recorded and those in its counties.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct VentureForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var leaderName: String?
    var leaderPhone: String?
    var countyId: UUID?
    /// The page's select (an id) or a county's name.
    var county: String?
    var sector: String?
    var founded: String?
    var jobsCreated: LooseText?
    var revenueBand: String?
    var description: String?

    static let fields = [VentureColumn.name: "name", VentureColumn.leader: "leaderName", VentureColumn.phone: "leaderPhone",
                         VentureColumn.county: "countyId", VentureColumn.sector: "sector", VentureColumn.founded: "founded",
                         VentureColumn.jobs: "jobsCreated", VentureColumn.revenue: "revenueBand", VentureColumn.description: "description"]
}

extension ContestRegister {
    func ventures(campaign: Campaign, org: Organization) async throws -> [Venture] {
        let ids = try await subtreeIDs(org)
        return try await Venture.query(on: db).filter(\.$campaignID == campaign.id!)
            .group(.or) { $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids) }.sort(\.$name).all()
    }

    func ventureSpec(_ campaign: Campaign, _ unit: Organization) async throws -> VentureSpec {
        VentureSpec(campaign: campaign, unit: unit, cipher: request.appServices.cipher,
                    counties: CountyMatcher(try await RosterPolicyLoader.counties(db: db)))
    }

    /// One venture through the import's own rules (a second with the same name is 409).
    func createVenture(_ form: VentureForm) async throws -> Venture {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        let spec = try await ventureSpec(campaign, unit)
        // The county as the page's id, the API's countyId, or a name: the matcher reads its code.
        var county = form.county ?? ""
        if let id = form.countyId ?? UUID(uuidString: county) {
            county = try await Organization.find(id, on: db).flatMap { $0.kind == .county ? $0.code : nil } ?? "（无效）"
        }
        let input = RegisterInput(row: 1, values: [
            VentureColumn.name: form.name ?? "", VentureColumn.leader: form.leaderName ?? "", VentureColumn.phone: String((form.leaderPhone ?? "").prefix(40)),
            VentureColumn.county: county, VentureColumn.sector: form.sector ?? "", VentureColumn.founded: String((form.founded ?? "").prefix(20)),
            VentureColumn.jobs: String((form.jobsCreated?.text ?? "").prefix(20)), VentureColumn.revenue: form.revenueBand ?? "",
            VentureColumn.description: form.description ?? ""])
        let (entry, problems) = spec.validate(input)
        guard let entry else { throw AppError.refusal(problems, fields: VentureForm.fields) }
        let v = try spec.fill(nil, entry)
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await Venture.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$name == entry.name).first() != nil {
                throw AppError.conflict("本单位已登记项目“\(entry.name)”")
            }
            try await v.create(on: tx)
        }
        request.auditDetail = "\(unit.name)登记创业项目：\(entry.name)"
        return v
    }
}

extension Request {
    var contests: ContestRegister { ContestRegister(request: self) }
}

/// A unit's ventures on the shared import pipeline; the same name is the same venture.
struct VentureSpec: RegisterSpec {
    let campaign: Campaign
    let unit: Organization
    let cipher: PersonalDataCipher
    let counties: CountyMatcher

    var columns: [ColumnSpec] { VentureColumn.specs }
    var subjectColumn: String { VentureColumn.name }
    var lock: UUID? { unit.id }

    func validate(_ input: RegisterInput) -> (VentureEntry?, [RowProblem]) { ContestRules.venture(input, year: campaign.year, counties: counties) }
    func stored(_ db: any Database) async throws -> [Venture] {
        try await Venture.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).all()
    }
    func crossCheck(_ entries: [VentureEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        ContestRules.repeatedVentures(entries)
    }
    func key(_ e: VentureEntry) -> String { e.name }
    func key(_ v: Venture) -> String { v.name }
    func describe(_ e: VentureEntry) -> (name: String, detail: String) { (e.name, "\(e.county.name)，\(e.sector.label)，负责人\(e.leaderName)") }
    func describe(_ v: Venture) -> (name: String, detail: String) { (v.name, "负责人\(v.leaderName)") }
    func changes(_ v: Venture, _ e: VentureEntry) -> [String] {
        var out: [String] = []
        if v.leaderName != e.leaderName { out.append(VentureColumn.leader) }
        if v.leaderPhoneMasked != e.phoneMasked || (try? cipher.open(v.leaderPhoneCipher)) != e.phone { out.append(VentureColumn.phone) }
        if v.countyID.uuidString != e.county.key { out.append(VentureColumn.county) }
        if v.sector != e.sector.rawValue { out.append(VentureColumn.sector) }
        if v.founded != e.founded { out.append(VentureColumn.founded) }
        if v.jobsCreated != e.jobsCreated { out.append(VentureColumn.jobs) }
        if v.revenueBand != e.revenueBand { out.append(VentureColumn.revenue) }
        if v.description != e.description { out.append(VentureColumn.description) }
        return out
    }
    func fill(_ row: Venture?, _ e: VentureEntry) throws -> Venture {
        let v = row ?? Venture()
        if row == nil { v.campaignID = campaign.id!; v.orgID = unit.id!; v.name = e.name }
        v.leaderName = e.leaderName
        v.leaderPhoneCipher = try cipher.seal(e.phone); v.leaderPhoneMasked = e.phoneMasked
        v.countyID = UUID(uuidString: e.county.key)!
        v.sector = e.sector.rawValue; v.founded = e.founded; v.jobsCreated = e.jobsCreated
        v.revenueBand = e.revenueBand; v.description = e.description
        return v
    }
}
