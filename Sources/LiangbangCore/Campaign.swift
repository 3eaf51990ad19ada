// A campaign year's calendar and quotas, as the provincial notice sets them.

public struct CampaignCalendar: Sendable, Equatable, Codable {
    public var rosterDue: LocalDate
    public var planDue: LocalDate
    public var focusStart: LocalDate
    public var focusEnd: LocalDate
    public var updateDue: LocalDate

    public init(rosterDue: LocalDate, planDue: LocalDate, focusStart: LocalDate, focusEnd: LocalDate, updateDue: LocalDate) {
        self.rosterDue = rosterDue; self.planDue = planDue
        self.focusStart = focusStart; self.focusEnd = focusEnd; self.updateDue = updateDue
    }

    /// The 2022 notice: roster and plan by 07-08, focus months 07-01…08-31, update by 09-15.
    public static func notice(year: Int) -> CampaignCalendar {
        func d(_ m: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: m, day: day)! }
        return CampaignCalendar(rosterDue: d(7, 8), planDue: d(7, 8), focusStart: d(7, 1), focusEnd: d(8, 31), updateDue: d(9, 15))
    }

    /// The same calendar a year later (a new campaign starts from last year's dates).
    public func shifted(toYear year: Int) -> CampaignCalendar {
        func move(_ date: LocalDate) -> LocalDate {
            let y = year + (date.year - rosterDue.year)
            return LocalDate(year: y, month: date.month, day: min(date.day, LocalDate.daysInMonth(y, date.month)))!
        }
        return CampaignCalendar(rosterDue: move(rosterDue), planDue: move(planDue), focusStart: move(focusStart),
                                focusEnd: move(focusEnd), updateDue: move(updateDue))
    }

    /// Problems with an edited calendar, in Chinese; empty when it is consistent.
    /// What is wrong with the calendar of campaign `year`: every date must lie in that year (a 9999 deadline would
    /// make every submission "on time" forever).
    public func problems(year: Int? = nil) -> [String] {
        var out: [String] = []
        if let year {
            for (label, date) in [("结对名单报送截止", rosterDue), ("活动计划报送截止", planDue), ("集中行动月开始", focusStart),
                                  ("集中行动月结束", focusEnd), ("更新报送截止", updateDue)] where date.year != year {
                out.append("\(label)日期（\(date.iso)）应在\(year)年内")
            }
        }
        if focusEnd < focusStart { out.append("集中行动月结束日期不能早于开始日期") }
        if updateDue < planDue { out.append("更新报送截止日期不能早于计划报送截止日期") }
        return out
    }

    /// On time when submitted on or before the due date (Shanghai calendar day).
    public static func isOnTime(submittedOn day: LocalDate, due: LocalDate) -> Bool { day <= due }
}

/// What a quota counts in an organisation's activity table.
public enum QuotaMetric: String, Sendable, Codable, CaseIterable {
    case activities, demonstrations, keyPublicity
    /// Work item 6: classes held, and the best class's person-times (人次) and trainees (人).
    case trainingClasses, trainingPersonTimes, trainingTrainees
}

public struct QuotaRule: Sendable, Equatable, Codable {
    public var orgKind: OrgKind
    public var metric: QuotaMetric
    public var minimum: Int
    /// The notice's own words, shown when the quota is missed.
    public var wording: String

    public init(orgKind: OrgKind, metric: QuotaMetric, minimum: Int, wording: String) {
        self.orgKind = orgKind; self.metric = metric; self.minimum = minimum; self.wording = wording
    }

    /// The quotas of the 2022 notice (工作安排 and 附件3 注2、注3).
    /// Every quota the notice sets: 附件3's activities and the training classes.
    public static let notice: [QuotaRule] = activities + training

    /// 附件3's activity quotas (工作安排, 注2、注3).
    public static let activities: [QuotaRule] = [
        QuotaRule(orgKind: .city, metric: .demonstrations, minimum: 1, wording: "各地市团委至少开展1场“两帮两促”示范活动"),
        QuotaRule(orgKind: .city, metric: .keyPublicity, minimum: 1, wording: "各地市团委推荐至少一个项目作为重点宣传项目"),
        QuotaRule(orgKind: .county, metric: .activities, minimum: 1, wording: "各县（市、区）团委至少开展1场活动"),
        QuotaRule(orgKind: .university, metric: .activities, minimum: 1, wording: "各相关高校团委至少开展1场活动"),
        QuotaRule(orgKind: .university, metric: .keyPublicity, minimum: 1, wording: "各相关高校团委推荐至少一个项目作为重点宣传项目"),
    ]

    /// 领头雁 and skills training: each city at least one class covering 100 person-times, each county at least one
    /// class with 40 trainees.
    public static let training: [QuotaRule] = [
        QuotaRule(orgKind: .city, metric: .trainingClasses, minimum: 1, wording: "各地市团委至少举办1期培训班"),
        QuotaRule(orgKind: .city, metric: .trainingPersonTimes, minimum: 100, wording: "各地市团委至少1期培训班覆盖不少于100人次"),
        QuotaRule(orgKind: .county, metric: .trainingClasses, minimum: 1, wording: "各县（市、区）团委至少举办1期培训班"),
        QuotaRule(orgKind: .county, metric: .trainingTrainees, minimum: 40, wording: "各县（市、区）团委至少1期培训班学员不少于40人"),
    ]
}
