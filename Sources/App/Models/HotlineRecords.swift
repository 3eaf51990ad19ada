// Care item 10's registers: 12355 cases and their follow-ups. What a case says (the caller's name, the summary,
// follow-up notes, the outcome) is sealed; what the counts need (city, county, category, risk, dates) is not.
import Fluent
import LiangbangCore
import Vapor

final class HotlineCase: Model, @unchecked Sendable {
    static let schema = "hotline_cases"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The unit that holds the case (its counsellors read it).
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "city_id") var cityID: UUID
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "channel") var channel: String
    @Field(key: "name_cipher") var nameCipher: String
    @Field(key: "age") var age: Int
    @Field(key: "sex") var sex: String
    @Field(key: "category") var category: String
    @Field(key: "risk") var risk: String
    @Field(key: "needs_offline") var needsOffline: Bool
    @Field(key: "summary_cipher") var summaryCipher: String
    /// When the required follow-up is due (`HotlineRules.due`), kept with the case so the overdue lists are one query.
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "outcome_cipher") var outcomeCipher: String
    @Field(key: "follow_ups") var followUps: Int
    @Field(key: "created_by") var createdBy: UUID
    /// A keyed hash of (counsellor, moment, summary): unique, so a double-clicked case is stored once.
    @Field(key: "fingerprint") var fingerprint: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var hotlineRisk: HotlineRisk { HotlineRisk(rawValue: risk) ?? .low }
}

final class HotlineFollowUp: Model, @unchecked Sendable {
    static let schema = "hotline_follow_ups"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "at") var at: Date
    @Field(key: "counsellor") var counsellor: String
    @Field(key: "mode") var mode: String
    @Field(key: "note_cipher") var noteCipher: String
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
