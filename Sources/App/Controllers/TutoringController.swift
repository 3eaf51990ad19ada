// Tutoring sessions: the volunteer's phone page, staff logging on a volunteer's behalf, and the JSON API.
import Fluent
import LiangbangCore
import Vapor

struct TutoringController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let loggers = routes.grouped(RequireLogin(), RequireRole(.volunteer, .staff, .admin))
        loggers.get("tutoring", use: page)
        routes.grouped(RequireLogin(), RequireRole(.volunteer)).get("tutoring", "certificate", use: ownCertificate)
        loggers.post("tutoring", "sessions", use: logForm)
        loggers.post("tutoring", "sessions", ":sessionID", "delete", use: deleteForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.volunteer, .staff, .admin))
        api.post("sessions", use: create)
        api.get("sessions", use: list)
        api.patch("sessions", ":sessionID", use: update)
        api.delete("sessions", ":sessionID", use: delete)
        let staff = routes.grouped(RequireLogin(), RequireRole(.staff, .admin))
        staff.on(.POST, "api", "v1", "sessions", "import", body: .collect(maxSize: "20mb"), use: importAPI)
        staff.on(.POST, "tutoring", "import", body: .collect(maxSize: "20mb"), use: importForm)
    }

    // MARK: Import

    struct ImportQuery: Content { var campaign: Int?; var orgId: UUID?; var dryRun: Bool? }

    /// Multipart `file`: all or nothing; the report is the roster import's.
    func importAPI(req: Request) async throws -> Response {
        let query = try req.query.decode(ImportQuery.self)
        guard let file = try? req.content.decode(PairingAPIController.Upload.self).file else {
            throw AppError.invalid("请以 multipart/form-data 上传文件（字段名 file）")
        }
        let report = try await Self.runImport(req, campaign: query.campaign, orgID: query.orgId, file: file, commit: !(query.dryRun ?? false))
        return try await report.encodeResponse(status: report.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    static func runImport(_ req: Request, campaign year: Int?, orgID: UUID?, file: File, commit: Bool) async throws -> ImportReport {
        let campaign = try await req.roster.campaign(year)
        let university = try await req.roster.writableUniversity(orgID)
        do {
            let report = try await SessionImport(request: req, campaign: campaign, university: university)
                .run(data: Data(buffer: file.data), filename: file.filename, commit: commit)
            if report.committed { req.auditDetail = "\(university.name)导入支教记录\(report.added)条" }
            return report
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
    }

    struct ImportResult: Encodable {
        let layout: Layout
        let filename: String
        let report: ImportReport
    }

    func importForm(req: Request) async throws -> Response {
        struct Form: Content { var file: File?; var campaign: Int? }
        let form = try req.content.decode(Form.self)
        guard let file = form.file, file.data.readableBytes > 0 else { return req.redirect(to: "/tutoring", flash: "error", "请选择要上传的文件") }
        do {
            let report = try await Self.runImport(req, campaign: form.campaign, orgID: nil, file: file, commit: true)
            if report.committed { return req.redirect(to: "/tutoring", flash: "success", "已导入\(report.added)条支教记录") }
            return try await req.view.render("sessions-import", ImportResult(layout: await Layout.build(for: req, title: "导入支教记录"),
                                                                             filename: file.filename, report: report))
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let error as AppError where error.status.code < 500 {
            return req.redirect(to: "/tutoring", flash: "error", error.message)
        }
    }

    // MARK: API

    func create(req: Request) async throws -> Response {
        try await SessionDTO(try await req.tutoring.log(try req.content.decode(SessionInput.self))).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> SessionDTO {
        SessionDTO(try await req.tutoring.update(req.parameters.get("sessionID", as: UUID.self), try req.content.decode(SessionInput.self)))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.tutoring.delete(req.parameters.get("sessionID", as: UUID.self))
        return .noContent
    }

    /// Sessions of one pairing the caller may log for: `{"items": [...], "total": n}`, newest first.
    func list(req: Request) async throws -> ItemList<SessionDTO> {
        let (pairing, _) = try await req.tutoring.loggablePairing(req.query[UUID.self, at: "pairingId"])
        return ItemList(try await TutoringSession.query(on: req.db).filter(\.$pairingID == pairing.id!)
            .sort(\.$date, .descending).sort(\.$startTime, .descending).all().map(SessionDTO.init))
    }

    // MARK: Page

    struct Page: Encodable {
        struct PupilCard: Encodable {
            let pairingID: UUID; let name: String; let school: String; let county: String; let volunteer: String
            let sessions: Int; let minutes: Int; let done: Bool; let missingMinutes: Int
        }
        struct Recent: Encodable {
            let id: UUID; let pupil: String; let date: String; let startTime: String; let minutes: Int
            let content: String; let mode: String; let canDelete: Bool
        }
        struct Option: Encodable { let value: String; let label: String }
        let layout: Layout
        let year: Int
        let isVolunteer: Bool
        let weekStart: String
        let weekEnd: String
        let today: String
        /// The volunteer's own pupils, or this page of the university's (search, sort, 50 a page).
        let pupils: [PupilCard]
        let hasPupils: Bool
        let recent: [Recent]
        let modes: [Option]
        let pairingOptions: [Option]
        /// The pairing a tapped card chose for the log form.
        let selectedPairing: String
        /// Other weeks of the period (the volunteer's cards show any of them).
        let prevWeek: String?
        let nextWeek: String?
        /// "before", "during" or "after" the tutoring period; outside it a volunteer is told so instead of the form.
        let period: String
        let periodText: String
        /// The volunteer's own totals this campaign.
        let mySessions: Int
        let myHours: String
    }

    func page(req: Request) async throws -> View {
        let me = try req.access.current
        let campaign = try await req.roster.campaign()
        let isVolunteer = me.user.role == .volunteer
        // A volunteer sees its own pupils as cards; staff every pupil of their university, in the table component.
        let pairings = isVolunteer ? try await req.tutoring.myPairings()
            : try await req.roster.readable(campaign, orgID: nil).sort(\.$pupilName).all()
        let today = LocalDate(instant: req.now)
        let tutoringPeriod = campaign.tutoringPeriod
        // Any week of the period can be opened (`?week=`); this week by default.
        let asked = req.query[String.self, at: "week"].flatMap(LocalDate.init(iso:)).map { min(max($0, tutoringPeriod.start), today) }
        let week = TutoringWeek(containing: asked ?? today)
        let status = try await req.tutoring.weekStatus(pupilHashes: Array(Set(pairings.map(\.pupilIDHash))), campaign: campaign, week: week.start)
        let names = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(pairings.map(\.countyID)))
        let sessions = TutoringSession.query(on: req.db)
        let recentSessions = try await (isVolunteer ? sessions.filter(\.$pairingID ~~ pairings.compactMap(\.id))
                                                    : sessions.filter(\.$campaignID == campaign.id!).filter(\.$universityID == me.org.id!))
            .sort(\.$date, .descending).sort(\.$startTime, .descending).range(..<20).all()
        let pupilByPairing = Dictionary(uniqueKeysWithValues: pairings.map { ($0.id!, $0.pupilName) })
        var seen = Set<String>()
        let cards = pairings.compactMap { p -> Page.PupilCard? in
            guard isVolunteer || seen.insert(p.pupilIDHash).inserted else { return nil }
            let s = status[p.pupilIDHash] ?? WeekStatus(week: week, sessions: 0, minutes: 0)
            return Page.PupilCard(pairingID: p.id!, name: p.pupilName, school: p.school + " " + p.gradeClass, county: names[p.countyID] ?? "",
                                  volunteer: p.volunteerName, sessions: s.sessions, minutes: s.minutes, done: s.compliant,
                                  missingMinutes: s.missingMinutes)
        }
        let table = try TableQuery(req, sorts: ["name", "county", "school", "volunteer", "minutes", "status"])
        let shown = isVolunteer ? cards : table.page(cards.filter { table.matches($0.name, $0.county, $0.school, $0.volunteer) }, request: req) { c, key in
            switch key {
            case "county": c.county
            case "school": c.school
            case "volunteer": c.volunteer
            case "minutes": String(c.minutes)
            case "status": c.done ? "1" : "0"
            default: c.name
            }
        }
        let mine = isVolunteer ? try await TutoringSession.query(on: req.db).filter(\.$pairingID ~~ pairings.compactMap(\.id)).all(\.$minutes) : []
        let previous = week.start.adding(days: -7), next = week.start.adding(days: 7)
        let period = today < tutoringPeriod.start ? "before" : today > tutoringPeriod.end ? "after" : "during"
        let chosen = req.query[UUID.self, at: "pairing"].flatMap { id in pairings.first { $0.id == id } }?.id?.uuidString ?? ""
        return try await req.view.render("tutoring", Page(
            layout: await Layout.build(for: req, title: "支教记录"), year: campaign.year, isVolunteer: isVolunteer,
            weekStart: week.start.iso, weekEnd: week.end.iso, today: today.iso,
            pupils: shown, hasPupils: !cards.isEmpty,
            recent: recentSessions.map { s in
                Page.Recent(id: s.id!, pupil: pupilByPairing[s.pairingID] ?? "", date: s.date, startTime: s.startTime, minutes: s.minutes,
                            content: s.content, mode: SessionMode(rawValue: s.mode)?.label ?? s.mode,
                            canDelete: !isVolunteer || SessionRules.canAmend(loggedAt: s.createdAt ?? .distantPast, now: req.now))
            },
            modes: SessionMode.allCases.map { .init(value: $0.rawValue, label: $0.label) },
            pairingOptions: pairings.map { .init(value: $0.id!.uuidString, label: "\($0.pupilName) ↔ \($0.volunteerName)") },
            selectedPairing: chosen,
            prevWeek: previous >= TutoringWeek(containing: tutoringPeriod.start).start ? previous.iso : nil,
            nextWeek: next <= today && next <= tutoringPeriod.end ? next.iso : nil,
            period: period,
            periodText: "\(tutoringPeriod.start.iso) 至 \(tutoringPeriod.end.iso)",
            mySessions: mine.count, myHours: SessionRules.serviceHoursText(mine.reduce(0, +))))
    }

    /// The volunteer's own 志愿服务证明.
    func ownCertificate(req: Request) async throws -> View {
        let me = try req.access.current
        let campaign = try await req.roster.campaign()
        return try await VolunteerController.certificate(req, campaign: campaign, university: me.org, key: me.user.volunteerIDHash)
    }

    /// The log form: refused, the page comes back with everything typed and each message at its field.
    func logForm(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var pairingId, date, startTime, minutes, content, mode, note: String? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Layout.link("/tutoring", campaign: form.campaign, orgID: nil), page: { try await page(req: req) }) {
            guard let pairingID = form.pairingId.flatMap(UUID.init(uuidString:)) else {
                throw AppError.invalid("请选择学生", problems: [.init(field: "pairingId", message: "请选择学生")])
            }
            let minutesText = TextNormaliser.clean(form.minutes ?? "")
            guard let minutes = Int(minutesText) else {
                let message = "时长请填写分钟数（整数），如 60"
                throw AppError.invalid(message, problems: [.init(field: "minutes", message: message)])
            }
            let s = try await req.tutoring.log(SessionInput(pairingId: pairingID, date: form.date ?? "", startTime: form.startTime ?? "",
                                                            minutes: minutes, content: form.content ?? "", mode: form.mode ?? "", note: form.note))
            return "已登记：\(s.date) \(s.startTime)，\(s.minutes)分钟"
        }
    }

    func deleteForm(req: Request) async throws -> Response {
        do {
            try await req.tutoring.delete(req.parameters.get("sessionID", as: UUID.self))
            return req.redirect(to: "/tutoring", flash: "success", "已删除该支教记录")
        } catch let error as AppError where error.status.code < 500 {
            return req.redirect(to: "/tutoring", flash: "error", error.message)
        }
    }
}
