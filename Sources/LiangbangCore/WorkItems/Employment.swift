// Work item 5 (低收入家庭就业帮扶): a university's league cadre takes 3 to 5 graduating students from low-income
// families and recommends each at least two suitable positions. The rules every page, API call and import runs.

/// The family's hardship category: sensitive, shown and exported only with the sensitive-data permission.
public enum HardshipCategory: String, CaseIterable, Sendable, Codable {
    case dibao, tekun, tuopin, lowIncome, other

    public var label: String {
        switch self {
        case .dibao: return "低保"
        case .tekun: return "特困"
        case .tuopin: return "脱贫户"
        case .lowIncome: return "低收入"
        case .other: return "其他"
        }
    }

    /// By code or by the label as offices write it ("低保户", "特困供养", "脱贫家庭", "低收入家庭").
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        if t.isEmpty { return nil }
        if t.hasPrefix("低保") || t == "最低生活保障" { self = .dibao }
        else if t.hasPrefix("特困") { self = .tekun }
        else if t.hasPrefix("脱贫") || t.contains("建档立卡") { self = .tuopin }
        else if t.hasPrefix("低收入") { self = .lowIncome }
        else if t == "其他" || t == "其它" { self = .other }
        else { return nil }
    }
}

/// A recommended position's course: recommended → applied → interviewed → offered → hired, or declined on the way.
public enum JobOutcome: String, CaseIterable, Sendable, Codable, Comparable {
    case recommended, applied, interviewed, offered, hired, declined

    public var label: String {
        switch self {
        case .recommended: return "已推荐"
        case .applied: return "已投递"
        case .interviewed: return "已面试"
        case .offered: return "已录用"
        case .hired: return "已入职"
        case .declined: return "未成功"
        }
    }

    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        guard let found = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = found
    }

    var step: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.step < b.step }

    /// Hired and declined end a recommendation.
    public var isFinal: Bool { self == .hired || self == .declined }
    /// An offer or a job: the graduate no longer waits on this one.
    public var isSuccess: Bool { self == .offered || self == .hired }

    /// Forward along the course (steps may be skipped: an offer can come without an interview on record), or
    /// declined from any open step; never back, never out of hired or declined.
    public func canMove(to next: JobOutcome) -> Bool {
        guard !isFinal, next != self else { return false }
        return next == .declined || next > self
    }
}

public enum EmploymentRules {
    public static let graduatesPerCadre = 3...5
    public static let recommendationsPerGraduate = 2

    public enum CadreLoad: Sendable, Equatable {
        case tooFew(missing: Int), meets, full
        public var meetsRule: Bool { if case .tooFew = self { return false }; return true }
    }

    /// A cadre with `graduates`: under 3 is flagged, 3–5 meets the rule (5 is full: the next one is refused).
    public static func load(graduates: Int) -> CadreLoad {
        if graduates < graduatesPerCadre.lowerBound { return .tooFew(missing: graduatesPerCadre.lowerBound - max(0, graduates)) }
        return graduates >= graduatesPerCadre.upperBound ? .full : .meets
    }

    public static func cadreMeetsRule(graduates: Int) -> Bool { graduatesPerCadre.contains(graduates) }

    /// The refusal when a cadre already has the most graduates the notice allows; nil: one more is fine.
    public static func refuseAnother(cadre: String, has graduates: Int) -> String? {
        graduates >= graduatesPerCadre.upperBound
            ? "团干部“\(cadre)”已结对\(graduatesPerCadre.upperBound)名毕业生（每人3至5名），请安排给其他团干部" : nil
    }

    /// Every recommendation counts toward the two, whatever became of it: the rule is about guidance given.
    public static func graduateMeetsRule(recommendations: Int) -> Bool { recommendations >= recommendationsPerGraduate }

    /// Still waiting: no offer or job among the recommendations.
    public static func waiting(_ outcomes: [JobOutcome]) -> Bool { !outcomes.contains(where: \.isSuccess) }

    /// A change of outcome on `on`: the move must go forward, on or after the last change, and not in the future.
    public static func change(from current: JobOutcome, lastChange: LocalDate, to next: JobOutcome, on: LocalDate, today: LocalDate) -> String? {
        if !current.canMove(to: next) {
            if current.isFinal { return "该岗位推荐已是“\(current.label)”，不能再更改" }
            return next == current ? "该岗位推荐已是“\(current.label)”" : "不能从“\(current.label)”改回“\(next.label)”"
        }
        if on < lastChange { return "变更日期不能早于上次变更（\(lastChange.iso)）" }
        if on > today { return "变更日期不能晚于今天" }
        return nil
    }
}

/// What a board shows of one cadre, one graduate and the whole: the same sums for a university and for a roll-up.
public struct EmploymentTally: Sendable, Equatable {
    public var cadres = 0
    public var cadresMeetingRule = 0
    public var graduates = 0
    public var graduatesWithTwoJobs = 0
    public var offered = 0
    public var hired = 0
    public var waiting = 0
    public init() {}

    public mutating func add(cadreWith graduates: Int) {
        cadres += 1
        if EmploymentRules.cadreMeetsRule(graduates: graduates) { cadresMeetingRule += 1 }
    }

    /// A graduate, by the outcomes of the positions recommended to them (offered counts those with an offer or a job).
    public mutating func add(graduateWith outcomes: [JobOutcome]) {
        graduates += 1
        if EmploymentRules.graduateMeetsRule(recommendations: outcomes.count) { graduatesWithTwoJobs += 1 }
        if outcomes.contains(.hired) { hired += 1 }
        if outcomes.contains(where: \.isSuccess) { offered += 1 }
        if EmploymentRules.waiting(outcomes) { waiting += 1 }
    }

    public static func + (a: Self, b: Self) -> Self {
        var t = a
        t.cadres += b.cadres; t.cadresMeetingRule += b.cadresMeetingRule; t.graduates += b.graduates
        t.graduatesWithTwoJobs += b.graduatesWithTwoJobs; t.offered += b.offered; t.hired += b.hired; t.waiting += b.waiting
        return t
    }

    /// Per cent of graduates with two recommendations, rounded down (0 when there are none).
    public var twoJobsPercent: Int { graduates == 0 ? 0 : graduatesWithTwoJobs * 100 / graduates }
}
