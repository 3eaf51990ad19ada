// A refused claim on a pupil another university already pairs: the claimant is told only "another university";
// the pupil's county and the province see both universities here to sort it out.
import Fluent
import Vapor

final class PairingConflict: Model, @unchecked Sendable {
    static let schema = "pairing_conflicts"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "pupil_id_hash") var pupilIDHash: String
    @Field(key: "pupil_id_masked") var pupilIDMasked: String
    @Field(key: "pupil_name") var pupilName: String
    @Field(key: "owner_university_id") var ownerUniversityID: UUID
    @Field(key: "claimant_university_id") var claimantUniversityID: UUID
    @Field(key: "attempts") var attempts: Int
    @Field(key: "first_at") var firstAt: Date
    @Field(key: "last_at") var lastAt: Date

    init() {}
}
