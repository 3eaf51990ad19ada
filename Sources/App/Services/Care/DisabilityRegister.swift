// 阳光助残 一人一策: pairs, plans and reviews — the one place they are read and written. The list (who is paired,
// with whom, whether the plan and reviews are on time) follows the subtree rule; the disability, the plan and the
// reviews need `AccessPolicy.caseContent(.disability)` to be read or written, audited.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct DisabilityPairForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var idNumber: String?
    var category: String?
    var level: LooseText?
    var guardian: String?
    var guardianPhone: String?
    var organisation: String?
    var startedOn: String?
    var consent: LooseText?
    var consentOn: String?

    static let fields = [DisabilityColumn.name: "name", DisabilityColumn.idNumber: "idNumber", DisabilityColumn.category: "category",
                         DisabilityColumn.level: "level", DisabilityColumn.guardian: "guardian", DisabilityColumn.guardianPhone: "guardianPhone",
                         DisabilityColumn.organisation: "organisation", DisabilityColumn.startedOn: "startedOn"]
}

struct DisabilityPlanForm: Content { var goals: String?; var measures: String?; var responsible: String?; var nextReview: String? }
struct DisabilityReviewForm: Content { var date: String?; var progress: String?; var nextSteps: String?; var nextReview: String? }

struct DisabilityPlan: Codable, Sendable { var goals: String; var measures: String; var responsible: String; var nextReview: String }
struct DisabilityReviewContent: Codable, Sendable { var progress: String; var nextSteps: String }

