// 南粤会亲's 建议配对: the children of the unit's camps who have no family yet, the families' list read through the
// shared reader, the core's `FamilyMatching` over them, and the accepted pairs written as 南粤会亲 matches — one
// transaction under the unit's write lock, a child already matched (a double click, another office) skipped.
import Fluent
import Foundation
import LiangbangCore
import Vapor

/// Every problem of a refused families' list (nothing is suggested while there is one).
struct FamilyListProblems: Error {
    let message: String
    let report: ImportReport
}

/// One accepted pair as the proposal page posts it back: the camp participant and the family's name.
struct FamilyPlanItem: Codable, Sendable { let child: UUID; let family: String }

extension CompanionRegister {
    static let familiesLabel = "爱心家庭名单"

    /// Children of the unit's camps this campaign, each once, with no 南粤会亲 family in the campaign (anywhere).
    func waitingChildren(campaign: Campaign, unit: Organization) async throws -> [WaitingChild] {
        let camps = try await camps(campaign: campaign, org: unit)
        guard !camps.isEmpty else { return [] }
        let matched = Set(try await CompanionMatch.query(on: db).filter(\.$campaignID == campaign.id!)
            .filter(\.$kind == CompanionKind.family.rawValue).all(\.$subjectIDHash))
        let counties = Dictionary(uniqueKeysWithValues: try await RosterPolicyLoader.counties(db: db).compactMap { ref in UUID(uuidString: ref.key).map { ($0, ref) } })
        let orgs = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ Set(camps.map(\.orgID))).all().map { ($0.id!, $0) })
        let cities = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$kind == .city).all().map { ($0.id!, $0.name) })
        /// The camp's county (or city) from its unit's path: a county office, or a town or school under one.
        func place(_ orgID: UUID) -> (CountyRef?, String) {
            let ids = (orgs[orgID]?.path ?? "").split(separator: "/").compactMap { UUID(uuidString: String($0)) }
            if let county = ids.lazy.compactMap({ counties[$0] }).first { return (county, county.cityName) }
            return (nil, ids.lazy.compactMap { cities[$0] }.first ?? "")
        }
        var children: [UUID: [CampParticipant]] = [:]
        for chunk in camps.map(\.id!).chunked(into: 500) {
            for p in try await CampParticipant.query(on: db).filter(\.$campID ~~ Array(chunk)).filter(\.$isChild == true).sort(\.$name).all() {
                children[p.campID, default: []].append(p)
            }
        }
        var seen = Set<String>(), out: [WaitingChild] = []
        for camp in camps {
            let (county, city) = place(camp.orgID)
            for p in children[camp.id!] ?? [] where !matched.contains(p.idHash) && seen.insert(p.idHash).inserted {
                out.append(WaitingChild(key: p.id!.uuidString, name: "\(p.name)（\(p.idMasked)）", county: county, city: city))
            }
        }
        return out
    }

    /// The families' list: every line checked, the places each family already fills this campaign subtracted.
    func families(_ data: Data, filename: String, campaign: Campaign, unit: Organization) async throws -> [CaringFamily] {
        let counties = CountyMatcher(try await RosterPolicyLoader.counties(db: db))
        var check = try MatchListReader.read(data, filename: filename, label: Self.familiesLabel, columns: FamilyListColumn.specs) {
            FamilyMatching.family($0, counties: counties)
        }
        check.problems += FamilyMatching.repeated(check.entries)
        if let layout = check.layout { check.report.list(check.problems, position: layout.columns, layout: layout, subjectColumn: FamilyListColumn.family) }
        guard check.report.errorCount == 0 else {
            throw FamilyListProblems(message: "\(Self.familiesLabel)有\(check.report.errorCount)处问题，未生成建议，请改正后重新上传", report: check.report)
        }
        guard check.entries.count <= FamilyMatching.maxFamilies else {
            throw AppError.invalid("\(Self.familiesLabel)有\(check.entries.count)行，超过一次计算的上限（\(FamilyMatching.maxFamilies)行），请按地市分批上传")
        }
        let existing = try await matches(campaign: campaign, org: unit, kind: .family)
        let taken = existing.reduce(into: [String: Int]()) { $0[$1.partner, default: 0] += 1 }
        return check.entries.map { f in var f = f; f.taken = taken[f.name] ?? 0; return f }
    }

    func suggestFamilies(children: [WaitingChild], families: [CaringFamily]) throws -> FamilySuggestion {
        let pairs = children.count * families.filter { $0.places > 0 }.count
        guard pairs <= FamilyMatching.maxPairs else {
            throw AppError.invalid("待结对儿童\(children.count)名 × 家庭\(families.count)个超过一次计算的上限，请按地市分批上传家庭名单")
        }
        return FamilyMatching.suggest(children: children, families: families)
    }

    /// The accepted pairs, as 南粤会亲 matches of `unit` started on `startedOn`. Returns (registered, skipped).
    func acceptFamilies(_ plan: [FamilyPlanItem], campaign: Campaign, unit: Organization, startedOn: String?) async throws -> (Int, Int) {
        var problems: [AppError.Problem] = []
        let started = date(startedOn, "startedOn", "结对日期", year: campaign.year, into: &problems)
        if let s = started, s > today { problems.append(.init(field: "startedOn", message: "结对日期不能晚于今天")) }
        guard problems.isEmpty, let started else { throw AppError.invalid(problems[0].message, problems: problems) }
        guard !plan.isEmpty, plan.count <= 20_000,
              plan.allSatisfy({ !TextNormaliser.trim($0.family).isEmpty && TextNormaliser.trim($0.family).count <= 60 }) else {
            throw AppError.invalid("建议配对为空或已损坏，请重新上传家庭名单")
        }
        // The children must still be of this unit's camps in this campaign.
        let campIDs = Set(try await camps(campaign: campaign, org: unit).map(\.id!))
        let (cipher, today, kind) = (cipher, today, CompanionKind.family)
        let result = try await db.writeTransaction(lock: unit.id) { tx -> (Int, Int) in
            var done = Set(try await CompanionMatch.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$kind == kind.rawValue).all(\.$subjectIDHash))
            var registered = 0, skipped = 0
            for chunk in plan.chunked(into: 500) {
                let children = Dictionary(uniqueKeysWithValues: try await CampParticipant.query(on: tx).filter(\.$id ~~ chunk.map(\.child)).all().map { ($0.id!, $0) })
                for item in chunk {
                    guard let p = children[item.child], p.isChild, campIDs.contains(p.campID), !done.contains(p.idHash),
                          case .success(let id) = IDNumber.parse(try cipher.open(p.idCipher), today: today) else { skipped += 1; continue }
                    let m = CompanionMatch()
                    m.campaignID = campaign.id!; m.orgID = unit.id!; m.kind = kind.rawValue
                    m.subject = p.name; m.subjectIDCipher = p.idCipher; m.subjectIDHash = p.idHash; m.subjectIDMasked = p.idMasked
                    m.age = started.years(since: id.birthDate); m.consentGiven = p.consentGiven; m.consentOn = p.consentOn
                    m.partner = TextNormaliser.trim(item.family); m.partnerKind = "family"; m.startedOn = started.iso
                    m.contacts = 0; m.lastContactOn = ""; m.dueOn = CompanionRules.due(kind: kind, started: started, contacts: [])?.iso ?? ""
                    try await m.create(on: tx)
                    done.insert(p.idHash)
                    registered += 1
                }
            }
            return (registered, skipped)
        }
        request.auditDetail = "\(unit.name)按建议登记南粤会亲\(result.0)对" + (result.1 > 0 ? "（\(result.1)名儿童已结对或不在本单位营地，未登记）" : "")
        return result
    }
}
