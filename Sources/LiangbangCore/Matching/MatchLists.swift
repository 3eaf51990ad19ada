// The two lists 智能结对 reads: 待结对学生名单 (from the counties) and 可结对志愿者名单 (from the university), their
// columns and the rules every line must pass. The pupils' county must be one 附件1 assigns to the university.

public enum PupilListColumn {
    public static let name = "姓名"
    public static let sex = "性别"
    public static let id = "身份证号"
    public static let grade = "年级"
    public static let school = "在读学校"
    public static let county = "所在县（市、区）"
    public static let subjects = "需要辅导科目"
    public static let dialects = "方言"
    public static let slots = "可辅导时间"
    public static let previous = "上年度结对志愿者身份证号"
    public static let wanted = "需要志愿者人数"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["学生姓名"]),
        ColumnSpec(sex, aliases: ["学生性别"]),
        ColumnSpec(id, aliases: ["学生身份证号", "身份证号码"]),
        ColumnSpec(grade, aliases: ["年级班级", "就读年级"]),
        ColumnSpec(school, aliases: ["学校", "就读学校"]),
        ColumnSpec(county, aliases: ["所在县市区", "所在县区", "县（市、区）"]),
        ColumnSpec(subjects, aliases: ["辅导科目", "需辅导科目"]),
        ColumnSpec(dialects, aliases: ["方言/语言", "使用语言"], required: false),
        ColumnSpec(slots, aliases: ["可辅导时间段", "可上课时间", "空闲时间"]),
        ColumnSpec(previous, aliases: ["上年度志愿者身份证号", "上年度结对志愿者身份证号码"], required: false),
        ColumnSpec(wanted, aliases: ["多对一", "需要志愿者数"], required: false),
    ]
}

public enum VolunteerListColumn {
    public static let name = "姓名"
    public static let sex = "性别"
    public static let id = "身份证号"
    public static let major = "专业"
    public static let subjects = "可辅导科目"
    public static let dialects = "方言"
    public static let slots = "可辅导时间"
    public static let capacity = "最多结对人数"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["志愿者姓名"]),
        ColumnSpec(sex, aliases: ["志愿者性别"]),
        ColumnSpec(id, aliases: ["志愿者身份证号", "身份证号码"]),
        ColumnSpec(major, aliases: ["所学专业", "专业名称"], required: false),
        ColumnSpec(subjects, aliases: ["辅导科目", "擅长科目"]),
        ColumnSpec(dialects, aliases: ["方言/语言", "使用语言"], required: false),
        ColumnSpec(slots, aliases: ["可辅导时间段", "空闲时间"]),
        ColumnSpec(capacity, aliases: ["最多结对学生数", "可结对人数"], required: false),
    ]
}

/// A validated line of the pupils' list: what the matcher needs, and what 附件2 needs after.
public struct WaitingPupil: Sendable {
    /// `previous` grows when last campaign's roster paired the pupil.
    public var seeker: MatchSeeker
    public let id: IDNumber
    public let grade: String
    public let school: String
    public let county: CountyRef
}

public struct AvailableVolunteer: Sendable {
    public let offer: MatchOffer
    public let id: IDNumber
}

