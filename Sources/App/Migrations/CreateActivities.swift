// 附件3: activities and the submissions of each unit's table.
import Fluent
import SQLKit

struct CreateActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Activity.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("position", .int, .required)
            .field("host", .string, .required)
            .field("co_hosts", .string, .required)
            .field("co_host_ids", .string, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .field("category", .string, .required)
            .field("work_item", .string)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("people_covered", .int, .required)
            .field("report_links", .string, .required)
            .field("key_publicity", .bool, .required)
            .field("demonstration", .bool, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX idx_activities_org ON activities (campaign_id, org_id, position)").run()
        // Covers the completeness board's aggregate, so it reads this index and never the rows (with their texts).
        try await sql.raw("""
            CREATE INDEX idx_activities_board ON activities (campaign_id, org_id, category, demonstration, key_publicity, people_covered)
            """).run()

        try await database.schema(ActivitySubmission.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("stage", .string, .required)
            .field("version", .int, .required)
            .field("submitted_at", .datetime, .required)
            .field("submitted_by", .string, .required)
            .field("on_time", .bool, .required)
            .field("status", .string, .required)
            .field("return_reason", .string)
            .field("returned_by", .string)
            .field("activities", .int, .required)
            .field("snapshot", .data, .required)
            .unique(on: "campaign_id", "org_id", "stage", "version")
            .create()
        // The board reads these five columns of every submission; the rows themselves carry the snapshots.
        try await sql.raw("""
            CREATE INDEX idx_activity_submissions_board ON activity_submissions (campaign_id, org_id, stage, version, on_time, status)
            """).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ActivitySubmission.schema).delete()
        try await database.schema(Activity.schema).delete()
    }
}
