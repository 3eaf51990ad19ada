// The 希望乡村教师 register's importer, on the shared pipeline: read → locate header → validate lines → one volunteer
// at one school at a time (across the file and every unit's register) → preview or commit in one transaction.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct DeploymentImport {
    let db: any Database
    let campaign: Campaign
    let unit: Organization
    let today: LocalDate
    let cipher: PersonalDataCipher

    struct Checked {
        var report: ImportReport
        var entries: [DeploymentEntry]
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    /// A line is the same posting as a stored one when the volunteer and the start date agree.
    private func key(_ hash: String, _ start: String) -> String { hash + "|" + start }

    func check(data: Data, filename: String, mode: ImportMode) async throws -> Checked {
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: DeploymentColumn.specs)
        let existing = try await table()
        var report = ImportReport(stored: existing.count)
        let layout: TableLayout
        switch TableLayout.locate(in: rows, columns: DeploymentColumn.specs) {
        case .success(let found): layout = found
        case .failure(let problem):
            report.refuse(row: rows.first?.number ?? 1, column: "表头", message: problem.message)
            return Checked(report: report, entries: [], layout: nil, problems: [])
        }
        let policy = try await DeploymentRegister.policy(db: db, unit: unit, today: today)
        var entries: [DeploymentEntry] = [], problems: [RowProblem] = []
        for row in layout.rows {
            var values: [String: String] = [:]
            for (title, index) in layout.columns { values[title] = row.cell(index) }
            let (entry, found) = DeploymentRules.validate(RegisterInput(row: row.number, values: values), policy: policy)
            problems += found
            if let entry { entries.append(entry) }
        }
        if entries.isEmpty && problems.isEmpty {
            problems.append(RowProblem(row: layout.headerRow, column: "表头", message: "表格中没有派驻记录，请在表头下方逐行填写"))
        }
        // Lines of this unit's table the file takes the place of do not count against it.
        let hashes = entries.map { cipher.lookupHash($0.id.value) }
        let byKey = Dictionary(existing.map { (key($0.volunteerIDHash, $0.startDate), $0) }, uniquingKeysWith: { a, _ in a })
        let replaced: Set<UUID> = mode == .replace ? Set(existing.compactMap(\.id))
            : Set(zip(entries, hashes).compactMap { byKey[key($1, $0.start.iso)]?.id })
        let stored = try await DeploymentRegister.postings(db, hashes: hashes, except: replaced)
        problems += DeploymentRules.overlaps(zip(entries, hashes).map { ($0.row, .init(volunteer: $1, term: $0.term, school: $0.school)) }, stored: stored)

        var seen = Set<String>()
        for (e, hash) in zip(entries, hashes) {
            let k = key(hash, e.start.iso)
            seen.insert(k)
            if let current = byKey[k] {
                let fields = changedFields(current, e)
                if !fields.isEmpty { report.updated += 1; report.note("updated", "\(e.name)（\(e.school)）", "改动：" + fields.joined(separator: "、")) }
            } else {
                report.added += 1
                report.note("added", "\(e.name)（\(e.school)）", "\(e.start.iso)至\(e.end.iso)")
            }
        }
        if mode == .replace {
            let removed = existing.filter { !seen.contains(key($0.volunteerIDHash, $0.startDate)) }
            report.removed = removed.count
            for d in removed { report.note("removed", "\(d.volunteerName)（\(d.school)）", "\(d.startDate)至\(d.endDate)") }
        }
        report.list(problems, position: layout.columns, layout: layout, subjectColumn: DeploymentColumn.name)
        return Checked(report: report, entries: entries, layout: layout, problems: problems)
    }

    /// The columns an office would see changed (the ID number is the match key, so it is never one of them).
    private func changedFields(_ d: Deployment, _ e: DeploymentEntry) -> [String] {
        var out: [String] = []
        if d.volunteerName != e.name { out.append(DeploymentColumn.name) }
        if d.sex != e.sex.rawValue { out.append(DeploymentColumn.sex) }
        if d.programme != e.programme.rawValue { out.append(DeploymentColumn.programme) }
        if d.universityID?.uuidString != e.university?.key { out.append(DeploymentColumn.university) }
        if d.school != e.school { out.append(DeploymentColumn.school) }
        if d.countyID.uuidString != e.county.key { out.append(DeploymentColumn.county) }
        if d.subject != e.subject { out.append(DeploymentColumn.subject) }
        if d.endDate != e.end.iso { out.append(DeploymentColumn.end) }
        if d.endedOn != e.endedOn?.iso || (d.endReason ?? "") != e.endReason { out.append(DeploymentColumn.endedOn) }
        return out
    }

    func run(data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        var checked = try await check(data: data, filename: filename, mode: mode)
        guard commit, checked.report.errors.isEmpty else { return checked.report }
        let entries = checked.entries
        let changes = try await db.writeTransaction(lock: try DeploymentRegister.registerLock(unit)) { tx in
            // Checked again under the lock: another unit may have posted one of these volunteers since the preview.
            let again = try await DeploymentImport(db: tx, campaign: campaign, unit: unit, today: today, cipher: cipher).check(data: data, filename: filename, mode: mode)
            guard again.report.errors.isEmpty else { throw AppError.invalid("导入期间数据已被他人修改，请重新上传检查") }
            return try await DeploymentImport(db: tx, campaign: campaign, unit: unit, today: today, cipher: cipher).apply(entries, mode: mode)
        }
        checked.report.record(changes)
        checked.report.stored = try await table().count
        checked.report.committed = true
        return checked.report
    }

    private func apply(_ entries: [DeploymentEntry], mode: ImportMode) async throws -> ImportChanges {
        var changes = ImportChanges()
        let existing = try await table()
        var byKey = Dictionary(existing.map { (key($0.volunteerIDHash, $0.startDate), $0) }, uniquingKeysWith: { a, _ in a })
        var kept = Set<UUID>()
        for e in entries {
            let k = key(cipher.lookupHash(e.id.value), e.start.iso)
            if let d = byKey[k] {
                let edited = !changedFields(d, e).isEmpty
                try DeploymentRegister.fill(d, e, cipher: cipher)
                kept.insert(d.id!)
                if edited { try await d.update(on: db); changes.updated += 1 }
            } else {
                let d = Deployment()
                d.campaignID = campaign.id!
                d.orgID = unit.id!
                try DeploymentRegister.fill(d, e, cipher: cipher)
                try await d.create(on: db)
                byKey[k] = d
                kept.insert(d.id!)
                changes.added += 1
            }
        }
        if mode == .replace {
            let removed = existing.compactMap(\.id).filter { !kept.contains($0) }
            changes.removed = removed.count
            for chunk in removed.chunked(into: 500) { try await Deployment.query(on: db).filter(\.$id ~~ Array(chunk)).delete() }
        }
        return changes
    }

    private func table() async throws -> [Deployment] {
        try await Deployment.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).sort(\.$startDate).all()
    }
}

extension Request {
    func deploymentImporter(_ campaign: Campaign, _ unit: Organization) -> DeploymentImport {
        DeploymentImport(db: db, campaign: campaign, unit: unit, today: LocalDate(instant: now), cipher: appServices.cipher)
    }
}
