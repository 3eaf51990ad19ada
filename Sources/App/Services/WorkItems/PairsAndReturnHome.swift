// 百校百号 pairs (a provincial 青年文明号 collective ↔ a university league committee) and 返家乡 students: the one
// place each is written, who sees them, and their register specs on the shared import pipeline.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct CivilityPairForm: Content {
    var campaign: Int?
    var collectiveName: String?
    var sector: String?
    var universityId: UUID?
    var university: String?
    var activityIds: [UUID]?

    static let fields = [CivilityPairColumn.collective: "collectiveName", CivilityPairColumn.sector: "sector", CivilityPairColumn.university: "universityId"]
}

struct ReturnHomeForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var idNumber: String?
    var university: String?
    var homeCountyId: UUID?
    var homeCounty: String?
    var hostUnit: String?
    var startDate: String?
    var endDate: String?
    var hours: LooseText?

    static let fields = [
        ReturnHomeColumn.name: "name", ReturnHomeColumn.idNumber: "idNumber", ReturnHomeColumn.university: "university",
        ReturnHomeColumn.county: "homeCountyId", ReturnHomeColumn.host: "hostUnit", ReturnHomeColumn.start: "startDate",
        ReturnHomeColumn.end: "endDate", ReturnHomeColumn.hours: "hours",
    ]
}

struct PracticeRecords {
    let request: Request
    var db: any Database { request.db }

    static func universities(_ db: any Database) async throws -> [UniversityRef] {
        try await Organization.query(on: db).filter(\.$kind == .university).all().map { UniversityRef(key: $0.id!.uuidString, name: $0.name) }
    }

    // MARK: 百校百号

    /// Pairs of universities in the caller's subtree (all of them for the province).
    func pairs(campaign: Campaign) async throws -> [CivilityPair] {
        let me = try request.access.current
        let query = CivilityPair.query(on: db).filter(\.$campaignID == campaign.id!)
        if me.org.kind != .province {
            query.filter(\.$universityID ~~ (try await request.access.visibleOrganizations().all(\.$id)))
        }
        return try await query.sort(\.$collectiveName).all()
    }

