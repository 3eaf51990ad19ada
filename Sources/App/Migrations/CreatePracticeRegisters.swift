// Work item 4's tables (issue 12): teams and members, 百校百号 pairs, 返家乡 students, key counties, targets.
import Fluent
import SQLKit

struct CreatePracticeRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let campaign = { (b: SchemaBuilder) in b.field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade)) }
        try await campaign(database.schema(PracticeTeam.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("lighthouse", .bool, .required).field("leader", .string, .required)
            .field("county_id", .uuid, .required, .references(Organization.schema, "id")).field("town", .string, .required)
            .field("start_date", .string, .required).field("end_date", .string, .required).field("theme", .string, .required)
            .field("declared_members", .int, .required).field("has_list", .bool, .required).field("listed_members", .int, .required)
            .field("created_at", .datetime)
            // A double-clicked save or a pasted line cannot make one team twice.
            .unique(on: "campaign_id", "org_id", "name")
            .create()
        try await campaign(database.schema(PracticeMember.schema).id())
            .field("team_id", .uuid, .required, .references(PracticeTeam.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required).field("city_id", .uuid)
            .field("name", .string, .required).field("school", .string, .required).field("student_no", .string, .required)
            .field("student_key", .string, .required).field("created_at", .datetime)
            .unique(on: "team_id", "student_key")
            .create()
        try await campaign(database.schema(CivilityPair.schema).id())
            .field("collective_name", .string, .required).field("collective_key", .string, .required).field("sector", .string, .required)
            .field("collective_org_id", .uuid, .references(Organization.schema, "id"))
            .field("university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("activity_ids", .string, .required).field("created_at", .datetime)
            .unique(on: "campaign_id", "collective_key", "university_id")
            .create()
        try await campaign(database.schema(ReturnHomeStudent.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("id_cipher", .string, .required).field("id_hash", .string, .required)
            .field("id_masked", .string, .required).field("university_id", .uuid, .references(Organization.schema, "id"))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id")).field("host_unit", .string, .required)
            .field("start_date", .string, .required).field("end_date", .string, .required).field("hours_tenths", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "campaign_id", "id_hash", "start_date")
            .create()
        try await campaign(database.schema(KeyCounty.schema).id())
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .unique(on: "campaign_id", "county_id")
            .create()
        try await campaign(database.schema(CampaignTarget.schema).id())
            .field("org_id", .uuid, .references(Organization.schema, "id"))
            .field("practice_teams", .int).field("practice_students", .int).field("civility_pairs", .int).field("return_home", .int)
            .create()
        let sql = database as! any SQLDatabase
        // The board counts students once per campaign, per city and per university straight from these indexes.
        try await sql.raw("CREATE INDEX idx_practice_members_key ON practice_members (campaign_id, student_key, created_at)").run()
        try await sql.raw("CREATE INDEX idx_practice_members_city ON practice_members (campaign_id, city_id, student_key, created_at)").run()
        try await sql.raw("CREATE INDEX idx_practice_members_org ON practice_members (campaign_id, org_id, student_key, created_at)").run()
        try await sql.raw("CREATE INDEX idx_practice_teams_campaign ON practice_teams (campaign_id, county_id)").run()
        try await sql.raw("CREATE INDEX idx_return_home_campaign ON return_home_students (campaign_id, county_id)").run()
        try await sql.raw("CREATE INDEX idx_campaign_targets ON campaign_targets (campaign_id, org_id)").run()
    }

    func revert(on database: any Database) async throws {
        for schema in [CampaignTarget.schema, KeyCounty.schema, ReturnHomeStudent.schema, CivilityPair.schema, PracticeMember.schema, PracticeTeam.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// An upload may be for one record inside its unit (a team's member list): `pending_imports.target_id`.
struct AddPendingImportTarget: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PendingImport.schema).field("target_id", .uuid).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PendingImport.schema).deleteField("target_id").update()
    }
}
