// The "≥ 1 session and ≥ 60 minutes every week" board in SQL (the same statements on SQLite and PostgreSQL),
// reading the per pupil-week summary `tutoring_weeks`, so the province's board over 50,000 pupils stays fast.
// It computes exactly what `WeeklyRule` defines; `WeeklyRuleAgreementTests` holds the two equal.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

/// Which pairings a board covers: the caller's reach, narrowed to an organisation.
struct BoardScope: Sendable {
    var universityIDs: [UUID]?   // nil = no restriction by university
    var countyIDs: [UUID]?       // nil = no restriction by county

    static let everything = BoardScope(universityIDs: nil, countyIDs: nil)

    /// Names the scope in a cache key.
    var key: String {
        func ids(_ list: [UUID]?) -> String { list.map { $0.map(\.uuidString).sorted().joined(separator: ",") } ?? "*" }
        return "u=\(ids(universityIDs));c=\(ids(countyIDs))"
    }

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

struct ComplianceBoard: Sendable {
    let db: any SQLDatabase
    let campaign: Campaign
    let period: TutoringPeriod
    /// With a cache, each result is computed once per write version (`BoardCache`); without, every call queries.
    private let cache: BoardCache?
    private let version: Int64

    init(db: any SQLDatabase, campaign: Campaign) {
        self.db = db
        self.campaign = campaign
        self.period = campaign.tutoringPeriod
        self.cache = nil
        self.version = 0
    }

    /// The board a request reads: the write version first, then results cached under it.
    static func cached(_ req: Request, campaign: Campaign) async throws -> ComplianceBoard {
        let sql = req.db as! any SQLDatabase
        return ComplianceBoard(db: sql, campaign: campaign, cache: req.appServices.boards, version: try await WriteVersion.current(on: sql))
    }

    private init(db: any SQLDatabase, campaign: Campaign, cache: BoardCache, version: Int64) {
        self.db = db
        self.campaign = campaign
        self.period = campaign.tutoringPeriod
        self.cache = cache
        self.version = version
    }

    /// `compute` once per write version for this campaign, period and `key`.
    func memo<T: Sendable>(_ key: String, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let cache else { return try await compute() }
        return try await cache.value(version: version, key: "\(campaign.id!)|\(period.start.iso)|\(period.end.iso)|\(key)", compute)
    }

    /// Who is due in `week`: pupils whose start (earliest pairing start, else the period start) is on or before
    /// `period.lastDay(of: week)`. That is `WeeklyRule.isDue` for an open-ended pairing: the first week contains
    /// max(start, period start), the last contains the period's end, and a pairing starting after the period's
    /// end is never due. Nil for a week outside the period: nobody is due in it.
    func dueBy(_ week: TutoringWeek) -> LocalDate? {
        guard week.start <= period.end, week.end >= period.start else { return nil }
        return period.lastDay(of: week)
    }

    /// One row per pupil of the scope with its university, county and start (the roster rules give a pupil one
    /// university and one county; grouping by them avoids MIN over UUIDs, which PostgreSQL lacks).
    private func pupils(_ scope: BoardScope) -> SQLQueryString {
        """
        (SELECT pupil_id_hash, university_id, county_id, MIN(COALESCE(start_date, \(bind: period.start.iso))) AS start
         FROM pairings p WHERE campaign_id = \(bind: campaign.id!)\(scope.clause("p"))
         GROUP BY pupil_id_hash, university_id, county_id) p
        """
    }

    /// The pupil's row of `week` in the summary (none when nothing was logged).
    private func tally(_ week: TutoringWeek) -> SQLQueryString {
        "LEFT JOIN tutoring_weeks w ON w.campaign_id = \(bind: campaign.id!) AND w.pupil_id_hash = p.pupil_id_hash AND w.week_start = \(bind: week.start.iso)"
    }

    private static var compliant: SQLQueryString {
        "w.sessions >= \(literal: WeeklyRule.minimumSessions) AND w.minutes >= \(literal: WeeklyRule.minimumMinutes)"
    }

    struct Group: Content, Sendable {
        let universityId: UUID
        let countyId: UUID
        let pupils: Int
        let compliant: Int
    }

    /// Pupils due in the week containing `week`, and how many of them were served enough, per university and county.
    /// SUMs are cast to BIGINT: on PostgreSQL the sum of a BIGINT column is NUMERIC.
    func week(_ week: LocalDate, scope: BoardScope) async throws -> [Group] {
        try await memo("week|\(TutoringWeek(containing: week).start.iso)|\(scope.key)") { try await computeWeek(week, scope: scope) }
    }

