// Care item 8's registers: 健康直通车 visits, the checks made there, and the follow-ups of a finding. What a check
// measured and found, and the referral, are health data: sealed; whether something was found (for the overdue
// lists) and the due date are not.
import Fluent
import LiangbangCore
import Vapor

final class HealthVisit: Model, @unchecked Sendable {
    static let schema = "health_visits"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The unit that recorded the visit.
    @Field(key: "org_id") var orgID: UUID
    /// The 青年文明号 collective, as named (a provincial unit's name, or free text).
    @Field(key: "collective") var collective: String
    @OptionalField(key: "collective_org_id") var collectiveOrgID: UUID?
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "village") var village: String
    @Field(key: "visited_on") var visitedOn: String
    @Field(key: "services") var services: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class HealthCheck: Model, @unchecked Sendable {
    static let schema = "health_checks"

    @ID(key: .id) var id: UUID?
    @Field(key: "visit_id") var visitID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_cipher") var idCipher: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "sex") var sex: String
    @Field(key: "age") var age: Int
    /// `HealthMeasurements` as JSON, sealed.
    @Field(key: "measurements_cipher") var measurementsCipher: String
    @Field(key: "has_finding") var hasFinding: Bool
    @Field(key: "finding_cipher") var findingCipher: String
    /// "hospital|date", sealed.
    @Field(key: "referral_cipher") var referralCipher: String
    @Field(key: "consent_given") var consentGiven: Bool
    @Field(key: "consent_on") var consentOn: String
    @Field(key: "checked_on") var checkedOn: String
    /// The next follow-up's due date (`HealthRules.step` through the kernel), empty when none is due.
    @Field(key: "due_on") var dueOn: String
    @Field(key: "closed") var closed: Bool
    @Field(key: "follow_ups") var followUps: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class HealthFollowUp: Model, @unchecked Sendable {
    static let schema = "health_follow_ups"

    @ID(key: .id) var id: UUID?
    @Field(key: "check_id") var checkID: UUID
    @Field(key: "on") var on: String
    @Field(key: "note_cipher") var noteCipher: String
    @Field(key: "closed") var closed: Bool
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
