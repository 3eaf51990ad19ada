// Work item 6 (领头雁 and skills training): classes, the office's sign-in sheet (签到表) as it is filled in, and the
// figures the quotas read — person-times (Σ sessions attended) and trainees (people, by ID number, else phone).

public enum TrainingKind: String, CaseIterable, Sendable, Codable {
    case lingtouyan, ecommerce, entrepreneurship, skills, online, other

    public var label: String {
        switch self {
        case .lingtouyan: return "领头雁培训"
        case .ecommerce: return "电商培训"
        case .entrepreneurship: return "创业培训"
        case .skills: return "技能培训（粤菜师傅、广东技工、南粤家政）"
        case .online: return "线上课程（广东精勤农民网络培训学院）"
        case .other: return "其他"
        }
    }

    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        guard let found = Self.allCases.first(where: { t == $0.label || (!t.isEmpty && $0.label.hasPrefix(t)) }) else { return nil }
        self = found
    }
}

public enum TrainingMode: String, CaseIterable, Sendable, Codable {
    case offline, online, mixed
    public var label: String { [.offline: "线下", .online: "线上", .mixed: "线上线下结合"][self]! }
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        guard let found = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = found
    }
}

/// 类别 on the sign-in sheet.
public enum TraineeCategory: String, CaseIterable, Sendable, Codable {
    case returnee, villageCadre, student, volunteer, other
    public var label: String {
        [.returnee: "返乡创业青年", .villageCadre: "青年村干部", .student: "大学生", .volunteer: "乡村振兴志愿者", .other: "其他"][self]!
    }
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        if t.isEmpty { return nil }
        if t.contains("返乡") || t.contains("创业") { self = .returnee }
        else if t.contains("村干部") || t.contains("两委") { self = .villageCadre }
        else if t.contains("大学生") || t == "学生" { self = .student }
        else if t.contains("志愿者") { self = .volunteer }
        else if t == "其他" || t == "其它" { self = .other }
        else { return nil }
    }
}

public enum SignInColumn {
    public static let name = "姓名"
    public static let sex = "性别"
    public static let idNumber = "身份证号"
    public static let phone = "手机号"
    public static let county = "所在县（市、区）"
    public static let category = "类别"

    public static let fixed: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["学员姓名"]),
        ColumnSpec(sex, aliases: [], required: false),
        ColumnSpec(idNumber, aliases: ["身份证号码", "公民身份号码"], required: false),
        ColumnSpec(phone, aliases: ["手机号码", "联系电话", "电话", "手机"], required: false),
        ColumnSpec(county, aliases: ["所在县", "县（市、区）", "所在县区", "所属县（市、区）"], required: false),
        ColumnSpec(category, aliases: ["学员类别", "人员类别", "身份"], required: false),
    ]

    /// A session's column, however the office wrote the date in the header.
    public static func session(_ d: LocalDate) -> ColumnSpec {
        ColumnSpec(d.iso, aliases: ["\(d.month)月\(d.day)日", "\(d.year)年\(d.month)月\(d.day)日", "\(d.month).\(d.day)", "\(d.month)/\(d.day)",
                                    "\(d.year)/\(d.month)/\(d.day)", "\(d.year).\(d.month).\(d.day)", "\(d.month)月\(d.day)日签到",
                                    d.iso + "T00:00:00", d.iso + " 00:00:00"], required: false)
    }

    public static func specs(sessions: [LocalDate]) -> [ColumnSpec] { fixed + sessions.map(session) }
}

public struct TraineeEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let sex: Sex?
    public let id: IDNumber?
    public let phone: String?
    public let county: String
    public let category: TraineeCategory?
    /// The class's sessions this person signed, as dates.
    public let attended: [LocalDate]

    /// One person, however many rows or classes list them: the ID number, else the phone.
    public var personKey: String { id.map { "id:" + $0.value } ?? "phone:" + (phone ?? "") }
}

public struct TrainingClassEntry: Sendable, Equatable {
    public let title: String
    public let kind: TrainingKind
    public let mode: TrainingMode
    public let start: LocalDate
    public let end: LocalDate
    public let sessions: [LocalDate]
}

public enum TrainingRules {
    public static let sessionsLimit = 60
    public static let phonePattern = 11

    /// A cell of a session column: signed (√, ✓, 签到, 到, 1, 是…), not signed (empty, ×, 缺, 请假, 0, 否…), or unreadable.
    public static func signed(_ cell: String) -> Bool? {
        let t = TextNormaliser.clean(cell).uppercased()
        if ["√", "✓", "✔", "☑", "签到", "已签到", "到", "1", "是", "Y", "V", "出席", "参加"].contains(t) { return true }
        if ["", "×", "✗", "✘", "X", "缺", "缺席", "缺勤", "请假", "0", "否", "N", "-", "—", "未到"].contains(t) { return false }
        return nil
    }

    /// A mainland mobile number (11 digits from 1), spaces and dashes dropped; nil otherwise.
    public static func phone(_ text: String) -> String? {
        let digits = TextNormaliser.clean(text).filter { $0 != " " && $0 != "-" }
        guard digits.count == 11, digits.first == "1", digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return digits
    }

    /// The class's session dates as typed (a list, comma- or space-separated): sorted, each once, within
    /// start…end, at most `sessionsLimit`.
    public static func sessionDates(_ texts: [String], start: LocalDate, end: LocalDate) -> (dates: [LocalDate], problem: String?) {
        var dates = Set<LocalDate>()
        for t in texts.flatMap({ $0.split(whereSeparator: { ",，、; ；\n".contains($0) }).map(String.init) }) {
            guard let d = DateText.parse(t, defaultYear: start.year) else { return ([], "培训日期“\(t)”无法识别，请写成 \(start.iso)") }
            guard d >= start && d <= end else { return ([], "培训日期\(d.iso)不在开班至结业日期之间") }
            dates.insert(d)
            if dates.count > sessionsLimit { return ([], "培训日期不能超过\(sessionsLimit)个") }
        }
        if dates.isEmpty { return ([], "请填写至少一个培训日期") }
        return (dates.sorted(), nil)
    }