struct DisabilityRegister {
    let request: Request
    var db: any Database { request.db }
    var cipher: PersonalDataCipher { request.appServices.cipher }
    var today: LocalDate { LocalDate(instant: request.now) }

    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    func pairs(campaign: Campaign, org: Organization) async throws -> [DisabilityPair] {
        let ids = try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
        return try await DisabilityPair.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids).sort(\.$startedOn).all()
    }

    func create(_ form: DisabilityPairForm) async throws -> DisabilityPair {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await unit(form.orgId)
        let actor = try request.access.current.actor
        try request.access.enforce(AccessPolicy.write(by: actor, orgPath: unit.path))
        // Recording the disability is reading it: the permission is needed to write it too.
        try request.access.enforce(AccessPolicy.caseContent(by: actor, category: .disability, orgPath: unit.path))
        func cut(_ s: String?, _ n: Int = 100) -> String { String((s ?? "").prefix(n)) }
        let (entry, problems) = DisabilityRules.pair(RegisterInput(row: 1, values: [
            DisabilityColumn.name: cut(form.name), DisabilityColumn.idNumber: cut(form.idNumber, 40), DisabilityColumn.category: cut(form.category, 20),
            DisabilityColumn.level: cut(form.level?.text, 20), DisabilityColumn.guardian: cut(form.guardian), DisabilityColumn.guardianPhone: cut(form.guardianPhone, 20),
            DisabilityColumn.organisation: cut(form.organisation), DisabilityColumn.startedOn: cut(form.startedOn, 20)]), year: campaign.year, today: today)
        guard let entry else { throw AppError.refusal(problems, fields: DisabilityPairForm.fields) }
        let consentGiven = ["是", "true", "1"].contains(form.consent?.text ?? "")
        let consentOn = DateText.parse(cut(form.consentOn, 20))
        if let c = consentOn, c > today { throw AppError.invalid("同意日期不能晚于今天", problems: [.init(field: "consentOn", message: "同意日期不能晚于今天")]) }
        let p = DisabilityPair()
        p.campaignID = campaign.id!; p.orgID = unit.id!; p.name = entry.name
        p.idCipher = try cipher.seal(entry.id.value); p.idHash = cipher.lookupHash(entry.id.value); p.idMasked = entry.id.masked
        p.age = entry.startedOn.years(since: entry.id.birthDate)
        p.disabilityCipher = try cipher.seal("\(entry.category.rawValue)|\(entry.level.rawValue)")
        p.guardian = entry.guardian; p.guardianPhoneCipher = try cipher.seal(entry.guardianPhone)
        p.guardianPhoneMasked = String(entry.guardianPhone.prefix(3)) + "****" + String(entry.guardianPhone.suffix(4))
        p.organisation = entry.organisation; p.startedOn = entry.startedOn.iso
        p.consentGiven = consentGiven; p.consentOn = consentGiven ? (consentOn?.iso ?? "") : ""
        p.planCipher = try cipher.seal(""); p.plannedOn = ""; p.reviews = 0; p.version = 0
        p.dueOn = DisabilityRules.planDue(paired: entry.startedOn, planned: nil)?.iso ?? ""
        let hash = p.idHash
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await DisabilityPair.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$idHash == hash).first() != nil {
                throw AppError.conflict("此人本年度已在本单位结对")
            }
            try await p.create(on: tx)
        }
        request.auditDetail = "\(unit.name)登记阳光助残结对：\(entry.name)（\(entry.id.masked)）"
        return p
    }

    /// A pair whose disability, plan and reviews the caller may read (and, with `write`, change).
    func pair(_ id: UUID?, write: Bool = false) async throws -> (DisabilityPair, Organization) {
        let (p, unit, _) = try await request.access.record(DisabilityPair.self, id, unit: \.orgID, what: "该结对")
        let actor = try request.access.current.actor
        try request.access.enforce(AccessPolicy.caseContent(by: actor, category: .disability, orgPath: unit.path))
        if write { try request.access.enforce(AccessPolicy.write(by: actor, orgPath: unit.path)) }
        return (p, unit)
    }

    struct Opened {
        let pair: DisabilityPair
        /// Nil once erased (`PersonalData`).
        let category: DisabilityCategory?
        let level: DisabilityLevel?
        let plan: DisabilityPlan?
        let reviews: [(DisabilityReview, DisabilityReviewContent)]
    }

    func open(_ id: UUID?) async throws -> Opened {
        let (p, unit) = try await pair(id)
        await request.audit("sensitive.read", target: "查看阳光助残结对", detail: "查看残疾信息及一人一策（\(p.idMasked)，\(unit.name)）")
        let parts = try cipher.open(p.disabilityCipher).split(separator: "|").map(String.init)
        let planText = try cipher.open(p.planCipher)
        let reviews = try await DisabilityReview.query(on: db).filter(\.$pairID == p.id!).sort(\.$on).all()
        return Opened(pair: p, category: parts.count == 2 ? DisabilityCategory(rawValue: parts[0]) : nil,
                      level: parts.count == 2 ? Int(parts[1]).flatMap(DisabilityLevel.init(rawValue:)) : nil,
                      plan: planText.isEmpty ? nil : try? JSONDecoder().decode(DisabilityPlan.self, from: Data(planText.utf8)),
                      reviews: reviews.map { ($0, (try? JSONDecoder().decode(DisabilityReviewContent.self, from: Data(try cipher.open($0.contentCipher).utf8)))
                                                    ?? DisabilityReviewContent(progress: "", nextSteps: "")) })
    }

    private func text(_ value: String?, _ field: String, _ label: String, limit: Int, into problems: inout [AppError.Problem]) -> String {
        let t = TextNormaliser.trim(value ?? "")
        if t.isEmpty || t.count > limit { problems.append(.init(field: field, message: "请填写\(label)（最多\(limit)字）")) }
        return t
    }

    /// The next review: after `from`, at most 90 days on.
    private func nextReview(_ value: String?, from: LocalDate, into problems: inout [AppError.Problem]) -> LocalDate? {
        let d = DateText.parse(String((value ?? "").prefix(20)))
        guard let d, d > from, d.dayNumber - from.dayNumber <= DisabilityRules.reviewEveryDays else {
            problems.append(.init(field: "nextReview", message: "下次评估日期应在\(from.iso)之后的\(DisabilityRules.reviewEveryDays)天内"))
            return nil
        }
        return d
    }

    /// The plan (一人一策): set or replaced; the first plan's date starts the review clock.
    func setPlan(_ id: UUID?, _ form: DisabilityPlanForm) async throws -> DisabilityPair {
        let (p, unit) = try await pair(id, write: true)
        var problems: [AppError.Problem] = []
        let goals = text(form.goals, "goals", "帮扶目标", limit: 500, into: &problems)
        let measures = text(form.measures, "measures", "帮扶措施", limit: 1_000, into: &problems)
        let responsible = text(form.responsible, "responsible", "责任人", limit: 60, into: &problems)
        let planned = LocalDate(iso: p.plannedOn) ?? today
        let next = nextReview(form.nextReview, from: today, into: &problems)
        guard problems.isEmpty, let next else { throw AppError.invalid(problems[0].message, problems: problems) }
        let sealed = try cipher.seal(String(decoding: try JSONEncoder().encode(DisabilityPlan(goals: goals, measures: measures, responsible: responsible, nextReview: next.iso)), as: UTF8.self))
        let pairID = p.id!
        let saved = try await db.writeTransaction(lock: unit.id) { tx in
            guard let fresh = try await DisabilityPair.find(pairID, on: tx) else { throw AppError.notFound("该结对") }
            fresh.planCipher = sealed
            if fresh.plannedOn.isEmpty { fresh.plannedOn = planned.iso }
            let reviews = try await DisabilityReview.query(on: tx).filter(\.$pairID == pairID).all(\.$on).compactMap { LocalDate(iso: $0) }
            fresh.dueOn = DisabilityRules.status(paired: LocalDate(iso: fresh.startedOn)!, planned: LocalDate(iso: fresh.plannedOn), reviews: reviews, asOf: planned).due?.iso ?? ""
            fresh.version += 1
            try await fresh.update(on: tx)
            return fresh
        }
        request.auditDetail = "\(unit.name)制定一人一策（\(p.idMasked)）"
        return saved
    }

    func addReview(_ id: UUID?, _ form: DisabilityReviewForm) async throws -> DisabilityReview {
        let (p, unit) = try await pair(id, write: true)
        guard let planned = LocalDate(iso: p.plannedOn) else { throw AppError.conflict("请先制定一人一策，再记录评估") }
        var problems: [AppError.Problem] = []
        let date = (form.date ?? "").isEmpty ? today : DateText.parse(String((form.date ?? "").prefix(20)))
        if date == nil || date! < planned || date! > today {
            problems.append(.init(field: "date", message: "评估日期应在制定计划（\(planned.iso)）之后，且不晚于今天"))
        }
        let progress = text(form.progress, "progress", "进展情况", limit: 1_000, into: &problems)
        let nextSteps = text(form.nextSteps, "nextSteps", "下一步措施", limit: 1_000, into: &problems)
        let next = nextReview(form.nextReview, from: date ?? today, into: &problems)
        guard problems.isEmpty, let date, let next else { throw AppError.invalid(problems[0].message, problems: problems) }
        let r = DisabilityReview()
        r.pairID = p.id!; r.on = date.iso; r.nextReview = next.iso; r.createdBy = try request.access.current.user.id!
        r.contentCipher = try cipher.seal(String(decoding: try JSONEncoder().encode(DisabilityReviewContent(progress: progress, nextSteps: nextSteps)), as: UTF8.self))
        let pairID = p.id!
        try await db.writeTransaction(lock: unit.id) { tx in
            guard let fresh = try await DisabilityPair.find(pairID, on: tx) else { throw AppError.notFound("该结对") }
            try await r.create(on: tx)
            let reviews = try await DisabilityReview.query(on: tx).filter(\.$pairID == pairID).all(\.$on).compactMap { LocalDate(iso: $0) }
            fresh.reviews = reviews.count
            fresh.dueOn = DisabilityRules.reviewDue(planned: planned, reviews: reviews)?.iso ?? ""
            fresh.version += 1
            try await fresh.update(on: tx)
        }
        request.auditDetail = "\(unit.name)记录一人一策评估（\(p.idMasked)）"
        return r
    }
}

extension Request {
    var disability: DisabilityRegister { DisabilityRegister(request: self) }
}
