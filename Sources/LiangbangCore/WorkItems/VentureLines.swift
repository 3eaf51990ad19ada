// One 涉农创业 venture as a line: from the page, the API or a row of the import sheet, checked by one rule.

public enum VentureColumn {
    public static let name = "项目名称"
    public static let leader = "负责人"
    public static let phone = "负责人手机号"
    public static let county = "所在县（市、区）"
    public static let sector = "所属领域"
    public static let founded = "成立时间"
    public static let jobs = "带动就业人数"
    public static let revenue = "营业收入区间"
    public static let description = "项目简介"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["项目", "创业项目名称", "创业项目"]),
        ColumnSpec(leader, aliases: ["负责人姓名", "项目负责人", "创业者"]),
        ColumnSpec(phone, aliases: ["手机号", "联系电话", "负责人电话", "手机号码"]),
        ColumnSpec(county, aliases: ["所在县", "县（市、区）", "所在县区", "项目所在地"]),
        ColumnSpec(sector, aliases: ["领域", "产业类别", "项目类别"]),
        ColumnSpec(founded, aliases: ["成立时间（年月）", "创办时间", "成立年月"], required: false),
        ColumnSpec(jobs, aliases: ["带动就业", "带动就业（人）", "吸纳就业人数"], required: false),
        ColumnSpec(revenue, aliases: ["年营业收入", "营业收入", "年收入区间"], required: false),
        ColumnSpec(description, aliases: ["简介", "项目介绍"], required: false),
    ]
}

public struct VentureEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let leaderName: String
    /// Eleven digits; stored sealed, shown masked.
    public let phone: String
    public let county: CountyRef
    public let sector: VentureSector
    /// "YYYY-MM", or empty.
    public let founded: String
    public let jobsCreated: Int
    public let revenueBand: String
    public let description: String

    public var phoneMasked: String { String(phone.prefix(3)) + "****" + String(phone.suffix(4)) }
}

extension ContestRules {
    public static let jobsLimit = 100_000

    /// A venture: name, leader and a mobile number, a Guangdong county, one of the sectors; founded (a month, not
    /// after the campaign's year) and jobs created (0–100,000) when given.
    public static func venture(_ input: RegisterInput, year: Int, counties: CountyMatcher) -> (VentureEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(VentureColumn.name, limit: 60, into: &problems)
        let leader = input.text(VentureColumn.leader, limit: 30, into: &problems)
        let revenue = input.text(VentureColumn.revenue, limit: 30, required: false, into: &problems)
        let description = input.text(VentureColumn.description, limit: 500, required: false, into: &problems)
        // The number is personal: the message never repeats it.
        let phone = TrainingRules.phone(input[VentureColumn.phone])
        if phone == nil { problems.append(RowProblem(row: input.row, column: VentureColumn.phone, message: "负责人手机号应为以1开头的11位数字")) }
        let county = PracticeRules.county(input, VentureColumn.county, counties, into: &problems)
        let sector = VentureSector(text: input[VentureColumn.sector])
        if sector == nil {
            problems.append(RowProblem(row: input.row, column: VentureColumn.sector,
                                       message: "所属领域请填写\(VentureSector.allCases.map { "“\($0.label)”" }.joined(separator: "、"))之一"))
        }
        let foundedText = input[VentureColumn.founded]
        let founded = foundedText.isEmpty ? "" : month(foundedText, notAfter: year)
        if founded == nil {
            problems.append(RowProblem(row: input.row, column: VentureColumn.founded, message: "成立时间“\(foundedText)”应为1950至\(year)年间的年月，请写成 2021-05"))
        }
        let jobs = input[VentureColumn.jobs].isEmpty ? 0
            : PracticeRules.count(input, VentureColumn.jobs, range: 0...jobsLimit, into: &problems)
        guard problems.isEmpty, let phone, let county, let sector, let founded, let jobs else { return (nil, problems) }
        return (VentureEntry(row: input.row, name: name, leaderName: leader, phone: phone, county: county, sector: sector,
                             founded: founded, jobsCreated: jobs, revenueBand: revenue, description: description), [])
    }

    /// "2021-05", "2021年5月", "2021.5", or a whole date → "2021-05".
    static func month(_ text: String, notAfter year: Int) -> String? {
        let parts: [Int]
        if let d = DateText.parse(text) { parts = [d.year, d.month] }
        else {
            var t = text
            if t.hasSuffix("月") { t.removeLast() }
            let pieces = t.split(whereSeparator: { "-./年".contains($0) }).map(String.init)
            guard pieces.count == 2, pieces.allSatisfy({ $0.count <= 4 && $0.allSatisfy(\.isASCIIDigit) }),
                  let y = Int(pieces[0]), let m = Int(pieces[1]) else { return nil }
            parts = [y, m]
        }
        guard (1950...year).contains(parts[0]), (1...12).contains(parts[1]) else { return nil }
        return "\(parts[0])-" + (parts[1] < 10 ? "0" : "") + "\(parts[1])"
    }

    /// The same venture (by name) twice in one file.
    public static func repeatedVentures(_ entries: [VentureEntry]) -> [RowProblem] {
        var first: [String: Int] = [:], out: [RowProblem] = []
        for e in entries {
            if let row = first[e.name] {
                out.append(RowProblem(row: e.row, column: VentureColumn.name, message: "项目“\(e.name)”与第\(row)行重复，请合并为一行"))
            } else { first[e.name] = e.row }
        }
        return out
    }
}
