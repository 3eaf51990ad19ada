// 希望乡村教师 postings (issue 12, work item 3).
import Fluent
import SQLKit

struct CreateDeployments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Deployment.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("volunteer_name", .string, .required)
            .field("sex", .string, .required)
            .field("volunteer_id_cipher", .string, .required)
            .field("volunteer_id_hash", .string, .required)
            .field("volunteer_id_masked", .string, .required)
            .field("programme", .string, .required)
            .field("university_id", .uuid, .references(Organization.schema, "id"))
            .field("school", .string, .required)
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("subject", .string, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .field("ended_on", .string)
            .field("end_reason", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            // A double-clicked save cannot record one posting twice.
            .unique(on: "volunteer_id_hash", "start_date")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_deployments_org ON deployments (campaign_id, org_id)").run()
        try await sql.raw("CREATE INDEX idx_deployments_county ON deployments (county_id, school)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Deployment.schema).delete()
    }
}
