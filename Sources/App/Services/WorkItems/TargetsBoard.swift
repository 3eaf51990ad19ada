// The progress board of work item 4: the province's four targets against what the registers hold, for the
// province, by city and by university, each with the last 14 days' pace projected to 08-31 (`TargetProgress`).
// Each figure is one SQL aggregate (the same text on both engines); students are counted once through the
// stored `student_key` (`PracticeMemberEntry.key`), list-less teams by what they declared.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct TargetsBoard {
    struct Tally: Sendable { var actual = 0; var recent = 0 }
    enum Grouping: CaseIterable { case province, city, university }

    /// key → group (nil for the province) → tally.
    typealias Figures = [TargetKey: [UUID?: Tally]]

    let sql: any SQLDatabase
    let campaign: Campaign

    /// The SQL statements, by key and grouping; `benchmarks/targets-board.sh` runs the same text in the `sqlite3` CLI.
    static func statements(_ key: TargetKey, _ grouping: Grouping, campaign c: UUID, since: Date) -> [SQLQueryString] {
        let recent: SQLQueryString = "CAST(SUM(CASE WHEN first >= \(bind: since) THEN 1 ELSE 0 END) AS BIGINT) AS recent"
        switch key {
        case .practiceTeams:
            let (group, join): (SQLQueryString, SQLQueryString) = switch grouping {
                case .province: ("NULL", ""); case .city: ("o.parent_id", " JOIN organizations o ON o.id = t.county_id"); case .university: ("t.org_id", "")
            }
            return ["""
                SELECT g, CAST(COUNT(*) AS BIGINT) AS n, \(recent) FROM (SELECT \(group) AS g, t.created_at AS first FROM practice_teams t\(join)
                WHERE t.campaign_id = \(bind: c)) x GROUP BY g
                """]
        case .practiceStudents:
            let (group, join): (SQLQueryString, SQLQueryString) = switch grouping {
                case .province: ("NULL", ""); case .city: ("o.parent_id", " JOIN organizations o ON o.id = t.county_id"); case .university: ("t.org_id", "")
            }
            // Listed students once per group, from the members' own copy of the team's city and organiser (one index each).
            let listed: SQLQueryString = switch grouping {
                case .province: "SELECT NULL AS g, MIN(m.created_at) AS first FROM practice_members m WHERE m.campaign_id = \(bind: c) GROUP BY m.student_key"
                case .city: "SELECT m.city_id AS g, MIN(m.created_at) AS first FROM practice_members m WHERE m.campaign_id = \(bind: c) GROUP BY m.city_id, m.student_key"
                case .university: "SELECT m.org_id AS g, MIN(m.created_at) AS first FROM practice_members m WHERE m.campaign_id = \(bind: c) GROUP BY m.org_id, m.student_key"
            }
            return ["SELECT g, CAST(COUNT(*) AS BIGINT) AS n, \(recent) FROM (\(listed)) x GROUP BY g",
                    """
                    SELECT g, CAST(SUM(d) AS BIGINT) AS n, CAST(SUM(CASE WHEN first >= \(bind: since) THEN d ELSE 0 END) AS BIGINT) AS recent
                    FROM (SELECT \(group) AS g, t.declared_members AS d, t.created_at AS first FROM practice_teams t\(join)
                    WHERE t.campaign_id = \(bind: c) AND NOT t.has_list) x GROUP BY g
                    """]
        case .civilityPairs:
            let group: SQLQueryString
            switch grouping {
            case .province: group = "NULL"
            case .city: return []       // universities lie under the province, not in a city
            case .university: group = "p.university_id"
            }
            return ["SELECT g, CAST(COUNT(*) AS BIGINT) AS n, \(recent) FROM (SELECT \(group) AS g, p.created_at AS first FROM civility_pairs p WHERE p.campaign_id = \(bind: c)) x GROUP BY g"]
        case .returnHomeInKeyCounties:
            let (group, join): (SQLQueryString, SQLQueryString) = switch grouping {
                case .province: ("NULL", ""); case .city: ("o.parent_id", " JOIN organizations o ON o.id = r.county_id"); case .university: ("r.university_id", "")
            }
            // PostgreSQL refuses a constant in GROUP BY: the province groups by the student only.
            let by: SQLQueryString = grouping == .province ? "r.id_hash" : "\(group), r.id_hash"
            return ["""
                SELECT g, CAST(COUNT(*) AS BIGINT) AS n, \(recent) FROM (SELECT \(group) AS g, MIN(r.created_at) AS first FROM return_home_students r\(join)
                WHERE r.campaign_id = \(bind: c) AND r.county_id IN (SELECT k.county_id FROM campaign_key_counties k WHERE k.campaign_id = \(bind: c))
                GROUP BY \(by)) x GROUP BY g
                """]
        }
    }

    func figures(since: Date) async throws -> [Grouping: Figures] {
        var out: [Grouping: Figures] = [:]
        for grouping in Grouping.allCases {
            var figures: Figures = [:]
            for key in TargetKey.allCases {
                for statement in Self.statements(key, grouping, campaign: campaign.id!, since: since) {
                    for row in try await sql.raw(statement).all() {
                        let g = try row.decode(column: "g", as: UUID?.self)
                        var t = figures[key, default: [:]][g, default: Tally()]
                        t.actual += try row.decode(column: "n", as: Int?.self) ?? 0
                        t.recent += try row.decode(column: "recent", as: Int?.self) ?? 0
                        figures[key, default: [:]][g] = t
                    }
                }
            }
            out[grouping] = figures
        }
        return out
    }

    // MARK: What the board shows

    struct Item: Content {
        let key: String
        let label: String
        let target: Int?
        let actual: Int
        let percent: Int?
        let projected: Int
        let willMeet: Bool?
    }
    struct Unit: Content { let orgId: UUID; let name: String; let items: [Item] }
    struct DTO: Content {
        let campaign: Int
        let asOf: String
        let deadline: String
        let items: [Item]
        let byCity: [Unit]
        let byUniversity: [Unit]
        let keyCounties: Int
        let keyCountyWarning: String?
    }

    static func item(_ key: TargetKey, target: Int?, tally: Tally, today: LocalDate, deadline: LocalDate) -> Item {
        let p = TargetProgress(target: target ?? 0, actual: tally.actual, recentGain: tally.recent, today: today, deadline: deadline)
        return Item(key: key.rawValue, label: key.label, target: target, actual: p.actual, percent: target.map { _ in p.percent },
                    projected: p.projected, willMeet: target.map { _ in p.willMeet })
    }

    /// The board as the caller may see it: the province's figures for everyone; the cities and universities of the
    /// caller's subtree.
    static func build(_ req: Request, campaign: Campaign) async throws -> DTO {
        let today = LocalDate(instant: req.now), deadline = TargetProgress.deadline(year: campaign.year)
        let since = today.adding(days: -TargetProgress.paceDays).startInstant
        let figures = try await TargetsBoard(sql: req.db as! any SQLDatabase, campaign: campaign).figures(since: since)
        let targets = try await CampaignTarget.query(on: req.db).filter(\.$campaignID == campaign.id!).all()
        let province = targets.first { $0.orgID == nil }
        let shares = Dictionary(targets.compactMap { t in t.orgID.map { ($0, t) } }, uniquingKeysWith: { a, _ in a })
        let visible = try await req.access.visibleOrganizations().filter(\.$kind ~~ [.city, .university]).sort(\.$code).sort(\.$name).all()
        func units(_ kind: OrgKind, _ grouping: Grouping) -> [Unit] {
            visible.filter { $0.kind == kind }.map { org in
                Unit(orgId: org.id!, name: org.name, items: TargetKey.allCases.map { key in
                    item(key, target: shares[org.id!]?[key], tally: figures[grouping]?[key]?[org.id!] ?? Tally(), today: today, deadline: deadline)
                })
            }
        }
        let keyCounties = try await KeyCounty.query(on: req.db).filter(\.$campaignID == campaign.id!).count()
        return DTO(campaign: campaign.year, asOf: today.iso, deadline: deadline.iso,
                   items: TargetKey.allCases.map { key in
                       item(key, target: province?[key] ?? key.defaultTarget, tally: figures[.province]?[key]?[UUID?.none] ?? Tally(), today: today, deadline: deadline)
                   },
                   byCity: units(.city, .city), byUniversity: units(.university, .university),
                   keyCounties: keyCounties, keyCountyWarning: PracticeTargets.keyCountyWarning(count: keyCounties))
    }
}
