// Logging tutoring sessions: who may log for which pairing, the session rules, duplicates, the 7-day window.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

struct SessionInput: Content {
    var pairingId: UUID
    var date: String
    var startTime: String
    var minutes: Int
    var content: String
    var mode: String
    var note: String?
}

struct SessionDTO: Content {
    let id: UUID
    let pairingId: UUID
    let date: String
    let startTime: String
    let minutes: Int
    let content: String
    let mode: String
    let note: String?
    let recordedBy: String

    init(_ s: TutoringSession) {
        id = s.id!; pairingId = s.pairingID; date = s.date; startTime = s.startTime; minutes = s.minutes
        content = s.content; mode = s.mode; note = s.note; recordedBy = s.recordedBy
    }
}

struct TutoringLog {
    let request: Request
    var db: any Database { request.db }
    var today: LocalDate { LocalDate(instant: request.now) }

    /// The pairing the caller may log for: a volunteer only its own lines; staff and admins those of
    /// universities in their subtree. Anything else is 404, so pairings of others stay invisible.
    func loggablePairing(_ id: UUID?) async throws -> (Pairing, Campaign) {
        guard let id, let pairing = try await Pairing.find(id, on: db),
              let campaign = try await Campaign.find(pairing.campaignID, on: db) else { throw AppError.notFound("该结对") }
        let me = try request.access.current
        if me.user.role == .volunteer {
            guard me.user.volunteerIDHash == pairing.volunteerIDHash, me.org.id == pairing.universityID else { throw AppError.notFound("该结对") }
        } else {
            _ = try await request.roster.writablePairing(id)
        }
        return (pairing, campaign)
    }

    /// The volunteer's own pairings in the latest campaign.
    func myPairings() async throws -> [Pairing] {
        let me = try request.access.current
        guard let hash = me.user.volunteerIDHash else { return [] }
        let campaign = try await request.roster.campaign()
        return try await Pairing.query(on: db).filter(\.$campaignID == campaign.id!)
            .filter(\.$volunteerIDHash == hash).filter(\.$universityID == me.org.id!).sort(\.$pupilName).all()
    }

    /// Checks a session against the rules; 422 listing every problem in Chinese.
    func checked(_ input: SessionInput, pairing: Pairing, campaign: Campaign) throws -> (LocalDate, Int, SessionMode) {
        // Each problem names its field as `SessionInput` does, so the form can put it next to the field.
        var problems: [AppError.Problem] = []
        let date = LocalDate(iso: input.date.trimmingCharacters(in: .whitespaces))
        if date == nil { problems.append(.init(field: "date", message: "支教日期“\(input.date.prefix(20))”无法识别，请写成 2022-07-18")) }
        let mode = SessionMode.parse(input.mode)
        if mode == nil { problems.append(.init(field: "mode", message: "辅导方式应为\(SessionMode.choices)之一")) }
        let content = input.content.trimmingCharacters(in: .whitespacesAndNewlines)
        if content.isEmpty { problems.append(.init(field: "content", message: "请填写辅导内容")) }
        else if content.count > 200 { problems.append(.init(field: "content", message: "辅导内容最多200字")) }
        if (input.note?.count ?? 0) > 500 { problems.append(.init(field: "note", message: "备注最多500字")) }
        if let date {
            problems += SessionRules.validate(date: date, startTime: input.startTime, minutes: input.minutes, today: today,
                                              period: campaign.tutoringPeriod, pairingStart: pairing.startDate.flatMap(LocalDate.init(iso:)))
                .map { .init(field: $0.field.rawValue, message: $0.message) }
        }
        guard problems.isEmpty, let date, let mode, let start = SessionRules.startMinute(input.startTime) else {
            throw AppError.invalid(problems.map(\.message).joined(separator: "；"), problems: problems)
        }
        return (date, start, mode)
    }