    private func computeWeek(_ week: LocalDate, scope: BoardScope) async throws -> [Group] {
        let week = TutoringWeek(containing: week)
        guard let due = dueBy(week) else { return [] }
        let rows = try await db.raw("""
            SELECT p.university_id, p.county_id, COUNT(*) AS pupils,
                   CAST(SUM(CASE WHEN \(Self.compliant) THEN 1 ELSE 0 END) AS BIGINT) AS compliant
            FROM \(pupils(scope)) \(tally(week))
            WHERE p.start <= \(bind: due.iso)
            GROUP BY p.university_id, p.county_id
            """).all()
        return try rows.map {
            Group(universityId: try $0.decode(column: "university_id", as: UUID.self), countyId: try $0.decode(column: "county_id", as: UUID.self),
                  pupils: try $0.decode(column: "pupils", as: Int.self), compliant: try $0.decode(column: "compliant", as: Int?.self) ?? 0)
        }
    }

    /// Weekly and whole-period compliance as it stood on `asOf`, as `WeeklyRule.summary` defines it: the period's
    /// weeks up to the one containing `asOf`, a week closed once `period.lastDay(of:)` is past, the whole-period
    /// figures over closed weeks only. (Sessions are never dated after today, so none lie beyond `asOf`.)
    func summary(asOf: LocalDate, scope: BoardScope) async throws -> ComplianceSummary {
        try await memo("summary|\(asOf.iso)|\(scope.key)") { try await computeSummary(asOf: asOf, scope: scope) }
    }

    private func computeSummary(asOf: LocalDate, scope: BoardScope) async throws -> ComplianceSummary {
        let weeks = period.weeks.filter { $0.start <= asOf }
        guard !weeks.isEmpty else { return ComplianceSummary(weeks: [], pupilWeeks: 0, compliantPupilWeeks: 0) }
        let c = campaign.id!
        let starts = try await db.raw("""
            SELECT p.start, COUNT(*) AS pupils FROM
              (SELECT pupil_id_hash, MIN(COALESCE(start_date, \(bind: period.start.iso))) AS start
               FROM pairings p WHERE campaign_id = \(bind: c)\(scope.clause("p")) GROUP BY pupil_id_hash) p
            GROUP BY p.start
            """).all().map { (try $0.decode(column: "start", as: String.self), try $0.decode(column: "pupils", as: Int.self)) }
        // Each week with its last loggable day: a compliant pupil-week counts only when the pupil is due in it.
        let lastDays = SQLList(weeks.map { "(\(bind: $0.start.iso), \(bind: period.lastDay(of: $0).iso))" as SQLQueryString })
        let compliant = try await db.raw("""
            WITH wk (week_start, last_day) AS (VALUES \(lastDays))
            SELECT w.week_start, COUNT(*) AS compliant
            FROM tutoring_weeks w
            JOIN wk ON wk.week_start = w.week_start
            JOIN (SELECT pupil_id_hash, MIN(COALESCE(start_date, \(bind: period.start.iso))) AS start
                  FROM pairings p WHERE campaign_id = \(bind: c)\(scope.clause("p")) GROUP BY pupil_id_hash) p
              ON p.pupil_id_hash = w.pupil_id_hash
            WHERE w.campaign_id = \(bind: c) AND \(Self.compliant) AND p.start <= wk.last_day
            GROUP BY w.week_start
            """).all().reduce(into: [String: Int]()) { $0[try $1.decode(column: "week_start", as: String.self)] = try $1.decode(column: "compliant", as: Int.self) }
        var out: [WeekSummary] = []
        var total = 0, served = 0
        for week in weeks {
            let last = period.lastDay(of: week).iso
            let due = starts.filter { $0.0 <= last }.reduce(0) { $0 + $1.1 }
            let ok = compliant[week.start.iso] ?? 0
            let closed = period.lastDay(of: week) < asOf
            out.append(WeekSummary(week: week, pupils: due, compliant: ok, closed: closed))
            if closed { total += due; served += ok }
        }
        return ComplianceSummary(weeks: out, pupilWeeks: total, compliantPupilWeeks: served)
    }

    struct VolunteerWeek: Sendable {
        let name: String
        let pupils: Int
        let compliant: Int
    }

