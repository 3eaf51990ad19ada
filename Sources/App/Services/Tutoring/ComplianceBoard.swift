// The "≥ 1 session and ≥ 60 minutes every week" board, aggregated in SQL (the same statements on SQLite
// and PostgreSQL) so the province's board over 50,000 pupils and millions of sessions stays fast.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

/// Which pairings a board covers: the caller's reach, narrowed to an organisation.
struct BoardScope: Sendable {
    var universityIDs: [UUID]?   // nil = no restriction by university
    var countyIDs: [UUID]?       // nil = no restriction by county

    static let everything = BoardScope(universityIDs: nil, countyIDs: nil)

    /// `AND …` clauses for a table with university_id and county_id columns (pairings or tutoring_sessions).
    func clause(_ alias: String) -> SQLQueryString {
        var out: SQLQueryString = ""
        if let ids = universityIDs {
            out = ids.isEmpty ? " AND 1 = 0" : " AND \(unsafeRaw: alias).university_id IN (\(binds: ids))"
        }
        if let ids = countyIDs {
            out = out + (ids.isEmpty ? " AND 1 = 0" : " AND \(unsafeRaw: alias).county_id IN (\(binds: ids))")
        }
        return out
    }
}

struct ComplianceBoard {
    let db: any SQLDatabase
    let campaign: Campaign

    struct Group: Content, Sendable {
        let universityId: UUID
        let countyId: UUID
        let pupils: Int
        let compliant: Int
    }

    /// Pupils whose pairing has begun by the end of `week`, and how many of them were served enough that week.
    /// SUMs are cast to BIGINT: on PostgreSQL the sum of a BIGINT column is NUMERIC.
    /// A pupil has one university and one county (the roster rules see to it); grouping by them rather than
    /// taking MIN() keeps the statement valid on PostgreSQL, which has no MIN over UUIDs.
    func week(_ week: LocalDate, scope: BoardScope) async throws -> [Group] {
        let weekEnd = week.adding(days: 6).iso
        let periodStart = campaign.tutoringPeriod.start.iso
        let c = campaign.id!
        let rows = try await db.raw("""
            SELECT p.university_id, p.county_id, COUNT(*) AS pupils,
                   CAST(SUM(CASE WHEN w.n >= \(literal: WeeklyRule.minimumSessions) AND w.m >= \(literal: WeeklyRule.minimumMinutes) THEN 1 ELSE 0 END) AS BIGINT) AS compliant
            FROM (SELECT pupil_id_hash, university_id, county_id, MIN(COALESCE(start_date, \(bind: periodStart))) AS start
                  FROM pairings p WHERE campaign_id = \(bind: c)\(scope.clause("p"))
                  GROUP BY pupil_id_hash, university_id, county_id) p
            LEFT JOIN (SELECT pupil_id_hash, COUNT(*) AS n, CAST(SUM(minutes) AS BIGINT) AS m FROM tutoring_sessions
                       WHERE campaign_id = \(bind: c) AND week_start = \(bind: week.iso) GROUP BY pupil_id_hash) w
              ON w.pupil_id_hash = p.pupil_id_hash
            WHERE p.start <= \(bind: weekEnd)
            GROUP BY p.university_id, p.county_id
            """).all()
        return try rows.map {
            Group(universityId: try $0.decode(column: "university_id", as: UUID.self), countyId: try $0.decode(column: "county_id", as: UUID.self),
                  pupils: try $0.decode(column: "pupils", as: Int.self), compliant: try $0.decode(column: "compliant", as: Int?.self) ?? 0)
        }
    }

    struct WeekPoint: Content, Sendable {
        let weekStart: String
        let pupils: Int
        let compliant: Int
        var rate: Double { pupils == 0 ? 0 : Double(compliant) / Double(pupils) }
    }

