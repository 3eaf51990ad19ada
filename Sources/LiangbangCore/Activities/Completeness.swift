// The completeness board's rules: which submissions a unit owes by today, what it still misses, and its colour.
// Reporting rate and timeliness are counted as DHIS2 counts them: expected, submitted, on time, late.

/// 报送阶段: the plan (due 07-08) or the update (due 09-15).
public enum ActivityStage: String, Sendable, Codable, CaseIterable {
    case plan, update

    public var label: String { self == .plan ? "活动计划" : "更新后的活动汇总表" }

    public func due(_ calendar: CampaignCalendar) -> LocalDate { self == .plan ? calendar.planDue : calendar.updateDue }

    /// The plan is owed from the start; the update once the focus months are over.
    public func isRequired(today: LocalDate, calendar: CampaignCalendar) -> Bool {
        self == .plan || today > calendar.focusEnd
    }
}

/// One stage's submissions of one unit, reduced to what the board needs.
public struct StageRecord: Sendable, Equatable {
    /// The latest version stands (it was not returned).
    public var submitted: Bool
    /// The latest version was returned by the level above: a new version is owed.
    public var returned: Bool
    /// A standing version came in by the due date (a voluntary late correction does not make it late).
    public var onTime: Bool

    public init(submitted: Bool = false, returned: Bool = false, onTime: Bool = false) {
        self.submitted = submitted; self.returned = returned; self.onTime = onTime
    }

    /// From the versions in any order: (version, on time, returned).
    public init(versions: [(version: Int, onTime: Bool, returned: Bool)]) {
        guard let latest = versions.max(by: { $0.version < $1.version }) else { self.init(); return }
        let standing = !latest.returned
        self.init(submitted: standing, returned: latest.returned,
                  onTime: standing && versions.contains { $0.onTime && !$0.returned })
    }
}

public enum BoardColour: String, Sendable, Codable, Comparable {
    /// A unit that owes nothing (a town: encouraged, not required).
    case none, green, amber, red

    public var label: String {
        switch self {
        case .none: return "—"
        case .green: return "齐全"
        case .amber: return "待完善"
        case .red: return "逾期或未达标"
        }
    }

    private var rank: Int { [.none: 0, .green: 1, .amber: 2, .red: 3][self]! }
    public static func < (a: BoardColour, b: BoardColour) -> Bool { a.rank < b.rank }
}

/// What a unit reported: the quota counts, people covered and activities by category.
public struct ActivityTally: Sendable, Equatable, Codable {
    public var counts: ActivityCounts
    public var people: Int
    public var byCategory: [ActivityCategory: Int]

    public init(counts: ActivityCounts = ActivityCounts(), people: Int = 0, byCategory: [ActivityCategory: Int] = [:]) {
        self.counts = counts; self.people = people; self.byCategory = byCategory
    }

    public static func + (a: ActivityTally, b: ActivityTally) -> ActivityTally {
        ActivityTally(counts: a.counts + b.counts,
                      people: a.people + b.people, byCategory: a.byCategory.merging(b.byCategory, uniquingKeysWith: +))
    }
}

/// One unit on the board.
public struct UnitCompleteness: Sendable, Equatable {
    public let kind: OrgKind
    public let tally: ActivityTally
    public let stages: [ActivityStage: StageRecord]
    /// Submissions owed by today, or made early.
    public let expected: Int
    public let submitted: Int
    public let onTime: Int
    public let late: Int
    /// Owed and not standing (never sent, or returned).
    public let missingSubmissions: Int
    public let overdue: Bool
    public let unmet: [QuotaRule]
    /// Whether any quota applies to this kind at all.
    public let hasQuota: Bool
    /// In Chinese, what the unit still owes: submissions first, then quotas in the notice's words.
    public let missing: [String]
    public let colour: BoardColour

    public var meetsQuota: Bool { unmet.isEmpty }

