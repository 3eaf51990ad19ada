// 低收入家庭就业帮扶: the one place cadres, graduates, guidance and recommended positions are written and read.
// A university keeps its own; the province, its city and above read them (the university's subtree rule).
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct CadreForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var position: String?
    var userId: UUID?
    static let fields = [CadreColumn.name: "name", CadreColumn.position: "position"]
}

struct GraduateForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var cadreId: UUID?
    var name: String?
    var idNumber: String?
    var major: String?
    var graduation: String?
    var hardship: String?
    static let fields = [GraduateColumn.name: "name", GraduateColumn.idNumber: "idNumber", GraduateColumn.major: "major",
                         GraduateColumn.graduation: "graduation", GraduateColumn.hardship: "hardship", GraduateColumn.cadre: "cadreId"]
}

struct JobForm: Content {
    var employer: String?
    var position: String?
    var city: String?
    var recommendedOn: String?
    var outcome: String?
    static let fields = [JobColumn.employer: "employer", JobColumn.position: "position", JobColumn.city: "city",
                         JobColumn.recommendedOn: "recommendedOn", JobColumn.outcome: "outcome"]
}

struct GuidanceForm: Content {
    var on: String?
    var mode: String?
    var note: String?
    static let fields = [GuidanceColumn.on: "on", GuidanceColumn.mode: "mode", GuidanceColumn.note: "note"]
}

struct EmploymentRegister {
    let request: Request
    var db: any Database { request.db }
    var today: LocalDate { LocalDate(instant: request.now) }

