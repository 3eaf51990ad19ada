// Work item 5's registers: a university's league cadres, the graduates each one helps, the guidance given and
// the positions recommended.
import Fluent
import LiangbangCore
import Vapor

final class EmploymentCadre: Model, @unchecked Sendable {
    static let schema = "employment_cadres"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The university.
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "position") var position: String
    /// The cadre's own account at the university, when there is one.
    @OptionalField(key: "user_id") var userID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class EmploymentGraduate: Model, @unchecked Sendable {
    static let schema = "employment_graduates"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "cadre_id") var cadreID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_cipher") var idCipher: String
    /// One graduate is helped by one university a campaign: unique with the campaign.
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "major") var major: String
    /// "2027-06".
    @Field(key: "graduation") var graduation: String
    /// `HardshipCategory`, encrypted: sensitive.
    @Field(key: "hardship_cipher") var hardshipCipher: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class EmploymentGuidance: Model, @unchecked Sendable {
    static let schema = "employment_guidance"

    @ID(key: .id) var id: UUID?
    @Field(key: "graduate_id") var graduateID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "given_on") var givenOn: String
    @Field(key: "mode") var mode: String
    @Field(key: "note") var note: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class JobRecommendation: Model, @unchecked Sendable {
    static let schema = "employment_jobs"

    @ID(key: .id) var id: UUID?
    @Field(key: "graduate_id") var graduateID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "employer") var employer: String
    @Field(key: "position") var position: String
    @Field(key: "city") var city: String
    @Field(key: "recommended_on") var recommendedOn: String
    @Field(key: "outcome") var outcome: String
    /// The date of the latest change (the recommendation's own date at first).
    @Field(key: "outcome_on") var outcomeOn: String
    /// Every change as "outcome:date", comma-separated, oldest first.
    @Field(key: "history") var history: String
    /// Counts the changes: a PATCH applies only to the version it read, so two at once cannot both move it.
    @Field(key: "version") var version: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var jobOutcome: JobOutcome { JobOutcome(rawValue: outcome) ?? .recommended }

    struct Change: Content, Equatable { let outcome: String; let label: String; let on: String }
    var changes: [Change] {
        history.split(separator: ",").compactMap { part in
            let bits = part.split(separator: ":")
            guard bits.count == 2, let o = JobOutcome(rawValue: String(bits[0])) else { return nil }
            return Change(outcome: o.rawValue, label: o.label, on: String(bits[1]))
        }
    }
}
