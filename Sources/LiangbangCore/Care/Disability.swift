// Item 9, 阳光助残 一人一策: a young person with a disability paired with a volunteer organisation must have a plan
// within 30 days of pairing and a review at least every 90 days — two steps of the case kernel. The disability's
// category and level are sensitive: sealed by the app, never repeated in a message.
import Foundation

public enum DisabilityCategory: String, CaseIterable, Sendable, Codable {
    case visual, hearing, speech, physical, intellectual, mental, multiple
    public var label: String {
        [.visual: "视力残疾", .hearing: "听力残疾", .speech: "言语残疾", .physical: "肢体残疾", .intellectual: "智力残疾", .mental: "精神残疾", .multiple: "多重残疾"][self]!
    }
    public init?(text: String) {
        self.init(code: text, labels: Self.allCases.map { ($0, $0.label) } + Self.allCases.map { ($0, String($0.label.dropLast(2))) })
    }
}

/// 一级 (most severe) to 四级.
public enum DisabilityLevel: Int, CaseIterable, Sendable, Codable {
    case one = 1, two, three, four
    public var label: String { ["一级", "二级", "三级", "四级"][rawValue - 1] }
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let n = Int(t), let v = Self(rawValue: n) { self = v; return }
        guard let hit = Self.allCases.first(where: { $0.label == t || $0.label.dropLast() == t }) else { return nil }
        self = hit
    }
}

/// Where a pair stands (the API's `planStatus`).
public enum PlanStatus: String, Sendable, Codable {
    /// No plan yet (`planOverdue` tells whether the 30 days have passed).
    case none
    case ok
    case reviewOverdue
}

public enum DisabilityColumn {
    public static let name = "姓名"
    public static let idNumber = "身份证号"
    public static let category = "残疾类别"
    public static let level = "残疾等级"
    public static let guardian = "监护人"
    public static let guardianPhone = "监护人手机号"
    public static let organisation = "结对志愿服务组织"
    public static let startedOn = "结对日期"
}

public struct DisabilityPairEntry: Sendable, Equatable {
    public let name: String
    public let id: IDNumber
    public let category: DisabilityCategory
    public let level: DisabilityLevel
    public let guardian: String
    public let guardianPhone: String
    public let organisation: String
    public let startedOn: LocalDate
}

public enum DisabilityRules {
    public static let planWithinDays = 30
    public static let reviewEveryDays = 90

    /// When the plan is due (nil once there is one).
    public static func planDue(paired: LocalDate, planned: LocalDate?) -> LocalDate? {
        CaseKernel.nextDue(opened: paired.startInstant, steps: planned.map { [$0.startInstant] } ?? [], rule: .days(planWithinDays, .once), closed: false)
            .map { LocalDate(instant: $0) }
    }

    /// When the next review is due: 90 days after the plan, then after each review (nil before a plan).
    public static func reviewDue(planned: LocalDate?, reviews: [LocalDate]) -> LocalDate? {
        guard let planned else { return nil }
        return CaseKernel.nextDue(opened: planned.startInstant, steps: reviews.map(\.startInstant), rule: .days(reviewEveryDays, .repeating), closed: false)
            .map { LocalDate(instant: $0) }
    }

    /// The pair's status on `asOf`: no plan (and whether that is overdue), reviews on time, or a review overdue.
    public static func status(paired: LocalDate, planned: LocalDate?, reviews: [LocalDate], asOf: LocalDate) -> (status: PlanStatus, planOverdue: Bool, due: LocalDate?) {
        guard planned != nil else {
            let due = planDue(paired: paired, planned: nil)
            return (.none, due.map { $0 < asOf } ?? false, due)
        }
        let due = reviewDue(planned: planned, reviews: reviews)
        return (due.map { $0 < asOf } ?? false ? .reviewOverdue : .ok, false, due)
    }

    public static func pair(_ input: RegisterInput, year: Int, today: LocalDate) -> (DisabilityPairEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func problem(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }
        let name = input.text(DisabilityColumn.name, limit: 30, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(DisabilityColumn.idNumber), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let p): problem(DisabilityColumn.idNumber, p.message)
        }
        let category = DisabilityCategory(text: input[DisabilityColumn.category])
        if category == nil { problem(DisabilityColumn.category, "残疾类别请选择\(DisabilityCategory.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一") }
        let level = DisabilityLevel(text: input[DisabilityColumn.level])
        if level == nil { problem(DisabilityColumn.level, "残疾等级应为一级、二级、三级或四级") }
        let guardian = input.text(DisabilityColumn.guardian, limit: 30, into: &problems)
        let phone = TrainingRules.phone(input[DisabilityColumn.guardianPhone])
        if phone == nil { problem(DisabilityColumn.guardianPhone, "监护人手机号应为以1开头的11位数字") }
        let organisation = input.text(DisabilityColumn.organisation, limit: 60, into: &problems)
        let started = input.date(DisabilityColumn.startedOn, required: true, into: &problems)
        if let s = started, !(year...year + 1).contains(s.year) || s > today {
            problem(DisabilityColumn.startedOn, "结对日期应在\(year)至\(year + 1)年内，且不晚于今天")
        }
        guard problems.isEmpty, let id, let category, let level, let phone, let started else { return (nil, problems) }
        return (DisabilityPairEntry(name: name, id: id, category: category, level: level, guardian: guardian, guardianPhone: phone,
                                    organisation: organisation, startedOn: started), [])
    }
}
