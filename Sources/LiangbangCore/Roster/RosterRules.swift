// 附件2 结对名单: the columns, and every rule a line must pass before it is stored.

public enum RosterColumn {
    public static let pupilName = "学生姓名"
    public static let sex = "性别"
    public static let pupilID = "身份证号"
    public static let studentNo = "学籍号"
    public static let school = "在读学校"
    public static let gradeClass = "年级班级"
    public static let county = "所在县（市、区）"
    public static let volunteerName = "结对志愿者"
    public static let volunteerID = "结对志愿者身份证号"
    public static let startDate = "结对开始日期"
    public static let consent = "监护人同意"
    public static let consentDate = "监护人同意日期"

    /// The official columns first, then the ones we add; aliases are what offices actually write.
    public static let specs: [ColumnSpec] = [
        ColumnSpec(pupilName, aliases: ["姓名", "学生", "帮扶学生姓名", "帮扶学生"]),
        ColumnSpec(sex, aliases: ["学生性别"]),
        ColumnSpec(pupilID, aliases: ["学生身份证号", "学生身份证号码", "身份证号码", "身份证"]),
        ColumnSpec(studentNo, aliases: ["学籍号码", "全国学籍号"], required: false),
        ColumnSpec(school, aliases: ["学校", "就读学校", "所在学校"]),
        ColumnSpec(gradeClass, aliases: ["年级", "班级", "年级/班级"]),
        ColumnSpec(county, aliases: ["所在县市区", "所在县区", "所在县", "县区", "县（市、区）"]),
        ColumnSpec(volunteerName, aliases: ["志愿者", "志愿者姓名", "结对志愿者姓名"]),
        ColumnSpec(volunteerID, aliases: ["志愿者身份证号", "志愿者身份证号码", "结对志愿者身份证号码"]),
        ColumnSpec(startDate, aliases: ["开始日期", "结对日期", "结对时间"], required: false),
        ColumnSpec(consent, aliases: ["监护人是否同意", "监护人同意书"], required: false),
        ColumnSpec(consentDate, aliases: ["同意日期"], required: false),
    ]
}

public struct RowProblem: Sendable, Equatable, Codable {
    public let row: Int
    public let column: String
    public let message: String
    public let warning: Bool
    public init(row: Int, column: String, message: String, warning: Bool = false) {
        self.row = row; self.column = column; self.message = message; self.warning = warning
    }
}

/// One line of the roster as typed.
public struct RosterInput: Sendable {
    public let row: Int
    /// Column titles and the cells under them, side by side. Not a dictionary: hashing Chinese titles (Unicode
    /// normalisation on every look-up) was a tenth of a 55,000-line import; a short scan comparing bytes is not.
    private let titles: [String]
    private let raw: [String]
    /// Each value cleaned once: the rules read most columns several times.
    private let cleaned: [String]

    public init(row: Int, values: [String: String]) {
        self.init(row: row, titles: Array(values.keys), cells: Array(values.values))
    }

    /// `cells[i]` is the cell under `titles[i]`.
    public init(row: Int, titles: [String], cells: [String]) {
        self.row = row
        self.titles = titles
        self.raw = cells
        self.cleaned = cells.map(TextNormaliser.clean)
    }

    private func index(_ column: String) -> Int? {
        let n = column.utf8.count
        let found = column.utf8.withContiguousStorageIfAvailable { wanted in
            titles.firstIndex { $0.utf8.count == n && $0.utf8.withContiguousStorageIfAvailable { $0.elementsEqual(wanted) } == true }
        }
        return found ?? titles.firstIndex(of: column)
    }

    /// As typed, untouched (ID numbers: the parser reports what it was given).
    public func typed(_ column: String) -> String { index(column).map { raw[$0] } ?? "" }
    /// Codes, IDs, sex, county, dates: full-width folded.
    public subscript(_ column: String) -> String { index(column).map { cleaned[$0] } ?? "" }
    /// Names, schools, classes: kept as typed, only trimmed.
    public func plain(_ column: String) -> String { index(column).map { TextNormaliser.trim(raw[$0]) } ?? "" }
}

/// One validated pairing.
public struct RosterEntry: Sendable {
    public let row: Int
    public let pupilName: String
    public let sex: Sex
    public let pupilID: IDNumber
    public let studentNo: String
    public let school: String
    public let gradeClass: String
    public let county: CountyRef
    public let volunteerName: String
    public let volunteerID: IDNumber
    public let startDate: LocalDate?
    public let consent: Bool?
    public let consentDate: LocalDate?
    /// Whole years on the roster date: what the consent rule needs. The birth date itself is never stored, since
    /// it is exactly what the masked ID (`440982********7848`) hides.
    public let pupilAge: Int

    public var pairKey: String { pupilID.value + "|" + volunteerID.value }
}