    /// The unit whose register the caller reads (its own by default).
    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    /// The university whose register the caller keeps: its own, or the one an office above names.
    func writableUniversity(_ orgID: UUID?) async throws -> Organization {
        let org = try await unit(orgID)
        guard org.kind == .university else {
            throw AppError.invalid("就业帮扶由高校团委登记，请选择高校", problems: [.init(field: "orgId", message: "请选择高校")])
        }
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: org.path))
        return org
    }

    /// The universities in `org`'s subtree.
    func universities(under org: Organization) async throws -> [Organization] {
        try await Organization.query(on: db).filter(\.$path =~ org.path).filter(\.$kind == .university).sort(\.$name).all()
    }

    func cadres(campaign: Campaign, in ids: [UUID]) async throws -> [EmploymentCadre] {
        try await EmploymentCadre.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids).sort(\.$name).all()
    }

    func graduates(campaign: Campaign, in ids: [UUID]) async throws -> [EmploymentGraduate] {
        try await EmploymentGraduate.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids).sort(\.$name).all()
    }

    func jobs(campaign: Campaign, in ids: [UUID]) async throws -> [JobRecommendation] {
        try await JobRecommendation.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids).sort(\.$recommendedOn).all()
    }

    // MARK: Cadres

    func createCadre(_ form: CadreForm) async throws -> EmploymentCadre {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUniversity(form.orgId)
        let (entry, problems) = EmploymentRules.cadre(RegisterInput(row: 1, values: [CadreColumn.name: form.name ?? "", CadreColumn.position: form.position ?? ""]))
        guard let entry else { throw AppError.refusal(problems, fields: CadreForm.fields) }
        if let userID = form.userId {
            guard let user = try await User.find(userID, on: db), user.orgID == unit.id else {
                throw AppError.invalid("关联账户不是本校的用户", problems: [.init(field: "userId", message: "请选择本校的用户账户")])
            }
        }
        let cadre = try await db.writeTransaction(lock: unit.id) { tx in
            if try await EmploymentCadre.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$name == entry.name).first() != nil {
                throw AppError.conflict("本校已有团干部“\(entry.name)”")
            }
            let c = EmploymentCadre()
            c.campaignID = campaign.id!; c.orgID = unit.id!; c.name = entry.name; c.position = entry.position; c.userID = form.userId
            try await c.create(on: tx)
            return c
        }
        request.auditDetail = "\(unit.name)添加就业帮扶团干部：\(entry.name)"
        return cadre
    }

    /// A cadre the caller may change; 404 outside its view.
    func writableCadre(_ id: UUID?) async throws -> (EmploymentCadre, Organization) {
        try await request.access.writableRecord(EmploymentCadre.self, id, unit: \.orgID, what: "该团干部")
    }

    /// Only a cadre without graduates goes: theirs must be given to another cadre first.
    func deleteCadre(_ id: UUID?) async throws {
        let (cadre, unit) = try await writableCadre(id)
        try await db.writeTransaction(lock: unit.id) { tx in
            guard try await EmploymentGraduate.query(on: tx).filter(\.$cadreID == cadre.id!).count() == 0 else {
                throw AppError.conflict("团干部“\(cadre.name)”仍有结对毕业生，请先删除或改由其他团干部帮扶")
            }
            try await cadre.delete(on: tx)
        }
        request.auditDetail = "\(unit.name)删除就业帮扶团干部：\(cadre.name)"
    }

    // MARK: Graduates

    func createGraduate(_ form: GraduateForm) async throws -> EmploymentGraduate {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUniversity(form.orgId)
        let spec = try await graduateSpec(campaign, unit)
        let cadreName = form.cadreId.flatMap { id in spec.cadres.first { $0.value.id == id }?.key } ?? ""
        let (entry, problems) = spec.validate(RegisterInput(row: 1, values: [
            GraduateColumn.name: form.name ?? "", GraduateColumn.idNumber: form.idNumber ?? "", GraduateColumn.major: form.major ?? "",
            GraduateColumn.graduation: form.graduation ?? "", GraduateColumn.hardship: form.hardship ?? "",
            GraduateColumn.cadre: form.cadreId == nil ? "" : (cadreName.isEmpty ? "（未知）" : cadreName)]))
        guard let entry else { throw AppError.refusal(problems, fields: GraduateForm.fields) }
        let graduate = try await db.writeTransaction(lock: unit.id) { tx in
            let cadre = spec.cadres[entry.cadre]!
            if let message = EmploymentRules.refuseAnother(cadre: cadre.name, has: try await EmploymentGraduate.query(on: tx).filter(\.$cadreID == cadre.id!).count()) {
                throw AppError.conflict(message)
            }
            if let other = try await EmploymentGraduate.query(on: tx).filter(\.$campaignID == campaign.id!)
                .filter(\.$idHash == spec.cipher.lookupHash(entry.id.value)).first() {
                // Another university's pairing is not named: the graduate's situation is theirs to keep.
                throw AppError.conflict(other.orgID == unit.id ? "该毕业生已在本校登记" : "该毕业生本年度已由其他高校结对帮扶，不能重复结对")
            }
            let g = try spec.fill(nil, entry)
            try await g.create(on: tx)
            return g
        }
        request.auditDetail = "\(unit.name)登记就业帮扶毕业生：\(entry.name)（\(entry.id.masked)）"
        return graduate
    }

    /// A graduate the caller reads (404 outside its view) and whether it may change it.
    func graduate(_ id: UUID?) async throws -> (EmploymentGraduate, Organization, canWrite: Bool) {
        try await request.access.record(EmploymentGraduate.self, id, unit: \.orgID, what: "该毕业生")
    }

    func writableGraduate(_ id: UUID?) async throws -> (EmploymentGraduate, Organization) {
        try await request.access.writableRecord(EmploymentGraduate.self, id, unit: \.orgID, what: "该毕业生")
    }

    func deleteGraduate(_ id: UUID?) async throws {
        let (g, unit) = try await writableGraduate(id)
        try await db.writeTransaction(lock: unit.id) { tx in try await g.delete(on: tx) }
        request.auditDetail = "\(unit.name)删除就业帮扶毕业生：\(g.name)（\(g.idMasked)）"
    }

    /// The full ID number and the hardship category, for a user with the sensitive-data permission; audited.
    func reveal(_ id: UUID?) async throws -> (EmploymentGraduate, idNumber: String, hardship: HardshipCategory) {
        let (g, unit, _) = try await graduate(id)
        try request.roster.requireSensitive()
        await request.audit("sensitive.reveal", target: "查看毕业生身份证号及家庭困难类别",
                            detail: "查看完整身份证号及家庭困难类别（毕业生\(g.idMasked)，\(unit.name)）")
        let cipher = request.appServices.cipher
        return (g, try cipher.open(g.idCipher), HardshipCategory(rawValue: try cipher.open(g.hardshipCipher)) ?? .other)
    }

    func graduateSpec(_ campaign: Campaign, _ unit: Organization) async throws -> GraduateSpec {
        let cadres = try await EmploymentCadre.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).all()
        return GraduateSpec(campaign: campaign, unit: unit, today: today, cipher: request.appServices.cipher,
                            cadres: Dictionary(cadres.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }))
    }

    // MARK: Guidance and positions

    func addGuidance(_ graduateID: UUID?, _ form: GuidanceForm) async throws -> EmploymentGuidance {
        let (g, unit) = try await writableGraduate(graduateID)
        let year = try await Campaign.find(g.campaignID, on: db)?.year ?? 0
        let (entry, problems) = EmploymentRules.guidance(RegisterInput(row: 1, values: [
            GuidanceColumn.on: form.on ?? "", GuidanceColumn.mode: form.mode ?? "", GuidanceColumn.note: form.note ?? ""]), year: year, today: today)
        guard let entry else { throw AppError.refusal(problems, fields: GuidanceForm.fields) }
        let guidance = EmploymentGuidance()
        guidance.graduateID = g.id!; guidance.campaignID = g.campaignID; guidance.orgID = g.orgID
        guidance.givenOn = entry.on.iso; guidance.mode = entry.mode.rawValue; guidance.note = entry.note
        try await db.writeTransaction(lock: unit.id) { tx in try await guidance.create(on: tx) }
        request.auditDetail = "\(unit.name)记录就业指导：\(g.name)（\(entry.on.iso)，\(entry.mode.label)）"
        return guidance
    }

    func addJob(_ graduateID: UUID?, _ form: JobForm) async throws -> JobRecommendation {
        let (g, unit) = try await writableGraduate(graduateID)
        let year = try await Campaign.find(g.campaignID, on: db)?.year ?? 0
        let (entry, problems) = EmploymentRules.job(RegisterInput(row: 1, values: [
            JobColumn.employer: form.employer ?? "", JobColumn.position: form.position ?? "", JobColumn.city: form.city ?? "",
            JobColumn.recommendedOn: form.recommendedOn ?? "", JobColumn.outcome: form.outcome ?? ""]), year: year, today: today)
        guard let entry else { throw AppError.refusal(problems, fields: JobForm.fields) }
        let job = JobRecommendation()
        job.graduateID = g.id!; job.campaignID = g.campaignID; job.orgID = g.orgID
        job.employer = entry.employer; job.position = entry.position; job.city = entry.city; job.recommendedOn = entry.recommendedOn.iso
        job.outcome = entry.outcome.rawValue; job.outcomeOn = entry.recommendedOn.iso; job.version = 0
        job.history = JobOutcome.recommended.rawValue + ":" + entry.recommendedOn.iso
            + (entry.outcome == .recommended ? "" : "," + entry.outcome.rawValue + ":" + entry.recommendedOn.iso)
        try await db.writeTransaction(lock: unit.id) { tx in try await job.create(on: tx) }
        request.auditDetail = "\(unit.name)为\(g.name)推荐岗位：\(entry.employer) \(entry.position)"
        return job
    }

    /// A recommendation moves one step at a time; two changes sent at once are applied in turn, the second checked
    /// against what the first left (so a double click cannot record "hired" twice).
    func changeJob(_ id: UUID?, outcome: String?, on: String?) async throws -> JobRecommendation {
        let (_, unit) = try await request.access.writableRecord(JobRecommendation.self, id, unit: \.orgID, what: "该岗位推荐")
        guard let id, let next = JobOutcome(text: outcome ?? "") else {
            throw AppError.invalid("进展应为\(JobOutcome.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一", problems: [.init(field: "outcome", message: "请选择进展")])
        }
        let date: LocalDate
        if let on, !on.isEmpty {
            guard let d = DateText.parse(on), (2000...2100).contains(d.year) else {
                throw AppError.invalid("日期“\(on)”无法识别，请写成 2027-05-01", problems: [.init(field: "on", message: "请写成 2027-05-01")])
            }
            date = d
        } else { date = today }
        let today = today
        let job = try await db.writeTransaction(lock: unit.id) { tx in
            guard let job = try await JobRecommendation.find(id, on: tx) else { throw AppError.notFound("该岗位推荐") }
            let last = LocalDate(iso: job.outcomeOn) ?? date
            if let message = EmploymentRules.change(from: job.jobOutcome, lastChange: last, to: next, on: date, today: today) {
                throw job.jobOutcome.isFinal || next == job.jobOutcome ? AppError.conflict(message)
                    : AppError.invalid(message, problems: [.init(field: next <= job.jobOutcome ? "outcome" : "on", message: message)])
            }
            job.outcome = next.rawValue; job.outcomeOn = date.iso; job.history += "," + next.rawValue + ":" + date.iso; job.version += 1
            try await job.update(on: tx)
            return job
        }
        request.auditDetail = "\(unit.name)更新岗位推荐进展：\(job.employer) \(job.position) → \(next.label)"
        return job
    }

    func deleteJob(_ id: UUID?) async throws -> UUID {
        let (job, unit) = try await request.access.writableRecord(JobRecommendation.self, id, unit: \.orgID, what: "该岗位推荐")
        try await db.writeTransaction(lock: unit.id) { tx in try await job.delete(on: tx) }
        request.auditDetail = "\(unit.name)删除岗位推荐：\(job.employer) \(job.position)"
        return job.graduateID
    }
}

