// Work item 6's registers: training classes and their sign-in sheets.
import Fluent
import LiangbangCore
import Vapor

final class TrainingClass: Model, @unchecked Sendable {
    static let schema = "training_classes"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The organiser (a city, county, the province, any unit).
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "title") var title: String
    @Field(key: "kind") var kind: String
    @Field(key: "mode") var mode: String
    @OptionalField(key: "county_id") var countyID: UUID?
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    /// The sessions' dates, comma-separated ISO dates.
    @Field(key: "session_dates") var sessionDates: String
    /// From the sign-in sheet (`TrainingRules.figures`), kept with the class so the board reads one row per class.
    @Field(key: "person_times") var personTimes: Int
    @Field(key: "trainees") var trainees: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var sessions: [LocalDate] { sessionDates.split(separator: ",").compactMap { LocalDate(iso: String($0)) } }
    var trainingKind: TrainingKind { TrainingKind(rawValue: kind) ?? .other }
}

final class TrainingAttendee: Model, @unchecked Sendable {
    static let schema = "training_attendees"

    @ID(key: .id) var id: UUID?
    @Field(key: "class_id") var classID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "sex") var sex: String
    /// The ID number (encrypted, masked), or empty when the person was signed in by phone.
    @Field(key: "id_cipher") var idCipher: String
    @Field(key: "id_masked") var idMasked: String
    @Field(key: "phone_cipher") var phoneCipher: String
    @Field(key: "phone_masked") var phoneMasked: String
    /// The lookup hash of `TraineeEntry.personKey`: one row per person and class.
    @Field(key: "person_hash") var personHash: String
    @Field(key: "county") var county: String
    @Field(key: "category") var category: String
    /// The sessions signed, comma-separated ISO dates.
    @Field(key: "attended") var attended: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var sessionsAttended: Int { attended.isEmpty ? 0 : attended.split(separator: ",").count }
}
