// Tutoring sessions, volunteer activation codes, and the link from a volunteer's account to its roster lines.
import Fluent
import SQLKit

struct CreateTutoringSessions: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(TutoringSession.schema)
            .id()
            .field("pairing_id", .uuid, .required, .references(Pairing.schema, "id", onDelete: .cascade))
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("pupil_id_hash", .string, .required)
            .field("volunteer_id_hash", .string, .required)
            .field("date", .string, .required)
            .field("week_start", .string, .required)
            .field("start_time", .string, .required)
            .field("minutes", .int, .required)
            .field("content", .string, .required)
            .field("mode", .string, .required)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "pairing_id", "date", "start_time")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_sessions_week ON tutoring_sessions (campaign_id, week_start, pupil_id_hash)").run()
        try await sql.raw("CREATE INDEX idx_sessions_volunteer ON tutoring_sessions (campaign_id, volunteer_id_hash)").run()

        try await database.schema(ActivationCode.schema)
            .id()
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("volunteer_id_hash", .string, .required)
            .field("volunteer_name", .string, .required)
            .field("code_cipher", .string, .required)
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .field("user_id", .uuid)
            .field("created_at", .datetime)
            .unique(on: "code_hash")
            .unique(on: "university_id", "volunteer_id_hash")
            .create()

        // A volunteer's account is tied to its roster lines by the keyed hash of its ID number.
        try await database.schema(User.schema).field("volunteer_id_hash", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(User.schema).deleteField("volunteer_id_hash").update()
        try await database.schema(ActivationCode.schema).delete()
        try await database.schema(TutoringSession.schema).delete()
    }
}

/// The boards read only (campaign, week, pupil, minutes): an index that holds all four answers them without
/// touching the table, which keeps the whole-period report linear in the number of sessions.
struct UpdateSessionsCoveringIndex: AsyncMigration {
    func prepare(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX idx_sessions_week").run()
        try await sql.raw("CREATE INDEX idx_sessions_week_minutes ON tutoring_sessions (campaign_id, week_start, pupil_id_hash, minutes)").run()
    }

    func revert(on database: Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX idx_sessions_week_minutes").run()
        try await sql.raw("CREATE INDEX idx_sessions_week ON tutoring_sessions (campaign_id, week_start, pupil_id_hash)").run()
    }
}
