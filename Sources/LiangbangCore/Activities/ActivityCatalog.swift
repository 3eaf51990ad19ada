// The notice's fixed vocabularies for activities: the four categories, the eleven work items, planned / held.

/// 活动类别 (附件3 注1): exactly one of four. The raw value is the API code.
public enum ActivityCategory: String, Sendable, Codable, CaseIterable {
    case academic, employment, physical, mental

    public var label: String {
        switch self {
        case .academic: return "学业帮助"
        case .employment: return "就业创业帮助"
        case .physical: return "体质健康促进"
        case .mental: return "心理健康促进"
        }
    }

    /// The four names as the notice lists them, for messages.
    public static let choices = allCases.map(\.label).joined(separator: "、")

    /// Shorter names offices write for one category, never for two (健康促进 alone is not one of them).
    var aliases: [String] {
        switch self {
        case .academic: return ["学业", "学业辅导", "学业帮扶"]
        case .employment: return ["就业", "创业", "就业帮助", "创业帮助", "就业创业", "就业帮扶", "就业创业帮扶"]
        case .physical: return ["体质健康", "体质", "体质健康帮助"]
        case .mental: return ["心理健康", "心理", "心理健康帮助", "心理帮扶"]
        }
    }

    /// The code, the name or a short name, with 类 / 方面 after it (学业帮助类) and a list number before it
    /// (1.学业帮助, ①学业帮助); anything else is nil.
    public static func parse(_ text: String) -> ActivityCategory? {
        var t = Substring(TextNormaliser.headerKey(text))
        while let first = t.first, first.isNumber || ".、．".contains(first) { t = t.dropFirst() }
        let key = String(t)
        if let c = ActivityCategory(rawValue: key.lowercased()) { return c }
        for suffix in ["", "类", "方面"] {
            if let c = allCases.first(where: { c in ([c.label] + c.aliases).contains { $0 + suffix == key } }) { return c }
        }
        return nil
    }
}

/// The eleven work items of the notice (一、工作内容 1–11); the raw value is the API code.
public enum WorkItem: String, Sendable, Codable, CaseIterable {
    case cloudTutoring = "cloud-tutoring"
    case educationOutreach = "education-outreach"
    case ruralTeachers = "rural-teachers"
    case summerPractice = "summer-practice"
    case graduateEmployment = "graduate-employment"
    case skillsTraining = "skills-training"
    case agriStartups = "agri-startups"
    case healthExpress = "health-express"
    case disabilityAid = "disability-aid"
    case mentalHealth = "mental-health"
    case growthCompanion = "growth-companion"

    /// 1–11, the notice's numbering.
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    public var label: String {
        switch self {
        case .cloudTutoring: return "青年云支教"
        case .educationOutreach: return "送教下乡"
        case .ruralTeachers: return "希望乡村教师计划"
        case .summerPractice: return "三下乡·返家乡助学实践"
        case .graduateEmployment: return "低收入家庭就业帮扶"
        case .skillsTraining: return "乡村青年职业技能提升"
        case .agriStartups: return "涉农创业大赛"
        case .healthExpress: return "健康直通车"
        case .disabilityAid: return "阳光助残"
        case .mentalHealth: return "12355心理健康促进"
        case .growthCompanion: return "乡村学子成长陪伴"
        }
    }

    /// Other names offices use: the programme names the notice puts under each item.
    var aliases: [String] {
        switch self {
        case .cloudTutoring: return ["云支教", "广东乡村学子健康成长计划"]
        case .educationOutreach: return ["广东福彩育苗计划", "育苗计划", "红领巾科技直通车", "科技直通车", "送教下乡行动"]
        case .ruralTeachers: return ["山区计划", "乡村教师计划", "研究生支教团", "接力支教"]
        case .summerPractice: return ["三下乡", "返家乡", "三下乡返家乡", "灯塔实践团队", "百校百号乡村行", "百校百号"]
        case .graduateEmployment: return ["就业帮扶", "低收入家庭就业帮扶计划", "一般院校低收入家庭就业帮扶计划"]
        case .skillsTraining: return ["领头雁", "职业技能提升", "技能培训", "乡村青年职业技能提升行动"]
        case .agriStartups: return ["创青春", "青农优品", "涉农创业"]
        case .healthExpress: return ["健康直通车行动", "乡村青少年体质健康促进行动"]
        case .disabilityAid: return ["阳光助残行动", "青年志愿者阳光助残行动", "助残"]
        case .mentalHealth: return ["12355", "心理健康", "12355乡村青少年心理健康促进行动"]
        case .growthCompanion: return ["成长陪伴", "成长陪伴行动", "夏令营", "冬令营", "小鸟巢", "手拉手", "书信陪伴", "南粤会亲"]
        }
    }

    /// The side of the notice the item sits under; an activity's category normally matches it.
    public var category: ActivityCategory {
        switch self {
        case .cloudTutoring, .educationOutreach, .ruralTeachers, .summerPractice: return .academic
        case .graduateEmployment, .skillsTraining, .agriStartups: return .employment
        case .healthExpress, .disabilityAid: return .physical
        case .mentalHealth, .growthCompanion: return .mental
        }
    }

    /// The code, the number (1–11, also 7.), the label or a programme name; quotes and spaces ignored.
    public static func parse(_ text: String) -> WorkItem? {
        let t = TextNormaliser.headerKey(text).filter { !"“”\"'‘’·.、".contains($0) }
        if let item = WorkItem(rawValue: t.lowercased()) { return item }
        if let n = Int(t), (1...allCases.count).contains(n) { return allCases[n - 1] }
        let key: (String) -> String = { TextNormaliser.headerKey($0).filter { !"“”\"'‘’·.、".contains($0) } }
        return allCases.first { item in key(item.label) == t || item.aliases.contains { key($0) == t } }
    }
}

/// 状态: a planned activity (the 07-08 plan) or one that has taken place.
public enum ActivityStatus: String, Sendable, Codable, CaseIterable {
    case planned, held

    public var label: String { self == .planned ? "计划" : "已开展" }

    public static func parse(_ text: String) -> ActivityStatus? {
        switch TextNormaliser.headerKey(text).lowercased() {
        case "planned", "计划", "计划开展", "拟开展", "未开展", "待开展", "筹备中": return .planned
        case "held", "已开展", "已完成", "已举办", "完成", "已结束", "开展", "已办": return .held
        default: return nil
        }
    }
}
