// Item 8, 健康直通车: a village check's line (the person, measurements, a finding, a referral) and the rule that
// a finding is followed up every 30 days until closed. What a check finds is health data: sealed by the app,
// shown only with the permission; the messages here never repeat it.
import Foundation

public enum HealthColumn {
    public static let name = "姓名"
    public static let idNumber = "身份证号"
    public static let height = "身高（厘米）"
    public static let weight = "体重（千克）"
    public static let visionLeft = "左眼视力"
    public static let visionRight = "右眼视力"
    public static let dental = "口腔"
    public static let other = "其他检查"
    public static let finding = "检查发现"
    public static let referralHospital = "转诊医院"
    public static let referralDate = "转诊日期"
    public static let consent = "监护人同意"
    public static let consentDate = "同意日期"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(name, aliases: ["受检者姓名", "学生姓名"]),
        ColumnSpec(idNumber, aliases: ["身份证号码", "公民身份号码"]),
        ColumnSpec(height, aliases: ["身高", "身高(cm)", "身高（cm）"], required: false),
        ColumnSpec(weight, aliases: ["体重", "体重(kg)", "体重（kg）"], required: false),
        ColumnSpec(visionLeft, aliases: ["视力（左）", "视力左", "左眼"], required: false),
        ColumnSpec(visionRight, aliases: ["视力（右）", "视力右", "右眼"], required: false),
        ColumnSpec(dental, aliases: ["口腔检查", "牙齿"], required: false),
        ColumnSpec(other, aliases: ["其他"], required: false),
        ColumnSpec(finding, aliases: ["发现问题", "检查结果", "异常情况"], required: false),
        ColumnSpec(referralHospital, aliases: ["转诊机构", "转介医院"], required: false),
        ColumnSpec(referralDate, aliases: ["转诊时间"], required: false),
        ColumnSpec(consent, aliases: ["监护人是否同意", "知情同意"], required: false),
        ColumnSpec(consentDate, aliases: ["监护人同意日期"], required: false),
    ]
}

/// The measurements as recorded (height cm, weight kg to one decimal, vision on the 5-point scale or as a decimal).
public struct HealthMeasurements: Sendable, Equatable, Codable {
    public var heightCm: Double?
    public var weightKg: Double?
    public var visionLeft: String
    public var visionRight: String
    public var dental: String
    public var other: String
    public init(heightCm: Double? = nil, weightKg: Double? = nil, visionLeft: String = "", visionRight: String = "", dental: String = "", other: String = "") {
        self.heightCm = heightCm; self.weightKg = weightKg; self.visionLeft = visionLeft; self.visionRight = visionRight; self.dental = dental; self.other = other
    }

    /// Body-mass index to one decimal, when both are known.
    public var bmi: Double? {
        guard let h = heightCm, let w = weightKg, h > 0 else { return nil }
        return (w / (h / 100 * h / 100) * 10).rounded() / 10
    }
}

/// A guardian's consent for a child under 14 (any register that holds one): given or not, and when.
public struct GuardianConsent: Sendable, Equatable {
    public let given: Bool
    public let on: LocalDate?
    public init(given: Bool, on: LocalDate?) { self.given = given; self.on = on }
    public static let age = RosterRules.consentAge
    /// A child under 14 whose guardian has not consented (or not recorded when) is a gap the boards list.
    public static func isGap(age: Int, given: Bool, on: LocalDate?) -> Bool { age < Self.age && !(given && on != nil) }
}

public struct HealthCheckEntry: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let id: IDNumber
    public let measurements: HealthMeasurements
    /// Empty when nothing was found.
    public let finding: String
    public let referralHospital: String
    public let referralDate: LocalDate?
    public let consent: GuardianConsent
    public var hasFinding: Bool { !finding.isEmpty }
}

public enum HealthRules {
    /// A finding is followed up within this many days, and again within as many after each follow-up, until closed.
    public static let followUpDays = 30

    public static func step(hasFinding: Bool, days: Int = followUpDays) -> RequiredStep? { hasFinding ? .days(days, .repeating) : nil }

    /// The next follow-up's date, by the kernel: nil when nothing was found or the finding is closed.
    public static func due(checked: LocalDate, followUps: [LocalDate], hasFinding: Bool, closed: Bool, days: Int = followUpDays) -> LocalDate? {
        CaseKernel.nextDue(opened: checked.startInstant, steps: followUps.map(\.startInstant), rule: step(hasFinding: hasFinding, days: days), closed: closed)
            .map { LocalDate(instant: $0) }
    }

