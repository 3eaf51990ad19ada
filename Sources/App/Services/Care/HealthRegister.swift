// 健康直通车: visits, checks and the follow-ups of a finding — the one place they are read and written. Visits
// and the list of who was checked follow the subtree rule; what a check measured and found (and whether it found
// anything) is shown only with the sensitive-data permission (`AccessPolicy.caseContent(.health)`), audited.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct HealthVisitForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var collective: String?
    var collectiveOrgId: UUID?
    var countyId: String?
    var village: String?
    var visitedOn: String?
    var services: String?
}

struct HealthCheckForm: Content {
    struct Person: Content { var name: String?; var idNumber: String?; var sex: String? }
    struct Measurements: Content {
        var height: LooseText?; var weight: LooseText?; var visionLeft: LooseText?; var visionRight: LooseText?; var dental: String?; var other: String?
    }
    struct Referral: Content { var hospital: String?; var date: String? }
    var visitId: UUID?
    var person: Person?
    var measurements: Measurements?
    var finding: String?
    var referral: Referral?
    var consent: LooseText?
    var consentOn: String?

    static let fields = [HealthColumn.name: "person.name", HealthColumn.idNumber: "person.idNumber", HealthColumn.height: "measurements.height",
                         HealthColumn.weight: "measurements.weight", HealthColumn.visionLeft: "measurements.visionLeft",
                         HealthColumn.visionRight: "measurements.visionRight", HealthColumn.dental: "measurements.dental",
                         HealthColumn.other: "measurements.other", HealthColumn.finding: "finding", HealthColumn.referralHospital: "referral.hospital",
                         HealthColumn.referralDate: "referral.date", HealthColumn.consent: "consent", HealthColumn.consentDate: "consentOn"]

    var input: RegisterInput {
        func cut(_ s: String?, _ n: Int = 600) -> String { String((s ?? "").prefix(n)) }
        return RegisterInput(row: 1, values: [
            HealthColumn.name: cut(person?.name), HealthColumn.idNumber: cut(person?.idNumber, 40),
            HealthColumn.height: cut(measurements?.height?.text, 20), HealthColumn.weight: cut(measurements?.weight?.text, 20),
            HealthColumn.visionLeft: cut(measurements?.visionLeft?.text, 20), HealthColumn.visionRight: cut(measurements?.visionRight?.text, 20),
            HealthColumn.dental: cut(measurements?.dental), HealthColumn.other: cut(measurements?.other), HealthColumn.finding: cut(finding),
            HealthColumn.referralHospital: cut(referral?.hospital), HealthColumn.referralDate: cut(referral?.date, 20),
            HealthColumn.consent: cut(consent?.text, 10), HealthColumn.consentDate: cut(consentOn, 20)])
    }
}

struct HealthRegister {
    let request: Request
    var db: any Database { request.db }
    var cipher: PersonalDataCipher { request.appServices.cipher }
    var today: LocalDate { LocalDate(instant: request.now) }
    var days: Int { request.application.config.healthFollowUpDays }

    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    /// The caller may read what checks say in `org`'s subtree (403 without the permission, 404 outside).
    func requireContent(_ org: Organization) throws {
        try request.access.enforce(AccessPolicy.caseContent(by: try request.access.current.actor, category: .health, orgPath: org.path))
    }

    // MARK: Visits

