// The 附件3 cells that need more than trimming: 开展时间, 覆盖人数, 报道链接 and the √ flags, read as offices type them.
import Foundation

/// A date or date range (开展时间). A single day has `start == end`.
public struct DateSpan: Sendable, Equatable, Codable {
    public var start: LocalDate
    public var end: LocalDate
    public init(start: LocalDate, end: LocalDate) { self.start = start; self.end = end }
    public init(day: LocalDate) { self.init(start: day, end: day) }
}

public enum ActivityDates {
    /// Parses 2022-07-15, 2022/7/15, 2022.7.15, 2022年7月15日, 7月15日, 7.15, Excel serials (44757), a month (7月),
    /// and ranges of these joined by - — – ~ 至 到 (7.15-7.20, 7月15日-20日, 2022.7.15—2022.7.20, 7.15至7.20).
    /// Dates without a year take `year`. Returns nil when the text is not a date; `warnings` flag guesses.
    /// Checking the year and the order of the ends is the caller's job, so it can name what is wrong.
    public static func parse(_ raw: String, year: Int) -> (span: DateSpan, warnings: [String])? {
        // A line break inside the cell (Alt+Enter in a narrow column) separates like a space.
        let text = withoutNotes(TextNormaliser.clean(raw).split(whereSeparator: \.isNewline).joined(separator: " "))
            .replacingOccurrences(of: "——", with: "—").replacingOccurrences(of: "〜", with: "~")
        guard !text.isEmpty else { return nil }
        var warnings: [String] = []
        if let span = part(text, year: year, after: nil, warnings: &warnings) { return (span, warnings) }
        // A range: try each separator position; the right end borrows the left's year (and month for a bare day).
        let chars = Array(text)
        for (i, ch) in chars.enumerated() where "-—–―~至到".contains(ch) && i > 0 && i < chars.count - 1 {
            var w: [String] = []
            guard let left = part(String(chars[..<i]), year: year, after: nil, warnings: &w),
                  let right = part(String(chars[(i + 1)...]), year: left.start.year, after: left.start, warnings: &w) else { continue }
            return (DateSpan(start: left.start, end: right.end), w)
        }
        return nil
    }

    /// What offices add around a date that says nothing about the day: `（周五）`, `(暂定)`, 上午, 晚上.
    static func withoutNotes(_ text: String) -> String {
        var out = ""
        var depth = 0
        for ch in text {
            if "(（【[".contains(ch) { depth += 1; continue }
            if ")）】]".contains(ch) { depth = max(0, depth - 1); continue }
            if depth == 0 { out.append(ch) }
        }
        for word in ["上午", "下午", "中午", "晚上", "早上", "傍晚", "全天"] { out = out.replacingOccurrences(of: word, with: "") }
        return TextNormaliser.trim(out)
    }

    /// The day of an Excel serial in the 1900 system (serial 60 is Lotus' phantom 1900-02-29, so later serials
    /// count from 1899-12-30). A time of day in the fraction is dropped.
    public static func excelSerial(_ serial: Int) -> LocalDate? {
        // 2,958,465 is 9999-12-31, Excel's last date; anything larger is not a date (and must not overflow).
        guard serial >= 1, serial <= 2_958_465 else { return nil }
        let base = LocalDate(year: 1899, month: 12, day: serial < 60 ? 31 : 30)!
        return serial == 60 ? nil : base.adding(days: serial)
    }

    private static func part(_ raw: String, year: Int, after context: LocalDate?, warnings: inout [String]) -> DateSpan? {
        let t = raw.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        let digitsAndDot = t.allSatisfy { $0.isASCIIDigit || $0 == "." }
        // A number cell in a date column is an Excel serial: 44757 or 44757.5. Five digits keep 7.15 and 2022 out.
        if digitsAndDot, let whole = t.split(separator: ".").first, whole.count == 5, t.filter({ $0 == "." }).count <= 1,
           let serial = Int(whole), let day = excelSerial(serial) {
            return DateSpan(day: day)
        }
        // 7.15 typed into a number cell may come back as 7.1500000000000004.
        var text = t
        if digitsAndDot, let dot = t.firstIndex(of: "."), t[t.index(after: dot)...].count > 2, t.filter({ $0 == "." }).count == 1,
           let value = Double(t) {
            text = String(format: "%.2f", value)
        }
        if let context, let d = Int(text.trimmingSuffix(["日", "号"])), let day = LocalDate(year: context.year, month: context.month, day: d) {
            return DateSpan(day: day)
        }
        if let span = month(text, year: year) {
            warnings.append("开展时间“\(raw)”只写了月份，已按\(span.start.iso)至\(span.end.iso)记录，请尽量写明具体日期")
            return span
        }
        guard looksLikeOneDate(text), let day = DateText.parse(text, defaultYear: year) else { return nil }
        // Excel drops the trailing zero of 7.10 / 7.20 / 7.30 typed into a number cell.
        let pieces = text.split(separator: ".")
        if pieces.count == 2, pieces[1].count == 1, ["1", "2", "3"].contains(pieces[1]) {
            warnings.append("开展时间“\(text)”已按\(day.month)月\(day.day)日记录；如果本意是\(day.month)月\(day.day)0日，是Excel把它当作数字去掉了末尾的0，请改正并把该列设为文本格式")
        }
        return DateSpan(day: day)
    }

    /// DateText reads any run of numbers between separators, so 7月-8月 would be 7月8日 and 2022-07-15至… its first day;
    /// one date must have one of these shapes before it is handed over.
    private static func looksLikeOneDate(_ t: String) -> Bool {
        if t.contains(where: { "年月日号".contains($0) }) {
            return t.wholeMatch(of: /(\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?/) != nil
        }
        return t.wholeMatch(of: /\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?/) != nil
            || t.wholeMatch(of: /\d{4}-\d{1,2}-\d{1,2}|\d{4}\/\d{1,2}\/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}|\d{1,2}[-\/.]\d{1,2}/) != nil
    }