public enum MatchListRules {
    static func person(_ input: RegisterInput, nameColumn: String, sexColumn: String, idColumn: String, who: String,
                       today: LocalDate, into problems: inout [RowProblem]) -> (String, Sex?, IDNumber?) {
        let name = input.text(nameColumn, limit: 30, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(idColumn), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let problem): problems.append(RowProblem(row: input.row, column: idColumn, message: who + problem.message))
        }
        let sexText = input[sexColumn]
        let sex = RosterRules.sex(sexText)
        if sex == nil { problems.append(RowProblem(row: input.row, column: sexColumn, message: sexText.isEmpty ? "“性别”不能为空，请填写男或女" : "性别“\(sexText)”无法识别，请填写男或女")) }
        if let sex, let id, sex != id.sex {
            problems.append(RowProblem(row: input.row, column: sexColumn, message: "性别填写为“\(sex.rawValue)”，但身份证号第17位表示“\(id.sex.rawValue)”，请核对"))
        }
        return (name, sex, id)
    }

    static func words(_ input: RegisterInput, _ column: String, _ vocabulary: Vocabulary, what: String, required: Bool,
                      into problems: inout [RowProblem]) -> BitSet32 {
        let text = input.plain(column)
        let (set, unknown) = vocabulary.read(text)
        if !unknown.isEmpty {
            problems.append(RowProblem(row: input.row, column: column, message: "\(what)“\(unknown.joined(separator: "、"))”无法识别，可填写：\(vocabulary.words.joined(separator: "、"))（用顿号分隔）"))
        } else if set.isEmpty && required {
            problems.append(RowProblem(row: input.row, column: column, message: "“\(column)”不能为空，如“\(vocabulary.words.prefix(2).joined(separator: "、"))”"))
        }
        return set
    }

    static func slots(_ input: RegisterInput, _ column: String, into problems: inout [RowProblem]) -> BitSet32 {
        let (set, unknown) = MatchVocabulary.slots(input.plain(column))
        if !unknown.isEmpty {
            problems.append(RowProblem(row: input.row, column: column, message: "时间“\(unknown.joined(separator: "、"))”无法识别，请写成“周三晚、周六上午、周日下午”"))
        } else if set.isEmpty {
            problems.append(RowProblem(row: input.row, column: column, message: "“\(column)”不能为空，请写成“周三晚、周六上午”"))
        }
        return set
    }

    /// A count cell between `range`, `fallback` when empty.
    static func count(_ input: RegisterInput, _ column: String, range: ClosedRange<Int>, fallback: Int, into problems: inout [RowProblem]) -> Int {
        let text = input[column]
        if text.isEmpty { return fallback }
        if text == "是" || text == "多对一" { return 2 }
        guard let n = Int(text.hasSuffix("人") || text.hasSuffix("名") ? String(text.dropLast()) : text), range.contains(n) else {
            problems.append(RowProblem(row: input.row, column: column, message: "“\(column)”应为\(range.lowerBound)到\(range.upperBound)之间的整数"))
            return fallback
        }
        return n
    }

    public static func pupil(_ input: RegisterInput, policy: RosterPolicy) -> (WaitingPupil?, [RowProblem]) {
        var problems: [RowProblem] = []
        let (name, sex, id) = person(input, nameColumn: PupilListColumn.name, sexColumn: PupilListColumn.sex, idColumn: PupilListColumn.id,
                                     who: "学生", today: policy.today, into: &problems)
        let grade = input.text(PupilListColumn.grade, limit: 30, into: &problems)
        let school = input.text(PupilListColumn.school, limit: 60, into: &problems)
        var age = 0
        if let id {
            age = policy.rosterDate.years(since: id.birthDate)
            if !policy.ageRange.contains(age) {
                problems.append(RowProblem(row: input.row, column: PupilListColumn.id, message: "按身份证号，学生在\(policy.rosterDate.iso)时\(age)岁，不在学龄范围（\(policy.ageRange.lowerBound)–\(policy.ageRange.upperBound)岁）内，请核对"))
            }
        }
        let (county, countyProblem) = RosterRules.assignedCounty(input[PupilListColumn.county], policy: policy)
        if let countyProblem { problems.append(RowProblem(row: input.row, column: PupilListColumn.county, message: countyProblem)) }
        let subjects = words(input, PupilListColumn.subjects, MatchVocabulary.subjects, what: "科目", required: true, into: &problems)
        let dialects = words(input, PupilListColumn.dialects, MatchVocabulary.dialects, what: "方言", required: false, into: &problems)
        let slots = slots(input, PupilListColumn.slots, into: &problems)
        var previous: Set<String> = []
        let previousText = input.typed(PupilListColumn.previous)
        if !TextNormaliser.clean(previousText).isEmpty {
            switch IDNumber.parse(previousText, today: policy.today) {
            case .success(let v): previous.insert(v.value)
            case .failure(let problem): problems.append(RowProblem(row: input.row, column: PupilListColumn.previous, message: "上年度结对志愿者" + problem.message))
            }
        }
        let wanted = count(input, PupilListColumn.wanted, range: 1...2, fallback: 1, into: &problems)
        guard problems.isEmpty, let sex, let id, let county else { return (nil, problems) }
        return (WaitingPupil(seeker: MatchSeeker(row: input.row, name: name, sex: sex, idValue: id.value, age: age, subjects: subjects,
                                                 dialects: dialects, slots: slots, previous: previous, wanted: wanted),
                             id: id, grade: grade, school: school, county: county), [])
    }

    public static func volunteer(_ input: RegisterInput, today: LocalDate) -> (AvailableVolunteer?, [RowProblem]) {
        var problems: [RowProblem] = []
        let (name, sex, id) = person(input, nameColumn: VolunteerListColumn.name, sexColumn: VolunteerListColumn.sex, idColumn: VolunteerListColumn.id,
                                     who: "志愿者", today: today, into: &problems)
        let major = input.text(VolunteerListColumn.major, limit: 60, required: false, into: &problems)
        let subjects = words(input, VolunteerListColumn.subjects, MatchVocabulary.subjects, what: "科目", required: true, into: &problems)
        let dialects = words(input, VolunteerListColumn.dialects, MatchVocabulary.dialects, what: "方言", required: false, into: &problems)
        let slots = slots(input, VolunteerListColumn.slots, into: &problems)
        let capacity = count(input, VolunteerListColumn.capacity, range: 1...3, fallback: 1, into: &problems)
        guard problems.isEmpty, let sex, let id else { return (nil, problems) }
        return (AvailableVolunteer(offer: MatchOffer(row: input.row, name: name, sex: sex, idValue: id.value, major: major, subjects: subjects,
                                                     dialects: dialects, slots: slots, capacity: capacity), id: id), [])
    }

    /// The same person twice in a list.
    public static func duplicates(_ ids: [(row: Int, id: String)], column: String, who: String) -> [RowProblem] {
        var first: [String: Int] = [:]
        var problems: [RowProblem] = []
        for (row, id) in ids {
            if let f = first[id] { problems.append(RowProblem(row: row, column: column, message: "与第\(f)行是同一\(who)（身份证号相同），请删除重复行")) }
            else { first[id] = row }
        }
        return problems
    }
}