    /// One row of a sign-in sheet: `sessions` are the class's dates (their columns are titled by `SignInColumn.session`).
    public static func trainee(_ input: RegisterInput, sessions: [LocalDate], today: LocalDate) -> (TraineeEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(SignInColumn.name, limit: 30, into: &problems)
        let sexText = input[SignInColumn.sex]
        let sex = sexText.isEmpty ? nil : RosterRules.sex(sexText)
        if !sexText.isEmpty && sex == nil { problems.append(RowProblem(row: input.row, column: SignInColumn.sex, message: "性别请填写“男”或“女”")) }
        var id: IDNumber?
        let idText = input.typed(SignInColumn.idNumber)
        if !TextNormaliser.clean(idText).isEmpty {
            switch IDNumber.parse(idText, today: today) {
            case .success(let parsed): id = parsed
            case .failure(let problem): problems.append(RowProblem(row: input.row, column: SignInColumn.idNumber, message: "学员" + problem.message))
            }
        }
        let phoneText = input[SignInColumn.phone]
        let phone = phoneText.isEmpty ? nil : Self.phone(phoneText)
        if !phoneText.isEmpty && phone == nil {
            problems.append(RowProblem(row: input.row, column: SignInColumn.phone, message: "手机号应为11位数字"))
        }
        if idText.isEmpty && phoneText.isEmpty {
            problems.append(RowProblem(row: input.row, column: SignInColumn.idNumber, message: "身份证号和手机号至少填写一项（用于统计人数）"))
        }
        let county = input.text(SignInColumn.county, limit: 30, required: false, into: &problems)
        let categoryText = input[SignInColumn.category]
        let category = categoryText.isEmpty ? nil : TraineeCategory(text: categoryText)
        if !categoryText.isEmpty && category == nil {
            problems.append(RowProblem(row: input.row, column: SignInColumn.category,
                                       message: "类别“\(categoryText)”无法识别，请填写\(TraineeCategory.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        var attended: [LocalDate] = []
        for d in sessions {
            let cell = input.values[d.iso] ?? ""
            switch signed(cell) {
            case true?: attended.append(d)
            case false?: break
            case nil: problems.append(RowProblem(row: input.row, column: d.iso, message: "签到栏请填“√”或“签到”，未到请留空"))
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (TraineeEntry(row: input.row, name: name, sex: sex, id: id, phone: phone, county: county, category: category, attended: attended), [])
    }

    /// The same person twice on one sheet (same ID number, or same phone when there is no ID).
    public static func repeatedTrainees(_ entries: [TraineeEntry]) -> [RowProblem] {
        var first: [String: Int] = [:], problems: [RowProblem] = []
        for e in entries {
            if let row = first[e.personKey] {
                problems.append(RowProblem(row: e.row, column: e.id == nil ? SignInColumn.phone : SignInColumn.idNumber,
                                           message: "与第\(row)行是同一人，请合并为一行"))
            } else { first[e.personKey] = e.row }
        }
        return problems
    }

    /// Person-times: every session each person signed. Trainees: the people who signed at least one.
    public static func figures(_ attendance: [(person: String, sessions: Int)]) -> (personTimes: Int, trainees: Int) {
        var people = Set<String>(), times = 0
        for a in attendance where a.sessions > 0 {
            times += a.sessions
            people.insert(a.person)
        }
        return (times, people.count)
    }

    public static func figures(_ entries: [TraineeEntry]) -> (personTimes: Int, trainees: Int) {
        figures(entries.map { ($0.personKey, $0.attended.count) })
    }

    /// A class as its organiser types it: title, kind, mode, start and end (within the campaign's year), sessions.
    public static func trainingClass(title: String, kind: String, mode: String, start: String, end: String, sessions: [String],
                                     year: Int) -> (TrainingClassEntry?, [(field: String, message: String)]) {
        var problems: [(field: String, message: String)] = []
        let t = TextNormaliser.trim(title)
        if t.isEmpty { problems.append(("title", "请填写培训班名称")) } else if t.count > 60 { problems.append(("title", "培训班名称过长（最多60个字）")) }
        let k = TrainingKind(text: kind)
        if k == nil { problems.append(("kind", "请选择培训类别")) }
        let m = TrainingMode(text: mode)
        if m == nil { problems.append(("mode", "请选择培训方式（线下、线上或线上线下结合）")) }
        let s = DateText.parse(start), e = DateText.parse(end)
        if s == nil { problems.append(("startDate", "开班日期无法识别，请写成 \(year)-07-15")) }
        if e == nil { problems.append(("endDate", "结业日期无法识别，请写成 \(year)-07-16")) }
        var dates: [LocalDate] = []
        if let s, let e {
            if s.year != year || e.year != year { problems.append(("startDate", "培训日期应在\(year)年度内")) }
            else if e < s { problems.append(("endDate", "结业日期不能早于开班日期")) }
            else {
                let found = sessionDates(sessions, start: s, end: e)
                if let message = found.problem { problems.append(("sessionDates", message)) } else { dates = found.dates }
            }
        }
        guard problems.isEmpty, let k, let m, let s, let e else { return (nil, problems) }
        return (TrainingClassEntry(title: t, kind: k, mode: m, start: s, end: e, sessions: dates), [])
    }
}
