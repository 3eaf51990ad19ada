// The volunteers of a university's roster: activation codes for their accounts, and their service hours.
import Fluent
import SQLKit
import LiangbangCore
import Vapor

struct VolunteerDirectory {
    let request: Request
    var db: any Database { request.db }

    struct Volunteer: Content {
        let key: String              // keyed hash of the ID: stable, reveals nothing
        let name: String
        let idMasked: String
        let pupils: Int
        let sessions: Int
        let minutes: Int
        /// `minutes` as hours to one decimal (`SessionRules.serviceHoursText`): the page, the certificate and the export agree.
        let hours: String
        let firstDate: String?
        let lastDate: String?
        let account: String?         // username once activated
        let code: String?            // the one-time code while unused (staff only)
    }

    /// Every volunteer of the university's roster in a campaign, with hours and account state.
    func volunteers(campaign: Campaign, university: Organization, withCodes: Bool) async throws -> [Volunteer] {
        let pairings = try await Pairing.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        let sessions = try await TutoringSession.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!)
            .field(\.$volunteerIDHash).field(\.$minutes).field(\.$date).all()
        let byVolunteer = Dictionary(grouping: sessions, by: \.volunteerIDHash)
        let codes = Dictionary(try await ActivationCode.query(on: db).filter(\.$universityID == university.id!).all().map { ($0.volunteerIDHash, $0) },
                               uniquingKeysWith: { a, _ in a })
        let users = Dictionary(try await User.query(on: db).filter(\.$orgID == university.id!).filter(\.$role == .volunteer).all()
            .compactMap { u in u.volunteerIDHash.map { ($0, u.username) } }, uniquingKeysWith: { a, _ in a })
        return try Dictionary(grouping: pairings, by: \.volunteerIDHash).map { hash, lines in
            let mine = byVolunteer[hash] ?? []
            let dates = mine.map(\.date).sorted()
            let code = codes[hash].flatMap { $0.usedAt == nil ? $0 : nil }
            return Volunteer(key: hash, name: lines[0].volunteerName, idMasked: lines[0].volunteerIDMasked,
                             pupils: Set(lines.map(\.pupilIDHash)).count, sessions: mine.count, minutes: mine.reduce(0) { $0 + $1.minutes },
                             hours: SessionRules.serviceHoursText(mine.reduce(0) { $0 + $1.minutes }),
                             firstDate: dates.first, lastDate: dates.last, account: users[hash],
                             code: withCodes ? try code.map { try request.cipher.open($0.codeCipher) } : nil)
        }.sorted { ($0.name, $0.key) < ($1.name, $1.key) }
    }

    /// Every volunteer serving pupils in the caller's territory (the province: all; a city or county: pupils in its
    /// counties), with the hours given to those pupils and the university each volunteer comes from.
    func territory(campaign: Campaign) async throws -> [(volunteer: Volunteer, university: String)] {
        let pairings = try await request.roster.readable(campaign, orgID: nil).all()
        var sessionQuery = TutoringSession.query(on: db).filter(\.$campaignID == campaign.id!)
        if try request.access.current.org.kind != .province {
            sessionQuery = sessionQuery.filter(\.$countyID ~~ Array(Set(pairings.map(\.countyID))))
        }
        let sessions = try await sessionQuery.field(\.$pairingID).field(\.$volunteerIDHash).field(\.$minutes).field(\.$date).all()
        let inTerritory = Set(pairings.compactMap(\.id))
        let byVolunteer = Dictionary(grouping: sessions.filter { inTerritory.contains($0.pairingID) }, by: \.volunteerIDHash)
        let universities = try await RosterExport(db: db, cipher: request.cipher).orgNames(Set(pairings.map(\.universityID)))
        return Dictionary(grouping: pairings, by: \.volunteerIDHash).map { hash, lines in
            let mine = byVolunteer[hash] ?? []
            let dates = mine.map(\.date).sorted()
            let minutes = mine.reduce(0) { $0 + $1.minutes }
            return (Volunteer(key: hash, name: lines[0].volunteerName, idMasked: lines[0].volunteerIDMasked,
                              pupils: Set(lines.map(\.pupilIDHash)).count, sessions: mine.count, minutes: minutes,
                              hours: SessionRules.serviceHoursText(minutes), firstDate: dates.first, lastDate: dates.last,
                              account: nil, code: nil),
                    universities[lines[0].universityID] ?? "")
        }.sorted { ($0.university, $0.volunteer.name, $0.volunteer.key) < ($1.university, $1.volunteer.name, $1.volunteer.key) }
    }

    /// Issues a one-time code to every volunteer of the roster without an account or an unused code.
    func issueCodes(campaign: Campaign, university: Organization) async throws -> Int {
        let cipher = request.cipher
        // Under the university's write lock, in one batch: a double click issues each code once, never half a list.
        let issued = try await db.writeTransaction(lock: university.id!) { tx in
            let pairings = try await Pairing.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
            let existing = Set(try await ActivationCode.query(on: tx).filter(\.$universityID == university.id!).all(\.$volunteerIDHash))
            var rows: [ActivationCode] = []
            for (hash, lines) in Dictionary(grouping: pairings, by: \.volunteerIDHash) where !existing.contains(hash) {
                let code = Self.newCode()
                let row = ActivationCode()
                row.universityID = university.id!
                row.volunteerIDHash = hash
                row.volunteerName = lines[0].volunteerName
                row.codeCipher = try cipher.seal(code)
                row.codeHash = cipher.lookupHash("activation:" + Self.normalise(code))
                rows.append(row)
            }
            for chunk in rows.chunked(into: 500) { try await Array(chunk).create(on: tx) }
            return rows.count
        }
        request.auditDetail = "\(university.name)生成志愿者激活码\(issued)个"
        return issued
    }

    /// `K7MQ-2PXD`: 8 characters without look-alikes (0/O, 1/I/L).
    static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        let chars = (0..<8).map { _ in alphabet.randomElement()! }
        return String(chars[0..<4]) + "-" + String(chars[4..<8])
    }

    static func normalise(_ code: String) -> String {
        TextNormaliser.clean(code).uppercased().filter { $0.isLetter || $0.isNumber }
    }

    /// Opens a volunteer account with a code: the account belongs to the code's university and is tied to
    /// the volunteer's roster lines. Wrong codes say nothing about which codes exist.
    /// `phone` (optional) lets the university's league teachers reach the volunteer from the chase list.
    func activate(code: String, username: String, password: String, phone: String = "") async throws -> User {
        let hash = request.cipher.lookupHash("activation:" + Self.normalise(code))
        guard let row = try await ActivationCode.query(on: db).filter(\.$codeHash == hash).first(), row.usedAt == nil else {
            await request.audit("activation.failure", target: "激活志愿者账户", detail: "激活码无效或已使用")
            throw AppError.invalid("激活码无效或已使用，请核对，或联系本校团委重新发放")
        }
        let name = username.trimmingCharacters(in: .whitespaces)
        if let why = AccountRules.usernameProblem(name) { throw AppError.invalid(why) }
        if let why = SessionController.passwordProblem(password) { throw AppError.invalid(why) }
        guard let mobile = AccountRules.phone(phone) else { throw AppError.invalid("手机号应为11位手机号码，也可以不填") }
        if try await User.query(on: db).filter(\.$username == name).count() > 0 { throw AppError.conflict("用户名“\(name)”已被使用，请换一个") }
        let user = User(username: name, displayName: row.volunteerName, passwordHash: try await request.password.async.hash(password),
                        orgID: row.universityID, role: .volunteer)
        user.volunteerIDHash = row.volunteerIDHash
        user.phone = mobile
        let now = request.now, codeID = row.id!
        // The claim is one conditional update: of parallel activations with one code exactly one finds it unused;
        // the others roll their account back.
        try await db.writeTransaction { tx in
            try await user.create(on: tx)
            let claimed = try await (tx as! any SQLDatabase).raw("""
                UPDATE activation_codes SET used_at = \(bind: now), user_id = \(bind: user.id!)
                WHERE id = \(bind: codeID) AND used_at IS NULL RETURNING id
                """).first()
            guard claimed != nil else { throw AppError.invalid("激活码无效或已使用，请核对，或联系本校团委重新发放") }
        }
        await request.audit("write", target: "激活志愿者账户", detail: "志愿者\(row.volunteerName)激活账户 \(name)", user: user)
        return user
    }
}

extension Request {
    var volunteers: VolunteerDirectory { VolunteerDirectory(request: self) }
}