extension Request {
    var employment: EmploymentRegister { EmploymentRegister(request: self) }
}

/// A university's graduates on the shared import pipeline; the same ID number is the same graduate.
struct GraduateSpec: RegisterSpec {
    let campaign: Campaign
    let unit: Organization
    let today: LocalDate
    let cipher: PersonalDataCipher
    /// The university's cadres by name.
    let cadres: [String: EmploymentCadre]

    var columns: [ColumnSpec] { GraduateColumn.specs }
    var subjectColumn: String { GraduateColumn.name }
    var lock: UUID? { unit.id }

    func validate(_ input: RegisterInput) -> (GraduateEntry?, [RowProblem]) {
        let (entry, problems) = EmploymentRules.graduate(input, year: campaign.year, today: today)
        let cadre = input.plain(GraduateColumn.cadre)
        if !cadre.isEmpty && cadres[cadre] == nil {
            let names = cadres.keys.sorted().prefix(10).joined(separator: "、")
            return (nil, problems + [RowProblem(row: input.row, column: GraduateColumn.cadre,
                message: "“\(cadre)”不在本校就业帮扶团干部名单中" + (names.isEmpty ? "，请先在页面上添加团干部" : "（现有：\(names)），请先添加或改正姓名"))])
        }
        return (entry, problems)
    }

