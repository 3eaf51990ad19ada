// Single pairings (add, change, remove) and roster submissions, through the same rules as the import.
import Fluent
import LiangbangCore
import Vapor

struct PairingInput: Content {
    var campaign: Int?
    var orgId: UUID?
    var pupilName: String
    var sex: String
    var pupilId: String
    var studentNo: String?
    var school: String
    var gradeClass: String
    var county: String
    var volunteerName: String
    var volunteerId: String
    var startDate: String?
    var guardianConsent: Bool?
    var consentDate: String?

    var rosterInput: RosterInput {
        RosterInput(row: 1, values: [
            RosterColumn.pupilName: pupilName, RosterColumn.sex: sex, RosterColumn.pupilID: pupilId,
            RosterColumn.studentNo: studentNo ?? "", RosterColumn.school: school, RosterColumn.gradeClass: gradeClass,
            RosterColumn.county: county, RosterColumn.volunteerName: volunteerName, RosterColumn.volunteerID: volunteerId,
            RosterColumn.startDate: startDate ?? "", RosterColumn.consent: guardianConsent.map { $0 ? "是" : "否" } ?? "",
            RosterColumn.consentDate: consentDate ?? "",
        ])
    }
}

struct PairingDTO: Content {
    struct Pupil: Content {
        let name, idMasked, county, sex, school, gradeClass: String
        /// Whole years on the roster date; never the birth date, which the mask hides.
        let age: Int
    }
    struct Volunteer: Content { let name, idMasked: String }
    let id: UUID
    let pupil: Pupil
    let volunteer: Volunteer
    let universityId: UUID
    let startDate: String?
    let guardianConsent: Bool?
    let consentDate: String?

    init(_ p: Pairing, countyName: String) {
        id = p.id!
        pupil = Pupil(name: p.pupilName, idMasked: p.pupilIDMasked, county: countyName, sex: p.pupilSex, school: p.school,
                      gradeClass: p.gradeClass, age: p.pupilAge)
        volunteer = Volunteer(name: p.volunteerName, idMasked: p.volunteerIDMasked)
        universityId = p.universityID
        startDate = p.startDate
        guardianConsent = p.guardianConsent
        consentDate = p.consentDate
    }
}

struct RosterLines {
    let request: Request
    var db: any Database { request.db }

    func importer(_ campaign: Campaign, _ university: Organization) -> RosterImport {
        RosterImport(db: db, cipher: request.cipher, campaign: campaign, university: university, today: LocalDate(instant: request.now))
    }

