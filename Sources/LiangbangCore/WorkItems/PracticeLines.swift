// Work item 4's registers line by line: a 三下乡 practice team, a team's member, a 百校百号 pair and a 返家乡
// student, as an office types them (sheet row, page form or API body), checked the same way everywhere.

public enum PracticeTeamColumn {
    public static let name = "团队名称"
    public static let lighthouse = "灯塔实践团队"
    public static let leader = "负责人"
    public static let county = "目的地县（市、区）"
    public static let town = "目的地镇（街）"
    public static let start = "开始日期"
    public static let end = "结束日期"
    public static let theme = "主题类别"
    public static let declared = "团队人数"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["实践团队名称", "团队", "队名", "实践队名称"]),
        ColumnSpec(lighthouse, aliases: ["是否灯塔实践团队", "灯塔团队", "灯塔"], required: false),
        ColumnSpec(leader, aliases: ["团队负责人", "领队", "队长", "带队老师"]),
        ColumnSpec(county, aliases: ["目的地", "实践地点（县）", "实践县（市、区）", "前往县（市、区）", "县（市、区）"]),
        ColumnSpec(town, aliases: ["目的地镇", "镇（街）", "实践镇（街）", "乡镇"], required: false),
        ColumnSpec(start, aliases: ["出发日期", "实践开始日期", "起始日期"]),
        ColumnSpec(end, aliases: ["返回日期", "实践结束日期", "截止日期"]),
        ColumnSpec(theme, aliases: ["主题", "实践主题", "活动类别", "类别"]),
        ColumnSpec(declared, aliases: ["人数", "成员人数", "团队成员数", "申报人数", "参与学生数"]),
    ]
}

public enum PracticeMemberColumn {
    public static let name = "姓名"
    public static let studentNo = "学号"
    public static let school = "学校"
    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["学生姓名", "队员姓名", "成员姓名"]),
        ColumnSpec(studentNo, aliases: ["学生学号", "学籍号"]),
        ColumnSpec(school, aliases: ["所在学校", "所在高校", "高校", "学校名称", "院校"]),
    ]
}

public enum CivilityPairColumn {
    public static let collective = "青年文明号集体"
    public static let sector = "所属行业（系统）"
    public static let university = "结对高校"
    public static let specs: [ColumnSpec] = [
        ColumnSpec(collective, aliases: ["青年文明号", "集体名称", "青年文明号集体名称", "省级青年文明号集体"]),
        ColumnSpec(sector, aliases: ["所属行业", "行业", "系统", "所属系统", "行业（系统）"]),
        ColumnSpec(university, aliases: ["高校", "高校团委", "结对高校团委", "学校"]),
    ]
}

public enum ReturnHomeColumn {
    public static let name = "姓名"
    public static let idNumber = "身份证号"
    public static let university = "就读高校"
    public static let county = "家乡县（市、区）"
    public static let host = "实践单位"
    public static let start = "开始日期"
    public static let end = "结束日期"
    public static let hours = "实践时长（小时）"
    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["学生姓名"]),
        ColumnSpec(idNumber, aliases: ["身份证号码", "公民身份号码"]),
        ColumnSpec(university, aliases: ["高校", "所在高校", "学校"], required: false),
        ColumnSpec(county, aliases: ["家乡所在县（市、区）", "生源地", "家乡县", "返乡县（市、区）", "所在县（市、区）"]),
        ColumnSpec(host, aliases: ["实践岗位单位", "接收单位", "实践岗位", "岗位单位"]),
        ColumnSpec(start, aliases: ["实践开始日期", "起始日期"]),
        ColumnSpec(end, aliases: ["实践结束日期", "截止日期"]),
        ColumnSpec(hours, aliases: ["时长", "实践时长", "小时数", "服务时长（小时）"]),
    ]
}

public struct PracticeTeamEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let lighthouse: Bool
    public let leader: String
    public let county: CountyRef
    public let town: String
    public let start: LocalDate
    public let end: LocalDate
    public let theme: PracticeTheme
    public let declared: Int
}

public struct PracticeMemberEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let member: TeamMembers.Member
    public init(row: Int, name: String, member: TeamMembers.Member) { self.row = row; self.name = name; self.member = member }
    /// The student's key, stored so the board counts each student once with one SQL `COUNT(DISTINCT …)`.
    public var key: String { member.key.map { $0.school + "|" + $0.studentNo } ?? "" }
}