    /// `7月`, `7月份`, `2022年7月` → the whole month.
    private static func month(_ text: String, year: Int) -> DateSpan? {
        var t = Substring(text.trimmingSuffix(["月份", "月"]))
        guard t.count < text.count else { return nil }
        var y = year
        if let r = t.range(of: "年") {
            guard let parsed = Int(t[..<r.lowerBound]), parsed >= 1900 else { return nil }
            y = parsed; t = t[r.upperBound...]
        }
        guard t.count <= 2, let m = Int(t), let first = LocalDate(year: y, month: m, day: 1) else { return nil }
        return DateSpan(start: first, end: LocalDate(year: y, month: m, day: LocalDate.daysInMonth(y, m))!)
    }
}

public enum ActivityFields {
    /// 覆盖人数: `1200`, `1,200`, `1200人`, `1200人次`, `1.2万`, `1200.0` (a number cell). Approximations
    /// (约1200, 1200余人, 1200多人, 1200+) are taken at the stated number with a warning. Fractions, negatives and text are refused.
    public static func coverage(_ raw: String) -> (value: Int?, problem: String?, warning: String?) {
        var t = TextNormaliser.clean(raw).replacingOccurrences(of: " ", with: "")
        let shown = t
        var approximate = false
        if t.hasPrefix("约") || t.hasPrefix("近") { t.removeFirst(); approximate = true }
        t = t.trimmingSuffix(["人次", "人", "名"])
        if t.hasSuffix("余") || t.hasSuffix("多") || t.hasSuffix("+") { t.removeLast(); approximate = true }
        var scale = 1.0
        if t.hasSuffix("万") { t.removeLast(); scale = 10_000 }
        if isThousands(t) { t = t.replacingOccurrences(of: ",", with: "") }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCIIDigit || $0 == "." || $0 == "-" }), let number = Double(t), number.isFinite else {
            return (nil, "覆盖人数“\(shown)”无法识别，请填写整数，如 1200", nil)
        }
        let value = number * scale
        if value < 0 { return (nil, "覆盖人数不能为负数（填写为“\(shown)”）", nil) }
        guard value == value.rounded(), value < 100_000_000 else {
            return (nil, "覆盖人数须为整数，“\(shown)”不是整数", nil)
        }
        return (Int(value), nil, approximate ? "覆盖人数“\(shown)”是约数，已按\(Int(value))记录" : nil)
    }

    /// `1,200` or `12,345,678`: commas only as thousands separators, never `12,5`.
    private static func isThousands(_ t: String) -> Bool {
        let groups = t.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count) else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    /// 报道链接: several URLs separated by line breaks, spaces, commas, 、 or ；. Only http(s) URLs with a host are
    /// kept: javascript:, data:, ftp: and text around a URL are refused, since links are shown as clickable hrefs.
    public static func links(_ raw: String) -> (links: [String], refused: [String], labelled: [String]) {
        let separators = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ",，、；;\u{3000}"))
        var links: [String] = [], refused: [String] = [], labelled: [String] = []
        for piece in raw.components(separatedBy: separators) where !piece.isEmpty {
            var link = TextNormaliser.clean(piece)
            if !isWebLink(link), let url = labelledLink(link) { labelled.append(link); link = url }
            if isWebLink(link) { if !links.contains(link) { links.append(link) } } else { refused.append(link) }
        }
        return (links, refused, labelled)
    }

    /// `韶关发布：https://…`: a label in Chinese before the URL. Only a label without Latin letters is taken off,
    /// so nothing like `javascript:https://…` slips through.
    private static func labelledLink(_ text: String) -> String? {
        let lower = text.lowercased()
        guard let start = [lower.range(of: "https://"), lower.range(of: "http://")].compactMap({ $0 }).map(\.lowerBound).min(),
              start > lower.startIndex else { return nil }
        let offset = lower.distance(from: lower.startIndex, to: start)
        let label = text.prefix(offset)
        guard !label.unicodeScalars.contains(where: { $0.isASCII && $0.properties.isAlphabetic }) else { return nil }
        return String(text.dropFirst(offset))
    }

    public static func isWebLink(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }), text.count <= 2000 else { return false }
        let rest = text.dropFirst(scheme.count)
        let host = rest.prefix { !"/?#".contains($0) }
        let forbidden = CharacterSet(charactersIn: "<>\"'`\\{}|^").union(.controlCharacters).union(.whitespaces)
        guard !host.isEmpty, !host.hasPrefix("."), !host.hasPrefix("@"),
              host.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || ".-:[]@_".unicodeScalars.contains($0) }),
              text.unicodeScalars.allSatisfy({ !forbidden.contains($0) }) else { return false }
        return true
    }

    /// The √ columns (重点宣传项目, 示范活动): empty means no. nil when the cell holds something else.
    public static func flag(_ raw: String) -> Bool? {
        switch TextNormaliser.clean(raw).uppercased() {
        case "√", "✓", "✔", "☑", "✅", "是", "Y", "YES", "1", "TRUE", "对", "V": return true
        case "", "否", "N", "NO", "0", "FALSE", "×", "✗", "✕", "无", "-", "—", "/": return false
        default: return nil
        }
    }
}

extension String {
    /// The string without the first of `suffixes` it ends with.
    func trimmingSuffix(_ suffixes: [String]) -> String {
        for s in suffixes where hasSuffix(s) { return String(dropLast(s.count)) }
        return self
    }
}
