// What changed between two submissions of a unit's table (the 07-08 plan and the 09-15 update, or two versions).

/// An activity as it stood in a submission, under its stable id (the stored activity's UUID string).
public struct ActivitySnapshot: Sendable, Equatable, Codable {
    public var id: String
    public var activity: ActivityEntry

    public init(id: String, activity: ActivityEntry) { self.id = id; self.activity = activity }
}

public struct ActivityDiff: Sendable, Equatable {
    public struct Edit: Sendable, Equatable {
        public let before: ActivitySnapshot
        public let after: ActivitySnapshot
        /// The changed columns' Chinese names, in the form's column order.
        public let fields: [String]
    }

    /// In the update's order.
    public let added: [ActivitySnapshot]
    /// In the plan's order.
    public let removed: [ActivitySnapshot]
    /// In the update's order; activities present in both but unchanged are not listed.
    public let edited: [Edit]

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && edited.isEmpty }

    /// Matches activities by id, never by title: a renamed activity is an edit, two activities with the same
    /// title stay two. If an id repeats within one list, its first occurrence is the one compared.
    public static func diff(plan: [ActivitySnapshot], update: [ActivitySnapshot]) -> ActivityDiff {
        var before: [String: ActivitySnapshot] = [:]
        for s in plan where before[s.id] == nil { before[s.id] = s }
        var seen: Set<String> = []
        var added: [ActivitySnapshot] = [], edited: [Edit] = []
        for s in update where seen.insert(s.id).inserted {
            guard let old = before[s.id] else { added.append(s); continue }
            let fields = changedFields(old.activity, s.activity)
            if !fields.isEmpty { edited.append(Edit(before: old, after: s, fields: fields)) }
        }
        var removedIDs: Set<String> = []
        let removed = plan.filter { !seen.contains($0.id) && removedIDs.insert($0.id).inserted }
        return ActivityDiff(added: added, removed: removed, edited: edited)
    }

    /// The columns whose values differ (the row number is where it sat in a sheet, not part of the activity).
    public static func changedFields(_ a: ActivityEntry, _ b: ActivityEntry) -> [String] {
        typealias C = ActivityColumns
        var out: [String] = []
        if a.host != b.host { out.append(C.host) }
        if a.coHosts != b.coHosts { out.append(C.coHosts) }
        if a.startDate != b.startDate || a.endDate != b.endDate { out.append(C.time) }
        if a.category != b.category { out.append(C.category) }
        if a.title != b.title { out.append(C.title) }
        if a.summary != b.summary { out.append(C.summary) }
        if a.peopleCovered != b.peopleCovered { out.append(C.peopleCovered) }
        if a.reportLinks != b.reportLinks { out.append(C.reportLinks) }
        if a.keyPublicity != b.keyPublicity { out.append(C.keyPublicity) }
        if a.workItem != b.workItem { out.append(C.workItem) }
        if a.demonstration != b.demonstration { out.append(C.demonstration) }
        if a.status != b.status { out.append(C.status) }
        return out
    }
}
