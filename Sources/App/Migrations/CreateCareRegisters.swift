// The care items' tables (issue 14): 12355 cases and follow-ups; 健康直通车 visits, checks and follow-ups.
import Fluent
import SQLKit

struct CreateHotlineRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HotlineCase.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("city_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("received_at", .datetime, .required).field("channel", .string, .required)
            .field("name_cipher", .string, .required).field("age", .int, .required).field("sex", .string, .required)
            .field("category", .string, .required).field("risk", .string, .required).field("needs_offline", .bool, .required)
            .field("summary_cipher", .string, .required).field("due_at", .datetime).field("closed_at", .datetime)
            .field("outcome_cipher", .string, .required).field("follow_ups", .int, .required)
            .field("created_by", .uuid, .required).field("fingerprint", .string, .required).field("created_at", .datetime)
            .unique(on: "fingerprint")
            .create()
        try await database.schema(HotlineFollowUp.schema).id()
            .field("case_id", .uuid, .required, .references(HotlineCase.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required).field("counsellor", .string, .required).field("mode", .string, .required)
            .field("note_cipher", .string, .required).field("created_by", .uuid, .required).field("created_at", .datetime)
            .create()
        // The counts by city and the overdue lists read these.
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX hotline_cases_campaign_city ON hotline_cases (campaign_id, city_id)").run()
        try await sql.raw("CREATE INDEX hotline_follow_ups_case ON hotline_follow_ups (case_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HotlineFollowUp.schema).delete()
        try await database.schema(HotlineCase.schema).delete()
    }
}

struct CreateHealthRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HealthVisit.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("collective", .string, .required).field("collective_org_id", .uuid, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("village", .string, .required).field("visited_on", .string, .required).field("services", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(HealthCheck.schema).id()
            .field("visit_id", .uuid, .required, .references(HealthVisit.schema, "id", onDelete: .cascade))
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("id_cipher", .string, .required).field("id_hash", .string, .required)
            .field("id_masked", .string, .required).field("sex", .string, .required).field("age", .int, .required)
            .field("measurements_cipher", .string, .required).field("has_finding", .bool, .required)
            .field("finding_cipher", .string, .required).field("referral_cipher", .string, .required)
            .field("consent_given", .bool, .required).field("consent_on", .string, .required)
            .field("checked_on", .string, .required).field("due_on", .string, .required).field("closed", .bool, .required)
            .field("follow_ups", .int, .required).field("created_at", .datetime)
            // One check per person and visit: the sheet uploaded twice updates, never doubles.
            .unique(on: "visit_id", "id_hash")
            .create()
        try await database.schema(HealthFollowUp.schema).id()
            .field("check_id", .uuid, .required, .references(HealthCheck.schema, "id", onDelete: .cascade))
            .field("on", .string, .required).field("note_cipher", .string, .required).field("closed", .bool, .required)
            .field("created_by", .uuid, .required).field("created_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX health_checks_due ON health_checks (campaign_id, due_on)").run()
        try await sql.raw("CREATE INDEX health_follow_ups_check ON health_follow_ups (check_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [HealthFollowUp.schema, HealthCheck.schema, HealthVisit.schema] { try await database.schema(schema).delete() }
    }
}

struct CreateDisabilityRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DisabilityPair.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("id_cipher", .string, .required).field("id_hash", .string, .required)
            .field("id_masked", .string, .required).field("age", .int, .required).field("disability_cipher", .string, .required)
            .field("guardian", .string, .required).field("guardian_phone_cipher", .string, .required).field("guardian_phone_masked", .string, .required)
            .field("organisation", .string, .required).field("started_on", .string, .required)
            .field("consent_given", .bool, .required).field("consent_on", .string, .required)
            .field("plan_cipher", .string, .required).field("planned_on", .string, .required).field("reviews", .int, .required)
            .field("due_on", .string, .required).field("version", .int, .required).field("created_at", .datetime)
            // One pair per young person and campaign in a unit: a double click is one pair.
            .unique(on: "campaign_id", "org_id", "id_hash")
            .create()
        try await database.schema(DisabilityReview.schema).id()
            .field("pair_id", .uuid, .required, .references(DisabilityPair.schema, "id", onDelete: .cascade))
            .field("on", .string, .required).field("content_cipher", .string, .required).field("next_review", .string, .required)
            .field("created_by", .uuid, .required).field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DisabilityReview.schema).delete()
        try await database.schema(DisabilityPair.schema).delete()
    }
}

struct CreateCompanionRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Camp.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("kind", .string, .required).field("title", .string, .required).field("place", .string, .required)
            .field("start_date", .string, .required).field("end_date", .string, .required)
            .field("children", .int, .required).field("volunteers", .int, .required).field("consent_gaps", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "campaign_id", "org_id", "title")
            .create()
        try await database.schema(CampParticipant.schema).id()
            .field("camp_id", .uuid, .required, .references(Camp.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("id_cipher", .string, .required).field("id_hash", .string, .required)
            .field("id_masked", .string, .required).field("is_child", .bool, .required).field("age", .int, .required)
            .field("consent_given", .bool, .required).field("consent_on", .string, .required).field("created_at", .datetime)
            .unique(on: "camp_id", "id_hash")
            .create()
        try await database.schema(CompanionMatch.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("kind", .string, .required).field("subject", .string, .required)
            .field("subject_id_cipher", .string, .required).field("subject_id_hash", .string, .required).field("subject_id_masked", .string, .required)
            .field("age", .int, .required).field("consent_given", .bool, .required).field("consent_on", .string, .required)
            .field("partner", .string, .required).field("partner_kind", .string, .required).field("started_on", .string, .required)
            .field("contacts", .int, .required).field("last_contact_on", .string, .required).field("due_on", .string, .required)
            .field("created_at", .datetime)
            // One match per kind, subject and partner in a unit and campaign: a double click is one match.
            .unique(on: "campaign_id", "org_id", "kind", "subject_id_hash", "partner")
            .create()
        try await database.schema(CompanionContact.schema).id()
            .field("match_id", .uuid, .required, .references(CompanionMatch.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("on", .string, .required).field("note_cipher", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [CompanionContact.schema, CompanionMatch.schema, CampParticipant.schema, Camp.schema] { try await database.schema(schema).delete() }
    }
}