    func log(_ input: SessionInput) async throws -> TutoringSession {
        let (pairing, campaign) = try await loggablePairing(input.pairingId)
        let (date, start, mode) = try checked(input, pairing: pairing, campaign: campaign)
        let session = TutoringSession()
        session.pairingID = pairing.id!
        session.campaignID = campaign.id!
        session.universityID = pairing.universityID
        session.countyID = pairing.countyID
        session.pupilIDHash = pairing.pupilIDHash
        session.volunteerIDHash = pairing.volunteerIDHash
        try fill(session, input, date: date, start: start, mode: mode)
        session.createdAt = request.now
        // The duplicate check, the row and the pupil-week's tally in one write transaction: parallel logs queue.
        try await db.writeTransaction(lock: pairing.universityID) { tx in
            try await Self.requireUnique(session, on: tx)
            try await TutoringWeeks.store([session], campaign: campaign, on: tx)
        }
        request.auditDetail = "登记支教记录（学生\(pairing.pupilIDMasked)，\(session.date) \(session.startTime)，\(session.minutes)分钟）"
        return session
    }

    /// A volunteer may change its own sessions for 7 days; staff of the university at any time.
    func amendable(_ id: UUID?) async throws -> (TutoringSession, Pairing, Campaign) {
        guard let id, let session = try await TutoringSession.find(id, on: db) else { throw AppError.notFound("该支教记录") }
        let (pairing, campaign) = try await loggablePairing(session.pairingID)
        if try request.access.current.user.role == .volunteer,
           !SessionRules.canAmend(loggedAt: session.createdAt ?? .distantPast, now: request.now) {
            throw AppError.forbidden("登记超过7天的支教记录不能再修改或删除，如需更正请联系本校团委")
        }
        return (session, pairing, campaign)
    }

    func update(_ id: UUID?, _ input: SessionInput) async throws -> TutoringSession {
        let (session, pairing, campaign) = try await amendable(id)
        guard input.pairingId == session.pairingID else { throw AppError.invalid("不能把支教记录改到另一个结对") }
        let (date, start, mode) = try checked(input, pairing: pairing, campaign: campaign)
        let before = TutoringWeeks.Change.removed(session)
        try fill(session, input, date: date, start: start, mode: mode)
        try await db.writeTransaction(lock: pairing.universityID) { tx in
            try await Self.requireUnique(session, on: tx)
            try await session.update(on: tx)
            try await TutoringWeeks.record([before, .added(session)], campaign: campaign, on: tx)
        }
        request.auditDetail = "修改支教记录（学生\(pairing.pupilIDMasked)，\(session.date)）"
        return session
    }

    func delete(_ id: UUID?) async throws {
        let (session, pairing, campaign) = try await amendable(id)
        try await db.writeTransaction(lock: pairing.universityID) { tx in
            try await session.delete(on: tx)
            try await TutoringWeeks.record([.removed(session)], campaign: campaign, on: tx)
        }
        request.auditDetail = "删除支教记录（学生\(pairing.pupilIDMasked)，\(session.date)）"
    }

    private func fill(_ s: TutoringSession, _ input: SessionInput, date: LocalDate, start: Int, mode: SessionMode) throws {
        s.date = date.iso
        s.weekStart = date.weekStart.iso
        s.startTime = SessionRules.timeText(start)
        s.minutes = input.minutes
        s.content = input.content.trimmingCharacters(in: .whitespacesAndNewlines)
        s.mode = mode.rawValue
        s.note = input.note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        s.recordedBy = try request.access.current.user.username
    }

    private static func requireUnique(_ s: TutoringSession, on db: any Database) async throws {
        var same = TutoringSession.query(on: db).filter(\.$pairingID == s.pairingID).filter(\.$date == s.date).filter(\.$startTime == s.startTime)
        if let id = s.id { same = same.filter(\.$id != id) }
        if try await same.count() > 0 { throw AppError.conflict("该结对在\(s.date) \(s.startTime)已有一条支教记录，请勿重复登记") }
    }

    /// A week's sessions and minutes for each pupil (all its volunteers together), from the summary; this week by default.
    func weekStatus(pupilHashes: [String], campaign: Campaign, week: LocalDate? = nil) async throws -> [String: WeekStatus] {
        try await ComplianceBoard.statuses(pupilHashes: pupilHashes, week: week ?? today, campaign: campaign, on: db as! any SQLDatabase)
    }
}

extension Request {
    var tutoring: TutoringLog { TutoringLog(request: self) }
}