public struct ReturnHomeEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let id: IDNumber
    public let university: UniversityRef?
    public let county: CountyRef
    public let host: String
    public let start: LocalDate
    public let end: LocalDate
    /// Tenths of an hour (hours are typed with at most one decimal).
    public let tenths: Int
}

public enum PracticeRules {
    public static let teamSizeLimit = 10_000
    public static let hoursLimit = 2_000

    /// Dates of a summer's practice lie in the campaign's year.
    static func dates(_ input: RegisterInput, start: String, end: String, year: Int, into problems: inout [RowProblem]) -> (LocalDate, LocalDate)? {
        let s = input.date(start, required: true, into: &problems), e = input.date(end, required: true, into: &problems)
        guard let s, let e else { return nil }
        if e < s { problems.append(RowProblem(row: input.row, column: end, message: "结束日期不能早于开始日期")); return nil }
        if s.year != year || e.year != year {
            problems.append(RowProblem(row: input.row, column: s.year != year ? start : end, message: "实践日期应在\(year)年度内"))
            return nil
        }
        return (s, e)
    }

    static func county(_ input: RegisterInput, _ column: String, _ counties: CountyMatcher, into problems: inout [RowProblem]) -> CountyRef? {
        let text = input[column]
        switch counties.match(text) {
        case .found(let ref): return ref
        case .ambiguous(let names):
            problems.append(RowProblem(row: input.row, column: column, message: "“\(text)”有多个同名县（市、区）：\(names.joined(separator: "、"))，请写明地市"))
        case .unknown:
            problems.append(RowProblem(row: input.row, column: column, message: text.isEmpty ? "“\(column)”不能为空" : "“\(text)”不是广东省的县（市、区），请填写如“连州市”或“清远市连州市”"))
        }
        return nil
    }

    /// A whole number in `range`, as a cell holds it ("12", "12人", "12.0").
    static func count(_ input: RegisterInput, _ column: String, range: ClosedRange<Int>, into problems: inout [RowProblem]) -> Int? {
        var text = input[column]
        if text.hasSuffix("人") { text.removeLast() }
        if text.hasSuffix(".0") { text.removeLast(2) }
        guard let n = Int(text), range.contains(n) else {
            problems.append(RowProblem(row: input.row, column: column, message: "“\(column)”应为\(range.lowerBound)至\(range.upperBound)之间的整数"))
            return nil
        }
        return n
    }

