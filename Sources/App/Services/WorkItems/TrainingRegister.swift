// 领头雁 and skills training: the one place classes are written and read, and the sign-in sheet's spec on the shared
// import pipeline. Any unit holds classes for its territory; the units above read them (subtree rule).
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct TrainingForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var title: String?
    var kind: String?
    var mode: String?
    var countyId: UUID?
    /// The page's select: a county's id, or empty for none.
    var county: String?
    var startDate: String?
    var endDate: String?
    var sessionDates: [String]?
    /// The page's one text field for the dates ("2022-07-15, 2022-07-16").
    var sessions: String?
}

struct TrainingRegister {
    let request: Request
    var db: any Database { request.db }

    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    func writableUnit(_ orgID: UUID?) async throws -> Organization { try await request.access.writableUnit(orgID) }

    /// Classes held by `org` or a unit below it.
    func list(campaign: Campaign, org: Organization) async throws -> [TrainingClass] {
        let query = TrainingClass.query(on: db).filter(\.$campaignID == campaign.id!)
        if org.kind != .province {
            query.filter(\.$orgID ~~ (try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)))
        }
        return try await query.sort(\.$startDate).sort(\.$title).all()
    }

    func create(_ form: TrainingForm) async throws -> TrainingClass {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        let (entry, problems) = TrainingRules.trainingClass(title: form.title ?? "", kind: form.kind ?? "", mode: form.mode ?? "",
                                                            start: form.startDate ?? "", end: form.endDate ?? "",
                                                            sessions: (form.sessionDates ?? []) + (form.sessions.map { [$0] } ?? []), year: campaign.year)
        var all = problems.map { AppError.Problem(field: $0.field, message: $0.message) }
        let countyID = form.countyId ?? form.county.flatMap { UUID(uuidString: $0) }
        if form.countyId == nil, let text = form.county, !text.isEmpty, countyID == nil {
            all.append(.init(field: "countyId", message: "请选择培训所在的县（市、区）"))
        }
        if let id = countyID {
            if let county = try await Organization.find(id, on: db), county.kind == .county {} else {
                all.append(.init(field: "countyId", message: "请选择培训所在的县（市、区）"))
            }
        }
        guard let entry, all.isEmpty else { throw AppError.invalid(all.first?.message ?? "培训班信息不完整", problems: all) }
        let c = TrainingClass()
        c.campaignID = campaign.id!; c.orgID = unit.id!; c.title = entry.title; c.kind = entry.kind.rawValue; c.mode = entry.mode.rawValue
        c.countyID = countyID; c.startDate = entry.start.iso; c.endDate = entry.end.iso
        c.sessionDates = entry.sessions.map(\.iso).joined(separator: ","); c.personTimes = 0; c.trainees = 0
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await TrainingClass.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$title == entry.title).first() != nil {
                throw AppError.conflict("本单位已有培训班“\(entry.title)”")
            }
            try await c.create(on: tx)
        }
        request.auditDetail = "\(unit.name)登记培训班：\(entry.title)（\(entry.sessions.count)期次）"
        return c
    }

    /// A class the caller reads (404 outside its view), and whether it may change it.
    func readable(_ id: UUID?) async throws -> (TrainingClass, Organization, canWrite: Bool) {
        try await request.access.record(TrainingClass.self, id, unit: \.orgID, what: "该培训班")
    }

    func writable(_ id: UUID?) async throws -> (TrainingClass, Organization) {
        try await request.access.writableRecord(TrainingClass.self, id, unit: \.orgID, what: "该培训班")
    }

    func delete(_ id: UUID?) async throws {
        let (c, unit) = try await writable(id)
        try await db.writeTransaction(lock: unit.id) { tx in try await c.delete(on: tx) }
        request.auditDetail = "\(unit.name)删除培训班：\(c.title)"
    }

    func attendanceSpec(_ c: TrainingClass) -> AttendanceSpec {
        AttendanceSpec(trainingClass: c, today: LocalDate(instant: request.now), cipher: request.appServices.cipher)
    }
}

extension Request {
    var trainings: TrainingRegister { TrainingRegister(request: self) }
}

/// One class's sign-in sheet: the file is the class's whole attendance (replace); one row per person.
struct AttendanceSpec: RegisterSpec {
    let trainingClass: TrainingClass
    let today: LocalDate
    let cipher: PersonalDataCipher

    var columns: [ColumnSpec] { SignInColumn.specs(sessions: trainingClass.sessions) }
    var subjectColumn: String { SignInColumn.name }
    var lock: UUID? { trainingClass.orgID }

    func validate(_ input: RegisterInput) -> (TraineeEntry?, [RowProblem]) {
        TrainingRules.trainee(input, sessions: trainingClass.sessions, today: today)
    }
    func crossCheck(_ entries: [TraineeEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        TrainingRules.repeatedTrainees(entries)
    }
    func stored(_ db: any Database) async throws -> [TrainingAttendee] {
        try await TrainingAttendee.query(on: db).filter(\.$classID == trainingClass.id!).all()
    }
    func key(_ e: TraineeEntry) -> String { cipher.lookupHash(e.personKey) }
    func key(_ a: TrainingAttendee) -> String { a.personHash }
    func describe(_ e: TraineeEntry) -> (name: String, detail: String) {
        (e.name + (e.id.map { "（\($0.masked)）" } ?? ""), "签到\(e.attended.count)次")
    }
    func describe(_ a: TrainingAttendee) -> (name: String, detail: String) { (a.name, "签到\(a.sessionsAttended)次") }
    func changes(_ a: TrainingAttendee, _ e: TraineeEntry) -> [String] {
        var out: [String] = []
        if a.name != e.name { out.append(SignInColumn.name) }
        if a.attended != e.attended.map(\.iso).joined(separator: ",") { out.append("签到") }
        if a.county != e.county { out.append(SignInColumn.county) }
        if a.category != (e.category?.rawValue ?? "") { out.append(SignInColumn.category) }
        if a.sex != (e.sex?.rawValue ?? "") { out.append(SignInColumn.sex) }
        return out
    }
    func fill(_ row: TrainingAttendee?, _ e: TraineeEntry) throws -> TrainingAttendee {
        let a = row ?? TrainingAttendee()
        if row == nil {
            a.classID = trainingClass.id!; a.campaignID = trainingClass.campaignID; a.orgID = trainingClass.orgID
            a.personHash = cipher.lookupHash(e.personKey)
        }
        a.name = e.name; a.sex = e.sex?.rawValue ?? ""
        a.idCipher = try e.id.map { try cipher.seal($0.value) } ?? ""; a.idMasked = e.id?.masked ?? ""
        a.phoneCipher = try e.phone.map { try cipher.seal($0) } ?? ""
        a.phoneMasked = e.phone.map { String($0.prefix(3)) + "****" + String($0.suffix(4)) } ?? ""
        a.county = e.county; a.category = e.category?.rawValue ?? ""; a.attended = e.attended.map(\.iso).joined(separator: ",")
        return a
    }
    /// The class's figures from what is now stored, by the core's rule.
    func finish(_ db: any Database) async throws {
        let rows = try await stored(db)
        let figures = TrainingRules.figures(rows.map { ($0.personHash, $0.sessionsAttended) })
        guard let c = try await TrainingClass.find(trainingClass.id, on: db) else { return }
        c.personTimes = figures.personTimes; c.trainees = figures.trainees
        try await c.update(on: db)
    }
}
