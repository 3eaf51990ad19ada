// Work item 5's registers line by line: a cadre, a graduate (the register offices import) and a recommended
// position, as typed in a sheet row, a page form or an API body.

public enum CadreColumn {
    public static let name = "团干部姓名"
    public static let position = "职务"
}

public enum GraduateColumn {
    public static let name = "姓名"
    public static let idNumber = "身份证号"
    public static let major = "专业"
    public static let graduation = "预计毕业时间"
    public static let hardship = "家庭困难类别"
    public static let cadre = "帮扶团干部"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["学生姓名", "毕业生姓名"]),
        ColumnSpec(idNumber, aliases: ["身份证号码", "公民身份号码"]),
        ColumnSpec(major, aliases: ["所学专业", "专业名称"]),
        ColumnSpec(graduation, aliases: ["毕业时间", "预计毕业年月", "毕业年月", "届别"], required: false),
        ColumnSpec(hardship, aliases: ["困难类别", "家庭经济困难类别", "家庭类别", "困难类型"]),
        ColumnSpec(cadre, aliases: ["结对团干部", "团干部", "团干部姓名", "帮扶人"]),
    ]
}

public enum GuidanceColumn {
    public static let on = "指导日期"
    public static let mode = "指导方式"
    public static let note = "指导内容"
}

/// How a cadre met the graduate for one-to-one guidance.
public enum GuidanceMode: String, CaseIterable, Sendable, Codable {
    case inPerson, phone, online, other
    public var label: String {
        switch self {
        case .inPerson: return "面谈"
        case .phone: return "电话"
        case .online: return "线上（微信、视频）"
        case .other: return "其他"
        }
    }
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        if t.isEmpty { return nil }
        if t.hasPrefix("面谈") || t == "当面" || t == "面对面" { self = .inPerson }
        else if t.hasPrefix("电话") { self = .phone }
        else if t.hasPrefix("线上") || t.contains("微信") || t.contains("视频") || t == "网络" { self = .online }
        else if t == "其他" || t == "其它" { self = .other }
        else { return nil }
    }
}

public struct GuidanceEntry: Sendable, Equatable {
    public let on: LocalDate
    public let mode: GuidanceMode
    public let note: String
    public init(on: LocalDate, mode: GuidanceMode, note: String) { self.on = on; self.mode = mode; self.note = note }
}

public enum JobColumn {
    public static let employer = "用人单位"
    public static let position = "岗位"
    public static let city = "工作城市"
    public static let recommendedOn = "推荐日期"
    public static let outcome = "进展"
}

public struct CadreEntry: Sendable, Equatable {
    public let name: String
    public let position: String
}

public struct GraduateEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let id: IDNumber
    public let major: String
    /// Year and month, "2027-06"; empty when not given.
    public let graduation: String
    public let hardship: HardshipCategory
    /// As typed; matched to one of the unit's cadres by the caller.
    public let cadre: String
    public init(row: Int, name: String, id: IDNumber, major: String, graduation: String, hardship: HardshipCategory, cadre: String) {
        self.row = row; self.name = name; self.id = id; self.major = major; self.graduation = graduation; self.hardship = hardship; self.cadre = cadre
    }
}

public struct JobEntry: Sendable, Equatable {
    public let employer: String
    public let position: String
    public let city: String
    public let recommendedOn: LocalDate
    public let outcome: JobOutcome
}

extension EmploymentRules {
    public static func cadre(_ input: RegisterInput) -> (CadreEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(CadreColumn.name, limit: 30, into: &problems)
        let position = input.text(CadreColumn.position, limit: 30, into: &problems)
        return problems.isEmpty ? (CadreEntry(name: name, position: position), []) : (nil, problems)
    }

    /// Graduates of the campaign's year or the next ("2027-06", "2027年6月", "2027.6", "2027届", a full date).
    public static func graduation(_ text: String, year: Int) -> String? {
        let t = TextNormaliser.clean(text)
        var numbers: [Int] = [], current = ""
        for ch in t {
            if ch.isASCIIDigit { guard current.count < 4 else { return nil }; current.append(ch) }
            else if "-/.年月日届 ".contains(ch) { if !current.isEmpty { numbers.append(Int(current)!); current = "" } }
            else { return nil }
        }
        if !current.isEmpty { numbers.append(Int(current)!) }
        let (y, m): (Int, Int)
        switch numbers.count {
        case 1 where t.hasSuffix("届"): (y, m) = (numbers[0], 6)
        case 2, 3: (y, m) = (numbers[0], numbers[1])
        default: return nil
        }
        guard (year...year + 1).contains(y), (1...12).contains(m) else { return nil }
        return "\(y)-" + (m < 10 ? "0\(m)" : "\(m)")
    }

