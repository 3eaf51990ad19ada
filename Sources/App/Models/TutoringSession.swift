// One logged tutoring session (支教记录) of a pairing. Campaign, university, county and the pupil's and
// volunteer's keyed hashes are copied from the pairing so the weekly boards aggregate without joins.
import Fluent
import Vapor

final class TutoringSession: Model, @unchecked Sendable {
    static let schema = "tutoring_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "pairing_id") var pairingID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "university_id") var universityID: UUID
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "pupil_id_hash") var pupilIDHash: String
    @Field(key: "volunteer_id_hash") var volunteerIDHash: String
    /// Shanghai calendar date `yyyy-MM-dd`, and the Monday of its week (weeks run Monday–Sunday).
    @Field(key: "date") var date: String
    @Field(key: "week_start") var weekStart: String
    @Field(key: "start_time") var startTime: String
    @Field(key: "minutes") var minutes: Int
    @Field(key: "content") var content: String
    @Field(key: "mode") var mode: String
    @OptionalField(key: "note") var note: String?
    @Field(key: "recorded_by") var recordedBy: String
    /// Set from the app's clock (not the database's): the volunteer's 7-day window runs from it.
    @OptionalField(key: "created_at") var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A one-time code with which a volunteer of a university's roster opens its account.
final class ActivationCode: Model, @unchecked Sendable {
    static let schema = "activation_codes"

    @ID(key: .id) var id: UUID?
    @Field(key: "university_id") var universityID: UUID
    @Field(key: "volunteer_id_hash") var volunteerIDHash: String
    @Field(key: "volunteer_name") var volunteerName: String
    /// The code itself, encrypted: staff may print the list again until it is used.
    @Field(key: "code_cipher") var codeCipher: String
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?
    @OptionalField(key: "user_id") var userID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
