// The roster importer: read → locate header → validate lines → cross-check the file → check
// against the database (other universities, existing pairs) → preview or commit in one transaction.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct RosterImport {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let university: Organization
    let today: LocalDate

    /// The validated file, kept so a commit does not re-read it.
    struct Checked {
        var report: ImportReport
        var entries: [RosterEntry]
        /// Keyed hashes of each entry's pupil and volunteer ID, computed once.
        var hashes: [(pupil: String, volunteer: String)] = []
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    func check(data: Data, filename: String, mode: ImportMode) async throws -> Checked {
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: RosterColumn.specs)
        let existing = try await Pairing.query(on: db)
            .filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        var report = ImportReport(stored: existing.count)

        let layout: TableLayout
        switch TableLayout.locate(in: rows, columns: RosterColumn.specs) {
        case .success(let found): layout = found
        case .failure(let problem):
            report.refuse(row: rows.first?.number ?? 1, column: "表头", message: problem.message)
            return Checked(report: report, entries: [], hashes: [], layout: nil, problems: [])
        }

        let policy = try await RosterPolicyLoader.policy(db: db, campaign: campaign, university: university, today: today)
        // Lines are independent: validate (and hash) them on every core, then put the results back in order.
        let titles = Array(layout.columns.keys), positions = titles.map { layout.columns[$0]! }
        let cipher = self.cipher
        let parts = await withTaskGroup(of: (Int, [RosterEntry], [RowProblem], [(pupil: String, volunteer: String)]).self) { group in
            for (index, chunk) in layout.rows.chunked(into: max(1, layout.rows.count / ProcessInfo.processInfo.activeProcessorCount + 1)).enumerated() {
                group.addTask {
                    var entries: [RosterEntry] = [], problems: [RowProblem] = [], hashes: [(pupil: String, volunteer: String)] = []
                    for row in chunk {
                        let input = RosterInput(row: row.number, titles: titles, cells: positions.map { row.cell($0) })
                        let (entry, found) = RosterRules.validate(input, policy: policy)
                        problems += found
                        if let entry {
                            entries.append(entry)
                            hashes.append((cipher.lookupHash(entry.pupilID.value), cipher.lookupHash(entry.volunteerID.value)))
                        }
                    }
                    return (index, entries, problems, hashes)
                }
            }
            var parts: [(Int, [RosterEntry], [RowProblem], [(pupil: String, volunteer: String)])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }
        }
        var problems = parts.flatMap(\.2)
        let entries = parts.flatMap(\.1)
        let hashes = parts.flatMap(\.3)
        problems += RosterRules.crossCheck(entries)
        problems += try await pairedElsewhere(entries, hashes: hashes)

        // The diff against what the university holds now, matched by pupil ID + volunteer ID.
        let existingByPair = Dictionary(existing.map { ($0.pairHash, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>()
        for (entry, hash) in zip(entries, hashes) {
            let key = hash.pupil + "|" + hash.volunteer
            guard seen.insert(key).inserted else { continue }    // a duplicate line is an error, not a second pair
            let detail = "\(entry.pupilID.masked) ↔ \(entry.volunteerName)"
            if let current = existingByPair[key] {
                if try Self.differs(current, entry, cipher: cipher) { report.updated += 1; report.note("updated", entry.pupilName, detail) }
            } else {
                report.added += 1
                report.note("added", entry.pupilName, detail)
            }
        }
        if mode == .replace {
            let removed = existing.filter { !seen.contains($0.pairHash) }
            report.removed = removed.count
            for p in removed { report.note("removed", p.pupilName, "\(p.pupilIDMasked) ↔ \(p.volunteerName)") }
        }

        report.list(problems, position: layout.columns, layout: layout, subjectColumn: RosterColumn.pupilName)
        return Checked(report: report, entries: entries, hashes: hashes, layout: layout, problems: problems)
    }

    /// Validates and, when `commit` and nothing is wrong, writes all changes in one transaction.
    func run(data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        var checked = try await check(data: data, filename: filename, mode: mode)
        guard commit, checked.report.errors.isEmpty else { return checked.report }
        let entries = checked.entries, hashes = checked.hashes
        // The sheet's rows are only for an error workbook: not kept through the writing.
        checked.layout = nil
        checked.problems = []
        // The lock makes parallel imports of one roster queue; each reports what it changed itself, so a file
        // imported twice at once says "added 200" once and "unchanged" the second time.
        let changes = try await db.writeTransaction(lock: university.id!) { tx in
            try await RosterStore(db: tx, cipher: cipher, campaign: campaign, university: university)
                .apply(entries, hashes: hashes, mode: mode)
        }
        checked.report.record(changes)
        checked.report.stored = try await Pairing.query(on: db)
            .filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).count()
        checked.report.committed = true
        return checked.report
    }

    /// A pupil may be paired by one university only in a campaign: refuse, naming neither the other one nor its data.
    /// One pass over the other universities' pupil hashes (two short columns) beats thousands of IN look-ups.
    private func pairedElsewhere(_ entries: [RosterEntry], hashes: [(pupil: String, volunteer: String)]) async throws -> [RowProblem] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT DISTINCT pupil_id_hash, university_id FROM pairings
            WHERE campaign_id = \(bind: campaign.id!) AND university_id <> \(bind: university.id!)
            """).all()
        guard !rows.isEmpty else { return [] }
        var owners: [String: UUID] = [:]
        for row in rows { owners[try row.decode(column: "pupil_id_hash", as: String.self)] = try row.decode(column: "university_id", as: UUID.self) }
        let clashes = zip(entries, hashes).compactMap { entry, hash in owners[hash.pupil].map { (entry, hash.pupil, $0) } }
        guard !clashes.isEmpty else { return [] }
        // Refused without naming the other university; the county and the province see both on the conflicts list.
        let claims = clashes.compactMap { entry, hash, owner in
            UUID(uuidString: entry.county.key).map {
                PairingConflicts.Claim(countyID: $0, pupilHash: hash, pupilMasked: entry.pupilID.masked, pupilName: entry.pupilName, owner: owner)
            }
        }
        try await PairingConflicts.store(claims, db: db, campaign: campaign, claimant: university, now: Date())
        return clashes.map { entry, _, _ in
            RowProblem(row: entry.row, column: RosterColumn.pupilID, message: PairingConflicts.message)
        }
    }

    /// Whether a stored pairing differs from a line in anything the office sees (the preview and the commit agree).
    static func differs(_ p: Pairing, _ e: RosterEntry, cipher: PersonalDataCipher) throws -> Bool {
        if p.pupilName != e.pupilName || p.pupilSex != e.sex.rawValue || p.school != e.school || p.gradeClass != e.gradeClass
            || p.countyID.uuidString != e.county.key || p.volunteerName != e.volunteerName || p.startDate != e.startDate?.iso
            || p.guardianConsent != e.consent || p.consentDate != e.consentDate?.iso {
            return true
        }
        return try cipher.open(p.studentNoCipher) != e.studentNo
    }
}

/// Writes validated entries: the one place pairings are created or changed from roster lines.
struct RosterStore {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let university: Organization

    func apply(_ entries: [RosterEntry], hashes: [(pupil: String, volunteer: String)], mode: ImportMode) async throws -> ImportChanges {
        var changes = ImportChanges()
        let existing = try await Pairing.query(on: db)
            .filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        var byPair = Dictionary(existing.map { ($0.pairHash, $0) }, uniquingKeysWith: { a, _ in a })
        var fresh: [(RosterEntry, (pupil: String, volunteer: String))] = []
        for (entry, hash) in zip(entries, hashes) {
            if let current = byPair.removeValue(forKey: hash.pupil + "|" + hash.volunteer) {
                let edited = try RosterImport.differs(current, entry, cipher: cipher)
                try fill(current, entry, pupilHash: hash.pupil, volunteerHash: hash.volunteer, isNew: false)
                if current.hasChanges { try await current.update(on: db) }
                if edited { changes.updated += 1 }
            } else {
                fresh.append((entry, hash))
            }
        }
        // New lines as plain rows, not models (50,000 Fluent models cost hundreds of megabytes), sorted by the
        // pupil's hash so neighbouring rows land on neighbouring index pages. Encryption of the next batch runs
        // on another core while the database takes the current one.
        fresh.sort { $0.1.pupil < $1.1.pupil }
        let now = Date()
        let cipher = self.cipher, campaignID = campaign.id!, universityID = university.id!
        /// A volunteer tutors ~3 pupils: its ID is sealed once per import and the ciphertext reused (the look-up
        /// hash beside it already shows which lines share a volunteer, so this reveals nothing more).
        typealias Built = (rows: [[SQLValue]], ids: TimeOrderedUUIDs, sealed: [String: String])
        @Sendable func rows(_ batch: ArraySlice<(RosterEntry, (pupil: String, volunteer: String))>, ids: TimeOrderedUUIDs,
                            sealed: [String: String]) throws -> Built {
            var ids = ids, sealed = sealed
            let rows: [[SQLValue]] = try batch.map { entry, hash in
                guard let countyID = UUID(uuidString: entry.county.key) else { throw AppError.invalid("县（市、区）无效") }
                let volunteerCipher = try sealed[hash.volunteer] ?? cipher.seal(entry.volunteerID.value)
                sealed[hash.volunteer] = volunteerCipher
                return [.uuid(ids.next()), .uuid(campaignID), .uuid(universityID), .uuid(countyID), .text(entry.pupilName),
                        .text(entry.sex.rawValue), .text(try cipher.seal(entry.pupilID.value)), .text(hash.pupil),
                        .text(entry.pupilID.masked), .int(entry.pupilAge), .text(try cipher.seal(entry.studentNo)),
                        .text(entry.school), .text(entry.gradeClass), .text(entry.volunteerName),
                        .text(volunteerCipher), .text(hash.volunteer), .text(entry.volunteerID.masked),
                        .optional(entry.startDate?.iso), .optional(entry.consent), .optional(entry.consentDate?.iso), .date(now), .date(now)]
            }
            return (rows, ids, sealed)
        }
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "sqlite", fresh.count > 1000 {
            // A bulk load touches every page of four indexes on random keys: a 64 MB page cache for this connection,
            // and each multi-row INSERT's statement journal (kept to undo just that statement) in memory, not a file.
            try await sql.raw("PRAGMA cache_size = -65536").run()
            try await sql.raw("PRAGMA temp_store = MEMORY").run()
        }
        // New ids in pupil-hash order too, so the primary key and the pupil-led indexes are appended to.
        let batches = fresh.chunked(into: 2500)
        var next: Task<Built, any Error>? = batches.first.map { first in Task { try rows(first, ids: TimeOrderedUUIDs(now: now), sealed: [:]) } }
        for index in batches.indices {
            let current = try await next!.value
            next = index + 1 < batches.count
                ? Task { [batch = batches[index + 1]] in try rows(batch, ids: current.ids, sealed: current.sealed) } : nil
            try await BulkInsert.run(sql, table: Pairing.schema, columns: Self.insertColumns, rows: current.rows)
        }
        changes.added = fresh.count
        if mode == .replace {
            changes.removed = byPair.count
            // Their sessions go with them (cascade): out of the weekly summary first, in this transaction.
            try await TutoringWeeks.forget(pairings: byPair.values.compactMap(\.id), campaign: campaign, on: db)
            for chunk in byPair.values.compactMap(\.id).chunked(into: 500) {
                try await Pairing.query(on: db).filter(\.$id ~~ Array(chunk)).delete()
            }
        }
        return changes
    }

    static let insertColumns = ["id", "campaign_id", "university_id", "county_id", "pupil_name", "pupil_sex", "pupil_id_cipher",
                                "pupil_id_hash", "pupil_id_masked", "pupil_age", "student_no_cipher", "school", "grade_class",
                                "volunteer_name", "volunteer_id_cipher", "volunteer_id_hash", "volunteer_id_masked", "start_date",
                                "guardian_consent", "consent_date", "created_at", "updated_at"]

    /// Sets a pairing from a line; ciphertexts are renewed only when the value changed (a new nonce would otherwise mark every row as changed).
    func fill(_ p: Pairing, _ e: RosterEntry, pupilHash: String, volunteerHash: String, isNew: Bool) throws {
        guard let countyID = UUID(uuidString: e.county.key) else { throw AppError.invalid("县（市、区）无效") }
        p.countyID = countyID
        p.pupilName = e.pupilName
        p.pupilSex = e.sex.rawValue
        if isNew || p.pupilIDHash != pupilHash { p.pupilIDCipher = try cipher.seal(e.pupilID.value) }
        p.pupilIDHash = pupilHash
        p.pupilIDMasked = e.pupilID.masked
        p.pupilAge = e.pupilAge
        if isNew || (try? cipher.open(p.studentNoCipher)) != e.studentNo { p.studentNoCipher = try cipher.seal(e.studentNo) }
        p.school = e.school
        p.gradeClass = e.gradeClass
        p.volunteerName = e.volunteerName
        if isNew || p.volunteerIDHash != volunteerHash { p.volunteerIDCipher = try cipher.seal(e.volunteerID.value) }
        p.volunteerIDHash = volunteerHash
        p.volunteerIDMasked = e.volunteerID.masked
        p.startDate = e.startDate?.iso
        p.guardianConsent = e.consent
        p.consentDate = e.consentDate?.iso
    }
}

/// What the rules need to know about a university in a campaign: its 附件1 counties, the age range, dates.
enum RosterPolicyLoader {
    static func counties(db: any Database) async throws -> [CountyRef] {
        let orgs = try await Organization.query(on: db).filter(\.$kind ~~ [.city, .county]).all()
        let cities = Dictionary(uniqueKeysWithValues: orgs.filter { $0.kind == .city }.map { ($0.id!, $0.name) })
        return orgs.filter { $0.kind == .county }.map {
            CountyRef(key: $0.id!.uuidString, code: $0.code ?? "", name: $0.name, cityName: cities[$0.parentID ?? UUID()] ?? "")
        }
    }

    static func policy(db: any Database, campaign: Campaign, university: Organization, today: LocalDate) async throws -> RosterPolicy {
        let assigned = try await TutoringAssignment.query(on: db)
            .filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all(\.$countyID)
        return RosterPolicy(rosterDate: campaign.calendar.rosterDue, today: today, ageRange: campaign.schoolAges,
                            assignedCounties: Set(assigned.map(\.uuidString)), universityName: university.name,
                            counties: CountyMatcher(try await counties(db: db)),
                            startRange: campaign.tutoringPeriod.start...max(campaign.tutoringPeriod.start, campaign.tutoringPeriod.end))
    }
}

extension Array {
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
