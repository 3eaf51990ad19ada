// The completeness board: per unit, what it reported (one SQL aggregate, the same on SQLite and PostgreSQL) and
// what it submitted, judged by the campaign's calendar and quotas; rolled up the way each level reads it.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

/// An organisation as the board needs it: read with one plain statement (the province's board reads every unit,
/// and Fluent models cost more to decode than the board takes to compute).
struct OrgNode: Sendable {
    let id: UUID
    let name: String
    let kind: OrgKind
    let parentID: UUID?
    let path: String
    let code: String?

    init(_ org: Organization) {
        id = org.id!; name = org.name; kind = org.kind; parentID = org.parentID; path = org.path; code = org.code
    }

    init(id: UUID, name: String, kind: OrgKind, parentID: UUID?, path: String, code: String?) {
        self.id = id; self.name = name; self.kind = kind; self.parentID = parentID; self.path = path; self.code = code
    }

    /// Cities and counties by code, then the rest by kind and name.
    static func order(_ a: OrgNode, _ b: OrgNode) -> Bool {
        if a.kind != b.kind { return a.kind.boardRank < b.kind.boardRank }
        if a.code != b.code { return (a.code ?? "") < (b.code ?? "") }
        return a.name < b.name
    }

    /// The city a unit belongs to (itself for a city); nil for universities and provincial units.
    static func city(of id: UUID, in byID: [UUID: OrgNode]) -> OrgNode? {
        var current = byID[id]
        while let c = current, c.kind != .city { current = c.parentID.flatMap { byID[$0] } }
        return current
    }

    /// Every organisation whose path starts with `prefix`.
    static func subtree(_ prefix: String, db: any SQLDatabase) async throws -> [OrgNode] {
        try await nodes(db.raw("SELECT id, name, kind, parent_id, path, code FROM organizations WHERE path LIKE \(bind: prefix + "%")"))
    }

    /// The organisations above the one at `path` (its city, the province), so a county's board can name its city.
    static func ancestors(of path: String, db: any SQLDatabase) async throws -> [OrgNode] {
        try await nodes(db.raw("""
            SELECT id, name, kind, parent_id, path, code FROM organizations
            WHERE \(bind: path) LIKE path || '%' AND path <> \(bind: path)
            """))
    }

    private static func nodes(_ query: SQLRawBuilder) async throws -> [OrgNode] {
        try await query.all().map { r in
            OrgNode(id: try r.decode(column: "id", as: UUID.self), name: try r.decode(column: "name", as: String.self),
                    kind: OrgKind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .town,
                    parentID: try r.decode(column: "parent_id", as: UUID?.self), path: try r.decode(column: "path", as: String.self),
                    code: try r.decode(column: "code", as: String?.self))
        }
    }
}

extension OrgKind {
    /// The board's order of kinds: cities (with their counties) first, then universities and provincial units.
    var boardRank: Int {
        switch self {
        case .city: return 0
        case .county: return 1
        case .town: return 2
        case .university: return 3
        case .provincialUnit: return 4
        case .province: return 5
        }
    }
}

struct CompletenessBoard: Sendable {
    struct Unit: Sendable {
        let org: OrgNode
        let status: UnitCompleteness
    }

    /// One line of the board: a unit alone, or a unit with everything below it.
    struct Row: Sendable {
        let org: OrgNode
        let totals: CompletenessTotals
        /// Only for a unit shown alone: what it still owes.
        let missing: [String]
        let rolledUp: Bool
    }

    let campaign: Campaign
    let root: OrgNode
    let today: LocalDate
    /// Every organisation in the root's subtree (the root included), by id.
    let organisations: [UUID: OrgNode]
    let units: [UUID: Unit]
    /// The reporting units in board order.
    let ordered: [Unit]