public struct RosterPolicy: Sendable {
    public var rosterDate: LocalDate
    public var today: LocalDate
    public var ageRange: ClosedRange<Int>
    /// County keys this university is assigned in 附件1.
    public var assignedCounties: Set<String>
    public var universityName: String
    public var counties: CountyMatcher
    /// Start dates must fall in this range (the campaign's tutoring period).
    public var startRange: ClosedRange<LocalDate>

    public init(rosterDate: LocalDate, today: LocalDate, ageRange: ClosedRange<Int> = 6...19, assignedCounties: Set<String>,
                universityName: String, counties: CountyMatcher, startRange: ClosedRange<LocalDate>) {
        self.rosterDate = rosterDate; self.today = today; self.ageRange = ageRange
        self.assignedCounties = assignedCounties; self.universityName = universityName
        self.counties = counties; self.startRange = startRange
    }
}

public enum RosterRules {
    /// Below this age on the roster date a pupil needs a recorded guardian consent (PIPL art. 31).
    public static let consentAge = 14

    /// The one consent rule (`GuardianConsent.isGap`): under 14 without a consent recorded with its date.
    public static func lacksConsent(age: Int, consent: Bool?, on: LocalDate?) -> Bool { GuardianConsent.isGap(age: age, given: consent == true, on: on) }

    public static func sex(_ text: String) -> Sex? {
        switch text.uppercased() {
        case "男", "男性", "M", "MALE": return .male
        case "女", "女性", "F", "FEMALE": return .female
        default: return nil
        }
    }

    public static func yesNo(_ text: String) -> Bool?? {
        switch text.uppercased() {
        case "": return .some(nil)
        case "是", "有", "同意", "已签", "√", "✓", "Y", "YES", "1", "TRUE": return .some(true)
        case "否", "无", "不同意", "未签", "×", "N", "NO", "0", "FALSE": return .some(false)
        default: return nil
        }
    }

    /// 所在县（市、区）: a county of Guangdong that 附件1 assigns to the university, or why not.
    public static func assignedCounty(_ text: String, policy: RosterPolicy) -> (CountyRef?, String?) {
        switch policy.counties.match(text) {
        case .found(let ref):
            if policy.assignedCounties.contains(ref.key) { return (ref, nil) }
            return (nil, "\(ref.fullName)不在\(policy.universityName)的“青年云支教”对接范围（附件1）内，请核对学生所在县（市、区）")
        case .ambiguous(let names):
            return (nil, "“\(text)”有多个同名县（市、区）：\(names.joined(separator: "、"))，请写明地市，如“\(names[0])”")
        case .unknown:
            return (nil, text.isEmpty ? "“所在县（市、区）”不能为空" : "“\(text)”不是广东省的县（市、区），请填写如“化州市”或“茂名市化州市”")
        }
    }

