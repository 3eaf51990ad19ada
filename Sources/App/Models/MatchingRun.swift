// One run of 智能结对: the two uploaded lists (encrypted: they hold minors' ID numbers), the locks and forbids it
// was run with, and its proposal. Kept one day, like an upload waiting for its preview; only its author reads it.
import Fluent
import Vapor

final class MatchingRun: Model, @unchecked Sendable {
    static let schema = "matching_runs"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "pupils_filename") var pupilsFilename: String
    @Field(key: "pupils_payload") var pupilsPayload: Data
    @Field(key: "volunteers_filename") var volunteersFilename: String
    @Field(key: "volunteers_payload") var volunteersPayload: Data
    /// JSON `[{"pupilRow","volunteerRow"}]`.
    @Field(key: "locks") var locks: String
    @Field(key: "forbids") var forbids: String
    /// The proposal as JSON (rows, scores and reasons: no names, no ID numbers).
    @Field(key: "proposal") var proposal: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateMatchingRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(MatchingRun.schema)
            .id()
            .field("kind", .string, .required)
            .field("user_id", .uuid, .required)
            .field("org_id", .uuid, .required)
            .field("campaign_id", .uuid, .required)
            .field("pupils_filename", .string, .required)
            .field("pupils_payload", .data, .required)
            .field("volunteers_filename", .string, .required)
            .field("volunteers_payload", .data, .required)
            .field("locks", .string, .required)
            .field("forbids", .string, .required)
            .field("proposal", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchingRun.schema).delete()
    }
}

/// The score's weights are campaign settings (JSON; empty means the defaults). Registered before the seeds that
/// write campaigns through the model; Fluent runs it on existing databases too, as it has not run there.
struct AddCampaignMatchingWeights: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Campaign.schema).field("matching_weights", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Campaign.schema).deleteField("matching_weights").update()
    }
}