    /// Each volunteer's pupils in `week` and how many of them were served enough (by anyone). A volunteer answers
    /// for a pupil from its own pairing's start, by the same rule as the pupil's.
    func volunteers(_ week: LocalDate, scope: BoardScope) async throws -> [VolunteerWeek] {
        try await memo("volunteers|\(TutoringWeek(containing: week).start.iso)|\(scope.key)") { try await computeVolunteers(week, scope: scope) }
    }

    private func computeVolunteers(_ week: LocalDate, scope: BoardScope) async throws -> [VolunteerWeek] {
        let week = TutoringWeek(containing: week)
        guard let due = dueBy(week) else { return [] }
        let rows = try await db.raw("""
            SELECT p.volunteer_id_hash, MIN(p.volunteer_name) AS name, COUNT(*) AS pupils,
                   CAST(SUM(CASE WHEN \(Self.compliant) THEN 1 ELSE 0 END) AS BIGINT) AS compliant
            FROM (SELECT DISTINCT volunteer_id_hash, volunteer_name, pupil_id_hash FROM pairings p
                  WHERE campaign_id = \(bind: campaign.id!)\(scope.clause("p"))
                    AND COALESCE(start_date, \(bind: period.start.iso)) <= \(bind: due.iso)) p
            \(tally(week))
            GROUP BY p.volunteer_id_hash
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

    /// Pupils due in `week` who are short (fewer than 1 session or 60 minutes), with what they had;
    /// name and masked ID come with them, so a board of thousands of missing pupils needs no second lookup.
    func missing(_ week: LocalDate, scope: BoardScope) async throws -> [PupilWeek] {
        try await memo("missing|\(TutoringWeek(containing: week).start.iso)|\(scope.key)") { try await computeMissing(week, scope: scope) }
    }

    private func computeMissing(_ week: LocalDate, scope: BoardScope) async throws -> [PupilWeek] {
        let week = TutoringWeek(containing: week)
        guard let due = dueBy(week) else { return [] }
        let rows = try await db.raw("""
            SELECT p.pupil_id_hash, p.name, p.masked, p.county_id, COALESCE(w.sessions, 0) AS n, COALESCE(w.minutes, 0) AS m
            FROM (SELECT pupil_id_hash, county_id, MIN(pupil_name) AS name, MIN(pupil_id_masked) AS masked,
                         MIN(COALESCE(start_date, \(bind: period.start.iso))) AS start
                  FROM pairings p WHERE campaign_id = \(bind: campaign.id!)\(scope.clause("p")) GROUP BY pupil_id_hash, county_id) p
            \(tally(week))
            WHERE p.start <= \(bind: due.iso) AND (w.sessions IS NULL OR NOT (\(Self.compliant)))
            ORDER BY p.pupil_id_hash
            """).all()
        return try rows.map {
            PupilWeek(pupilHash: try $0.decode(column: "pupil_id_hash", as: String.self), name: try $0.decode(column: "name", as: String.self),
                      idMasked: try $0.decode(column: "masked", as: String.self), countyId: try $0.decode(column: "county_id", as: UUID.self),
                      sessions: try $0.decode(column: "n", as: Int.self), minutes: try $0.decode(column: "m", as: Int.self))
        }
    }

    /// The summary's tally of the week containing `week` for the given pupils (the volunteer page's "this week").
    static func statuses(pupilHashes: [String], week: LocalDate, campaign: Campaign, on db: any SQLDatabase) async throws -> [String: WeekStatus] {
        let week = TutoringWeek(containing: week)
        var out = Dictionary(uniqueKeysWithValues: pupilHashes.map { ($0, WeekStatus(week: week, sessions: 0, minutes: 0)) })
        for chunk in pupilHashes.chunked(into: 500) where !chunk.isEmpty {
            for row in try await db.raw("""
                SELECT pupil_id_hash, sessions, minutes FROM tutoring_weeks
                WHERE campaign_id = \(bind: campaign.id!) AND week_start = \(bind: week.start.iso) AND pupil_id_hash IN (\(binds: Array(chunk)))
                """).all() {
                out[try row.decode(column: "pupil_id_hash", as: String.self)] = WeekStatus(
                    week: week, sessions: try row.decode(column: "sessions", as: Int.self), minutes: try row.decode(column: "minutes", as: Int.self))
            }
        }
        return out
    }
}
