// 成长陪伴: camps (participants imported, consent gaps counted) and the three kinds of match with their dated
// contacts — the one place they are written. All follow the subtree rule; children's ID numbers are sealed and
// masked like the roster's, and a contact's note is sealed.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct CampForm: Content {
    var campaign: Int?; var orgId: UUID?; var kind: String?; var title: String?; var place: String?; var startDate: String?; var endDate: String?
}

/// One form for the three kinds: a letter pair names `childName`/`childIdNumber` and `writer` (`writerKind`),
/// a family match `family` and the child, a 手拉手 pair `urban` and `rural`.
struct MatchForm: Content {
    var campaign: Int?; var orgId: UUID?
    var childName: String?; var childIdNumber: String?; var consent: LooseText?; var consentOn: String?
    var writer: String?; var writerKind: String?; var family: String?; var urban: String?; var rural: String?
    var startedOn: String?
}

struct ContactForm: Content { var direction: String?; var on: String?; var note: String?; var title: String? }

struct CompanionRegister {
    let request: Request
    var db: any Database { request.db }
    var cipher: PersonalDataCipher { request.appServices.cipher }
    var today: LocalDate { LocalDate(instant: request.now) }

    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    func writableUnit(_ orgID: UUID?) async throws -> Organization { try await request.access.writableUnit(orgID) }

