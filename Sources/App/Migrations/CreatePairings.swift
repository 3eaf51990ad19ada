// The 附件2 roster, its submissions, and uploads waiting for confirmation.
import Fluent
import SQLKit

struct CreatePairings: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Pairing.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("pupil_name", .string, .required)
            .field("pupil_sex", .string, .required)
            .field("pupil_id_cipher", .string, .required)
            .field("pupil_id_hash", .string, .required)
            .field("pupil_id_masked", .string, .required)
            .field("pupil_birth_date", .string, .required)
            .field("student_no_cipher", .string, .required)
            .field("school", .string, .required)
            .field("grade_class", .string, .required)
            .field("volunteer_name", .string, .required)
            .field("volunteer_id_cipher", .string, .required)
            .field("volunteer_id_hash", .string, .required)
            .field("volunteer_id_masked", .string, .required)
            .field("start_date", .string)
            .field("guardian_consent", .bool)
            .field("consent_date", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "campaign_id", "university_id", "pupil_id_hash", "volunteer_id_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_pairings_pupil ON pairings (campaign_id, pupil_id_hash)").run()
        try await sql.raw("CREATE INDEX idx_pairings_county ON pairings (campaign_id, county_id)").run()
        try await sql.raw("CREATE INDEX idx_pairings_volunteer ON pairings (campaign_id, volunteer_id_hash)").run()

        try await database.schema(RosterSubmission.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("version", .int, .required)
            .field("submitted_at", .datetime, .required)
            .field("submitted_by", .string, .required)
            .field("on_time", .bool, .required)
            .field("status", .string, .required)
            .field("return_reason", .string)
            .field("reviewed_by", .string)
            .field("pupils", .int, .required)
            .field("volunteers", .int, .required)
            .field("pairings", .int, .required)
            .field("snapshot", .data, .required)
            .unique(on: "campaign_id", "university_id", "version")
            .create()

        try await database.schema(PendingImport.schema)
            .id()
            .field("kind", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required)
            .field("campaign_id", .uuid, .required)
            .field("filename", .string, .required)
            .field("mode", .string, .required)
            .field("payload", .data, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(PendingImport.schema).delete()
        try await database.schema(RosterSubmission.schema).delete()
        try await database.schema(Pairing.schema).delete()
    }
}

/// Per-campaign school age range and tutoring period (issue 4 and 5 rules), with the notice's defaults.
struct UpdateCampaignsAddTutoring: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Campaign.schema)
            .field("school_age_min", .int, .required, .sql(.default(6)))
            .update()
        try await database.schema(Campaign.schema)
            .field("school_age_max", .int, .required, .sql(.default(19)))
            .update()
        try await database.schema(Campaign.schema).field("tutoring_start", .string).update()
        try await database.schema(Campaign.schema).field("tutoring_end", .string).update()
    }

    func revert(on database: Database) async throws {
        for field in ["school_age_min", "school_age_max", "tutoring_start", "tutoring_end"] {
            try await database.schema(Campaign.schema).deleteField(.string(field)).update()
        }
    }
}