    public static func graduate(_ input: RegisterInput, year: Int, today: LocalDate) -> (GraduateEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(GraduateColumn.name, limit: 30, into: &problems)
        let major = input.text(GraduateColumn.major, limit: 60, into: &problems)
        let cadre = input.text(GraduateColumn.cadre, limit: 30, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(GraduateColumn.idNumber), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let problem): problems.append(RowProblem(row: input.row, column: GraduateColumn.idNumber, message: "毕业生" + problem.message))
        }
        let graduationText = input[GraduateColumn.graduation]
        let graduation = graduationText.isEmpty ? "" : graduation(graduationText, year: year)
        if graduation == nil {
            problems.append(RowProblem(row: input.row, column: GraduateColumn.graduation,
                                       message: "预计毕业时间“\(graduationText)”应为\(year)或\(year + 1)年的年月，请写成 \(year + 1)-06"))
        }
        // The category is sensitive: the message never repeats what was typed.
        let hardship = HardshipCategory(text: input[GraduateColumn.hardship])
        if hardship == nil {
            problems.append(RowProblem(row: input.row, column: GraduateColumn.hardship,
                                       message: "家庭困难类别请填写\(HardshipCategory.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        guard problems.isEmpty, let id, let graduation, let hardship else { return (nil, problems) }
        return (GraduateEntry(row: input.row, name: name, id: id, major: major, graduation: graduation, hardship: hardship, cadre: cadre), [])
    }

    /// A recommended position: dated within the campaign's year or the next, not in the future.
    public static func job(_ input: RegisterInput, year: Int, today: LocalDate) -> (JobEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let employer = input.text(JobColumn.employer, limit: 60, into: &problems)
        let position = input.text(JobColumn.position, limit: 30, into: &problems)
        let city = input.text(JobColumn.city, limit: 30, into: &problems)
        var on = input.date(JobColumn.recommendedOn, required: true, into: &problems)
        if let d = on, !(year...year + 1).contains(d.year) || d > today {
            problems.append(RowProblem(row: input.row, column: JobColumn.recommendedOn, message: "推荐日期应在\(year)至\(year + 1)年内，且不晚于今天"))
            on = nil
        }
        let outcomeText = input[JobColumn.outcome]
        let outcome = outcomeText.isEmpty ? .recommended : JobOutcome(text: outcomeText)
        if outcome == nil {
            problems.append(RowProblem(row: input.row, column: JobColumn.outcome,
                                       message: "进展“\(outcomeText)”无法识别，请填写\(JobOutcome.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        guard problems.isEmpty, let on, let outcome else { return (nil, problems) }
        return (JobEntry(employer: employer, position: position, city: city, recommendedOn: on, outcome: outcome), [])
    }

    /// A guidance session: dated within the campaign's year or the next, not in the future.
    public static func guidance(_ input: RegisterInput, year: Int, today: LocalDate) -> (GuidanceEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        var on = input.date(GuidanceColumn.on, required: true, into: &problems)
        if let d = on, !(year...year + 1).contains(d.year) || d > today {
            problems.append(RowProblem(row: input.row, column: GuidanceColumn.on, message: "指导日期应在\(year)至\(year + 1)年内，且不晚于今天"))
            on = nil
        }
        let modeText = input[GuidanceColumn.mode]
        let mode = GuidanceMode(text: modeText)
        if mode == nil {
            problems.append(RowProblem(row: input.row, column: GuidanceColumn.mode,
                                       message: "指导方式请填写\(GuidanceMode.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        let note = input.text(GuidanceColumn.note, limit: 500, into: &problems)
        guard problems.isEmpty, let on, let mode else { return (nil, problems) }
        return (GuidanceEntry(on: on, mode: mode, note: note), [])
    }

    /// The same student twice in one file.
    public static func repeatedGraduates(_ entries: [GraduateEntry]) -> [RowProblem] {
        var first: [String: Int] = [:], problems: [RowProblem] = []
        for e in entries {
            if let row = first[e.id.value] {
                problems.append(RowProblem(row: e.row, column: GraduateColumn.idNumber, message: "与第\(row)行是同一毕业生，请删去重复的一行"))
            } else { first[e.id.value] = e.row }
        }
        return problems
    }

    /// Cadres the file would give more than five graduates, counting those they keep outside the file; one
    /// problem per line over the limit.
    public static func overloadedCadres(_ entries: [GraduateEntry], kept: [String: Int]) -> [RowProblem] {
        var count = kept, problems: [RowProblem] = []
        for e in entries {
            let n = (count[e.cadre] ?? 0) + 1
            count[e.cadre] = n
            if n > graduatesPerCadre.upperBound {
                problems.append(RowProblem(row: e.row, column: GraduateColumn.cadre,
                                           message: "团干部“\(e.cadre)”结对将超过\(graduatesPerCadre.upperBound)名毕业生（每人3至5名），请安排给其他团干部"))
            }
        }
        return problems
    }
}