    func visits(campaign: Campaign, org: Organization) async throws -> [HealthVisit] {
        let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
        return try await HealthVisit.query(on: db).filter(\.$campaignID == campaign.id!)
            .group(.or) { $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids) }.sort(\.$visitedOn, .descending).all()
    }

    func createVisit(_ form: HealthVisitForm) async throws -> HealthVisit {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await unit(form.orgId)
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: unit.path))
        var problems: [AppError.Problem] = []
        var collective = TextNormaliser.trim(form.collective ?? "")
        var collectiveOrg: UUID?
        if let id = form.collectiveOrgId {
            guard let org = try await Organization.find(id, on: db), org.kind == .provincialUnit else {
                throw AppError.invalid("请选择省有关单位", problems: [.init(field: "collectiveOrgId", message: "请选择省有关单位或填写集体名称")])
            }
            collectiveOrg = org.id
            if collective.isEmpty { collective = org.name }
        }
        if collective.isEmpty || collective.count > 60 { problems.append(.init(field: "collective", message: "请填写青年文明号集体名称（最多60个字）")) }
        let county = try await UUID(uuidString: form.countyId ?? "").asyncMap { try await Organization.find($0, on: db) } ?? nil
        if county?.kind != .county { problems.append(.init(field: "countyId", message: "请选择服务的县（市、区）")) }
        let village = TextNormaliser.trim(form.village ?? "")
        if village.isEmpty || village.count > 30 { problems.append(.init(field: "village", message: "请填写村（社区）名称（最多30个字）")) }
        let date = DateText.parse(String((form.visitedOn ?? "").prefix(20)))
        if date == nil || !(campaign.year...campaign.year + 1).contains(date!.year) || date! > today {
            problems.append(.init(field: "visitedOn", message: "服务日期应在\(campaign.year)至\(campaign.year + 1)年内，且不晚于今天"))
        }
        let services = TextNormaliser.trim(form.services ?? "")
        if services.count > 200 { problems.append(.init(field: "services", message: "服务内容最多200个字")) }
        guard problems.isEmpty, let county, let date else { throw AppError.invalid(problems.first?.message ?? "服务信息不完整", problems: problems) }
        let v = HealthVisit()
        v.campaignID = campaign.id!; v.orgID = unit.id!; v.collective = collective; v.collectiveOrgID = collectiveOrg
        v.countyID = county.id!; v.village = village; v.visitedOn = date.iso; v.services = services
        try await db.writeTransaction(lock: unit.id) { tx in try await v.create(on: tx) }
        request.auditDetail = "\(unit.name)登记健康直通车服务：\(collective)，\(county.name)\(village)"
        return v
    }

    func visit(_ id: UUID?) async throws -> (HealthVisit, Organization, canWrite: Bool) {
        try await request.access.record(HealthVisit.self, id, unit: \.orgID, what: "该次服务")
    }

    func checkSpec(_ visit: HealthVisit) -> HealthCheckSpec {
        HealthCheckSpec(visit: visit, today: today, cipher: cipher, days: days)
    }

    // MARK: Checks

    func checks(_ visit: HealthVisit) async throws -> [HealthCheck] {
        try await HealthCheck.query(on: db).filter(\.$visitID == visit.id!).sort(\.$name).all()
    }

    func createCheck(_ form: HealthCheckForm) async throws -> HealthCheck {
        let (visit, unit) = try await request.access.writableRecord(HealthVisit.self, form.visitId, unit: \.orgID, what: "该次服务")
        let spec = checkSpec(visit)
        var (entry, problems) = spec.validate(form.input)
        let sex = TextNormaliser.clean(form.person?.sex ?? "")
        if let e = entry, !sex.isEmpty, sex != e.id.sex.rawValue {
            problems.append(RowProblem(row: 1, column: HealthColumn.idNumber, message: "性别与身份证号不符，请核对"))
            entry = nil
        }
        guard let entry else { throw AppError.refusal(problems, fields: HealthCheckForm.fields) }
        let check = try spec.fill(nil, entry)
        let key = spec.key(entry)
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await HealthCheck.query(on: tx).filter(\.$visitID == visit.id!).filter(\.$idHash == key).first() != nil {
                throw AppError.conflict("此人本次服务已有检查记录")
            }
            try await check.create(on: tx)
        }
        request.auditDetail = "\(unit.name)记录健康检查：\(entry.name)（\(entry.id.masked)）"
        return check
    }

    struct Opened {
        let check: HealthCheck
        let measurements: HealthMeasurements
        let finding: String
        let referral: (hospital: String, date: String)
        let followUps: [(HealthFollowUp, note: String)]
    }

    /// What a check measured and found, its referral and follow-ups: with the permission only; audited.
    func open(_ id: UUID?) async throws -> Opened {
        let (check, unit, _) = try await request.access.record(HealthCheck.self, id, unit: \.orgID, what: "该检查记录")
        try requireContent(unit)
        await request.audit("sensitive.read", target: "查看健康检查记录", detail: "查看健康检查记录（\(check.idMasked)，\(unit.name)）")
        let measurements = (try? JSONDecoder().decode(HealthMeasurements.self, from: Data(try cipher.open(check.measurementsCipher).utf8))) ?? HealthMeasurements()
        let referral = try cipher.open(check.referralCipher).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let followUps = try await HealthFollowUp.query(on: db).filter(\.$checkID == check.id!).sort(\.$on).all()
        return Opened(check: check, measurements: measurements, finding: try cipher.open(check.findingCipher),
                      referral: (referral.first ?? "", referral.count > 1 ? referral[1] : ""),
                      followUps: try followUps.map { ($0, try cipher.open($0.noteCipher)) })
    }

    func addFollowUp(_ id: UUID?, on: String?, note: String?, closed: Bool) async throws -> HealthFollowUp {
        let (check, unit) = try await request.access.writableRecord(HealthCheck.self, id, unit: \.orgID, what: "该检查记录")
        guard check.hasFinding else { throw AppError.conflict("该检查没有发现问题，无需随访") }
        var problems: [AppError.Problem] = []
        let date = (on ?? "").isEmpty ? today : DateText.parse(String((on ?? "").prefix(20)))
        let checked = LocalDate(iso: check.checkedOn) ?? today
        if date == nil || date! < checked || date! > today {
            problems.append(.init(field: "date", message: "随访日期应在检查日期（\(check.checkedOn)）之后，且不晚于今天"))
        }
        let text = TextNormaliser.trim(note ?? "")
        if text.isEmpty || text.count > 500 { problems.append(.init(field: "note", message: "请填写随访情况（最多500字）")) }
        guard problems.isEmpty, let date else { throw AppError.invalid(problems.first?.message ?? "随访信息不完整", problems: problems) }
        let f = HealthFollowUp()
        f.checkID = check.id!; f.on = date.iso; f.noteCipher = try cipher.seal(text); f.closed = closed; f.createdBy = try request.access.current.user.id!
        let checkID = check.id!, days = days
        try await db.writeTransaction(lock: unit.id) { tx in
            guard let fresh = try await HealthCheck.find(checkID, on: tx) else { throw AppError.notFound("该检查记录") }
            if fresh.closed { throw AppError.conflict("该检查的随访已结束") }
            try await f.create(on: tx)
            let dates = try await HealthFollowUp.query(on: tx).filter(\.$checkID == checkID).all(\.$on).compactMap { LocalDate(iso: $0) }
            fresh.followUps = dates.count; fresh.closed = closed
            fresh.dueOn = HealthRules.due(checked: checked, followUps: dates, hasFinding: true, closed: closed, days: days)?.iso ?? ""
            try await fresh.update(on: tx)
        }
        request.auditDetail = "\(unit.name)记录健康随访（\(check.idMasked)\(closed ? "，结束随访" : "")）"
        return f
    }

    struct OverdueRow: Content { let id: UUID; let name: String; let idMasked: String; let countyId: UUID; let countyName: String; let checkedOn: String; let dueOn: String; let daysOverdue: Int }
    struct CountyCount: Content { let countyId: UUID; let countyName: String; let overdue: Int }
    struct Overdue: Content { let asOf: String; let byCounty: [CountyCount]; let items: [OverdueRow] }

    /// Checks whose follow-up is past due on `asOf`, by county; with the permission (an overdue finding is health
    /// data), audited.
    func overdue(campaign: Campaign, org: Organization, asOf: LocalDate) async throws -> Overdue {
        try requireContent(org)
        let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
        let rows = try await HealthCheck.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids)
            .filter(\.$dueOn != "").filter(\.$dueOn < asOf.iso).sort(\.$dueOn).all()
        let names = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ Array(Set(rows.map(\.countyID)))).all().map { ($0.id!, $0.name) })
        await request.audit("sensitive.read", target: "查看健康随访逾期名单", detail: "查看健康随访逾期名单（\(org.name)，\(rows.count)人）")
        let items = rows.map { c in
            OverdueRow(id: c.id!, name: c.name, idMasked: c.idMasked, countyId: c.countyID, countyName: names[c.countyID] ?? "", checkedOn: c.checkedOn,
                       dueOn: c.dueOn, daysOverdue: (LocalDate(iso: c.dueOn).map { asOf.dayNumber - $0.dayNumber }) ?? 0)
        }
        let byCounty = Dictionary(grouping: items, by: \.countyId).map { CountyCount(countyId: $0.key, countyName: names[$0.key] ?? "", overdue: $0.value.count) }
            .sorted { ($1.overdue, $0.countyName) < ($0.overdue, $1.countyName) }
        return Overdue(asOf: asOf.iso, byCounty: byCounty, items: items)
    }
}

