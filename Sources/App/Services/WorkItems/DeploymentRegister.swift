// The 希望乡村教师 register (work item 3): whose lines the caller sees and keeps, the one place a posting is
// written (page, API and import alike), and the schools' coverage.
import Fluent
import Foundation
import LiangbangCore
import Vapor

/// A posting as the page and the API send it; every value as typed, so the same rules as the import apply.
struct DeploymentForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var volunteerName: String?
    var volunteerId: String?
    var sex: String?
    var programme: String?
    var universityId: UUID?
    var university: String?
    var school: String?
    var countyId: UUID?
    var county: String?
    var subject: String?
    var startDate: String?
    var endDate: String?
    var endedOn: String?
    var endReason: String?

    /// API field names for the rules' column titles (problems name the field the caller sent).
    static let fields: [String: String] = [
        DeploymentColumn.name: "volunteerName", DeploymentColumn.idNumber: "volunteerId", DeploymentColumn.sex: "sex",
        DeploymentColumn.programme: "programme", DeploymentColumn.university: "universityId", DeploymentColumn.school: "school",
        DeploymentColumn.county: "countyId", DeploymentColumn.subject: "subject", DeploymentColumn.start: "startDate",
        DeploymentColumn.end: "endDate", DeploymentColumn.endedOn: "endedOn", DeploymentColumn.endReason: "endReason",
    ]
}

struct DeploymentRegister {
    let request: Request
    var db: any Database { request.db }

    static let recordingKinds: Set<OrgKind> = [.province, .city, .county, .university]