    /// City, county, university and provincial unit report (the notice's addressees); towns are encouraged only.
    public static func reports(_ kind: OrgKind) -> Bool { [.city, .county, .university, .provincialUnit].contains(kind) }

    public static func evaluate(kind: OrgKind, tally: ActivityTally, stages: [ActivityStage: StageRecord],
                                calendar: CampaignCalendar, today: LocalDate, rules: [QuotaRule]) -> UnitCompleteness {
        let unmet = QuotaEvaluator.evaluate(kind: kind, counts: tally.counts, rules: rules)
        let hasQuota = !QuotaEvaluator.applicable(kind: kind, rules: rules).isEmpty
        guard reports(kind) else {
            return UnitCompleteness(kind: kind, tally: tally, stages: stages, expected: 0, submitted: 0, onTime: 0, late: 0,
                                    missingSubmissions: 0, overdue: false, unmet: [], hasQuota: false, missing: [], colour: .none)
        }
        var expected = 0, submitted = 0, onTime = 0, late = 0, missingCount = 0
        var overdue = false
        var missing: [String] = []
        for stage in ActivityStage.allCases {
            let record = stages[stage] ?? StageRecord()
            let required = stage.isRequired(today: today, calendar: calendar)
            guard required || record.submitted || record.returned else { continue }
            expected += 1
            if record.submitted {
                submitted += 1
                if record.onTime { onTime += 1 } else { late += 1 }
                continue
            }
            missingCount += 1
            let due = stage.due(calendar)
            if record.returned {
                missing.append("\(stage.label)已被退回，待修改后重新报送")
            } else if today > due {
                overdue = true
                missing.append("逾期未报送\(stage.label)（\(due.month)月\(due.day)日截止）")
            } else {
                missing.append("尚未报送\(stage.label)（\(due.month)月\(due.day)日截止）")
            }
        }
        missing += unmet.map(\.wording)
        let colour: BoardColour
        if overdue || (!unmet.isEmpty && today > calendar.updateDue) { colour = .red }
        else if !missing.isEmpty || late > 0 { colour = .amber }
        else { colour = .green }
        return UnitCompleteness(kind: kind, tally: tally, stages: stages, expected: expected, submitted: submitted, onTime: onTime,
                                late: late, missingSubmissions: missingCount, overdue: overdue, unmet: unmet, hasQuota: hasQuota,
                                missing: missing, colour: colour)
    }
}

/// Several units added up (a city with its counties, all universities, the province).
public struct CompletenessTotals: Sendable, Equatable {
    public var units = 0
    public var reportingUnits = 0
    public var expected = 0
    public var submitted = 0
    public var onTime = 0
    public var late = 0
    public var missingSubmissions = 0
    public var unitsWithQuota = 0
    public var unitsMeetingQuota = 0
    /// Reporting units that owe something (a submission or a quota).
    public var unitsMissingSomething = 0
    public var tally = ActivityTally()
    public var colour = BoardColour.none

    public init() {}

    public init<S: Sequence>(_ units: S) where S.Element == UnitCompleteness {
        self.init()
        for u in units { add(u) }
    }

    public mutating func add(_ u: UnitCompleteness) {
        units += 1
        tally = tally + u.tally
        guard UnitCompleteness.reports(u.kind) else { return }
        reportingUnits += 1
        expected += u.expected; submitted += u.submitted; onTime += u.onTime; late += u.late
        missingSubmissions += u.missingSubmissions
        if u.hasQuota { unitsWithQuota += 1; if u.meetsQuota { unitsMeetingQuota += 1 } }
        if !u.missing.isEmpty { unitsMissingSomething += 1 }
        colour = max(colour, u.colour)
    }

    /// 报送率 and 及时率 in whole per cent; nil when nothing is expected yet.
    public var reportingRate: Int? { expected == 0 ? nil : (submitted * 100 + expected / 2) / expected }
    public var timeliness: Int? { expected == 0 ? nil : (onTime * 100 + expected / 2) / expected }
}
