// Item 11, 成长陪伴: camps and their participants, and three kinds of match on the case kernel — letters (a child
// and a writer: a letter at least every 60 days), 南粤会亲 (a family and a child: a visit at least every 90 days)
// and 手拉手 (an urban and a rural school or class: activities together, no clock).
import Foundation

public enum CampKind: String, CaseIterable, Sendable, Codable {
    case summer, winter, holiday, weekend, nest
    public var label: String { [.summer: "夏令营", .winter: "冬令营", .holiday: "假日营", .weekend: "周末营", .nest: "小鸟巢"][self]! }
    public init?(text: String) { self.init(code: text, labels: Self.allCases.map { ($0, $0.label) }) }
}

public enum CompanionKind: String, CaseIterable, Sendable, Codable {
    case letter, family, handInHand
    public var label: String { [.letter: "书信陪伴", .family: "南粤会亲", .handInHand: "手拉手"][self]! }
    /// How often a contact is due: a letter every 60 days, a family visit every 90; 手拉手 has no clock.
    public var step: RequiredStep? { [.letter: .days(60, .repeating), .family: .days(90, .repeating)][self] ?? nil }
    /// The dated contacts each kind records.
    public var contactKinds: [ContactKind] { [.letter: [.sent, .received], .family: [.visit], .handInHand: [.activity]][self]! }
}

public enum ContactKind: String, CaseIterable, Sendable, Codable {
    case sent, received, visit, activity
    public var label: String { [.sent: "寄出", .received: "收到", .visit: "探访", .activity: "共同活动"][self]! }
}

public enum CompanionRules {
    /// When the next contact is due (nil for 手拉手).
    public static func due(kind: CompanionKind, started: LocalDate, contacts: [LocalDate]) -> LocalDate? {
        CaseKernel.nextDue(opened: started.startInstant, steps: contacts.map(\.startInstant), rule: kind.step, closed: false).map { LocalDate(instant: $0) }
    }
}

public enum CampParticipantColumn {
    public static let name = "姓名"
    public static let idNumber = "身份证号"
    public static let role = "身份"
    public static let consent = "监护人同意"
    public static let consentDate = "同意日期"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["营员姓名", "学生姓名"]),
        ColumnSpec(idNumber, aliases: ["身份证号码", "公民身份号码"]),
        ColumnSpec(role, aliases: ["类别", "营员/志愿者", "人员类别"]),
        ColumnSpec(consent, aliases: ["监护人是否同意", "知情同意"], required: false),
        ColumnSpec(consentDate, aliases: ["监护人同意日期"], required: false),
    ]
}

public struct CampParticipantEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let id: IDNumber
    public let isChild: Bool
    public let age: Int
    public let consent: GuardianConsent
    /// A child under 14 without a dated consent.
    public var consentGap: Bool { isChild && GuardianConsent.isGap(age: age, given: consent.given, on: consent.on) }
}

public enum CampRules {
    /// A participant line: a child (营员, 儿童) or a volunteer (志愿者); the age is taken on the camp's first day.
    public static func participant(_ input: RegisterInput, campStart: LocalDate, today: LocalDate) -> (CampParticipantEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(CampParticipantColumn.name, limit: 30, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(CampParticipantColumn.idNumber), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let p): problems.append(RowProblem(row: input.row, column: CampParticipantColumn.idNumber, message: p.message))
        }
        let roleText = input[CampParticipantColumn.role]
        let isChild: Bool? = ["儿童", "营员", "学生", "child"].contains(roleText) ? true : ["志愿者", "volunteer", "辅导员"].contains(roleText) ? false : nil
        if isChild == nil { problems.append(RowProblem(row: input.row, column: CampParticipantColumn.role, message: "“身份”请填写“营员”或“志愿者”")) }
        let consentText = input[CampParticipantColumn.consent].lowercased()
        let given = ["是", "同意", "已同意", "yes", "true", "1"].contains(consentText)
        if !consentText.isEmpty && !given && !["否", "不同意", "未同意", "no", "false", "0"].contains(consentText) {
            problems.append(RowProblem(row: input.row, column: CampParticipantColumn.consent, message: "“监护人同意”请填写“是”或“否”"))
        }
        let on = input.date(CampParticipantColumn.consentDate, required: false, into: &problems)
        if let on, on > today { problems.append(RowProblem(row: input.row, column: CampParticipantColumn.consentDate, message: "同意日期不能晚于今天")) }
        guard problems.isEmpty, let id, let isChild else { return (nil, problems) }
        return (CampParticipantEntry(row: input.row, name: name, id: id, isChild: isChild, age: campStart.years(since: id.birthDate),
                                     consent: GuardianConsent(given: given, on: given ? on : nil)), [])
    }

    public static func repeated(_ entries: [CampParticipantEntry]) -> [RowProblem] {
        var first: [String: Int] = [:], out: [RowProblem] = []
        for e in entries {
            if let row = first[e.id.value] { out.append(RowProblem(row: e.row, column: CampParticipantColumn.idNumber, message: "与第\(row)行是同一人，请合并为一行")) }
            else { first[e.id.value] = e.row }
        }
        return out
    }
}
