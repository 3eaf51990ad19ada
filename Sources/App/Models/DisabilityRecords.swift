// Care item 9's registers: 阳光助残 pairs (the young person's ID, disability category and level sealed), their
// plan (一人一策, sealed) and its reviews.
import Fluent
import LiangbangCore
import Vapor

final class DisabilityPair: Model, @unchecked Sendable {
    static let schema = "disability_pairs"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_cipher") var idCipher: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "age") var age: Int
    /// "category|level", sealed.
    @Field(key: "disability_cipher") var disabilityCipher: String
    @Field(key: "guardian") var guardian: String
    @Field(key: "guardian_phone_cipher") var guardianPhoneCipher: String
    @Field(key: "guardian_phone_masked") var guardianPhoneMasked: String
    @Field(key: "organisation") var organisation: String
    @Field(key: "started_on") var startedOn: String
    @Field(key: "consent_given") var consentGiven: Bool
    @Field(key: "consent_on") var consentOn: String
    /// The plan as JSON (goals, measures, responsible), sealed; empty before there is one.
    @Field(key: "plan_cipher") var planCipher: String
    @Field(key: "planned_on") var plannedOn: String
    @Field(key: "reviews") var reviews: Int
    /// The plan's or the next review's due date (`DisabilityRules.status`), for the overdue lists.
    @Field(key: "due_on") var dueOn: String
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class DisabilityReview: Model, @unchecked Sendable {
    static let schema = "disability_reviews"

    @ID(key: .id) var id: UUID?
    @Field(key: "pair_id") var pairID: UUID
    @Field(key: "on") var on: String
    /// Progress and next steps as JSON, sealed.
    @Field(key: "content_cipher") var contentCipher: String
    @Field(key: "next_review") var nextReview: String
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
