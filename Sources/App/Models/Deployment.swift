// One 希望乡村教师 posting (work item 3). The volunteer's ID number is stored encrypted, with a keyed hash for the
// one-school-at-a-time rule and a masked copy for display; no birth date is kept (with the mask it is the full ID).
import Fluent
import LiangbangCore
import Vapor

final class Deployment: Model, @unchecked Sendable {
    static let schema = "deployments"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The unit that keeps the line: the province, a city or county for its territory, a university for its volunteers.
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "volunteer_name") var volunteerName: String
    @Field(key: "sex") var sex: String
    @Field(key: "volunteer_id_cipher") var volunteerIDCipher: String
    @Field(key: "volunteer_id_hash") var volunteerIDHash: String
    @Field(key: "volunteer_id_masked") var volunteerIDMasked: String
    @Field(key: "programme") var programme: String
    @OptionalField(key: "university_id") var universityID: UUID?
    @Field(key: "school") var school: String
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "subject") var subject: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @OptionalField(key: "ended_on") var endedOn: String?
    @OptionalField(key: "end_reason") var endReason: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var start: LocalDate { LocalDate(iso: startDate) ?? LocalDate(year: 2000, month: 1, day: 1)! }
    var plannedEnd: LocalDate { LocalDate(iso: endDate) ?? start }
    /// The days the volunteer is (or was) at the school.
    var term: ClosedRange<LocalDate> {
        let last = endedOn.flatMap { LocalDate(iso: $0) } ?? plannedEnd
        return start...max(start, last)
    }
    var programmeLabel: String { DeploymentProgramme(rawValue: programme)?.label ?? programme }
}
