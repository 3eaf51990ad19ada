// The notice's quotas (工作安排, 附件3 注2、注3) checked against what an organisation has reported.

/// What the quotas count in one organisation's table.
public struct ActivityCounts: Sendable, Equatable, Codable {
    public var activities: Int
    public var demonstrations: Int
    public var keyPublicity: Int
    /// Training classes held, and the best class's person-times and trainees (a quota is met by one class).
    public var trainingClasses: Int
    public var trainingPersonTimes: Int
    public var trainingTrainees: Int

    public init(activities: Int = 0, demonstrations: Int = 0, keyPublicity: Int = 0,
                trainingClasses: Int = 0, trainingPersonTimes: Int = 0, trainingTrainees: Int = 0) {
        self.activities = activities; self.demonstrations = demonstrations; self.keyPublicity = keyPublicity
        self.trainingClasses = trainingClasses; self.trainingPersonTimes = trainingPersonTimes; self.trainingTrainees = trainingTrainees
    }

    /// Several units' counts: activities and classes add up; the best class is the best of them.
    public static func + (a: Self, b: Self) -> Self {
        ActivityCounts(activities: a.activities + b.activities, demonstrations: a.demonstrations + b.demonstrations,
                       keyPublicity: a.keyPublicity + b.keyPublicity, trainingClasses: a.trainingClasses + b.trainingClasses,
                       trainingPersonTimes: max(a.trainingPersonTimes, b.trainingPersonTimes),
                       trainingTrainees: max(a.trainingTrainees, b.trainingTrainees))
    }

    /// Counts a table. Planned and held activities both count: the quotas are evaluated live from the plan on,
    /// and an activity that did not take place is removed in the 09-15 update.
    public init<S: Sequence>(_ entries: S) where S.Element == ActivityEntry {
        self.init()
        for e in entries {
            activities += 1
            if e.demonstration { demonstrations += 1 }
            if e.keyPublicity { keyPublicity += 1 }
        }
    }

    public subscript(_ metric: QuotaMetric) -> Int {
        switch metric {
        case .activities: return activities
        case .demonstrations: return demonstrations
        case .keyPublicity: return keyPublicity
        case .trainingClasses: return trainingClasses
        case .trainingPersonTimes: return trainingPersonTimes
        case .trainingTrainees: return trainingTrainees
        }
    }
}

public enum QuotaEvaluator {
    /// The rules for `kind` that `counts` does not meet, in the order given; each carries the notice's wording
    /// for the board's "missing" list. Rules for other kinds are ignored, so one campaign-wide list serves all.
    public static func evaluate(kind: OrgKind, counts: ActivityCounts, rules: [QuotaRule] = QuotaRule.notice) -> [QuotaRule] {
        rules.filter { $0.orgKind == kind && counts[$0.metric] < $0.minimum }
    }

    /// The rules that apply to `kind` at all (a town or a provincial unit has none: "encouraged", not required).
    public static func applicable(kind: OrgKind, rules: [QuotaRule] = QuotaRule.notice) -> [QuotaRule] {
        rules.filter { $0.orgKind == kind }
    }

    /// Problems with an edited quota list, in Chinese.
    /// No unit runs more activities than this in a year; a larger minimum is a typo (or a probe).
    public static let maximumMinimum = 10_000

    public static func problems(_ rules: [QuotaRule]) -> [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for r in rules {
            if r.minimum < 0 { out.append("“\(r.wording)”的最低数量不能为负数") }
            if r.minimum > maximumMinimum { out.append("“\(r.wording)”的最低数量不能超过\(maximumMinimum)") }
            if TextNormaliser.trim(r.wording).isEmpty { out.append("\(r.orgKind.label)的指标缺少说明文字") }
            if !seen.insert(r.orgKind.rawValue + "|" + r.metric.rawValue).inserted {
                out.append("\(r.orgKind.label)的“\(r.metric.label)”指标重复设置")
            }
        }
        return out
    }
}

extension QuotaMetric {
    public var label: String {
        switch self {
        case .activities: return "活动数"
        case .demonstrations: return "示范活动数"
        case .keyPublicity: return "重点宣传项目数"
        case .trainingClasses: return "培训班期数"
        case .trainingPersonTimes: return "单期培训人次"
        case .trainingTrainees: return "单期培训学员人数"
        }
    }
}
