// One 希望乡村教师 deployment as an office types it (a register line, the page's form or the API), checked against
// the rules of a posting: who may record it, where it may go, how long it runs.

public enum DeploymentColumn {
    public static let name = "志愿者姓名"
    public static let sex = "性别"
    public static let idNumber = "身份证号"
    public static let programme = "项目类别"
    public static let university = "派出高校"
    public static let school = "服务学校"
    public static let county = "所在县（市、区）"
    public static let subject = "任教学科"
    public static let start = "开始日期"
    public static let end = "结束日期"
    public static let endedOn = "提前结束日期"
    public static let endReason = "提前结束原因"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["姓名", "志愿者", "支教老师姓名", "教师姓名"]),
        ColumnSpec(sex, aliases: ["志愿者性别"]),
        ColumnSpec(idNumber, aliases: ["身份证号码", "志愿者身份证号", "公民身份号码", "证件号码"]),
        ColumnSpec(programme, aliases: ["项目", "计划类别", "类别", "派遣类别"]),
        ColumnSpec(university, aliases: ["派出学校", "所在高校", "毕业院校", "高校"], required: false),
        ColumnSpec(school, aliases: ["服务学校名称", "派驻学校", "支教学校", "学校"]),
        ColumnSpec(county, aliases: ["所在县", "县（市、区）", "服务县", "派驻县（市、区）", "服务县（市、区）"]),
        ColumnSpec(subject, aliases: ["学科", "任教科目", "科目"]),
        ColumnSpec(start, aliases: ["派驻开始日期", "起始日期", "服务开始日期", "到岗日期"]),
        ColumnSpec(end, aliases: ["计划结束日期", "派驻结束日期", "服务结束日期", "期满日期"]),
        ColumnSpec(endedOn, aliases: ["实际结束日期", "提前离岗日期"], required: false),
        ColumnSpec(endReason, aliases: ["提前结束理由", "离岗原因"], required: false),
    ]
}

/// A university as the line names it, with the caller's id for it.
public struct UniversityRef: Sendable, Hashable {
    public let key: String
    public let name: String
    public init(key: String, name: String) { self.key = key; self.name = name }
}

public struct DeploymentPolicy: Sendable {
    public var today: LocalDate
    public var counties: CountyMatcher
    /// Region (珠三角 / 粤东 / 粤西 / 粤北) by county key.
    public var regions: [String: String]
    /// County keys the recording unit may post to (a city or county its own territory); nil: any.
    public var territory: Set<String>?
    public var territoryName: String
    /// Universities by name; `fixedUniversity` when a university records (it records the volunteers it sends).
    public var universities: [String: UniversityRef]
    public var fixedUniversity: UniversityRef?

    public init(today: LocalDate, counties: CountyMatcher, regions: [String: String], territory: Set<String>?, territoryName: String,
                universities: [UniversityRef], fixedUniversity: UniversityRef?) {
        self.today = today; self.counties = counties; self.regions = regions; self.territory = territory
        self.territoryName = territoryName; self.fixedUniversity = fixedUniversity
        self.universities = Dictionary(universities.map { (TextNormaliser.headerKey($0.name), $0) }, uniquingKeysWith: { a, _ in a })
    }
}

/// One checked deployment.
public struct DeploymentEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let sex: Sex
    public let id: IDNumber
    public let programme: DeploymentProgramme
    public let university: UniversityRef?
    public let school: String
    public let county: CountyRef
    public let subject: String
    public let start: LocalDate
    public let end: LocalDate
    public let endedOn: LocalDate?
    public let endReason: String

    public init(row: Int, name: String, sex: Sex, id: IDNumber, programme: DeploymentProgramme, university: UniversityRef?, school: String,
                county: CountyRef, subject: String, start: LocalDate, end: LocalDate, endedOn: LocalDate?, endReason: String) {
        self.row = row; self.name = name; self.sex = sex; self.id = id; self.programme = programme; self.university = university
        self.school = school; self.county = county; self.subject = subject; self.start = start; self.end = end
        self.endedOn = endedOn; self.endReason = endReason
    }

    /// The days the volunteer is (or was) at the school: to the early end when one is recorded.
    public var term: ClosedRange<LocalDate> { start...(endedOn ?? end) }
}

extension DeploymentRules {
    public static let nameLimit = 30
    public static let textLimit = 100