    func subtree(_ org: Organization) async throws -> [UUID] { try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id) }

    func date(_ text: String?, _ field: String, _ label: String, year: Int, into problems: inout [AppError.Problem]) -> LocalDate? {
        guard let d = DateText.parse(String((text ?? "").prefix(20))), (year...year + 1).contains(d.year) else {
            problems.append(.init(field: field, message: "\(label)应在\(year)至\(year + 1)年内，请写成 \(year)-07-15")); return nil
        }
        return d
    }

    // MARK: Camps

    func camps(campaign: Campaign, org: Organization) async throws -> [Camp] {
        try await Camp.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ (try await subtree(org))).sort(\.$startDate).all()
    }

    func createCamp(_ form: CampForm) async throws -> Camp {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        var problems: [AppError.Problem] = []
        let kind = CampKind(text: form.kind ?? "")
        if kind == nil { problems.append(.init(field: "kind", message: "营地类别请选择\(CampKind.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一")) }
        let title = TextNormaliser.trim(form.title ?? ""), place = TextNormaliser.trim(form.place ?? "")
        if title.isEmpty || title.count > 60 { problems.append(.init(field: "title", message: "请填写营地名称（最多60个字）")) }
        if place.isEmpty || place.count > 60 { problems.append(.init(field: "place", message: "请填写举办地点（最多60个字）")) }
        let start = date(form.startDate, "startDate", "开营日期", year: campaign.year, into: &problems)
        let end = date(form.endDate, "endDate", "结营日期", year: campaign.year, into: &problems)
        if let start, let end, end < start || end.dayNumber - start.dayNumber > 90 {
            problems.append(.init(field: "endDate", message: "结营日期应在开营日期之后，且营期不超过90天"))
        }
        guard problems.isEmpty, let kind, let start, let end else { throw AppError.invalid(problems[0].message, problems: problems) }
        let c = Camp()
        c.campaignID = campaign.id!; c.orgID = unit.id!; c.kind = kind.rawValue; c.title = title; c.place = place
        c.startDate = start.iso; c.endDate = end.iso; c.children = 0; c.volunteers = 0; c.consentGaps = 0
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await Camp.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$title == title).first() != nil {
                throw AppError.conflict("本单位已有营地“\(title)”")
            }
            try await c.create(on: tx)
        }
        request.auditDetail = "\(unit.name)登记\(kind.label)：\(title)"
        return c
    }

    func camp(_ id: UUID?) async throws -> (Camp, Organization, canWrite: Bool) {
        try await request.access.record(Camp.self, id, unit: \.orgID, what: "该营地")
    }

    func participants(_ camp: Camp) async throws -> [CampParticipant] {
        try await CampParticipant.query(on: db).filter(\.$campID == camp.id!).sort(\.$isChild, .descending).sort(\.$name).all()
    }

    func participantSpec(_ camp: Camp) -> CampParticipantSpec { CampParticipantSpec(camp: camp, today: today, cipher: cipher) }

    // MARK: Matches

    func matches(campaign: Campaign, org: Organization, kind: CompanionKind) async throws -> [CompanionMatch] {
        try await CompanionMatch.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$kind == kind.rawValue)
            .filter(\.$orgID ~~ (try await subtree(org))).sort(\.$startedOn).all()
    }

    func createMatch(_ kind: CompanionKind, _ form: MatchForm) async throws -> CompanionMatch {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        var problems: [AppError.Problem] = []
        func text(_ value: String?, _ field: String, _ label: String) -> String {
            let t = TextNormaliser.trim(value ?? "")
            if t.isEmpty || t.count > 60 { problems.append(.init(field: field, message: "请填写\(label)（最多60个字）")) }
            return t
        }
        let m = CompanionMatch()
        let started = date(form.startedOn, "startedOn", "结对日期", year: campaign.year, into: &problems)
        if let s = started, s > today { problems.append(.init(field: "startedOn", message: "结对日期不能晚于今天")) }
        var childID: IDNumber?
        switch kind {
        case .handInHand:
            m.subject = text(form.rural, "rural", "农村学校或班级"); m.partner = text(form.urban, "urban", "城市学校或班级"); m.partnerKind = "school"
        case .letter, .family:
            m.subject = text(form.childName, "childName", "儿童姓名")
            m.partner = kind == .letter ? text(form.writer, "writer", "写信人（志愿者或单位）") : text(form.family, "family", "家庭")
            m.partnerKind = kind == .family ? "family" : (form.writerKind == "unit" ? "unit" : "volunteer")
            switch IDNumber.parse(String((form.childIdNumber ?? "").prefix(40)), today: today) {
            case .success(let id): childID = id
            case .failure(let p): problems.append(.init(field: "childIdNumber", message: "儿童" + p.message))
            }
        }
        let consentOn = DateText.parse(String((form.consentOn ?? "").prefix(20)))
        if let c = consentOn, c > today { problems.append(.init(field: "consentOn", message: "同意日期不能晚于今天")) }
        guard problems.isEmpty, let started else { throw AppError.invalid(problems[0].message, problems: problems) }
        m.campaignID = campaign.id!; m.orgID = unit.id!; m.kind = kind.rawValue; m.startedOn = started.iso
        if let id = childID {
            m.subjectIDCipher = try cipher.seal(id.value); m.subjectIDHash = cipher.lookupHash(id.value); m.subjectIDMasked = id.masked
            m.age = started.years(since: id.birthDate)
        } else {
            m.subjectIDCipher = ""; m.subjectIDHash = cipher.lookupHash("school:" + m.subject); m.subjectIDMasked = ""; m.age = 0
        }
        let given = ["是", "true", "1"].contains(form.consent?.text ?? "")
        m.consentGiven = given; m.consentOn = given ? (consentOn?.iso ?? "") : ""
        m.contacts = 0; m.lastContactOn = ""; m.dueOn = CompanionRules.due(kind: kind, started: started, contacts: [])?.iso ?? ""
        let (hash, partner) = (m.subjectIDHash, m.partner)
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await CompanionMatch.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$kind == kind.rawValue)
                .filter(\.$subjectIDHash == hash).filter(\.$partner == partner).first() != nil {
                throw AppError.conflict("本单位已登记该\(kind.label)结对")
            }
            try await m.create(on: tx)
        }
        request.auditDetail = "\(unit.name)登记\(kind.label)：\(m.subject)\(m.subjectIDMasked.isEmpty ? "" : "（\(m.subjectIDMasked)）") — \(m.partner)"
        return m
    }

    /// A letter (sent or received), a visit or an activity, dated; the match's clock moves by the kernel.
    func addContact(_ id: UUID?, kind: CompanionKind, _ form: ContactForm) async throws -> CompanionContact {
        let (m, unit) = try await request.access.writableRecord(CompanionMatch.self, id, unit: \.orgID, what: "该结对")
        guard m.companionKind == kind else { throw AppError.notFound("该结对") }
        var problems: [AppError.Problem] = []
        let contactKind: ContactKind? = kind == .letter ? ContactKind(rawValue: form.direction ?? "") : kind.contactKinds.first
        if contactKind == nil || !kind.contactKinds.contains(contactKind!) {
            problems.append(.init(field: "direction", message: "请写明信件是寄出（sent）还是收到（received）"))
        }
        let on = (form.on ?? "").isEmpty ? today : DateText.parse(String((form.on ?? "").prefix(20)))
        let started = LocalDate(iso: m.startedOn) ?? today
        if on == nil || on! < started || on! > today { problems.append(.init(field: "on", message: "日期应在结对日期（\(m.startedOn)）之后，且不晚于今天")) }
        let note = TextNormaliser.trim(form.note ?? form.title ?? "")
        if note.count > 500 || (kind == .handInHand && note.isEmpty) { problems.append(.init(field: kind == .handInHand ? "title" : "note", message: kind == .handInHand ? "请填写活动名称（最多500字）" : "备注最多500字")) }
        guard problems.isEmpty, let contactKind, let on else { throw AppError.invalid(problems[0].message, problems: problems) }
        let c = CompanionContact()
        c.matchID = m.id!; c.kind = contactKind.rawValue; c.on = on.iso; c.noteCipher = try cipher.seal(note)
        let matchID = m.id!
        try await db.writeTransaction(lock: unit.id) { tx in
            guard let fresh = try await CompanionMatch.find(matchID, on: tx) else { throw AppError.notFound("该结对") }
            try await c.create(on: tx)
            let dates = try await CompanionContact.query(on: tx).filter(\.$matchID == matchID).all(\.$on).compactMap { LocalDate(iso: $0) }
            fresh.contacts = dates.count; fresh.lastContactOn = dates.max()?.iso ?? ""
            fresh.dueOn = CompanionRules.due(kind: kind, started: started, contacts: dates)?.iso ?? ""
            try await fresh.update(on: tx)
        }
        request.auditDetail = "\(unit.name)记录\(kind.label)\(contactKind.label)（\(on.iso)）"
        return c
    }
}

