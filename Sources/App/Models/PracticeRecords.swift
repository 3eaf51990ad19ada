// Work item 4's registers: 三下乡 practice teams and their members, 百校百号 pairs, 返家乡 students, the campaign's
// key counties and its targets.
import Fluent
import LiangbangCore
import Vapor

final class PracticeTeam: Model, @unchecked Sendable {
    static let schema = "practice_teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The organising unit (a university or any unit).
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "lighthouse") var lighthouse: Bool
    @Field(key: "leader") var leader: String
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "town") var town: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @Field(key: "theme") var theme: String
    @Field(key: "declared_members") var declaredMembers: Int
    /// True once a member list was imported: then the list, not the declared number, counts.
    @Field(key: "has_list") var hasList: Bool
    @Field(key: "listed_members") var listedMembers: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var dates: ClosedRange<LocalDate>? {
        guard let s = LocalDate(iso: startDate), let e = LocalDate(iso: endDate), s <= e else { return nil }
        return s...e
    }
}

final class PracticeMember: Model, @unchecked Sendable {
    static let schema = "practice_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "team_id") var teamID: UUID
    @Field(key: "campaign_id") var campaignID: UUID
    /// The team's organiser and its destination's city, copied from the team so the board counts students per
    /// university and per city from one index each (kept in step by `TeamSpec.finish`).
    @Field(key: "org_id") var orgID: UUID
    @OptionalField(key: "city_id") var cityID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "school") var school: String
    @Field(key: "student_no") var studentNo: String
    /// `PracticeMemberEntry.key`: the same student in two teams has the same key.
    @Field(key: "student_key") var studentKey: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

final class CivilityPair: Model, @unchecked Sendable {
    static let schema = "civility_pairs"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "collective_name") var collectiveName: String
    @Field(key: "collective_key") var collectiveKey: String
    @Field(key: "sector") var sector: String
    /// The collective's provincial unit, when one exists under /orgs.
    @OptionalField(key: "collective_org_id") var collectiveOrgID: UUID?
    @Field(key: "university_id") var universityID: UUID
    /// 附件3 activities done together, comma-separated ids.
    @Field(key: "activity_ids") var activityIDs: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var activityIDList: [UUID] { activityIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}

final class ReturnHomeStudent: Model, @unchecked Sendable {
    static let schema = "return_home_students"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "name") var name: String
    @Field(key: "id_cipher") var idCipher: String
    @Field(key: "id_hash") var idHash: String
    @Field(key: "id_masked") var idMasked: String
    @OptionalField(key: "university_id") var universityID: UUID?
    @Field(key: "county_id") var countyID: UUID
    @Field(key: "host_unit") var hostUnit: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    /// Tenths of an hour.
    @Field(key: "hours_tenths") var hoursTenths: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One of the campaign's 返家乡 key counties.
final class KeyCounty: Model, @unchecked Sendable {
    static let schema = "campaign_key_counties"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "county_id") var countyID: UUID

    init() {}
    init(campaignID: UUID, countyID: UUID) { self.campaignID = campaignID; self.countyID = countyID }
}

/// The campaign's targets: the province's (no `orgID`; an absent figure is the notice's) or a city's or a
/// university's share of them (an absent figure: no share set).
final class CampaignTarget: Model, @unchecked Sendable {
    static let schema = "campaign_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @OptionalField(key: "org_id") var orgID: UUID?
    @OptionalField(key: "practice_teams") var practiceTeams: Int?
    @OptionalField(key: "practice_students") var practiceStudents: Int?
    @OptionalField(key: "civility_pairs") var civilityPairs: Int?
    @OptionalField(key: "return_home") var returnHome: Int?

    init() {}

    subscript(key: TargetKey) -> Int? {
        get {
            switch key {
            case .practiceTeams: return practiceTeams
            case .practiceStudents: return practiceStudents
            case .civilityPairs: return civilityPairs
            case .returnHomeInKeyCounties: return returnHome
            }
        }
        set {
            switch key {
            case .practiceTeams: practiceTeams = newValue
            case .practiceStudents: practiceStudents = newValue
            case .civilityPairs: civilityPairs = newValue
            case .returnHomeInKeyCounties: returnHome = newValue
            }
        }
    }

    /// A copy for another campaign (targets are copied to the next year with the rest of the settings).
    func copy(to campaign: UUID) -> CampaignTarget {
        let t = CampaignTarget()
        t.campaignID = campaign; t.orgID = orgID
        for key in TargetKey.allCases { t[key] = self[key] }
        return t
    }
}