    /// Validates one line exactly as an imported row; 422 with every problem, 409 for a duplicate or another university's pupil.
    func validate(_ input: PairingInput, campaign: Campaign, university: Organization, replacing: Pairing? = nil) async throws -> RosterEntry {
        let policy = try await RosterPolicyLoader.policy(db: db, campaign: campaign, university: university, today: LocalDate(instant: request.now))
        let (entry, problems) = RosterRules.validate(input.rosterInput, policy: policy)
        let errors = problems.filter { !$0.warning }
        guard let entry, errors.isEmpty else {
            throw AppError.invalid(errors.map(\.message).joined(separator: "；"),
                                   problems: errors.map { .init(field: $0.column, message: $0.message) })
        }
        let pupilHash = request.cipher.lookupHash(entry.pupilID.value)
        let volunteerHash = request.cipher.lookupHash(entry.volunteerID.value)
        var same = Pairing.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!)
            .filter(\.$pupilIDHash == pupilHash).filter(\.$volunteerIDHash == volunteerHash)
        if let replacing { same = same.filter(\.$id != replacing.id!) }
        if try await same.count() > 0 { throw AppError.conflict("该学生与该志愿者已经结对，请勿重复添加") }
        if let elsewhere = try await Pairing.query(on: db).filter(\.$campaignID == campaign.id!)
            .filter(\.$universityID != university.id!).filter(\.$pupilIDHash == pupilHash).first(),
           let county = UUID(uuidString: entry.county.key) {
            try await request.pairingConflicts.record([.init(countyID: county, pupilHash: pupilHash, pupilMasked: entry.pupilID.masked,
                                                             pupilName: entry.pupilName, owner: elsewhere.universityID)],
                                                      campaign: campaign, claimant: university)
            throw AppError.conflict(PairingConflicts.message)
        }
        return entry
    }

    func create(_ input: PairingInput) async throws -> Pairing {
        let campaign = try await request.roster.campaign(input.campaign)
        let university = try await request.roster.writableUniversity(input.orgId)
        let entry = try await validate(input, campaign: campaign, university: university)
        let pairing = Pairing()
        pairing.campaignID = campaign.id!
        pairing.universityID = university.id!
        try RosterStore(db: db, cipher: request.cipher, campaign: campaign, university: university).fill(pairing, entry, pupilHash: request.cipher.lookupHash(entry.pupilID.value),
                       volunteerHash: request.cipher.lookupHash(entry.volunteerID.value), isNew: true)
        try await db.writeTransaction(lock: university.id!) { tx in try await pairing.create(on: tx) }
        request.auditDetail = "\(university.name)添加结对（学生\(entry.pupilID.masked)）"
        return pairing
    }

    /// Changes a pairing; ID numbers left empty keep their stored value (so nobody needs to see them to edit a line).
    func update(_ id: UUID?, _ input: PairingInput) async throws -> Pairing {
        let (pairing, university) = try await request.roster.writablePairing(id)
        guard let campaign = try await Campaign.find(pairing.campaignID, on: db) else { throw AppError.notFound("活动年度") }
        var input = input
        if TextNormaliser.clean(input.pupilId).isEmpty { input.pupilId = try request.cipher.open(pairing.pupilIDCipher) }
        if TextNormaliser.clean(input.volunteerId).isEmpty { input.volunteerId = try request.cipher.open(pairing.volunteerIDCipher) }
        if input.studentNo == nil { input.studentNo = try request.cipher.open(pairing.studentNoCipher) }
        let entry = try await validate(input, campaign: campaign, university: university, replacing: pairing)
        try RosterStore(db: db, cipher: request.cipher, campaign: campaign, university: university)
            .fill(pairing, entry, pupilHash: request.cipher.lookupHash(entry.pupilID.value),
                  volunteerHash: request.cipher.lookupHash(entry.volunteerID.value), isNew: false)
        try await db.writeTransaction(lock: university.id!) { tx in try await pairing.update(on: tx) }
        request.auditDetail = "\(university.name)修改结对（学生\(pairing.pupilIDMasked)）"
        return pairing
    }

    func delete(_ id: UUID?) async throws {
        let (pairing, university) = try await request.roster.writablePairing(id)
        guard let campaign = try await Campaign.find(pairing.campaignID, on: db) else { throw AppError.notFound("活动年度") }
        // Its sessions go with it (cascade): out of the weekly summary in the same transaction.
        try await db.writeTransaction(lock: university.id!) { tx in
            try await TutoringWeeks.forget(pairings: [pairing.id!], campaign: campaign, on: tx)
            try await pairing.delete(on: tx)
        }
        request.auditDetail = "\(university.name)删除结对（学生\(pairing.pupilIDMasked)）"
    }

    /// Full numbers of one pairing, for a user with the sensitive-data permission; audited.
    func reveal(_ id: UUID?) async throws -> (Pairing, pupilID: String, volunteerID: String, studentNo: String) {
        // Outside the caller's subtree the pairing does not exist (404); visible but without the permission: 403.
        guard let id, let pairing = try await Pairing.find(id, on: db),
              let university = try await Organization.find(pairing.universityID, on: db),
              try request.access.current.actor.reaches(university.path) else { throw AppError.notFound("该结对") }
        try request.roster.requireSensitive()
        await request.audit("sensitive.reveal", target: "查看完整身份证号", detail: "查看完整身份证号（学生\(pairing.pupilIDMasked)，\(university.name)）")
        return (pairing, try request.cipher.open(pairing.pupilIDCipher), try request.cipher.open(pairing.volunteerIDCipher),
                try request.cipher.open(pairing.studentNoCipher))
    }

    // MARK: Submissions

    struct SubmissionDTO: Content {
        let id: UUID
        let universityId: UUID
        let version: Int
        let submittedAt: Date
        let onTime: Bool
        let status: RosterSubmission.Status
        let returnReason: String?
        let pupils: Int
        let volunteers: Int
        let pairings: Int

        init(_ s: RosterSubmission) {
            id = s.id!; universityId = s.universityID; version = s.version; submittedAt = s.submittedAt; onTime = s.onTime
            status = s.status; returnReason = s.returnReason; pupils = s.pupils; volunteers = s.volunteers; pairings = s.pairings
        }
    }

    /// Submits the roster as it stands: a new version with an encrypted snapshot, on time or late by the calendar.
    func submit(campaign: Campaign, university: Organization) async throws -> RosterSubmission {
        let now = request.now, username = try request.access.current.user.username, cipher = request.cipher
        // Under the university's write lock: of parallel clicks one submits, the others find it waiting for review.
        let submission = try await db.writeTransaction(lock: university.id!) { tx in
            let pairings = try await Pairing.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
            guard !pairings.isEmpty else { throw AppError.invalid("结对名单为空，不能报送") }
            let latest = try await RosterSubmission.query(on: tx).filter(\.$campaignID == campaign.id!)
                .filter(\.$universityID == university.id!).sort(\.$version, .descending).first()
            if let latest, latest.status == .submitted {
                throw AppError.conflict("第\(latest.version)版已报送、等待团省委审核；如需修改请等待退回")
            }
            let submission = RosterSubmission()
            submission.campaignID = campaign.id!
            submission.universityID = university.id!
            submission.version = (latest?.version ?? 0) + 1
            submission.submittedAt = now
            submission.submittedBy = username
            submission.onTime = CampaignCalendar.isOnTime(submittedOn: LocalDate(instant: now), due: campaign.calendar.rosterDue)
            submission.status = .submitted
            submission.pupils = Set(pairings.map(\.pupilIDHash)).count
            submission.volunteers = Set(pairings.map(\.volunteerIDHash)).count
            submission.pairings = pairings.count
            submission.snapshot = try cipher.sealData(try JSONEncoder().encode(pairings.map(Snapshot.init)))
            try await submission.create(on: tx)
            return submission
        }
        request.auditDetail = "\(university.name)报送\(campaign.year)年度结对名单第\(submission.version)版（\(submission.onTime ? "按时" : "逾期")）"
        return submission
    }

    /// The province returns a submission with a reason, or accepts it.
    func review(_ id: UUID?, accept: Bool, reason: String?) async throws -> RosterSubmission {
        guard try request.access.current.org.kind == .province else { throw AppError.forbidden("只有团省委可以审核结对名单") }
        guard let id, let found = try await RosterSubmission.find(id, on: db) else { throw AppError.notFound("该报送") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !accept && reason.isEmpty { throw AppError.invalid("退回时请填写理由") }
        let reviewer = try request.access.current.user.username
        let submission = try await db.writeTransaction(lock: found.universityID) { tx in
            // Re-read under the lock: two reviewers at once must not both decide.
            guard let submission = try await RosterSubmission.find(id, on: tx) else { throw AppError.notFound("该报送") }
            guard submission.status == .submitted else { throw AppError.conflict("该版本已审核") }
            submission.status = accept ? .accepted : .returned
            submission.returnReason = accept ? nil : String(reason.prefix(500))
            submission.reviewedBy = reviewer
            try await submission.update(on: tx)
            return submission
        }
        request.auditDetail = "\(accept ? "审核通过" : "退回")结对名单第\(submission.version)版"
        if let university = try await Organization.find(submission.universityID, on: db) {
            let year = try await Campaign.find(submission.campaignID, on: db)?.year
            let what = "\(year.map { "\($0)年度" } ?? "")结对名单第\(submission.version)版"
            try await request.inbox.notify([Notice(
                orgID: university.id!, orgName: university.name, kind: accept ? .accepted : .returned,
                title: accept ? "\(university.name)的结对名单第\(submission.version)版已审核通过" : "\(university.name)的结对名单第\(submission.version)版被退回",
                body: accept ? "团省委已审核通过\(university.name)报送的\(what)。"
                    : "团省委退回了\(university.name)报送的\(what)。理由：\(submission.returnReason ?? "")。请修改后重新报送。",
                url: Layout.link("/roster", campaign: year, orgID: university.id))])
        }
        return submission
    }

    /// What a submission keeps of each pairing: names, masked and encrypted IDs, never plaintext.
    struct Snapshot: Codable {
        let pupilName, pupilSex, pupilIDCipher, pupilIDMasked, studentNoCipher, school, gradeClass: String
        let countyID: UUID
        let volunteerName, volunteerIDCipher, volunteerIDMasked: String
        let startDate: String?

        init(_ p: Pairing) {
            pupilName = p.pupilName; pupilSex = p.pupilSex; pupilIDCipher = p.pupilIDCipher; pupilIDMasked = p.pupilIDMasked
            studentNoCipher = p.studentNoCipher; school = p.school; gradeClass = p.gradeClass; countyID = p.countyID
            volunteerName = p.volunteerName; volunteerIDCipher = p.volunteerIDCipher; volunteerIDMasked = p.volunteerIDMasked
            startDate = p.startDate
        }
    }
}

extension Request {
    var rosterLines: RosterLines { RosterLines(request: self) }
}
