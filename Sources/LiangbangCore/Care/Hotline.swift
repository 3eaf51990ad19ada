// Item 10, 12355: a youth hotline case, who must follow it up and by when. A case that needs offline help gets a
// follow-up within 7 days, a crisis case within 24 hours (`HotlineRules.step`); what the case says is for the
// counsellors alone, and everyone else sees counts with the small ones suppressed (`SmallCount`).
import Foundation

public enum HotlineChannel: String, CaseIterable, Sendable, Codable {
    case hotline, online, referred
    public var label: String { [.hotline: "热线来电", .online: "网络咨询", .referred: "转介"][self]! }
    public init?(text: String) {
        self.init(code: text, labels: Self.allCases.map { ($0, $0.label) } + [(.hotline, "热线"), (.hotline, "电话"), (.hotline, "phone"), (.online, "网络"),
                                                                           (.online, "网上"), (.referred, "referral")])
    }
}

public enum HotlineRisk: String, CaseIterable, Sendable, Codable, Comparable {
    case low, medium, high, crisis
    public var label: String { [.low: "低风险", .medium: "中风险", .high: "高风险", .crisis: "危机"][self]! }
    public init?(text: String) { self.init(code: text, labels: Self.allCases.map { ($0, $0.label) } + [(.low, "低"), (.medium, "中"), (.high, "高")]) }
    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

public enum HotlineCategory: String, CaseIterable, Sendable, Codable {
    case emotion, study, family, peers, bullying, rights, other
    public var label: String {
        [.emotion: "情绪心理", .study: "学业压力", .family: "家庭关系", .peers: "人际交往", .bullying: "校园欺凌", .rights: "权益保护", .other: "其他"][self]!
    }
    /// Codes, labels, and the short words offices use (心理, 学业, 家庭…).
    public init?(text: String) {
        self.init(code: text, labels: Self.allCases.map { ($0, $0.label) } + [(.emotion, "心理"), (.emotion, "情绪"), (.emotion, "心理健康"),
            (.emotion, "mental"), (.study, "学业"), (.study, "学习"), (.family, "家庭"), (.peers, "人际"), (.bullying, "欺凌"), (.rights, "权益")])
    }
}

public enum FollowUpMode: String, CaseIterable, Sendable, Codable {
    case visit, school, phone, referral
    public var label: String { [.visit: "上门走访", .school: "到校了解", .phone: "电话回访", .referral: "转介专业机构"][self]! }
    public init?(text: String) {
        self.init(code: text, labels: Self.allCases.map { ($0, $0.label) } + [(.visit, "上门"), (.school, "到校"), (.phone, "电话"), (.referral, "转介")])
    }
}

extension RawRepresentable where RawValue == String {
    /// The code (`crisis`) or one of the Chinese labels.
    init?(code text: String, labels: [(Self, String)]) {
        let t = TextNormaliser.clean(text)
        if let v = Self(rawValue: t) { self = v; return }
        guard let hit = labels.first(where: { $0.1 == t }) else { return nil }
        self = hit.0
    }
}

public enum HotlineColumn {
    public static let receivedAt = "受理时间"
    public static let channel = "受理渠道"
    public static let name = "姓名"
    public static let age = "年龄"
    public static let sex = "性别"
    public static let county = "所在县（市、区）"
    public static let category = "问题类别"
    public static let risk = "风险等级"
    public static let needsOffline = "需线下帮扶"
    public static let summary = "个案摘要"
}

public struct HotlineCaseEntry: Sendable, Equatable {
    public let receivedAt: Date
    public let channel: HotlineChannel
    /// May be empty: callers need not give a name.
    public let name: String
    public let age: Int
    public let sex: String
    public let county: CountyRef
    public let category: HotlineCategory
    public let risk: HotlineRisk
    public let needsOffline: Bool
    public let summary: String
}

public enum HotlineRules {
    public static let ages = 3...40
    public static let summaryLimit = 2_000

    /// The follow-up a case requires: a crisis within 24 hours, offline help within 7 days, otherwise none.
    public static func step(risk: HotlineRisk, needsOffline: Bool) -> RequiredStep? {
        if risk == .crisis { return .hours(24, .once) }
        return needsOffline ? .days(7, .once) : nil
    }

    /// When the case's follow-up is due (nil: none required, done, or closed).
    public static func due(receivedAt: Date, risk: HotlineRisk, needsOffline: Bool, followUps: [Date], closed: Bool) -> Date? {
        CaseKernel.nextDue(opened: receivedAt, steps: followUps, rule: step(risk: risk, needsOffline: needsOffline), closed: closed)
    }