extension Request {
    var companions: CompanionRegister { CompanionRegister(request: self) }
}

/// A camp's participants on the shared import pipeline (replace: the list is the camp's list); the camp's counts
/// (children, volunteers, consent gaps) are kept with it.
struct CampParticipantSpec: RegisterSpec {
    let camp: Camp
    let today: LocalDate
    let cipher: PersonalDataCipher

    var columns: [ColumnSpec] { CampParticipantColumn.specs }
    var subjectColumn: String { CampParticipantColumn.name }
    var lock: UUID? { camp.orgID }
    var start: LocalDate { LocalDate(iso: camp.startDate) ?? today }

    func validate(_ input: RegisterInput) -> (CampParticipantEntry?, [RowProblem]) { CampRules.participant(input, campStart: start, today: today) }
    func crossCheck(_ entries: [CampParticipantEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] { CampRules.repeated(entries) }
    func stored(_ db: any Database) async throws -> [CampParticipant] { try await CampParticipant.query(on: db).filter(\.$campID == camp.id!).all() }
    func key(_ e: CampParticipantEntry) -> String { cipher.lookupHash(e.id.value) }
    func key(_ p: CampParticipant) -> String { p.idHash }
    func describe(_ e: CampParticipantEntry) -> (name: String, detail: String) {
        ("\(e.name)（\(e.id.masked)）", (e.isChild ? "营员" : "志愿者") + (e.consentGap ? "，缺监护人同意" : ""))
    }
    func describe(_ p: CampParticipant) -> (name: String, detail: String) { ("\(p.name)（\(p.idMasked)）", p.isChild ? "营员" : "志愿者") }
    func changes(_ p: CampParticipant, _ e: CampParticipantEntry) -> [String] {
        var out: [String] = []
        if p.name != e.name { out.append(CampParticipantColumn.name) }
        if p.isChild != e.isChild { out.append(CampParticipantColumn.role) }
        if p.consentGiven != e.consent.given || p.consentOn != (e.consent.on?.iso ?? "") { out.append(CampParticipantColumn.consent) }
        return out
    }
    func fill(_ row: CampParticipant?, _ e: CampParticipantEntry) throws -> CampParticipant {
        let p = row ?? CampParticipant()
        if row == nil {
            p.campID = camp.id!; p.orgID = camp.orgID
            p.idCipher = try cipher.seal(e.id.value); p.idHash = cipher.lookupHash(e.id.value); p.idMasked = e.id.masked
        }
        p.name = e.name; p.isChild = e.isChild; p.age = e.age; p.consentGiven = e.consent.given; p.consentOn = e.consent.on?.iso ?? ""
        return p
    }
    func finish(_ db: any Database) async throws {
        let rows = try await stored(db)
        guard let c = try await Camp.find(camp.id, on: db) else { return }
        c.children = rows.filter(\.isChild).count; c.volunteers = rows.filter { !$0.isChild }.count; c.consentGaps = rows.filter(\.consentGap).count
        try await c.update(on: db)
    }
}