    /// Words that mean "nothing found".
    static let nothing: Set<String> = ["无", "无异常", "未见异常", "正常", "无明显异常", "-", "—", "/"]

    public static func check(_ input: RegisterInput, visitDate: LocalDate, today: LocalDate) -> (HealthCheckEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        func problem(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }
        let name = input.text(HealthColumn.name, limit: 30, into: &problems)
        var id: IDNumber?
        switch IDNumber.parse(input.typed(HealthColumn.idNumber), today: today) {
        case .success(let parsed): id = parsed
        case .failure(let p): problem(HealthColumn.idNumber, "受检者" + p.message)
        }
        func number(_ column: String, _ range: ClosedRange<Double>, _ unit: String) -> Double? {
            var t = input[column]
            for suffix in ["cm", "厘米", "kg", "千克", "公斤"] where t.lowercased().hasSuffix(suffix) { t = String(t.dropLast(suffix.count)) }
            if t.isEmpty { return nil }
            guard t.count <= 8, let v = Double(t), v.isFinite, range.contains(v) else {
                problem(column, "“\(column)”应为\(Int(range.lowerBound))至\(Int(range.upperBound))之间的数（\(unit)）"); return nil
            }
            return (v * 10).rounded() / 10
        }
        let height = number(HealthColumn.height, 40...230, "厘米")
        let weight = number(HealthColumn.weight, 2...200, "千克")
        func vision(_ column: String) -> String {
            let t = input[column]
            if t.isEmpty { return "" }
            // The 5-point scale (3.0–5.3) or a decimal (0.01–2.0).
            guard t.count <= 5, let v = Double(t), (0.01...2.0).contains(v) || (3.0...5.3).contains(v) else {
                problem(column, "“\(column)”应写成五分记录（如4.8）或小数记录（如0.6）"); return ""
            }
            return t
        }
        let left = vision(HealthColumn.visionLeft), right = vision(HealthColumn.visionRight)
        let dental = input.text(HealthColumn.dental, limit: 60, required: false, into: &problems)
        let other = input.text(HealthColumn.other, limit: 200, required: false, into: &problems)
        var finding = input.text(HealthColumn.finding, limit: 500, required: false, into: &problems)
        if nothing.contains(finding) { finding = "" }
        let hospital = input.text(HealthColumn.referralHospital, limit: 60, required: false, into: &problems)
        let referral = input.date(HealthColumn.referralDate, required: false, into: &problems)
        if let r = referral, r < visitDate || r > today { problem(HealthColumn.referralDate, "转诊日期应在检查日期（\(visitDate.iso)）之后，且不晚于今天") }
        if referral != nil && hospital.isEmpty { problem(HealthColumn.referralHospital, "有转诊日期时请填写转诊医院") }
        let consentText = input[HealthColumn.consent]
        let given = ["是", "同意", "已同意", "yes", "true", "1"].contains(consentText.lowercased())
        if !consentText.isEmpty && !given && !["否", "不同意", "未同意", "no", "false", "0"].contains(consentText.lowercased()) {
            problem(HealthColumn.consent, "“监护人同意”请填写“是”或“否”")
        }
        let consentOn = input.date(HealthColumn.consentDate, required: false, into: &problems)
        if let c = consentOn, c > today { problem(HealthColumn.consentDate, "同意日期不能晚于今天") }
        guard problems.isEmpty, let id else { return (nil, problems) }
        return (HealthCheckEntry(row: input.row, name: name, id: id,
                                 measurements: HealthMeasurements(heightCm: height, weightKg: weight, visionLeft: left, visionRight: right, dental: dental, other: other),
                                 finding: finding, referralHospital: hospital, referralDate: referral, consent: GuardianConsent(given: given, on: given ? consentOn : nil)), [])
    }

    /// The same person twice in one visit's sheet.
    public static func repeated(_ entries: [HealthCheckEntry]) -> [RowProblem] {
        var first: [String: Int] = [:], out: [RowProblem] = []
        for e in entries {
            if let row = first[e.id.value] { out.append(RowProblem(row: e.row, column: HealthColumn.idNumber, message: "与第\(row)行是同一人，请合并为一行")) }
            else { first[e.id.value] = e.row }
        }
        return out
    }
}