    /// A case as the counsellor typed it; the messages never repeat the summary or the name.
    public static func entry(_ input: RegisterInput, counties: CountyMatcher, now: Date) -> (HotlineCaseEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func problem(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }
        let receivedText = input[HotlineColumn.receivedAt]
        var received = receivedText.isEmpty ? now : DateTimeText.parse(receivedText)
        if received == nil { problem(HotlineColumn.receivedAt, "受理时间“\(receivedText)”无法识别，请写成 2026-11-30 14:20") }
        if let r = received, r > now.addingTimeInterval(300) || r < now.addingTimeInterval(-400 * 86_400) {
            problem(HotlineColumn.receivedAt, "受理时间不能晚于现在，也不能早于一年多以前"); received = nil
        }
        let channel = HotlineChannel(text: input[HotlineColumn.channel])
        if channel == nil { problem(HotlineColumn.channel, "受理渠道请选择\(HotlineChannel.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一") }
        let name = input.text(HotlineColumn.name, limit: 30, required: false, into: &problems)
        let ageText = input[HotlineColumn.age]
        let age = ageText.count <= 3 ? Int(ageText.hasSuffix("岁") ? String(ageText.dropLast()) : ageText).flatMap { ages.contains($0) ? $0 : nil } : nil
        if age == nil { problem(HotlineColumn.age, "年龄应为\(ages.lowerBound)至\(ages.upperBound)之间的整数") }
        let sexText = input[HotlineColumn.sex]
        let sex = ["男", "女"].contains(sexText) ? sexText : ["male": "男", "female": "女", "m": "男", "f": "女"][sexText.lowercased()]
        if sex == nil { problem(HotlineColumn.sex, "性别请填写“男”或“女”") }
        let county = PracticeRules.county(input, HotlineColumn.county, counties, into: &problems)
        let category = HotlineCategory(text: input[HotlineColumn.category])
        if category == nil { problem(HotlineColumn.category, "问题类别请选择\(HotlineCategory.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一") }
        let risk = HotlineRisk(text: input[HotlineColumn.risk])
        if risk == nil { problem(HotlineColumn.risk, "风险等级应为 low、medium、high 或 crisis（低、中、高风险或危机）") }
        let offlineText = input[HotlineColumn.needsOffline]
        let needsOffline: Bool? = ["是", "true", "1", "yes", "需要"].contains(offlineText.lowercased()) ? true
            : ["否", "false", "0", "no", "不需要", ""].contains(offlineText.lowercased()) ? false : nil
        if needsOffline == nil { problem(HotlineColumn.needsOffline, "“需线下帮扶”请填写“是”或“否”") }
        let summary = input.text(HotlineColumn.summary, limit: summaryLimit, into: &problems)
        guard problems.isEmpty, let received, let channel, let age, let sex, let county, let category, let risk, let needsOffline else {
            return (nil, problems)
        }
        return (HotlineCaseEntry(receivedAt: received, channel: channel, name: name, age: age, sex: sex, county: county,
                                 category: category, risk: risk, needsOffline: needsOffline, summary: summary), [])
    }
}

/// A moment as offices and API clients write it: `2026-11-30 14:20`, `2026-11-30T14:20:05` (Beijing time), or ISO
/// 8601 with `Z` or `+08:00`.
public enum DateTimeText {
    public static func parse(_ raw: String) -> Date? {
        var text = TextNormaliser.clean(raw)
        guard text.count <= 40 else { return nil }
        var offset = LocalDate.shanghaiOffset
        if text.hasSuffix("Z") { text.removeLast(); offset = 0 }
        else if text.hasSuffix("+08:00") { text.removeLast(6) }
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2, let day = LocalDate(iso: String(parts[0])) ?? DateText.parse(String(parts[0])), (2000...2100).contains(day.year) else {
            return nil
        }
        var time = String(parts[1])
        if let dot = time.firstIndex(of: ".") { time = String(time[..<dot]) }   // fractions of a second
        guard let minute = SessionRules.startMinute(time) else { return nil }
        let seconds = time.split(separator: ":").count == 3 ? Int(time.split(separator: ":")[2]) ?? 0 : 0
        return Date(timeIntervalSince1970: TimeInterval(day.dayNumber * 86_400 + minute * 60 + seconds - offset))
    }

    /// Beijing time, `2026-11-30 14:20`.
    public static func text(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + LocalDate.shanghaiOffset
        let day = LocalDate(dayNumber: Int((Double(seconds) / 86_400).rounded(.down)))
        let minute = (seconds - day.dayNumber * 86_400) / 60
        return day.iso + " " + SessionRules.timeText(minute)
    }
}
