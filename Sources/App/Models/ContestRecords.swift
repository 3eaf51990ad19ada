// Work item 7's registers: 涉农创业 ventures, 创青春 / 青农优品 contests, their entries, judges and scores.
import Fluent
import LiangbangCore
import Vapor

final class Venture: Model, @unchecked Sendable {
    static let schema = "ventures"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The unit that recorded it.
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "leader_name") var leaderName: String
    @Field(key: "leader_phone_cipher") var leaderPhoneCipher: String
    @Field(key: "leader_phone_masked") var leaderPhoneMasked: String
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "sector") var sector: String
    @Field(key: "founded") var founded: String
    @Field(key: "jobs_created") var jobsCreated: Int
    @Field(key: "revenue_band") var revenueBand: String
    @Field(key: "description") var description: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class Contest: Model, @unchecked Sendable {
    static let schema = "contests"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The organiser.
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "level") var level: String
    /// The criteria as JSON (`[Criterion]`).
    @Field(key: "criteria") var criteriaJSON: String
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var criteria: [Criterion] { (try? JSONDecoder().decode([Criterion].self, from: Data(criteriaJSON.utf8))) ?? [] }
    var contestKind: ContestKind { ContestKind(rawValue: kind) ?? .chuangqingchun }
}

final class ContestEntry: Model, @unchecked Sendable {
    static let schema = "contest_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "contest_id") var contestID: UUID
    @Field(key: "venture_id") var ventureID: UUID
    /// Chosen by the organiser to advance (创青春) or be named a 青农优品 brand.
    @Field(key: "selected") var selected: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class ContestJudge: Model, @unchecked Sendable {
    static let schema = "contest_judges"

    @ID(key: .id) var id: UUID?
    @Field(key: "contest_id") var contestID: UUID
    @Field(key: "user_id") var userID: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class ContestScore: Model, @unchecked Sendable {
    static let schema = "contest_scores"

    @ID(key: .id) var id: UUID?
    @Field(key: "contest_id") var contestID: UUID
    @Field(key: "entry_id") var entryID: UUID
    @Field(key: "judge_id") var judgeID: UUID
    /// Criterion → score, as JSON.
    @Field(key: "scores") var scoresJSON: String
    /// Σ score × weight, hundredths of a point.
    @Field(key: "weighted") var weighted: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var scores: [String: Int] { (try? JSONDecoder().decode([String: Int].self, from: Data(scoresJSON.utf8))) ?? [:] }
}
