// Campaign years, their quotas and the 附件1 assignment table.
import Fluent
import SQLKit

struct CreateCampaigns: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Campaign.schema)
            .id()
            .field("year", .int, .required)
            .field("name", .string, .required)
            .field("roster_due", .string, .required)
            .field("plan_due", .string, .required)
            .field("focus_start", .string, .required)
            .field("focus_end", .string, .required)
            .field("update_due", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "year")
            .create()
        try await database.schema(CampaignQuota.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_kind", .string, .required)
            .field("metric", .string, .required)
            .field("minimum", .int, .required)
            .field("wording", .string, .required)
            .unique(on: "campaign_id", "org_kind", "metric")
            .create()
        try await database.schema(TutoringAssignment.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .unique(on: "campaign_id", "county_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(TutoringAssignment.schema).delete()
        try await database.schema(CampaignQuota.schema).delete()
        try await database.schema(Campaign.schema).delete()
    }
}

struct CreateAuditEvents: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("at", .datetime, .required)
            .field("user_id", .uuid)
            .field("username", .string, .required)
            .field("org_id", .uuid)
            .field("ip", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("detail", .string, .required)
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_audit_at ON audit_events (at)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