    /// Validates one line; the entry when it has no errors.
    public static func validate(_ input: RegisterInput, policy: DeploymentPolicy) -> (DeploymentEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func error(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }

        for column in [DeploymentColumn.name, DeploymentColumn.school, DeploymentColumn.subject] {
            let text = input.plain(column)
            if text.isEmpty { error(column, "“\(column)”不能为空") }
            else if text.count > (column == DeploymentColumn.name ? nameLimit : textLimit) {
                error(column, "“\(column)”过长（最多\(column == DeploymentColumn.name ? nameLimit : textLimit)个字）")
            }
        }
        var id: IDNumber?
        switch IDNumber.parse(input.typed(DeploymentColumn.idNumber), today: policy.today) {
        case .success(let parsed): id = parsed
        case .failure(let problem): error(DeploymentColumn.idNumber, "志愿者" + problem.message)
        }
        let sexText = input[DeploymentColumn.sex]
        let sex = RosterRules.sex(sexText)
        if sexText.isEmpty { error(DeploymentColumn.sex, "“性别”不能为空，请填写男或女") }
        else if sex == nil { error(DeploymentColumn.sex, "性别“\(sexText)”无法识别，请填写男或女") }
        if let sex, let id, sex != id.sex {
            error(DeploymentColumn.sex, "性别填写为“\(sex.rawValue)”，但身份证号第17位表示“\(id.sex.rawValue)”，请核对")
        }
        let programmeText = input[DeploymentColumn.programme]
        let programme = DeploymentProgramme(text: programmeText)
        if programme == nil {
            error(DeploymentColumn.programme, programmeText.isEmpty ? "“项目类别”不能为空，请填写“山区计划”或“研究生支教团”"
                                                                   : "项目类别“\(programmeText)”无法识别，请填写“山区计划”或“研究生支教团”")
        }

        var university = policy.fixedUniversity
        let universityText = input.plain(DeploymentColumn.university)
        if !universityText.isEmpty {
            let found = policy.universities[TextNormaliser.headerKey(universityText)]
            if let fixed = policy.fixedUniversity {
                if found != fixed { error(DeploymentColumn.university, "高校只能登记本校派出的志愿者（\(fixed.name)），请核对“派出高校”") }
            } else if let found { university = found }
            else { error(DeploymentColumn.university, "“\(universityText)”不是平台上的高校，请填写高校全称或留空") }
        }

        var county: CountyRef?
        let countyText = input[DeploymentColumn.county]
        switch policy.counties.match(countyText) {
        case .found(let ref):
            if let problem = regionProblem(policy.regions[ref.key] ?? "") { error(DeploymentColumn.county, problem.replacingOccurrences(of: "该县（市、区）", with: ref.fullName)) }
            else if let territory = policy.territory, !territory.contains(ref.key) {
                error(DeploymentColumn.county, "\(ref.fullName)不在\(policy.territoryName)的辖区内，请由该县所在的团委登记")
            } else { county = ref }
        case .ambiguous(let names):
            error(DeploymentColumn.county, "“\(countyText)”有多个同名县（市、区）：\(names.joined(separator: "、"))，请写明地市，如“\(names[0])”")
        case .unknown:
            error(DeploymentColumn.county, countyText.isEmpty ? "“所在县（市、区）”不能为空" : "“\(countyText)”不是广东省的县（市、区），请填写如“连州市”或“清远市连州市”")
        }

        func date(_ column: String, required: Bool) -> LocalDate? {
            let text = input[column]
            if text.isEmpty {
                if required { error(column, "“\(column)”不能为空，请写成 2026-09-01") }
                return nil
            }
            guard let d = DateText.parse(text), (2000...2100).contains(d.year) else {
                error(column, "\(column)“\(text)”无法识别，请写成 2026-09-01")
                return nil
            }
            return d
        }
        let start = date(DeploymentColumn.start, required: true), end = date(DeploymentColumn.end, required: true)
        let endedOn = date(DeploymentColumn.endedOn, required: false)
        if let start, let end {
            for message in termProblems(start: start, end: end) { error(DeploymentColumn.end, message) }
        }
        let endReason = input.plain(DeploymentColumn.endReason)
        if let endedOn {
            if let start, endedOn < start { error(DeploymentColumn.endedOn, "提前结束日期不能早于开始日期") }
            else if let end, endedOn >= end { error(DeploymentColumn.endedOn, "提前结束日期应早于计划结束日期\(end.iso)；按期结束不必填写") }
            else if endedOn > policy.today { error(DeploymentColumn.endedOn, "提前结束日期不能晚于今天，离岗后再登记") }
            if endReason.isEmpty { error(DeploymentColumn.endReason, "提前结束的派驻请填写原因") }
        } else if !endReason.isEmpty {
            error(DeploymentColumn.endedOn, "填写了提前结束原因，请同时填写提前结束日期")
        }
        if endReason.count > textLimit { error(DeploymentColumn.endReason, "“提前结束原因”过长（最多\(textLimit)个字）") }

        guard problems.isEmpty, let id, let sex, let programme, let county, let start, let end else { return (nil, problems) }
        return (DeploymentEntry(row: input.row, name: input.plain(DeploymentColumn.name), sex: sex, id: id, programme: programme,
                                university: university, school: input.plain(DeploymentColumn.school), county: county,
                                subject: input.plain(DeploymentColumn.subject), start: start, end: end, endedOn: endedOn,
                                endReason: endReason), problems)
    }

    /// A posting already on the register (or an earlier line), as the overlap rule sees it.
    public struct Posting: Sendable {
        public let volunteer: String
        public let term: ClosedRange<LocalDate>
        public let school: String
        public init(volunteer: String, term: ClosedRange<LocalDate>, school: String) { self.volunteer = volunteer; self.term = term; self.school = school }
    }

    /// One volunteer at two schools at once: each line against the stored postings and the lines above it.
    /// `volunteer` is whatever identifies the person to the caller (a keyed hash of the ID number).
    public static func overlaps(_ lines: [(row: Int, posting: Posting)], stored: [Posting]) -> [RowProblem] {
        var seen: [String: [(row: Int?, posting: Posting)]] = [:]
        for p in stored { seen[p.volunteer, default: []].append((nil, p)) }
        var problems: [RowProblem] = []
        for line in lines {
            let earlier = seen[line.posting.volunteer] ?? []
            if let clash = earlier.first(where: { overlap($0.posting.term, line.posting.term) }) {
                let when = "\(clash.posting.term.lowerBound.iso)至\(clash.posting.term.upperBound.iso)"
                let message = clash.row.map { "与第\($0)行是同一志愿者，派驻期（\(when)）重叠：同一志愿者不能同时派驻两所学校" }
                    ?? "该志愿者\(when)已派驻\(clash.posting.school)，同一志愿者不能同时派驻两所学校"
                problems.append(RowProblem(row: line.row, column: DeploymentColumn.start, message: message))
            }
            seen[line.posting.volunteer, default: []].append((line.row, line.posting))
        }
        return problems
    }
}
