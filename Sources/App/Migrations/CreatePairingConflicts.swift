// Refused claims on pupils paired by another university (see `PairingConflict`).
import Fluent
import SQLKit

struct CreatePairingConflicts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PairingConflict.schema)
            .id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("county_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("pupil_id_hash", .string, .required)
            .field("pupil_id_masked", .string, .required)
            .field("pupil_name", .string, .required)
            .field("owner_university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("claimant_university_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("attempts", .int, .required)
            .field("first_at", .datetime, .required)
            .field("last_at", .datetime, .required)
            .unique(on: "campaign_id", "pupil_id_hash", "claimant_university_id")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_pairing_conflicts_county ON pairing_conflicts (campaign_id, county_id)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PairingConflict.schema).delete()
    }
}
