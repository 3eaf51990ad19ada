// One line of a university's 附件2 roster: a pupil ↔ volunteer pair. ID numbers and 学籍号 are
// stored encrypted, with a keyed hash for matching and a masked copy for display.
import Fluent
import Vapor

final class Pairing: Model, @unchecked Sendable {
    static let schema = "pairings"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "university_id") var universityID: UUID
    @Field(key: "county_id") var countyID: UUID

    @Field(key: "pupil_name") var pupilName: String
    @Field(key: "pupil_sex") var pupilSex: String
    @Field(key: "pupil_id_cipher") var pupilIDCipher: String
    @Field(key: "pupil_id_hash") var pupilIDHash: String
    @Field(key: "pupil_id_masked") var pupilIDMasked: String
    /// Whole years on the campaign's roster date, derived at import for the under-14 consent rule. No birth date
    /// is stored in clear: with the masked ID it would give the full number.
    @Field(key: "pupil_age") var pupilAge: Int
    @Field(key: "student_no_cipher") var studentNoCipher: String
    @Field(key: "school") var school: String
    @Field(key: "grade_class") var gradeClass: String

    @Field(key: "volunteer_name") var volunteerName: String
    @Field(key: "volunteer_id_cipher") var volunteerIDCipher: String
    @Field(key: "volunteer_id_hash") var volunteerIDHash: String
    @Field(key: "volunteer_id_masked") var volunteerIDMasked: String

    @OptionalField(key: "start_date") var startDate: String?
    @OptionalField(key: "guardian_consent") var guardianConsent: Bool?
    @OptionalField(key: "consent_date") var consentDate: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var pairHash: String { pupilIDHash + "|" + volunteerIDHash }
}

/// A university's roster as submitted for the deadline: every version is kept.
final class RosterSubmission: Model, @unchecked Sendable {
    static let schema = "roster_submissions"

    enum Status: String, Codable, Sendable { case submitted, returned, accepted }

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "university_id") var universityID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "submitted_by") var submittedBy: String
    @Field(key: "on_time") var onTime: Bool
    @Field(key: "status") var status: Status
    @OptionalField(key: "return_reason") var returnReason: String?
    @OptionalField(key: "reviewed_by") var reviewedBy: String?
    @Field(key: "pupils") var pupils: Int
    @Field(key: "volunteers") var volunteers: Int
    @Field(key: "pairings") var pairings: Int
    /// The roster as it stood, encrypted (it holds the ID ciphertexts and names).
    @Field(key: "snapshot") var snapshot: Data

    init() {}
}

/// An uploaded file waiting for the user to confirm its preview; encrypted, kept one day.
final class PendingImport: Model, @unchecked Sendable {
    static let schema = "pending_imports"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "filename") var filename: String
    @Field(key: "mode") var mode: String
    @Field(key: "payload") var payload: Data
    /// The record inside the unit the upload is for (a practice team's member list), when the form has one.
    @OptionalField(key: "target_id") var targetID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
