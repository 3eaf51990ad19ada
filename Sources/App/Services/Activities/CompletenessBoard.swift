// The completeness board: per unit, what it reported (one SQL aggregate, the same on SQLite and PostgreSQL) and
// what it submitted, judged by the campaign's calendar and quotas; rolled up the way each level reads it.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct CompletenessBoard: Sendable {
    struct Unit: Sendable {
        let org: Organization
        let status: UnitCompleteness
    }

    /// One line of the board: a unit alone, or a unit with everything below it.
    struct Row: Sendable {
        let org: Organization
        let totals: CompletenessTotals
        /// Only for a unit shown alone: what it still owes.
        let missing: [String]
        let rolledUp: Bool
    }

    let campaign: Campaign
    let root: Organization
    let today: LocalDate
    /// Every organisation in the root's subtree (the root included), by id.
    let organisations: [UUID: Organization]
    let units: [UUID: Unit]

    /// Loads the subtree of `root`: two aggregate statements (activities by unit; submissions) and the organisations.
    static func load(db: any Database, campaign: Campaign, root: Organization, today: LocalDate) async throws -> CompletenessBoard {
        let sql = db as! any SQLDatabase
        let scope: SQLQueryString = root.kind == .province ? "" : " AND org_id IN (SELECT id FROM organizations WHERE path LIKE \(bind: root.path + "%"))"
        let tallies = try await sql.raw("""
            SELECT org_id, COUNT(*) AS n,
                   CAST(SUM(CASE WHEN demonstration THEN 1 ELSE 0 END) AS BIGINT) AS demos,
                   CAST(SUM(CASE WHEN key_publicity THEN 1 ELSE 0 END) AS BIGINT) AS keys,
                   CAST(SUM(people_covered) AS BIGINT) AS people,
                   CAST(SUM(CASE WHEN category = 'academic' THEN 1 ELSE 0 END) AS BIGINT) AS academic,
                   CAST(SUM(CASE WHEN category = 'employment' THEN 1 ELSE 0 END) AS BIGINT) AS employment,
                   CAST(SUM(CASE WHEN category = 'physical' THEN 1 ELSE 0 END) AS BIGINT) AS physical,
                   CAST(SUM(CASE WHEN category = 'mental' THEN 1 ELSE 0 END) AS BIGINT) AS mental
            FROM activities WHERE campaign_id = \(bind: campaign.id!)\(scope) GROUP BY org_id
            """).all()
        var tally: [UUID: ActivityTally] = [:]
        for r in tallies {
            let id = try r.decode(column: "org_id", as: UUID.self)
            func n(_ c: String) throws -> Int { try r.decode(column: c, as: Int?.self) ?? 0 }
            tally[id] = ActivityTally(counts: ActivityCounts(activities: try n("n"), demonstrations: try n("demos"), keyPublicity: try n("keys")),
                                      people: try n("people"),
                                      byCategory: [.academic: try n("academic"), .employment: try n("employment"),
                                                   .physical: try n("physical"), .mental: try n("mental")])
        }
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
        let orgs = try await Organization.query(on: db).filter(\.$path =~ root.path).all()
        var units: [UUID: Unit] = [:]
        for org in orgs where org.kind != .province {
            let stages = (versions[org.id!] ?? [:]).mapValues { StageRecord(versions: $0) }
            units[org.id!] = Unit(org: org, status: UnitCompleteness.evaluate(
                kind: org.kind, tally: tally[org.id!] ?? ActivityTally(), stages: stages,
                calendar: campaign.calendar, today: today, rules: rules))
        }
        return CompletenessBoard(campaign: campaign, root: root, today: today,
                                 organisations: Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) }), units: units)
    }

    /// Units in an organisation's subtree (itself included), in a stable order.
    func units(under org: Organization) -> [Unit] {
        units.values.filter { $0.org.path.hasPrefix(org.path) }.sorted(by: Self.order)
    }

    /// Cities and counties by code, then the rest by kind and name.
    static func order(_ a: Unit, _ b: Unit) -> Bool { orgOrder(a.org, b.org) }
    static func orgOrder(_ a: Organization, _ b: Organization) -> Bool {
        let rank: [OrgKind: Int] = [.city: 0, .county: 1, .town: 2, .university: 3, .provincialUnit: 4, .province: 5]
        return (rank[a.kind]!, a.code ?? "", a.name) < (rank[b.kind]!, b.code ?? "", b.name)
    }

    /// The board as `target` reads it: the province sees cities (with their counties), universities and
    /// provincial units; a city sees itself and its counties (with their towns); a county itself and its towns.
    func rows(for target: Organization) -> [Row] {
        var out: [Row] = []
        if let own = units[target.id!] {
            out.append(Row(org: target, totals: CompletenessTotals([own.status]), missing: own.status.missing, rolledUp: false))
        }
        let children = organisations.values.filter { $0.parentID == target.id }.sorted(by: Self.orgOrder)
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
    func chase(under target: Organization) -> [Unit] {
        units(under: target).filter { UnitCompleteness.reports($0.org.kind) && !$0.status.missing.isEmpty }
            .sorted { $0.status.colour != $1.status.colour ? $0.status.colour > $1.status.colour : Self.order($0, $1) }
    }

    /// The city a unit belongs to (itself for a city), for the chase list and the consolidation.
    func city(of org: Organization) -> Organization? {
        var current: Organization? = org
        while let c = current, c.kind != .city { current = c.parentID.flatMap { organisations[$0] } }
        return current
    }
}
