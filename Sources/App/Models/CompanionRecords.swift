// Care item 11's registers: camps and their participants; letter, family and 手拉手 matches with their dated
// contacts. Children's ID numbers are sealed and masked; a letter's or visit's note is sealed.
import Fluent
import LiangbangCore
import Vapor

final class Camp: Model, @unchecked Sendable {
    static let schema = "camps"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "place") var place: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @Field(key: "children") var children: Int
    @Field(key: "volunteers") var volunteers: Int
    @Field(key: "consent_gaps") var consentGaps: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class CampParticipant: Model, @unchecked Sendable {
    static let schema = "camp_participants"

    @ID(key: .id) var id: UUID?
    @Field(key: "camp_id") var campID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_cipher") var idCipher: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "is_child") var isChild: Bool
    @Field(key: "age") var age: Int
    @Field(key: "consent_given") var consentGiven: Bool
    @Field(key: "consent_on") var consentOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var consentGap: Bool { isChild && GuardianConsent.isGap(age: age, given: consentGiven, on: LocalDate(iso: consentOn)) }
}

/// A letter pair, a 南粤会亲 match or a 手拉手 pair: `subject` is the child (or the rural school or class),
/// `partner` the writer, the family or the urban school or class.
final class CompanionMatch: Model, @unchecked Sendable {
    static let schema = "companion_matches"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "subject") var subject: String
    @Field(key: "subject_id_cipher") var subjectIDCipher: String
    @Field(key: "subject_id_hash") var subjectIDHash: String
    @Field(key: "subject_id_masked") var subjectIDMasked: String
    @Field(key: "age") var age: Int
    @Field(key: "consent_given") var consentGiven: Bool
    @Field(key: "consent_on") var consentOn: String
    @Field(key: "partner") var partner: String
    @Field(key: "partner_kind") var partnerKind: String
    @Field(key: "started_on") var startedOn: String
    @Field(key: "contacts") var contacts: Int
    @Field(key: "last_contact_on") var lastContactOn: String
    /// The next contact's due date (`CompanionRules.due`), empty for 手拉手.
    @Field(key: "due_on") var dueOn: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var companionKind: CompanionKind { CompanionKind(rawValue: kind) ?? .letter }
}

final class CompanionContact: Model, @unchecked Sendable {
    static let schema = "companion_contacts"

    @ID(key: .id) var id: UUID?
    @Field(key: "match_id") var matchID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "on") var on: String
    @Field(key: "note_cipher") var noteCipher: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