extension Request {
    var health: HealthRegister { HealthRegister(request: self) }
}

/// A visit's checks on the shared import pipeline; the same ID number is the same person (updated).
struct HealthCheckSpec: RegisterSpec {
    let visit: HealthVisit
    let today: LocalDate
    let cipher: PersonalDataCipher
    let days: Int

    var columns: [ColumnSpec] { HealthColumn.specs }
    var subjectColumn: String { HealthColumn.name }
    var lock: UUID? { visit.orgID }
    var visitDate: LocalDate { LocalDate(iso: visit.visitedOn) ?? today }

    func validate(_ input: RegisterInput) -> (HealthCheckEntry?, [RowProblem]) { HealthRules.check(input, visitDate: visitDate, today: today) }
    func crossCheck(_ entries: [HealthCheckEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] { HealthRules.repeated(entries) }
    func stored(_ db: any Database) async throws -> [HealthCheck] { try await HealthCheck.query(on: db).filter(\.$visitID == visit.id!).all() }
    func key(_ e: HealthCheckEntry) -> String { cipher.lookupHash(e.id.value) }
    func key(_ c: HealthCheck) -> String { c.idHash }
    // The report names people by masked ID and says nothing of what was found.
    func describe(_ e: HealthCheckEntry) -> (name: String, detail: String) { ("\(e.name)（\(e.id.masked)）", "") }
    func describe(_ c: HealthCheck) -> (name: String, detail: String) { ("\(c.name)（\(c.idMasked)）", "") }
    func changes(_ c: HealthCheck, _ e: HealthCheckEntry) -> [String] {
        var out: [String] = []
        if c.name != e.name { out.append(HealthColumn.name) }
        if (try? cipher.open(c.measurementsCipher)) != measurementsJSON(e) { out.append("检查数据") }
        if (try? cipher.open(c.findingCipher)) != e.finding { out.append(HealthColumn.finding) }
        if (try? cipher.open(c.referralCipher)) != referral(e) { out.append("转诊") }
        if c.consentGiven != e.consent.given || c.consentOn != (e.consent.on?.iso ?? "") { out.append(HealthColumn.consent) }
        return out
    }
    func measurementsJSON(_ e: HealthCheckEntry) -> String {
        let encoder = JSONEncoder(); encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(e.measurements)) ?? Data(), as: UTF8.self)
    }
    func referral(_ e: HealthCheckEntry) -> String { e.referralHospital.isEmpty && e.referralDate == nil ? "" : "\(e.referralHospital)|\(e.referralDate?.iso ?? "")" }
    func fill(_ row: HealthCheck?, _ e: HealthCheckEntry) throws -> HealthCheck {
        let c = row ?? HealthCheck()
        if row == nil {
            c.visitID = visit.id!; c.campaignID = visit.campaignID; c.orgID = visit.orgID; c.countyID = visit.countyID
            c.idCipher = try cipher.seal(e.id.value); c.idHash = cipher.lookupHash(e.id.value); c.idMasked = e.id.masked
            c.closed = false; c.followUps = 0; c.checkedOn = visitDate.iso
        }
        c.name = e.name; c.sex = e.id.sex.rawValue; c.age = visitDate.years(since: e.id.birthDate)
        c.measurementsCipher = try cipher.seal(measurementsJSON(e)); c.hasFinding = e.hasFinding
        c.findingCipher = try cipher.seal(e.finding); c.referralCipher = try cipher.seal(referral(e))
        c.consentGiven = e.consent.given; c.consentOn = e.consent.on?.iso ?? ""
        // A re-imported check keeps the clock its follow-ups set; a new one starts it at the visit.
        if row == nil || row!.followUps == 0 || !e.hasFinding {
            c.dueOn = HealthRules.due(checked: visitDate, followUps: [], hasFinding: e.hasFinding, closed: c.closed, days: days)?.iso ?? ""
        }
        return c
    }
}
