// The per pupil-week summary (`tutoring_weeks`) that the weekly boards read instead of re-aggregating every
// session. It always equals "the sessions of each (campaign, pupil, week) dated inside the tutoring period",
// so every session write, every pairing deletion (its sessions cascade away) and every period change keeps it so,
// in the transaction that makes the change.
import Fluent
import Foundation
import LiangbangCore
import SQLKit

enum TutoringWeeks {
    static let table = "tutoring_weeks"

    /// One session entering (+1) or leaving (−1) the summary.
    struct Change: Sendable {
        let pupilHash: String
        let date: String
        let minutes: Int
        let sign: Int

        static func added(_ s: TutoringSession) -> Change { Change(pupilHash: s.pupilIDHash, date: s.date, minutes: s.minutes, sign: 1) }
        static func removed(_ s: TutoringSession) -> Change { Change(pupilHash: s.pupilIDHash, date: s.date, minutes: s.minutes, sign: -1) }
    }

    /// Applies session changes: one upsert per statement of up to 200 pupil-weeks, adding to what is stored, so
    /// parallel writers never lose a count (the database adds, not the app). Sessions outside the period do not count.
    /// A pupil-week whose last session left keeps a row of zeros, which reads the same as no row.
    static func record(_ changes: [Change], campaign: Campaign, on db: any Database) async throws {
        let period = campaign.tutoringPeriod
        var tally: [Key: (sessions: Int, minutes: Int)] = [:]
        for c in changes {
            guard let date = LocalDate(iso: c.date), let week = period.week(containing: date) else { continue }
            let key = Key(pupil: c.pupilHash, week: week.start.iso)
            let t = tally[key] ?? (0, 0)
            tally[key] = (t.sessions + c.sign, t.minutes + c.sign * c.minutes)
        }
        let rows = tally.filter { $0.value != (0, 0) }.sorted { ($0.key.pupil, $0.key.week) < ($1.key.pupil, $1.key.week) }
        let sql = db as! any SQLDatabase
        for chunk in rows.chunked(into: 200) {
            let values = SQLList(chunk.map { row in
                "(\(bind: campaign.id!), \(bind: row.key.pupil), \(bind: row.key.week), \(bind: row.value.sessions), \(bind: row.value.minutes))" as SQLQueryString
            })
            try await sql.raw("""
                INSERT INTO tutoring_weeks (campaign_id, pupil_id_hash, week_start, sessions, minutes) VALUES \(values)
                ON CONFLICT (campaign_id, pupil_id_hash, week_start) DO UPDATE
                SET sessions = tutoring_weeks.sessions + excluded.sessions, minutes = tutoring_weeks.minutes + excluded.minutes
                """).run()
        }
    }

    /// Takes the sessions of pairings about to be deleted out of the summary; call it in the deleting transaction
    /// (the sessions go with their pairing by the foreign key's cascade).
    static func forget(pairings ids: [UUID], campaign: Campaign, on db: any Database) async throws {
        for chunk in ids.chunked(into: 500) {
            let sessions = try await TutoringSession.query(on: db).filter(\.$pairingID ~~ Array(chunk))
                .field(\.$pupilIDHash).field(\.$date).field(\.$minutes).all()
            try await record(sessions.map(Change.removed), campaign: campaign, on: db)
        }
    }

    /// Recomputes a campaign's summary from its sessions: for the back-fill, bulk loads and a changed period.
    static func rebuild(campaign id: UUID, period: TutoringPeriod, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM tutoring_weeks WHERE campaign_id = \(bind: id)").run()
        try await sql.raw("""
            INSERT INTO tutoring_weeks (campaign_id, pupil_id_hash, week_start, sessions, minutes)
            SELECT campaign_id, pupil_id_hash, week_start, COUNT(*), CAST(SUM(minutes) AS BIGINT) FROM tutoring_sessions
            WHERE campaign_id = \(bind: id) AND date >= \(bind: period.start.iso) AND date <= \(bind: period.end.iso)
            GROUP BY campaign_id, pupil_id_hash, week_start
            """).run()
    }

    /// Stores new sessions and counts them; the caller holds the write transaction.
    static func store(_ sessions: [TutoringSession], campaign: Campaign, on db: any Database) async throws {
        for chunk in sessions.chunked(into: 200) { try await Array(chunk).create(on: db) }
        try await record(sessions.map(Change.added), campaign: campaign, on: db)
    }

    private struct Key: Hashable { let pupil: String; let week: String }
}