    /// Every week of the period up to `through`: pupil-weeks due and compliant. Sessions are never dated
    /// before their pairing's start (they are refused), so a compliant (pupil, week) is always a due one.
    func series(through last: LocalDate, scope: BoardScope) async throws -> [WeekPoint] {
        let period = campaign.tutoringPeriod
        let weeks = period.weeks.map(\.start).filter { $0 <= last }
        guard !weeks.isEmpty else { return [] }
        let c = campaign.id!
        let starts = try await db.raw("""
            SELECT start, COUNT(*) AS pupils FROM
              (SELECT pupil_id_hash, MIN(COALESCE(start_date, \(bind: period.start.iso))) AS start
               FROM pairings p WHERE campaign_id = \(bind: c)\(scope.clause("p")) GROUP BY pupil_id_hash) s
            GROUP BY start
            """).all().map { (try $0.decode(column: "start", as: String.self), try $0.decode(column: "pupils", as: Int.self)) }
        let compliant = try await db.raw("""
            SELECT week_start, COUNT(*) AS compliant FROM
              (SELECT pupil_id_hash, week_start FROM tutoring_sessions t
               WHERE campaign_id = \(bind: c)\(scope.clause("t")) AND week_start >= \(bind: weeks[0].iso) AND week_start <= \(bind: weeks.last!.iso)
               GROUP BY week_start, pupil_id_hash HAVING COUNT(*) >= \(literal: WeeklyRule.minimumSessions) AND SUM(minutes) >= \(literal: WeeklyRule.minimumMinutes)) x
            GROUP BY week_start
            """).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "week_start", as: String.self)] = try $1.decode(column: "compliant", as: Int.self) }
        return weeks.map { week in
            let end = week.adding(days: 6).iso
            let due = starts.filter { $0.0 <= end }.reduce(0) { $0 + $1.1 }
            return WeekPoint(weekStart: week.iso, pupils: due, compliant: compliant[week.iso] ?? 0)
        }
    }

    struct VolunteerWeek: Sendable {
        let name: String
        let pupils: Int
        let compliant: Int
    }

    /// Each volunteer's pupils due in `week` and how many of them were served enough (by anyone).
    func volunteers(_ week: LocalDate, scope: BoardScope) async throws -> [VolunteerWeek] {
        let c = campaign.id!
        let rows = try await db.raw("""
            SELECT v.volunteer_id_hash, MIN(v.volunteer_name) AS name, COUNT(*) AS pupils,
                   CAST(SUM(CASE WHEN w.n >= \(literal: WeeklyRule.minimumSessions) AND w.m >= \(literal: WeeklyRule.minimumMinutes) THEN 1 ELSE 0 END) AS BIGINT) AS compliant
            FROM (SELECT DISTINCT volunteer_id_hash, volunteer_name, pupil_id_hash FROM pairings p
                  WHERE campaign_id = \(bind: c)\(scope.clause("p"))
                    AND COALESCE(start_date, \(bind: campaign.tutoringPeriod.start.iso)) <= \(bind: week.adding(days: 6).iso)) v
            LEFT JOIN (SELECT pupil_id_hash, COUNT(*) AS n, CAST(SUM(minutes) AS BIGINT) AS m FROM tutoring_sessions
                       WHERE campaign_id = \(bind: c) AND week_start = \(bind: week.iso) GROUP BY pupil_id_hash) w
              ON w.pupil_id_hash = v.pupil_id_hash
            GROUP BY v.volunteer_id_hash
            """).all()
        return try rows.map {
            VolunteerWeek(name: try $0.decode(column: "name", as: String.self), pupils: try $0.decode(column: "pupils", as: Int.self),
                          compliant: try $0.decode(column: "compliant", as: Int?.self) ?? 0)
        }
    }

    struct PupilWeek: Sendable {
        let pupilHash: String
        let name: String
        let idMasked: String
        let countyId: UUID
        let sessions: Int
        let minutes: Int
    }

    /// Pupils of the scope who are short in `week` (fewer than 1 session or 60 minutes), with what they had;
    /// name and masked ID come with them, so a board of thousands of missing pupils needs no second lookup.
    func missing(_ week: LocalDate, scope: BoardScope, limit: Int? = nil) async throws -> [PupilWeek] {
        let c = campaign.id!
        let rows = try await db.raw("""
            SELECT p.pupil_id_hash, p.name, p.masked, p.county_id, COALESCE(w.n, 0) AS n, COALESCE(w.m, 0) AS m
            FROM (SELECT pupil_id_hash, county_id, MIN(pupil_name) AS name, MIN(pupil_id_masked) AS masked,
                         MIN(COALESCE(start_date, \(bind: campaign.tutoringPeriod.start.iso))) AS start
                  FROM pairings p WHERE campaign_id = \(bind: c)\(scope.clause("p")) GROUP BY pupil_id_hash, county_id) p
            LEFT JOIN (SELECT pupil_id_hash, COUNT(*) AS n, CAST(SUM(minutes) AS BIGINT) AS m FROM tutoring_sessions
                       WHERE campaign_id = \(bind: c) AND week_start = \(bind: week.iso) GROUP BY pupil_id_hash) w
              ON w.pupil_id_hash = p.pupil_id_hash
            WHERE p.start <= \(bind: week.adding(days: 6).iso) AND (w.n IS NULL OR w.n < \(literal: WeeklyRule.minimumSessions) OR w.m < \(literal: WeeklyRule.minimumMinutes))
            ORDER BY p.pupil_id_hash\(unsafeRaw: limit.map { " LIMIT \($0)" } ?? "")
            """).all()
        return try rows.map {
            PupilWeek(pupilHash: try $0.decode(column: "pupil_id_hash", as: String.self), name: try $0.decode(column: "name", as: String.self),
                      idMasked: try $0.decode(column: "masked", as: String.self), countyId: try $0.decode(column: "county_id", as: UUID.self),
                      sessions: try $0.decode(column: "n", as: Int.self), minutes: try $0.decode(column: "m", as: Int.self))
        }
    }
}
