// 12355 cases: the one place they are read and written. Only counsellors with the sensitive-data permission, in
// the holding unit's subtree, reach a case (`AccessPolicy.caseContent`); every read of what cases say is audited,
// and the audit names the case by its id and risk, never by what it says. Everyone else has `HotlineStats`.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct HotlineCaseForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var receivedAt: String?
    var channel: String?
    var name: String?
    var age: LooseText?
    var sex: String?
    var countyId: String?
    var category: String?
    var risk: String?
    var needsOffline: LooseText?
    var summary: String?

    static let fields = [HotlineColumn.receivedAt: "receivedAt", HotlineColumn.channel: "channel", HotlineColumn.name: "name",
                         HotlineColumn.age: "age", HotlineColumn.sex: "sex", HotlineColumn.county: "countyId",
                         HotlineColumn.category: "category", HotlineColumn.risk: "risk", HotlineColumn.needsOffline: "needsOffline",
                         HotlineColumn.summary: "summary"]
}

struct HotlineFollowUpForm: Content {
    var at: String?
    var counsellor: String?
    var mode: String?
    var note: String?
}

struct HotlineRegister {
    let request: Request
    var db: any Database { request.db }
    var cipher: PersonalDataCipher { request.appServices.cipher }

    /// The caller as a counsellor who may read 12355 cases at `orgPath` (403 for any other role, whatever the id).
    func requireCounsellor(orgPath: String? = nil) throws -> CurrentUser {
        let me = try request.access.current
        try request.access.enforce(AccessPolicy.caseContent(by: me.actor, category: .hotline, orgPath: orgPath ?? me.org.path))
        return me
    }

    /// One case the caller may read: 403 for a wrong role (checked first), 404 outside its subtree or unknown.
    func find(_ id: UUID?) async throws -> (HotlineCase, Organization) {
        _ = try requireCounsellor()
        guard let id, let c = try await HotlineCase.find(id, on: db), let org = try? await request.access.organization(c.orgID) else {
            throw AppError.notFound("该个案")
        }
        _ = try requireCounsellor(orgPath: org.path)
        return (c, org)
    }