    /// A pair is written by the university's staff or the province's; the same pair twice is a 409.
    func createPair(_ form: CivilityPairForm) async throws -> CivilityPair {
        let campaign = try await request.access.campaign(form.campaign)
        var universityName = form.university ?? ""
        if let id = form.universityId {
            guard let org = try await Organization.find(id, on: db), org.kind == .university else {
                throw AppError.invalid("universityId 不是高校", problems: [.init(field: "universityId", message: "请选择结对高校")])
            }
            universityName = org.name
        }
        let spec = PairSpec(campaign: campaign, universities: PracticeRules.universityIndex(try await Self.universities(db)))
        let (entry, problems) = spec.validate(RegisterInput(row: 1, values: [
            CivilityPairColumn.collective: form.collectiveName ?? "", CivilityPairColumn.sector: form.sector ?? "",
            CivilityPairColumn.university: universityName]))
        guard let entry else { throw AppError.refusal(problems, fields: CivilityPairForm.fields) }
        let university = try await request.access.organization(UUID(uuidString: entry.university.key))
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: university.path))
        let activities = try await activityIDs(form.activityIds)
        let pair = try await db.writeTransaction(lock: spec.lock) { tx in
            if try await spec.stored(tx).contains(where: { spec.key($0) == spec.key(entry) }) {
                throw AppError.conflict("“\(entry.collective)”与\(university.name)本年度已结对，不能重复登记")
            }
            let pair = try await spec.withCollectiveOrg(try spec.fill(nil, entry), tx)
            pair.activityIDs = activities
            try await pair.create(on: tx)
            return pair
        }
        request.auditDetail = "登记百校百号结对：\(entry.collective)—\(university.name)"
        return pair
    }

    func deletePair(_ id: UUID?) async throws {
        guard let id, let pair = try await CivilityPair.find(id, on: db),
              let university = try? await request.access.organization(pair.universityID) else { throw AppError.notFound("该结对") }
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: university.path))
        try await pair.delete(on: db)
        request.auditDetail = "删除百校百号结对：\(pair.collectiveName)—\(university.name)"
    }

    /// Linked activities must be 附件3 activities on the platform.
    private func activityIDs(_ ids: [UUID]?) async throws -> String {
        let ids = Array(Set(ids ?? [])).prefix(50)
        guard !ids.isEmpty else { return "" }
        let found = try await Activity.query(on: db).filter(\.$id ~~ Array(ids)).all(\.$id)
        guard found.count == ids.count else { throw AppError.invalid("共同开展的活动中有不存在的活动", problems: [.init(field: "activityIds", message: "请选择平台上的活动")]) }
        return found.map(\.uuidString).sorted().joined(separator: ",")
    }

    // MARK: 返家乡

    /// Students recorded by the caller's subtree or coming home to a county in it.
    func returnHome(campaign: Campaign, org: Organization) async throws -> [ReturnHomeStudent] {
        let query = ReturnHomeStudent.query(on: db).filter(\.$campaignID == campaign.id!)
        if org.kind != .province {
            let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
            query.group(.or) { $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids).filter(\.$universityID ~~ ids.map { Optional($0) }) }
        }
        return try await query.sort(\.$startDate).sort(\.$name).all()
    }

    func returnHomeSpec(_ campaign: Campaign, _ unit: Organization) async throws -> ReturnHomeSpec {
        ReturnHomeSpec(campaign: campaign, unit: unit, today: LocalDate(instant: request.now), cipher: request.appServices.cipher,
                       counties: CountyMatcher(try await RosterPolicyLoader.counties(db: db)),
                       universities: PracticeRules.universityIndex(try await Self.universities(db)))
    }

    func createReturnHome(_ form: ReturnHomeForm) async throws -> ReturnHomeStudent {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await request.practiceTeams.writableUnit(form.orgId)
        var county = form.homeCounty ?? ""
        if let id = form.homeCountyId {
            guard let org = try await Organization.find(id, on: db), org.kind == .county else {
                throw AppError.invalid("homeCountyId 不是县（市、区）", problems: [.init(field: "homeCountyId", message: "请选择家乡县（市、区）")])
            }
            county = org.code ?? org.name
        }
        let spec = try await returnHomeSpec(campaign, unit)
        let (entry, problems) = spec.validate(RegisterInput(row: 1, values: [
            ReturnHomeColumn.name: form.name ?? "", ReturnHomeColumn.idNumber: form.idNumber ?? "", ReturnHomeColumn.university: form.university ?? "",
            ReturnHomeColumn.county: county, ReturnHomeColumn.host: form.hostUnit ?? "", ReturnHomeColumn.start: form.startDate ?? "",
            ReturnHomeColumn.end: form.endDate ?? "", ReturnHomeColumn.hours: form.hours?.text ?? ""]))
        guard let entry else { throw AppError.refusal(problems, fields: ReturnHomeForm.fields) }
        let student = try await db.writeTransaction(lock: unit.id) { tx in
            if try await ReturnHomeStudent.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$idHash == spec.cipher.lookupHash(entry.id.value))
                .filter(\.$startDate == entry.start.iso).first() != nil {
                throw AppError.conflict("该学生\(entry.start.iso)开始的返家乡实践已登记")
            }
            let s = try spec.fill(nil, entry)
            try await s.create(on: tx)
            return s
        }
        request.auditDetail = "\(unit.name)登记返家乡学生：\(entry.name)（\(entry.id.masked)）"
        return student
    }

    func deleteReturnHome(_ id: UUID?) async throws {
        guard let id, let s = try await ReturnHomeStudent.find(id, on: db),
              let unit = try? await request.access.organization(s.orgID) else { throw AppError.notFound("该返家乡记录") }
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: unit.path))
        try await s.delete(on: db)
        request.auditDetail = "\(unit.name)删除返家乡学生：\(s.name)（\(s.idMasked)）"
    }
}

extension Request {
    var practiceRecords: PracticeRecords { PracticeRecords(request: self) }
}

/// The campaign's 百校百号 pairs (kept by the province and the universities).
struct PairSpec: RegisterSpec {
    let campaign: Campaign
    let universities: [String: UniversityRef]
    /// Only these universities' pairs (a university imports its own); nil: all (the province).
    var only: UUID? = nil

    var columns: [ColumnSpec] { CivilityPairColumn.specs }
    var subjectColumn: String { CivilityPairColumn.collective }
    var lock: UUID? { nil }

    func validate(_ input: RegisterInput) -> (CivilityPairEntry?, [RowProblem]) {
        let (entry, problems) = PracticeRules.pair(input, universities: universities)
        if let entry, let only, entry.university.key != only.uuidString {
            return (nil, [RowProblem(row: input.row, column: CivilityPairColumn.university, message: "高校只能登记本校的结对（\(entry.university.name)不是本校）")])
        }
        return (entry, problems)
    }
    func stored(_ db: any Database) async throws -> [CivilityPair] {
        let q = CivilityPair.query(on: db).filter(\.$campaignID == campaign.id!)
        if let only { q.filter(\.$universityID == only) }
        return try await q.all()
    }
    func key(_ e: CivilityPairEntry) -> String { e.collectiveKey + "|" + e.university.key }
    func key(_ p: CivilityPair) -> String { p.collectiveKey + "|" + p.universityID.uuidString }
    func describe(_ e: CivilityPairEntry) -> (name: String, detail: String) { (e.collective, e.university.name) }
    func describe(_ p: CivilityPair) -> (name: String, detail: String) { (p.collectiveName, p.sector) }
    func changes(_ p: CivilityPair, _ e: CivilityPairEntry) -> [String] {
        (p.sector != e.sector ? [CivilityPairColumn.sector] : []) + (p.collectiveName != e.collective ? [CivilityPairColumn.collective] : [])
    }
    func fill(_ row: CivilityPair?, _ e: CivilityPairEntry) throws -> CivilityPair {
        let p = row ?? CivilityPair()
        if row == nil { p.campaignID = campaign.id!; p.activityIDs = ""; p.universityID = UUID(uuidString: e.university.key)! }
        p.collectiveName = e.collective; p.collectiveKey = e.collectiveKey; p.sector = e.sector
        return p
    }

