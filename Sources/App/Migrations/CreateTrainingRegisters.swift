// Work item 6's tables (issue 13), and the training quotas added to the campaigns that existed before them.
import Fluent
import LiangbangCore
import SQLKit

struct CreateTrainingRegisters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(TrainingClass.schema).id()
            .field("campaign_id", .uuid, .required, .references(Campaign.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("title", .string, .required).field("kind", .string, .required).field("mode", .string, .required)
            .field("county_id", .uuid, .references(Organization.schema, "id"))
            .field("start_date", .string, .required).field("end_date", .string, .required).field("session_dates", .string, .required)
            .field("person_times", .int, .required).field("trainees", .int, .required).field("created_at", .datetime)
            // A double-clicked save cannot open one class twice.
            .unique(on: "campaign_id", "org_id", "title")
            .create()
        try await database.schema(TrainingAttendee.schema).id()
            .field("class_id", .uuid, .required, .references(TrainingClass.schema, "id", onDelete: .cascade))
            .field("campaign_id", .uuid, .required).field("org_id", .uuid, .required)
            .field("name", .string, .required).field("sex", .string, .required)
            .field("id_cipher", .string, .required).field("id_masked", .string, .required)
            .field("phone_cipher", .string, .required).field("phone_masked", .string, .required)
            .field("person_hash", .string, .required).field("county", .string, .required).field("category", .string, .required)
            .field("attended", .string, .required).field("created_at", .datetime)
            .unique(on: "class_id", "person_hash")
            .create()
        let sql = database as! any SQLDatabase
        // The completeness board reads classes per unit; a unit's page its own.
        try await sql.raw("CREATE INDEX idx_training_classes_org ON training_classes (campaign_id, org_id, person_times, trainees)").run()
        // Campaigns made before training was on the board get its quotas (the notice's defaults).
        for campaign in try await Campaign.query(on: database).all() {
            let have = Set(try await CampaignQuota.query(on: database).filter(\.$campaignID == campaign.id!).all().map { "\($0.orgKind.rawValue)|\($0.metric.rawValue)" })
            try await QuotaRule.training.filter { !have.contains("\($0.orgKind.rawValue)|\($0.metric.rawValue)") }
                .map { CampaignQuota(campaignID: campaign.id!, rule: $0) }.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await CampaignQuota.query(on: database).filter(\.$metric ~~ [.trainingClasses, .trainingPersonTimes, .trainingTrainees]).delete()
        try await database.schema(TrainingAttendee.schema).delete()
        try await database.schema(TrainingClass.schema).delete()
    }
}