    public static func team(_ input: RegisterInput, year: Int, counties: CountyMatcher) -> (PracticeTeamEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(PracticeTeamColumn.name, limit: 60, into: &problems)
        let leader = input.text(PracticeTeamColumn.leader, limit: 30, into: &problems)
        let town = input.text(PracticeTeamColumn.town, limit: 30, required: false, into: &problems)
        let lighthouse = RosterRules.yesNo(input[PracticeTeamColumn.lighthouse])
        if lighthouse == nil { problems.append(RowProblem(row: input.row, column: PracticeTeamColumn.lighthouse, message: "“灯塔实践团队”请填写“是”或“否”")) }
        let county = county(input, PracticeTeamColumn.county, counties, into: &problems)
        let dates = dates(input, start: PracticeTeamColumn.start, end: PracticeTeamColumn.end, year: year, into: &problems)
        let themeText = input.plain(PracticeTeamColumn.theme)
        let theme = PracticeTheme(text: themeText)
        if theme == nil {
            problems.append(RowProblem(row: input.row, column: PracticeTeamColumn.theme,
                                       message: "主题类别“\(themeText)”无法识别，请填写\(PracticeTheme.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        let declared = count(input, PracticeTeamColumn.declared, range: 1...teamSizeLimit, into: &problems)
        guard problems.isEmpty, let county, let dates, let theme, let declared else { return (nil, problems) }
        return (PracticeTeamEntry(row: input.row, name: name, lighthouse: (lighthouse ?? nil) ?? false, leader: leader, county: county, town: town,
                                  start: dates.0, end: dates.1, theme: theme, declared: declared), problems)
    }

    public static func member(_ input: RegisterInput) -> (PracticeMemberEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(PracticeMemberColumn.name, limit: 30, into: &problems)
        let number = input.text(PracticeMemberColumn.studentNo, limit: 30, into: &problems)
        let school = input.text(PracticeMemberColumn.school, limit: 60, into: &problems)
        guard problems.isEmpty else { return (nil, problems) }
        return (PracticeMemberEntry(row: input.row, name: name, member: .init(school: school, studentNo: number)), problems)
    }

    /// The same student twice in one list (same school and number).
    public static func repeatedMembers(_ entries: [PracticeMemberEntry]) -> [RowProblem] {
        var first: [String: Int] = [:]
        var problems: [RowProblem] = []
        for e in entries {
            if let row = first[e.key] {
                problems.append(RowProblem(row: e.row, column: PracticeMemberColumn.studentNo, message: "与第\(row)行是同一学生（学校、学号相同），请删去重复的一行"))
            } else { first[e.key] = e.row }
        }
        return problems
    }

    public static func returnHome(_ input: RegisterInput, year: Int, today: LocalDate, counties: CountyMatcher,
                                  universities: [String: UniversityRef], fixedUniversity: UniversityRef?) -> (ReturnHomeEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(ReturnHomeColumn.name, limit: 30, into: &problems)
        let host = input.text(ReturnHomeColumn.host, limit: 60, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(ReturnHomeColumn.idNumber), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let problem): problems.append(RowProblem(row: input.row, column: ReturnHomeColumn.idNumber, message: "学生" + problem.message))
        }
        var university = fixedUniversity
        let universityText = input.plain(ReturnHomeColumn.university)
        if !universityText.isEmpty {
            let found = universities[TextNormaliser.headerKey(universityText)]
            if let fixed = fixedUniversity, found != fixed {
                problems.append(RowProblem(row: input.row, column: ReturnHomeColumn.university, message: "高校只能登记本校学生（\(fixed.name)）"))
            } else if found == nil {
                problems.append(RowProblem(row: input.row, column: ReturnHomeColumn.university, message: "“\(universityText)”不是平台上的高校，请填写高校全称或留空"))
            } else { university = found }
        }
        let county = county(input, ReturnHomeColumn.county, counties, into: &problems)
        let dates = dates(input, start: ReturnHomeColumn.start, end: ReturnHomeColumn.end, year: year, into: &problems)
        var tenths: Int?
        let hoursText = input[ReturnHomeColumn.hours]
        if let h = Double(hoursText), h > 0, h <= Double(hoursLimit), (h * 10).rounded() == h * 10 { tenths = Int((h * 10).rounded()) }
        else { problems.append(RowProblem(row: input.row, column: ReturnHomeColumn.hours, message: "实践时长应为大于0、不超过\(hoursLimit)的小时数（最多一位小数）")) }
        guard problems.isEmpty, let id, let county, let dates, let tenths else { return (nil, problems) }
        return (ReturnHomeEntry(row: input.row, name: name, id: id, university: university, county: county, host: host,
                                start: dates.0, end: dates.1, tenths: tenths), problems)
    }
}

public struct CivilityPairEntry: Sendable, Equatable {
    public let row: Int
    public let collective: String
    public let sector: String
    public let university: UniversityRef
    /// The same collective however its name was spaced or bracketed: a pair is (collective, university) once a year.
    public var collectiveKey: String { TextNormaliser.headerKey(collective) }
}

extension PracticeRules {
    public static func pair(_ input: RegisterInput, universities: [String: UniversityRef]) -> (CivilityPairEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let collective = input.text(CivilityPairColumn.collective, limit: 60, into: &problems)
        let sector = input.text(CivilityPairColumn.sector, limit: 30, into: &problems)
        let text = input.plain(CivilityPairColumn.university)
        let university = universities[TextNormaliser.headerKey(text)]
        if university == nil {
            problems.append(RowProblem(row: input.row, column: CivilityPairColumn.university,
                                       message: text.isEmpty ? "“结对高校”不能为空" : "“\(text)”不是平台上的高校，请填写高校全称"))
        }
        guard problems.isEmpty, let university else { return (nil, problems) }
        return (CivilityPairEntry(row: input.row, collective: collective, sector: sector, university: university), problems)
    }

    /// Universities by the key their names are matched on.
    public static func universityIndex(_ list: [UniversityRef]) -> [String: UniversityRef] {
        Dictionary(list.map { (TextNormaliser.headerKey($0.name), $0) }, uniquingKeysWith: { a, _ in a })
    }
}