    func create(_ form: HotlineCaseForm) async throws -> HotlineCase {
        let me = try requireCounsellor()
        let unit = try await form.orgId.asyncMap { try await request.access.organization($0) } ?? me.org
        let campaign = try await request.access.campaign(form.campaign)
        var county = form.countyId ?? ""
        if let id = UUID(uuidString: county) {
            county = try await Organization.find(id, on: db).flatMap { $0.kind == .county ? $0.code : nil } ?? "（无效）"
        }
        let input = RegisterInput(row: 1, values: [
            HotlineColumn.receivedAt: String((form.receivedAt ?? "").prefix(40)), HotlineColumn.channel: form.channel ?? "",
            HotlineColumn.name: form.name ?? "", HotlineColumn.age: String((form.age?.text ?? "").prefix(12)), HotlineColumn.sex: form.sex ?? "",
            HotlineColumn.county: String(county.prefix(40)), HotlineColumn.category: form.category ?? "", HotlineColumn.risk: form.risk ?? "",
            HotlineColumn.needsOffline: String((form.needsOffline?.text ?? "").prefix(12)), HotlineColumn.summary: form.summary ?? ""])
        let (entry, problems) = HotlineRules.entry(input, counties: CountyMatcher(try await RosterPolicyLoader.counties(db: db)), now: request.now)
        guard let entry, let countyID = UUID(uuidString: entry.county.key), let countyOrg = try await Organization.find(countyID, on: db),
              let cityID = countyOrg.parentID else {
            throw AppError.refusal(problems, fields: HotlineCaseForm.fields)
        }
        let c = HotlineCase()
        c.campaignID = campaign.id!; c.orgID = unit.id!; c.countyID = countyID; c.cityID = cityID
        c.receivedAt = entry.receivedAt; c.channel = entry.channel.rawValue; c.nameCipher = try cipher.seal(entry.name)
        c.age = entry.age; c.sex = entry.sex; c.category = entry.category.rawValue; c.risk = entry.risk.rawValue
        c.needsOffline = entry.needsOffline; c.summaryCipher = try cipher.seal(entry.summary); c.outcomeCipher = try cipher.seal("")
        c.dueAt = HotlineRules.due(receivedAt: entry.receivedAt, risk: entry.risk, needsOffline: entry.needsOffline, followUps: [], closed: false)
        c.followUps = 0; c.createdBy = me.user.id!
        // The same case sent twice at once (a double click) is one case: same counsellor, moment and summary.
        c.fingerprint = cipher.lookupHash("\(me.user.id!)|\(Int(entry.receivedAt.timeIntervalSince1970))|\(entry.summary)")
        let fingerprint = c.fingerprint
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await HotlineCase.query(on: tx).filter(\.$fingerprint == fingerprint).first() != nil {
                throw AppError.conflict("该个案已登记（同一受理时间和摘要），请勿重复提交")
            }
            try await c.create(on: tx)
        }
        request.auditDetail = "登记12355个案（\(entry.risk.label)\(entry.needsOffline ? "，需线下帮扶" : "")）"
        return c
    }

    /// The cases of the caller's subtree (what the counts need, not what the cases say), overdue first; audited.
    func list(campaign: Campaign) async throws -> [HotlineCase] {
        let me = try requireCounsellor()
        let ids = try await request.access.visibleOrganizations().all(\.$id)
        let cases = try await HotlineCase.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ ids)
            .sort(\.$receivedAt, .descending).all()
        await request.audit("sensitive.read", target: "查看12355个案列表", detail: "查看\(me.org.name)12355个案列表（\(cases.count)件）")
        return cases
    }

    struct Opened {
        let record: HotlineCase
        let name: String
        let summary: String
        let outcome: String
        let followUps: [(HotlineFollowUp, note: String)]
    }

    /// One case with what it says; audited.
    func open(_ id: UUID?) async throws -> Opened {
        let (c, org) = try await find(id)
        let followUps = try await HotlineFollowUp.query(on: db).filter(\.$caseID == c.id!).sort(\.$at).all()
        await request.audit("sensitive.read", target: "查看12355个案", detail: "查看12355个案 \(c.id!.uuidString.prefix(8))（\(c.hotlineRisk.label)，\(org.name)）")
        return Opened(record: c, name: try cipher.open(c.nameCipher), summary: try cipher.open(c.summaryCipher), outcome: try cipher.open(c.outcomeCipher),
                      followUps: try followUps.map { ($0, try cipher.open($0.noteCipher)) })
    }

    func addFollowUp(_ id: UUID?, _ form: HotlineFollowUpForm) async throws -> HotlineFollowUp {
        let (c, org) = try await find(id)
        let me = try request.access.current
        let now = request.now
        var problems: [AppError.Problem] = []
        let atText = TextNormaliser.clean(form.at ?? "")
        let at = atText.isEmpty ? now : DateTimeText.parse(String(atText.prefix(40)))
        if at == nil { problems.append(.init(field: "at", message: "回访时间“\(atText.prefix(40))”无法识别，请写成 2026-11-30 14:20")) }
        else if let at, at > now.addingTimeInterval(300) || at < c.receivedAt {
            problems.append(.init(field: "at", message: "回访时间应在受理时间（\(DateTimeText.text(c.receivedAt))）之后，且不晚于现在"))
        }
        let mode = FollowUpMode(text: form.mode ?? "")
        if mode == nil { problems.append(.init(field: "mode", message: "回访方式请选择\(FollowUpMode.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一")) }
        let note = TextNormaliser.trim(form.note ?? "")
        if note.isEmpty || note.count > HotlineRules.summaryLimit { problems.append(.init(field: "note", message: "请填写回访情况（最多\(HotlineRules.summaryLimit)字）")) }
        let counsellor = TextNormaliser.trim(form.counsellor ?? "").isEmpty ? me.user.displayName : TextNormaliser.trim(form.counsellor ?? "")
        if counsellor.count > 30 { problems.append(.init(field: "counsellor", message: "回访人姓名过长（最多30个字）")) }
        guard problems.isEmpty, let at, let mode else { throw AppError.invalid(problems.first?.message ?? "回访信息不完整", problems: problems) }
        let f = HotlineFollowUp()
        f.caseID = c.id!; f.at = at; f.counsellor = counsellor; f.mode = mode.rawValue; f.noteCipher = try cipher.seal(note); f.createdBy = me.user.id!
        let caseID = c.id!
        try await db.writeTransaction(lock: org.id) { tx in
            guard let fresh = try await HotlineCase.find(caseID, on: tx) else { throw AppError.notFound("该个案") }
            if fresh.closedAt != nil { throw AppError.conflict("该个案已结案，不能再添加回访") }
            try await f.create(on: tx)
            let dates = try await HotlineFollowUp.query(on: tx).filter(\.$caseID == caseID).all(\.$at)
            fresh.followUps = dates.count
            fresh.dueAt = HotlineRules.due(receivedAt: fresh.receivedAt, risk: fresh.hotlineRisk, needsOffline: fresh.needsOffline, followUps: dates, closed: false)
            try await fresh.update(on: tx)
        }
        request.auditDetail = "记录12355个案回访（\(mode.label)）"
        return f
    }

    func close(_ id: UUID?, outcome: String?) async throws -> HotlineCase {
        let (c, org) = try await find(id)
        let text = TextNormaliser.trim(outcome ?? "")
        guard !text.isEmpty, text.count <= HotlineRules.summaryLimit else {
            throw AppError.invalid("请填写结案情况（最多\(HotlineRules.summaryLimit)字）", problems: [.init(field: "outcome", message: "请填写结案情况")])
        }
        let sealed = try cipher.seal(text), now = request.now, caseID = c.id!
        let closed = try await db.writeTransaction(lock: org.id) { tx in
            guard let fresh = try await HotlineCase.find(caseID, on: tx) else { throw AppError.notFound("该个案") }
            if fresh.closedAt != nil { throw AppError.conflict("该个案已结案") }
            fresh.closedAt = now; fresh.outcomeCipher = sealed; fresh.dueAt = nil
            try await fresh.update(on: tx)
            return fresh
        }
        request.auditDetail = "12355个案结案（\(c.hotlineRisk.label)）"
        return closed
    }
}

extension Request {
    var hotline: HotlineRegister { HotlineRegister(request: self) }
}
