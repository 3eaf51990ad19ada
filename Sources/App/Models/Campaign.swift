// A campaign year (活动年度) with its calendar; quotas and assignments hang off it.
import Fluent
import LiangbangCore
import Vapor

final class Campaign: Model, @unchecked Sendable {
    static let schema = "campaigns"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "name") var name: String
    @Field(key: "roster_due") var rosterDue: String
    @Field(key: "plan_due") var planDue: String
    @Field(key: "focus_start") var focusStart: String
    @Field(key: "focus_end") var focusEnd: String
    @Field(key: "update_due") var updateDue: String
    @Field(key: "school_age_min") var schoolAgeMin: Int
    @Field(key: "school_age_max") var schoolAgeMax: Int
    /// The tutoring period; nil means the default, 07-01 … 12-31 of the year.
    @OptionalField(key: "tutoring_start") var tutoringStartText: String?
    @OptionalField(key: "tutoring_end") var tutoringEndText: String?
    /// 智能结对's score weights (JSON of `MatchWeights`); nil means the defaults.
    @OptionalField(key: "matching_weights") var matchingWeightsJSON: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID = UUID(), year: Int, calendar: CampaignCalendar) {
        self.id = id
        self.year = year
        self.name = "\(year)年广东乡村青少年健康成长“两帮两促”行动"
        self.calendar = calendar
        self.schoolAgeMin = 6
        self.schoolAgeMax = 19
    }

    /// The tutoring period; unset means the notice's default, 07-01 … 12-31 of the year.
    var tutoringPeriod: TutoringPeriod {
        let standard = TutoringPeriod.standard(year: year)
        return TutoringPeriod(start: tutoringStartText.flatMap(LocalDate.init(iso:)) ?? standard.start,
                              end: tutoringEndText.flatMap(LocalDate.init(iso:)) ?? standard.end)
    }

    var matchingWeights: MatchWeights {
        get { matchingWeightsJSON.flatMap { try? JSONDecoder().decode(MatchWeights.self, from: Data($0.utf8)) } ?? MatchWeights() }
        set { matchingWeightsJSON = (try? JSONEncoder().encode(newValue)).map { String(decoding: $0, as: UTF8.self) } }
    }

    var schoolAges: ClosedRange<Int> { schoolAgeMin...max(schoolAgeMin, schoolAgeMax) }

    /// Dates are stored as `yyyy-MM-dd` text: the same on SQLite and PostgreSQL, and never shifted by time zones.
    var calendar: CampaignCalendar {
        get {
            func d(_ s: String) -> LocalDate { LocalDate(iso: s) ?? LocalDate(year: year, month: 1, day: 1)! }
            return CampaignCalendar(rosterDue: d(rosterDue), planDue: d(planDue), focusStart: d(focusStart),
                                    focusEnd: d(focusEnd), updateDue: d(updateDue))
        }
        set {
            rosterDue = newValue.rosterDue.iso; planDue = newValue.planDue.iso
            focusStart = newValue.focusStart.iso; focusEnd = newValue.focusEnd.iso
            updateDue = newValue.updateDue.iso
        }
    }

    /// The campaign pages open on when none is named: this year's, else the latest that has begun, else the
    /// earliest ahead. A year created in advance (next year's, in December) must not empty every page.
    static func current(on db: any Database, today: LocalDate) async throws -> Campaign? {
        let all = try await Campaign.query(on: db).sort(\.$year, .descending).all()
        return all.first { $0.year <= today.year } ?? all.last
    }

    struct DTO: Content {
        let year: Int
        let name: String
        let calendar: CampaignCalendar
    }

    func toDTO() -> DTO { DTO(year: year, name: name, calendar: calendar) }
}

extension CampaignCalendar: Content {}

final class CampaignQuota: Model, @unchecked Sendable {
    static let schema = "campaign_quotas"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_kind") var orgKind: OrgKind
    @Field(key: "metric") var metric: QuotaMetric
    @Field(key: "minimum") var minimum: Int
    @Field(key: "wording") var wording: String

    init() {}

    init(campaignID: UUID, rule: QuotaRule) {
        self.campaignID = campaignID
        self.orgKind = rule.orgKind
        self.metric = rule.metric
        self.minimum = rule.minimum
        self.wording = rule.wording
    }

    var rule: QuotaRule { QuotaRule(orgKind: orgKind, metric: metric, minimum: minimum, wording: wording) }
}

/// 附件1, resolved: one row per county with the university that tutors its pupils.
final class TutoringAssignment: Model, @unchecked Sendable {
    static let schema = "tutoring_assignments"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "university_id") var universityID: UUID

    init() {}

    init(campaignID: UUID, countyID: UUID, universityID: UUID) {
        self.campaignID = campaignID
        self.countyID = countyID
        self.universityID = universityID
    }
}