    func stored(_ db: any Database) async throws -> [EmploymentGraduate] {
        try await EmploymentGraduate.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).all()
    }

    /// The same graduate twice in the file, a cadre given more than five, a graduate another university helps.
    func crossCheck(_ entries: [GraduateEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        var problems = EmploymentRules.repeatedGraduates(entries)
        let names = Dictionary(cadres.values.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        var kept: [String: Int] = [:]
        for g in try await stored(db) where !replacing.contains(g.id!) { if let n = names[g.cadreID] { kept[n, default: 0] += 1 } }
        problems += EmploymentRules.overloadedCadres(entries, kept: kept)
        let hashes = Array(Set(entries.map { cipher.lookupHash($0.id.value) }))
        var elsewhere = Set<String>()
        for chunk in hashes.chunked(into: 500) {
            for g in try await EmploymentGraduate.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$idHash ~~ Array(chunk))
                .filter(\.$orgID != unit.id!).all() { elsewhere.insert(g.idHash) }
        }
        for e in entries where elsewhere.contains(cipher.lookupHash(e.id.value)) {
            problems.append(RowProblem(row: e.row, column: GraduateColumn.idNumber, message: "该毕业生本年度已由其他高校结对帮扶，不能重复结对"))
        }
        return problems
    }

    func key(_ e: GraduateEntry) -> String { cipher.lookupHash(e.id.value) }
    func key(_ g: EmploymentGraduate) -> String { g.idHash }
    func describe(_ e: GraduateEntry) -> (name: String, detail: String) { ("\(e.name)（\(e.id.masked)）", "\(e.major)，团干部\(e.cadre)") }
    func describe(_ g: EmploymentGraduate) -> (name: String, detail: String) { ("\(g.name)（\(g.idMasked)）", g.major) }
    func changes(_ g: EmploymentGraduate, _ e: GraduateEntry) -> [String] {
        var out: [String] = []
        if g.name != e.name { out.append(GraduateColumn.name) }
        if g.major != e.major { out.append(GraduateColumn.major) }
        if g.graduation != e.graduation { out.append(GraduateColumn.graduation) }
        if g.cadreID != cadres[e.cadre]?.id { out.append(GraduateColumn.cadre) }
        if (try? cipher.open(g.hardshipCipher)) != e.hardship.rawValue { out.append(GraduateColumn.hardship) }
        return out
    }
    func fill(_ row: EmploymentGraduate?, _ e: GraduateEntry) throws -> EmploymentGraduate {
        let g = row ?? EmploymentGraduate()
        if row == nil {
            g.campaignID = campaign.id!; g.orgID = unit.id!
            g.idCipher = try cipher.seal(e.id.value); g.idHash = cipher.lookupHash(e.id.value); g.idMasked = e.id.masked
        }
        g.cadreID = cadres[e.cadre]!.id!
        g.name = e.name; g.major = e.major; g.graduation = e.graduation
        g.hardshipCipher = try cipher.seal(e.hardship.rawValue)
        return g
    }
}
