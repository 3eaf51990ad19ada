// The 附件3 importer, on the roster's pipeline: read → locate header → validate lines → compare with the unit's
// table → preview or commit in one transaction. Nothing is stored when any line is wrong.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct ActivityImport {
    let db: any Database
    let campaign: Campaign
    let unit: Organization
    let today: LocalDate

    struct Checked {
        var report: ImportReport
        var entries: [ActivityEntry]
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    func check(data: Data, filename: String, mode: ImportMode) async throws -> Checked {
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: ActivityColumns.specs)
        let existing = try await table()
        var report = ImportReport(stored: existing.count)
        let layout: TableLayout
        switch TableLayout.locate(in: rows, columns: ActivityColumns.specs) {
        case .success(let found): layout = found
        case .failure(let problem):
            report.refuse(row: rows.first?.number ?? 1, column: "表头", message: problem.message)
            return Checked(report: report, entries: [], layout: nil, problems: [])
        }
        var entries: [ActivityEntry] = [], problems: [RowProblem] = []
        for row in layout.rows {
            var values: [String: String] = [:]
            for (title, index) in layout.columns { values[title] = row.cell(index) }
            let input = ActivityInput(row: row.number, values: values)
            if input.isTemplatePlaceholder { continue }
            let (entry, found) = ActivityRules.validate(input, campaignYear: campaign.year, today: today)
            problems += found
            if let entry { entries.append(entry) }
        }
        if entries.isEmpty && !problems.contains(where: { !$0.warning }) {
            problems.append(RowProblem(row: layout.headerRow, column: "表头", message: "表格中没有活动，请在表头下方逐行填写"))
        }
        problems += duplicates(entries)

        let plan = match(entries, existing: existing)
        for pair in plan {
            let when = ActivityPageBuilder.when(pair.entry)
            if let current = pair.existing {
                let fields = ActivityDiff.changedFields(current.entry, hosted(pair.entry))
                if !fields.isEmpty { report.updated += 1; report.note("updated", pair.entry.title, "改动：" + fields.joined(separator: "、")) }
            } else {
                report.added += 1
                report.note("added", pair.entry.title, when)
            }
        }
        if mode == .replace {
            let kept = Set(plan.compactMap { $0.existing?.id })
            let removed = existing.filter { !kept.contains($0.id!) }
            report.removed = removed.count
            for a in removed { report.note("removed", a.title, ActivityPageBuilder.when(a.entry)) }
        }

        report.list(problems, position: layout.columns, layout: layout, subjectColumn: ActivityColumns.title)
        return Checked(report: report, entries: entries, layout: layout, problems: problems)
    }

    func run(data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        var checked = try await check(data: data, filename: filename, mode: mode)
        guard commit, checked.report.errors.isEmpty else { return checked.report }
        let entries = checked.entries
        let changes = try await db.writeTransaction(lock: unit.id!) { tx in
            try await ActivityImport(db: tx, campaign: campaign, unit: unit, today: today).apply(entries, mode: mode)
        }
        checked.report.record(changes)
        checked.report.stored = try await table().count
        checked.report.committed = true
        return checked.report
    }

    /// Writes the file's lines: matched activities keep their id (so plan and update compare line by line),
    /// new ones are created, and in replace mode the unit's other activities are removed.
    private func apply(_ entries: [ActivityEntry], mode: ImportMode) async throws -> ImportChanges {
        var changes = ImportChanges()
        let existing = try await table()
        let plan = match(entries, existing: existing)
        var kept = Set<UUID>()
        for (index, pair) in plan.enumerated() {
            let activity = pair.existing ?? Activity()
            if pair.existing == nil {
                activity.campaignID = campaign.id!
                activity.orgID = unit.id!
                activity.coHostIDs = ""
            }
            // The same test as the preview's: a line counts as updated when a field the office sees changed.
            let edited = pair.existing.map { !ActivityDiff.changedFields($0.entry, hosted(pair.entry)).isEmpty } ?? false
            activity.position = index + 1
            activity.fill(pair.entry, unitName: unit.name)
            if let id = activity.id { kept.insert(id) }
            if pair.existing == nil {
                try await activity.create(on: db)
                changes.added += 1
            } else if activity.hasChanges {
                try await activity.update(on: db)
                if edited { changes.updated += 1 }
            }
        }
        let others = existing.filter { !kept.contains($0.id!) }
        if mode == .replace {
            changes.removed = others.count
            for chunk in others.compactMap(\.id).chunked(into: 500) { try await Activity.query(on: db).filter(\.$id ~~ Array(chunk)).delete() }
        } else {
            for (offset, activity) in others.enumerated() where activity.position != plan.count + offset + 1 {
                activity.position = plan.count + offset + 1
                try await activity.update(on: db)
            }
        }
        return changes
    }

    private func table() async throws -> [Activity] {
        try await Activity.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).sort(\.$position).all()
    }

    /// The entry with the unit's name where the line left 主办单位 empty (as it is stored).
    private func hosted(_ e: ActivityEntry) -> ActivityEntry {
        var copy = e
        if copy.host.isEmpty { copy.host = unit.name }
        copy.row = 0
        return copy
    }

    /// Pairs each line with a stored activity of the same title (and, among same titles, the same start date first);
    /// titles are how offices recognise their own lines from one version of the table to the next.
    private func match(_ entries: [ActivityEntry], existing: [Activity]) -> [(entry: ActivityEntry, existing: Activity?)] {
        var byTitle: [String: [Activity]] = [:]
        for a in existing { byTitle[TextNormaliser.headerKey(a.title), default: []].append(a) }
        var taken = Set<UUID>()
        return entries.map { entry in
            let candidates = (byTitle[TextNormaliser.headerKey(entry.title)] ?? []).filter { !taken.contains($0.id!) }
            let found = candidates.first { $0.startDate == entry.startDate.iso } ?? candidates.first
            if let found { taken.insert(found.id!) }
            return (entry, found)
        }
    }

    /// The same title on the same day twice is almost always a line pasted twice: say so, do not refuse.
    private func duplicates(_ entries: [ActivityEntry]) -> [RowProblem] {
        var first: [String: Int] = [:]
        var out: [RowProblem] = []
        for e in entries {
            let key = TextNormaliser.headerKey(e.title) + "|" + e.startDate.iso
            if let row = first[key] {
                out.append(RowProblem(row: e.row, column: ActivityColumns.title,
                                      message: "与第\(row)行的活动主题和开展时间相同，请确认不是重复填写", warning: true))
            } else { first[key] = e.row }
        }
        return out
    }
}

extension Request {
    func activityImporter(_ campaign: Campaign, _ unit: Organization) -> ActivityImport {
        ActivityImport(db: db, campaign: campaign, unit: unit, today: LocalDate(instant: now))
    }
}