    /// Validates one line; returns the entry when it has no errors (warnings allowed).
    public static func validate(_ input: RosterInput, policy: RosterPolicy) -> (RosterEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func error(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }
        func warn(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message, warning: true)) }

        for column in [RosterColumn.pupilName, RosterColumn.school, RosterColumn.gradeClass, RosterColumn.volunteerName] where input.plain(column).isEmpty {
            error(column, "“\(column)”不能为空")
        }
        for column in [RosterColumn.pupilName, RosterColumn.volunteerName] where input.plain(column).count > 30 {
            error(column, "“\(column)”过长（最多30个字）")
        }

        var pupilID: IDNumber?
        switch IDNumber.parse(input.typed(RosterColumn.pupilID), today: policy.today) {
        case .success(let id): pupilID = id
        case .failure(let problem): error(RosterColumn.pupilID, "学生" + problem.message)
        }
        var volunteerID: IDNumber?
        switch IDNumber.parse(input.typed(RosterColumn.volunteerID), today: policy.today) {
        case .success(let id): volunteerID = id
        case .failure(let problem): error(RosterColumn.volunteerID, "志愿者" + problem.message)
        }

        let sexText = input[RosterColumn.sex]
        let sex = Self.sex(sexText)
        if sexText.isEmpty { error(RosterColumn.sex, "“性别”不能为空，请填写男或女") }
        else if sex == nil { error(RosterColumn.sex, "性别“\(sexText)”无法识别，请填写男或女") }
        if let sex, let pupilID, sex != pupilID.sex {
            error(RosterColumn.sex, "性别填写为“\(sex.rawValue)”，但身份证号第17位表示“\(pupilID.sex.rawValue)”，请核对")
        }
        if let pupilID {
            let age = policy.rosterDate.years(since: pupilID.birthDate)
            if !policy.ageRange.contains(age) {
                error(RosterColumn.pupilID, "按身份证号，学生在\(policy.rosterDate.iso)时\(age)岁，不在学龄范围（\(policy.ageRange.lowerBound)–\(policy.ageRange.upperBound)岁）内，请核对")
            }
        }
        if let pupilID, let volunteerID, pupilID == volunteerID {
            error(RosterColumn.volunteerID, "结对志愿者与学生是同一人（身份证号相同）")
        }

        let studentNo = input[RosterColumn.studentNo].uppercased()
        if let pupilID, studentNo.hasPrefix("G"), studentNo != "G" + pupilID.value {
            warn(RosterColumn.studentNo, "学籍号以G开头，通常应为“G+学生身份证号”，与本行身份证号不一致，请核对")
        }

        let (county, countyProblem) = assignedCounty(input[RosterColumn.county], policy: policy)
        if let countyProblem { error(RosterColumn.county, countyProblem) }

        var start: LocalDate?
        let startText = input[RosterColumn.startDate]
        if !startText.isEmpty {
            if let d = DateText.parse(startText, defaultYear: policy.rosterDate.year) {
                if policy.startRange.contains(d) { start = d }
                else { error(RosterColumn.startDate, "结对开始日期\(d.iso)不在支教期（\(policy.startRange.lowerBound.iso)至\(policy.startRange.upperBound.iso)）内") }
            } else { error(RosterColumn.startDate, "结对开始日期“\(startText)”无法识别，请写成 2022-07-01") }
        }
        var consent: Bool?
        if let parsed = yesNo(input[RosterColumn.consent]) { consent = parsed }
        else { error(RosterColumn.consent, "“监护人同意”请填写“是”或“否”") }
        var consentDate: LocalDate?
        let consentText = input[RosterColumn.consentDate]
        if !consentText.isEmpty {
            if let d = DateText.parse(consentText, defaultYear: policy.rosterDate.year), d <= policy.today { consentDate = d }
            else { error(RosterColumn.consentDate, "监护人同意日期“\(consentText)”无法识别或晚于今天") }
        }

        guard !problems.contains(where: { !$0.warning }), let pupilID, let volunteerID, let sex, let county else {
            return (nil, problems)
        }
        return (RosterEntry(row: input.row, pupilName: input.plain(RosterColumn.pupilName), sex: sex, pupilID: pupilID, studentNo: studentNo,
                            school: input.plain(RosterColumn.school), gradeClass: input.plain(RosterColumn.gradeClass), county: county,
                            volunteerName: input.plain(RosterColumn.volunteerName), volunteerID: volunteerID, startDate: start,
                            consent: consent, consentDate: consentDate,
                            pupilAge: policy.rosterDate.years(since: pupilID.birthDate)), problems)
    }

    /// Rules across lines: the same pair twice; one ID under two names.
    public static func crossCheck(_ entries: [RosterEntry]) -> [RowProblem] {
        var problems: [RowProblem] = []
        struct Pair: Hashable { let pupil: String; let volunteer: String }
        /// The last line that agreed with the first on the name, and on the county.
        struct Pupil { var name: String; var nameRow: Int; var county: String; var countyName: String; var countyRow: Int }
        var firstRowOfPair: [Pair: Int] = [:]
        var pupils: [String: Pupil] = [:]
        var volunteerNames: [String: (String, Int)] = [:]
        // Sized up front: growing three dictionaries of 55,000 keys rehashes every key several times.
        firstRowOfPair.reserveCapacity(entries.count)
        pupils.reserveCapacity(entries.count)
        volunteerNames.reserveCapacity(entries.count / 2)
        for e in entries {
            let pair = Pair(pupil: e.pupilID.value, volunteer: e.volunteerID.value)
            if let first = firstRowOfPair[pair] {
                problems.append(RowProblem(row: e.row, column: RosterColumn.pupilID, message: "与第\(first)行是同一对学生和志愿者，请删除重复行"))
            } else { firstRowOfPair[pair] = e.row }
            if var seen = pupils[e.pupilID.value] {
                if seen.name != e.pupilName {
                    problems.append(RowProblem(row: e.row, column: RosterColumn.pupilName, message: "同一学生身份证号在第\(seen.nameRow)行的姓名是“\(seen.name)”，与本行“\(e.pupilName)”不一致"))
                } else { seen.nameRow = e.row }
                // One pupil lives in one county: the weekly boards count it there.
                if seen.county != e.county.key {
                    problems.append(RowProblem(row: e.row, column: RosterColumn.county, message: "同一学生在第\(seen.countyRow)行的所在县（市、区）是“\(seen.countyName)”，与本行“\(e.county.fullName)”不一致"))
                } else { seen.countyRow = e.row }
                pupils[e.pupilID.value] = seen
            } else {
                pupils[e.pupilID.value] = Pupil(name: e.pupilName, nameRow: e.row, county: e.county.key, countyName: e.county.fullName, countyRow: e.row)
            }
            if let (name, row) = volunteerNames[e.volunteerID.value], name != e.volunteerName {
                problems.append(RowProblem(row: e.row, column: RosterColumn.volunteerName, message: "同一志愿者身份证号在第\(row)行的姓名是“\(name)”，与本行“\(e.volunteerName)”不一致"))
            } else { volunteerNames[e.volunteerID.value] = (e.volunteerName, e.row) }
        }
        return problems
    }
}
