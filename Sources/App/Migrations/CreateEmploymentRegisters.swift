// Work item 5's tables (issue 13): cadres, their graduates, guidance and recommended positions.
import Fluent
import SQLKit

struct CreateEmploymentRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let campaign = { (b: SchemaBuilder) in b.field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade)) }
        try await campaign(database.schema(EmploymentCadre.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("position", .string, .required)
            .field("user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime)
            // Graduates are imported by their cadre's name: one name per university a campaign.
            .unique(on: "campaign_id", "org_id", "name")
            .create()
        try await campaign(database.schema(EmploymentGraduate.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("cadre_id", .uuid, .required, .references(EmploymentCadre.schema, "id"))
            .field("name", .string, .required).field("id_cipher", .string, .required).field("id_hash", .string, .required)
            .field("id_masked", .string, .required).field("major", .string, .required).field("graduation", .string, .required)
            .field("hardship_cipher", .string, .required).field("created_at", .datetime)
            // One university helps a graduate a campaign, whoever else tries at the same moment.
            .unique(on: "campaign_id", "id_hash")
            .create()
        try await campaign(database.schema(EmploymentGuidance.schema).id())
            .field("graduate_id", .uuid, .required, .references(EmploymentGraduate.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required).field("given_on", .string, .required).field("mode", .string, .required)
            .field("note", .string, .required).field("created_at", .datetime)
            .create()
        try await campaign(database.schema(JobRecommendation.schema).id())
            .field("graduate_id", .uuid, .required, .references(EmploymentGraduate.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required).field("employer", .string, .required).field("position", .string, .required)
            .field("city", .string, .required).field("recommended_on", .string, .required).field("outcome", .string, .required)
            .field("outcome_on", .string, .required).field("history", .string, .required).field("version", .int, .required)
            .field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_employment_graduates_cadre ON employment_graduates (cadre_id)").run()
        try await sql.raw("CREATE INDEX idx_employment_graduates_org ON employment_graduates (campaign_id, org_id)").run()
        try await sql.raw("CREATE INDEX idx_employment_jobs_graduate ON employment_jobs (graduate_id)").run()
        try await sql.raw("CREATE INDEX idx_employment_jobs_org ON employment_jobs (campaign_id, org_id)").run()
        try await sql.raw("CREATE INDEX idx_employment_guidance_graduate ON employment_guidance (graduate_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [JobRecommendation.schema, EmploymentGuidance.schema, EmploymentGraduate.schema, EmploymentCadre.schema] {
            try await database.schema(schema).delete()
        }
    }
}
