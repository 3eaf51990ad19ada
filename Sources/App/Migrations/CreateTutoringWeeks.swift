// The per pupil-week summary the weekly boards read (see `TutoringWeeks`), back-filled from the sessions already
// stored, and a covering index over the pairings for the boards' "who is due" side.
import Fluent
import Foundation
import LiangbangCore
import SQLKit

struct CreateTutoringWeeks: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TutoringWeeks.table)
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("pupil_id_hash", .string, .required)
            .field("week_start", .string, .required)
            .field("sessions", .int, .required)
            .field("minutes", .int, .required)
            .unique(on: "campaign_id", "pupil_id_hash", "week_start")
            .create()
        let sql = database as! any SQLDatabase
        // The trend reads every compliant pupil-week of a campaign, week by week, without touching the table.
        try await sql.raw("CREATE INDEX idx_tutoring_weeks_week ON tutoring_weeks (campaign_id, week_start, sessions, minutes, pupil_id_hash)").run()
        // A pupil's university, county and start, grouped per pupil, straight from the index.
        try await sql.raw("CREATE INDEX idx_pairings_board ON pairings (campaign_id, pupil_id_hash, university_id, county_id, start_date)").run()
        // Raw columns, not the model: later migrations may add fields to campaigns.
        for row in try await sql.raw("SELECT id, year, tutoring_start, tutoring_end FROM campaigns").all() {
            let year = try row.decode(column: "year", as: Int.self)
            let standard = TutoringPeriod.standard(year: year)
            let start = try row.decode(column: "tutoring_start", as: String?.self).flatMap(LocalDate.init(iso:)) ?? standard.start
            let end = try row.decode(column: "tutoring_end", as: String?.self).flatMap(LocalDate.init(iso:)) ?? standard.end
            try await TutoringWeeks.rebuild(campaign: try row.decode(column: "id", as: UUID.self),
                                            period: TutoringPeriod(start: start, end: end), on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX idx_pairings_board").run()
        try await database.schema(TutoringWeeks.table).delete()
    }
}