    /// The collective's provincial unit, when one of that name exists under /orgs.
    func withCollectiveOrg(_ p: CivilityPair, _ db: any Database) async throws -> CivilityPair {
        p.collectiveOrgID = try await Organization.query(on: db).filter(\.$kind == .provincialUnit).filter(\.$name == p.collectiveName).first()?.id
        return p
    }
}

/// A unit's 返家乡 students; the same student and start date is the same record.
struct ReturnHomeSpec: RegisterSpec {
    let campaign: Campaign
    let unit: Organization
    let today: LocalDate
    let cipher: PersonalDataCipher
    let counties: CountyMatcher
    let universities: [String: UniversityRef]

    var columns: [ColumnSpec] { ReturnHomeColumn.specs }
    var subjectColumn: String { ReturnHomeColumn.name }
    var lock: UUID? { unit.id }

    func validate(_ input: RegisterInput) -> (ReturnHomeEntry?, [RowProblem]) {
        PracticeRules.returnHome(input, year: campaign.year, today: today, counties: counties, universities: universities,
                                 fixedUniversity: unit.kind == .university ? UniversityRef(key: unit.id!.uuidString, name: unit.name) : nil)
    }
    func stored(_ db: any Database) async throws -> [ReturnHomeStudent] {
        try await ReturnHomeStudent.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).all()
    }
    func key(_ e: ReturnHomeEntry) -> String { cipher.lookupHash(e.id.value) + "|" + e.start.iso }

    /// The same student and start twice in the file, or already recorded by another unit.
    func crossCheck(_ entries: [ReturnHomeEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        var first: [String: Int] = [:], problems: [RowProblem] = []
        for e in entries {
            let k = key(e)
            if let row = first[k] { problems.append(RowProblem(row: e.row, column: ReturnHomeColumn.idNumber, message: "与第\(row)行是同一学生、同一开始日期")) }
            else { first[k] = e.row }
        }
        let hashes = Array(Set(entries.map { cipher.lookupHash($0.id.value) }))
        var elsewhere = Set<String>()
        for chunk in hashes.chunked(into: 500) {
            for s in try await ReturnHomeStudent.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$idHash ~~ Array(chunk))
                .filter(\.$orgID != unit.id!).all() { elsewhere.insert(key(s)) }
        }
        for e in entries where elsewhere.contains(key(e)) {
            problems.append(RowProblem(row: e.row, column: ReturnHomeColumn.idNumber, message: "该学生\(e.start.iso)开始的返家乡实践已由其他单位登记"))
        }
        return problems
    }
    func key(_ s: ReturnHomeStudent) -> String { s.idHash + "|" + s.startDate }
    func describe(_ e: ReturnHomeEntry) -> (name: String, detail: String) { ("\(e.name)（\(e.id.masked)）", "\(e.county.fullName) \(e.host)") }
    func describe(_ s: ReturnHomeStudent) -> (name: String, detail: String) { ("\(s.name)（\(s.idMasked)）", s.hostUnit) }
    func changes(_ s: ReturnHomeStudent, _ e: ReturnHomeEntry) -> [String] {
        var out: [String] = []
        if s.name != e.name { out.append(ReturnHomeColumn.name) }
        if s.countyID.uuidString != e.county.key { out.append(ReturnHomeColumn.county) }
        if s.hostUnit != e.host { out.append(ReturnHomeColumn.host) }
        if s.endDate != e.end.iso { out.append(ReturnHomeColumn.end) }
        if s.hoursTenths != e.tenths { out.append(ReturnHomeColumn.hours) }
        if s.universityID?.uuidString != e.university?.key { out.append(ReturnHomeColumn.university) }
        return out
    }
    func fill(_ row: ReturnHomeStudent?, _ e: ReturnHomeEntry) throws -> ReturnHomeStudent {
        let s = row ?? ReturnHomeStudent()
        if row == nil {
            s.campaignID = campaign.id!; s.orgID = unit.id!
            s.idCipher = try cipher.seal(e.id.value); s.idHash = cipher.lookupHash(e.id.value); s.idMasked = e.id.masked
        }
        s.name = e.name; s.universityID = e.university.flatMap { UUID(uuidString: $0.key) }; s.countyID = UUID(uuidString: e.county.key)!
        s.hostUnit = e.host; s.startDate = e.start.iso; s.endDate = e.end.iso; s.hoursTenths = e.tenths
        return s
    }
}