    /// Loads the subtree of `root`: two aggregate statements (activities by unit; submissions) and the organisations.
    /// `beside`: a connection pool on another event loop, if there is one — the aggregate (the longest read) runs
    /// there while this request's own connection reads the submissions, quotas and organisations.
    static func load(db: any Database, beside: (any Database)? = nil, campaign: Campaign, root: Organization,
                     today: LocalDate) async throws -> CompletenessBoard {
        let sql = db as! any SQLDatabase
        let scope: SQLQueryString = root.kind == .province ? "" : " AND org_id IN (SELECT id FROM organizations WHERE path LIKE \(bind: root.path + "%"))"
        async let aggregate = tallies(beside ?? db, campaign: campaign.id!, scope: scope)
        let submissionRows = try await sql.raw("""
            SELECT org_id, stage, version, on_time, status FROM activity_submissions
            WHERE campaign_id = \(bind: campaign.id!)\(scope)
            """).all()
        var versions: [UUID: [ActivityStage: [(version: Int, onTime: Bool, returned: Bool)]]] = [:]
        for r in submissionRows {
            guard let stage = ActivityStage(rawValue: try r.decode(column: "stage", as: String.self)) else { continue }
            let id = try r.decode(column: "org_id", as: UUID.self)
            versions[id, default: [:]][stage, default: []].append(
                (try r.decode(column: "version", as: Int.self), try r.decode(column: "on_time", as: Bool.self),
                 try r.decode(column: "status", as: String.self) == ActivitySubmission.Status.returned.rawValue))
        }
        let rules = try await CampaignQuota.query(on: db).filter(\.$campaignID == campaign.id!).all().map(\.rule)
        let orgs = try await OrgNode.subtree(root.path, db: sql)
        let tally = try await aggregate
        var units: [UUID: Unit] = [:]
        let calendar = campaign.calendar     // parsed once, not once per unit
        for org in orgs where org.kind != .province {
            let stages = (versions[org.id] ?? [:]).mapValues { StageRecord(versions: $0) }
            units[org.id] = Unit(org: org, status: UnitCompleteness.evaluate(
                kind: org.kind, tally: tally[org.id] ?? ActivityTally(), stages: stages,
                calendar: calendar, today: today, rules: rules))
        }
        let above = try await OrgNode.ancestors(of: root.path, db: sql)
        return CompletenessBoard(campaign: campaign, root: OrgNode(root), today: today,
                                 organisations: Dictionary((orgs + above).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }), units: units,
                                 ordered: units.values.sorted { OrgNode.order($0.org, $1.org) })
    }

    /// What each unit reported: one aggregate by unit (the same SQL on SQLite and PostgreSQL; sums cast to BIGINT,
    /// which PostgreSQL would otherwise return as NUMERIC).
    private static func tallies(_ db: any Database, campaign: UUID, scope: SQLQueryString) async throws -> [UUID: ActivityTally] {
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT org_id, COUNT(*) AS n,
                   CAST(SUM(CASE WHEN demonstration THEN 1 ELSE 0 END) AS BIGINT) AS demos,
                   CAST(SUM(CASE WHEN key_publicity THEN 1 ELSE 0 END) AS BIGINT) AS keys,
                   CAST(SUM(people_covered) AS BIGINT) AS people,
                   CAST(SUM(CASE WHEN category = 'academic' THEN 1 ELSE 0 END) AS BIGINT) AS academic,
                   CAST(SUM(CASE WHEN category = 'employment' THEN 1 ELSE 0 END) AS BIGINT) AS employment,
                   CAST(SUM(CASE WHEN category = 'physical' THEN 1 ELSE 0 END) AS BIGINT) AS physical,
                   CAST(SUM(CASE WHEN category = 'mental' THEN 1 ELSE 0 END) AS BIGINT) AS mental
            FROM activities WHERE campaign_id = \(bind: campaign)\(scope) GROUP BY org_id
            """).all()
        var tally: [UUID: ActivityTally] = [:]
        for r in rows {
            let id = try r.decode(column: "org_id", as: UUID.self)
            func n(_ c: String) throws -> Int { try r.decode(column: c, as: Int?.self) ?? 0 }
            tally[id] = ActivityTally(counts: ActivityCounts(activities: try n("n"), demonstrations: try n("demos"), keyPublicity: try n("keys")),
                                      people: try n("people"),
                                      byCategory: [.academic: try n("academic"), .employment: try n("employment"),
                                                   .physical: try n("physical"), .mental: try n("mental")])
        }
        // Training classes (work item 6): how many, and the best class's person-times and trainees.
        let classes = try await (db as! any SQLDatabase).raw("""
            SELECT org_id, COUNT(*) AS n, MAX(person_times) AS times, MAX(trainees) AS people
            FROM training_classes WHERE campaign_id = \(bind: campaign)\(scope) GROUP BY org_id
            """).all()
        for r in classes {
            let id = try r.decode(column: "org_id", as: UUID.self)
            func n(_ c: String) throws -> Int { try r.decode(column: c, as: Int?.self) ?? 0 }
            var t = tally[id] ?? ActivityTally()
            t.counts.trainingClasses = try n("n"); t.counts.trainingPersonTimes = try n("times"); t.counts.trainingTrainees = try n("people")
            tally[id] = t
        }
        return tally
    }

    /// Units in an organisation's subtree (itself included), in board order.
    func units(under org: OrgNode) -> [Unit] {
        org.id == root.id ? ordered : ordered.filter { $0.org.path.hasPrefix(org.path) }
    }

    /// The board as `target` reads it: the province sees cities (with their counties), universities and
    /// provincial units; a city sees itself and its counties (with their towns); a county itself and its towns.
    func rows(for target: OrgNode) -> [Row] {
        var out: [Row] = []
        if let own = units[target.id] {
            out.append(Row(org: target, totals: CompletenessTotals([own.status]), missing: own.status.missing, rolledUp: false))
        }
        let children = organisations.values.filter { $0.parentID == target.id }.sorted(by: OrgNode.order)
        for child in children {
            let below = units(under: child)
            guard !below.isEmpty else { continue }
            let rolled = below.count > 1
            out.append(Row(org: child, totals: CompletenessTotals(below.map(\.status)),
                           missing: rolled ? [] : below[0].status.missing, rolledUp: rolled))
        }
        return out
    }

    /// Reporting units below (or at) `target` that still owe something, worst first.
    /// The units below `target` that owe something, worst first; never `target` itself (a unit is not offered to chase itself).
    func chase(under target: OrgNode) -> [Unit] {
        units(under: target).filter { $0.org.id != target.id && UnitCompleteness.reports($0.org.kind) && !$0.status.missing.isEmpty }
            .sorted { $0.status.colour != $1.status.colour ? $0.status.colour > $1.status.colour : OrgNode.order($0.org, $1.org) }
    }

    /// The city a unit belongs to (itself for a city), for the chase list and the consolidation.
    func city(of org: OrgNode) -> OrgNode? { OrgNode.city(of: org.id, in: organisations) }
}