    /// The unit whose register the caller reads: the one it names (in its subtree), else its own.
    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    /// The unit that records: the province, a city or county (its territory), a university (the volunteers it sends).
    func writableUnit(_ orgID: UUID?) async throws -> Organization {
        let org = try await unit(orgID)
        guard Self.recordingKinds.contains(org.kind) else {
            throw AppError.invalid("希望乡村教师派驻由团省委、地市团委、县级团委或派出高校登记，\(org.name)不能登记")
        }
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: org.path))
        return org
    }

    /// The postings `org` is concerned with: those it or a unit below it records, and those at a school in its
    /// territory or sent by a university below it. Everyone's view is inside its own subtree this way.
    func scoped(_ org: Organization) async throws -> QueryBuilder<Deployment> {
        let query = Deployment.query(on: db)
        guard org.kind != .province else { return query }
        let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
        return query.group(.or) {
            $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids).filter(\.$universityID ~~ ids.map { Optional($0) })
        }
    }

    /// A posting the caller may change (the recording unit's staff or above); 404 outside the caller's view.
    func writable(_ id: UUID?) async throws -> (Deployment, Organization) {
        let me = try request.access.current
        guard let id, let d = try await Deployment.find(id, on: db), let unit = try await Organization.find(d.orgID, on: db),
              try await scoped(me.org).filter(\.$id == id).count() == 1 else { throw AppError.notFound("该派驻记录") }
        try request.access.enforce(AccessPolicy.write(by: me.actor, orgPath: unit.path))
        return (d, unit)
    }

    /// What the rules need to know about the recording unit.
    static func policy(db: any Database, unit: Organization, today: LocalDate) async throws -> DeploymentPolicy {
        let orgs = try await Organization.query(on: db).filter(\.$kind ~~ [.city, .county, .university]).all()
        let cities = Dictionary(uniqueKeysWithValues: orgs.filter { $0.kind == .city }.map { ($0.id!, $0.name) })
        let counties = orgs.filter { $0.kind == .county }
        let refs = counties.map { CountyRef(key: $0.id!.uuidString, code: $0.code ?? "", name: $0.name, cityName: cities[$0.parentID ?? UUID()] ?? "") }
        let universities = orgs.filter { $0.kind == .university }.map { UniversityRef(key: $0.id!.uuidString, name: $0.name) }
        let territory: Set<String>? = [.city, .county].contains(unit.kind)
            ? Set(counties.filter { $0.path.hasPrefix(unit.path) }.map { $0.id!.uuidString }) : nil
        return DeploymentPolicy(today: today, counties: CountyMatcher(refs),
                                regions: Dictionary(uniqueKeysWithValues: counties.map { ($0.id!.uuidString, $0.region ?? "") }),
                                territory: territory, territoryName: unit.name, universities: universities,
                                fixedUniversity: unit.kind == .university ? UniversityRef(key: unit.id!.uuidString, name: unit.name) : nil)
    }

    /// The form's values as a register line: ids become the names and codes a line would hold.
    func input(_ f: DeploymentForm) async throws -> RegisterInput {
        var county = f.county ?? ""
        if let id = f.countyId {
            guard let org = try await Organization.find(id, on: db), org.kind == .county else {
                throw AppError.invalid("countyId 不是县（市、区）", problems: [.init(field: "countyId", message: "请选择服务学校所在的县（市、区）")])
            }
            county = org.code ?? org.name
        }
        var university = f.university ?? ""
        if let id = f.universityId {
            guard let org = try await Organization.find(id, on: db), org.kind == .university else {
                throw AppError.invalid("universityId 不是高校", problems: [.init(field: "universityId", message: "派出高校应为平台上的高校")])
            }
            university = org.name
        }
        return RegisterInput(row: 1, values: [
            DeploymentColumn.name: f.volunteerName ?? "", DeploymentColumn.sex: f.sex ?? "", DeploymentColumn.idNumber: f.volunteerId ?? "",
            DeploymentColumn.programme: f.programme ?? "", DeploymentColumn.university: university, DeploymentColumn.school: f.school ?? "",
            DeploymentColumn.county: county, DeploymentColumn.subject: f.subject ?? "", DeploymentColumn.start: f.startDate ?? "",
            DeploymentColumn.end: f.endDate ?? "", DeploymentColumn.endedOn: f.endedOn ?? "", DeploymentColumn.endReason: f.endReason ?? "",
        ])
    }

    /// 422 with every problem of the line, each under its API field name.
    static func refuse(_ problems: [RowProblem]) -> AppError {
        AppError.invalid(problems.map(\.message).joined(separator: "；"),
                         problems: problems.map { AppError.Problem(field: DeploymentForm.fields[$0.column] ?? $0.column, message: $0.message) })
    }

    func create(_ form: DeploymentForm) async throws -> Deployment {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        let policy = try await Self.policy(db: db, unit: unit, today: LocalDate(instant: request.now))
        let (entry, problems) = DeploymentRules.validate(try await input(form), policy: policy)
        guard let entry else { throw Self.refuse(problems) }
        let cipher = request.appServices.cipher
        let saved = try await db.writeTransaction(lock: Self.registerLock(unit)) { tx in
            let hash = cipher.lookupHash(entry.id.value)
            try Self.checkOverlap([(1, entry)], hash: { _ in hash }, stored: try await Self.postings(tx, hashes: [hash], except: []))
            let d = Deployment()
            d.campaignID = campaign.id!
            d.orgID = unit.id!
            try Self.fill(d, entry, cipher: cipher)
            try await d.create(on: tx)
            return d
        }
        request.auditDetail = "\(unit.name)登记希望乡村教师派驻：\(entry.school)（\(entry.county.fullName)），\(entry.start.iso)至\(entry.end.iso)"
        return saved
    }

    /// Changes a posting (an early end is recorded this way): the stored line with the form's values over it,
    /// through the same rules.
    func update(_ id: UUID?, _ form: DeploymentForm) async throws -> Deployment {
        let (d, unit) = try await writable(id)
        let cipher = request.appServices.cipher
        var values = try await input(form).values
        let stored = try await line(d, cipher: cipher)
        for (key, value) in stored.values where values[key, default: ""].isEmpty && !Self.clearable(key, form) { values[key] = value }
        let policy = try await Self.policy(db: db, unit: unit, today: LocalDate(instant: request.now))
        let (entry, problems) = DeploymentRules.validate(RegisterInput(row: 1, values: values), policy: policy)
        guard let entry else { throw Self.refuse(problems) }
        try await db.writeTransaction(lock: Self.registerLock(unit)) { tx in
            let hash = cipher.lookupHash(entry.id.value)
            try Self.checkOverlap([(1, entry)], hash: { _ in hash }, stored: try await Self.postings(tx, hashes: [hash], except: [d.id!]))
            try Self.fill(d, entry, cipher: cipher)
            try await d.update(on: tx)
        }
        request.auditDetail = entry.endedOn.map { "\(unit.name)登记希望乡村教师提前结束派驻：\(entry.school)，\($0.iso)" }
            ?? "\(unit.name)修改希望乡村教师派驻：\(entry.school)"
        return d
    }

    /// An early end sent empty (`"endedOn": ""`) is taken back; other empty fields keep what is stored.
    private static func clearable(_ column: String, _ form: DeploymentForm) -> Bool {
        (column == DeploymentColumn.endedOn && form.endedOn != nil) || (column == DeploymentColumn.endReason && form.endedOn != nil)
    }

    func delete(_ id: UUID?) async throws {
        let (d, unit) = try await writable(id)
        try await db.writeTransaction(lock: Self.registerLock(unit)) { tx in try await d.delete(on: tx) }
        request.auditDetail = "\(unit.name)删除希望乡村教师派驻记录：\(d.school)"
    }

    /// A stored posting as the line it came from (the ID number opened only to run the rules again).
    func line(_ d: Deployment, cipher: PersonalDataCipher) async throws -> RegisterInput {
        let county = try await Organization.find(d.countyID, on: db)
        let university = try await d.universityID.asyncMap { try await Organization.find($0, on: db) } ?? nil
        return RegisterInput(row: 1, values: [
            DeploymentColumn.name: d.volunteerName, DeploymentColumn.sex: d.sex, DeploymentColumn.idNumber: try cipher.open(d.volunteerIDCipher),
            DeploymentColumn.programme: d.programme, DeploymentColumn.university: university?.name ?? "", DeploymentColumn.school: d.school,
            DeploymentColumn.county: county?.code ?? "", DeploymentColumn.subject: d.subject, DeploymentColumn.start: d.startDate,
            DeploymentColumn.end: d.endDate, DeploymentColumn.endedOn: d.endedOn ?? "", DeploymentColumn.endReason: d.endReason ?? "",
        ])
    }

    /// The overlap rule reads every unit's postings of a volunteer: writers queue on the province's row.
    static func registerLock(_ unit: Organization) -> UUID {
        guard let root = unit.path.split(separator: "/").first.flatMap({ UUID(uuidString: String($0)) }) else { return unit.id! }
        return root
    }

    static func postings(_ db: any Database, hashes: [String], except: Set<UUID>) async throws -> [DeploymentRules.Posting] {
        var out: [DeploymentRules.Posting] = []
        for chunk in Array(Set(hashes)).chunked(into: 500) {
            for d in try await Deployment.query(on: db).filter(\.$volunteerIDHash ~~ Array(chunk)).all() where !except.contains(d.id!) {
                out.append(.init(volunteer: d.volunteerIDHash, term: d.term, school: d.school))
            }
        }
        return out
    }

    static func checkOverlap(_ lines: [(Int, DeploymentEntry)], hash: (DeploymentEntry) -> String, stored: [DeploymentRules.Posting]) throws {
        let problems = DeploymentRules.overlaps(lines.map { ($0.0, .init(volunteer: hash($0.1), term: $0.1.term, school: $0.1.school)) }, stored: stored)
        if !problems.isEmpty { throw refuse(problems) }
    }

    static func fill(_ d: Deployment, _ e: DeploymentEntry, cipher: PersonalDataCipher) throws {
        let hash = cipher.lookupHash(e.id.value)
        if d.id == nil || d.volunteerIDHash != hash { d.volunteerIDCipher = try cipher.seal(e.id.value) }
        d.volunteerIDHash = hash
        d.volunteerIDMasked = e.id.masked
        d.volunteerName = e.name
        d.sex = e.sex.rawValue
        d.programme = e.programme.rawValue
        d.universityID = e.university.flatMap { UUID(uuidString: $0.key) }
        d.school = e.school
        d.countyID = UUID(uuidString: e.county.key)!
        d.subject = e.subject
        d.startDate = e.start.iso
        d.endDate = e.end.iso
        d.endedOn = e.endedOn?.iso
        d.endReason = e.endReason.isEmpty ? nil : e.endReason
    }

    /// The register of one unit (what it records) in a campaign.
    func table(campaign: Campaign, unit: Organization) async throws -> [Deployment] {
        try await Deployment.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
            .sort(\.$startDate).sort(\.$createdAt).all()
    }

    /// Everything `org` is concerned with in a campaign.
    func list(campaign: Campaign, org: Organization) async throws -> [Deployment] {
        try await scoped(org).filter(\.$campaignID == campaign.id!).sort(\.$startDate).sort(\.$createdAt).all()
    }
}

extension Request {
    var deployments: DeploymentRegister { DeploymentRegister(request: self) }
}
