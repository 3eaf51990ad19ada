// Work item 7's tables (issue 13): ventures, contests, entries, judges, scores.
import Fluent

struct CreateContestRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let campaign = { (b: SchemaBuilder) in b.field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade)) }
        try await campaign(database.schema(Venture.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("leader_name", .string, .required)
            .field("leader_phone_cipher", .string, .required).field("leader_phone_masked", .string, .required)
            .field("county_id", .uuid, .required, .references(Organization.schema, "id")).field("sector", .string, .required)
            .field("founded", .string, .required).field("jobs_created", .int, .required).field("revenue_band", .string, .required)
            .field("description", .string, .required).field("created_at", .datetime)
            .unique(on: "campaign_id", "org_id", "name")
            .create()
        try await campaign(database.schema(Contest.schema).id())
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required).field("kind", .string, .required).field("level", .string, .required)
            .field("criteria", .string, .required).field("published_at", .datetime).field("created_at", .datetime)
            .unique(on: "campaign_id", "org_id", "name")
            .create()
        try await database.schema(ContestEntry.schema).id()
            .field("contest_id", .uuid, .required, .references(Contest.schema, "id", onDelete: .cascade))
            .field("venture_id", .uuid, .required, .references(Venture.schema, "id", onDelete: .cascade))
            .field("selected", .bool, .required).field("created_at", .datetime)
            .unique(on: "contest_id", "venture_id")
            .create()
        try await database.schema(ContestJudge.schema).id()
            .field("contest_id", .uuid, .required, .references(Contest.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade)).field("created_at", .datetime)
            .unique(on: "contest_id", "user_id")
            .create()
        try await database.schema(ContestScore.schema).id()
            .field("contest_id", .uuid, .required, .references(Contest.schema, "id", onDelete: .cascade))
            .field("entry_id", .uuid, .required, .references(ContestEntry.schema, "id", onDelete: .cascade))
            .field("judge_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("scores", .string, .required).field("weighted", .int, .required).field("updated_at", .datetime)
            // One score sheet per judge and entry: a double-clicked save updates it, never adds a second.
            .unique(on: "entry_id", "judge_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [ContestScore.schema, ContestJudge.schema, ContestEntry.schema, Contest.schema, Venture.schema] {
            try await database.schema(schema).delete()
        }
    }
}
