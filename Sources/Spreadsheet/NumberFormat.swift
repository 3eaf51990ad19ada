// Number formats: which ones show dates, and Excel serial numbers to calendar dates (1900 and 1904 systems).

enum DateKind: UInt8, Sendable { case none, date, time, dateTime }

enum NumberFormat {
    /// Built-in format codes by id, including the zh-CN locale ids (27–36, 50–58) Chinese Excel/WPS write undeclared.
    static func builtin(_ id: Int) -> String? {
        switch id {
        case 0: return "General"
        case 1: return "0"
        case 2: return "0.00"
        case 3: return "#,##0"
        case 4: return "#,##0.00"
        case 9: return "0%"
        case 10: return "0.00%"
        case 11: return "0.00E+00"
        case 12: return "# ?/?"
        case 13: return "# ??/??"
        case 14: return "mm-dd-yy"
        case 15: return "d-mmm-yy"
        case 16: return "d-mmm"
        case 17: return "mmm-yy"
        case 18: return "h:mm AM/PM"
        case 19: return "h:mm:ss AM/PM"
        case 20: return "h:mm"
        case 21: return "h:mm:ss"
        case 22: return "m/d/yy h:mm"
        case 27, 36, 50, 57: return "yyyy\"年\"m\"月\""
        case 28, 29, 51, 53, 54, 58: return "m\"月\"d\"日\""
        case 30: return "m-d-yy"
        case 31: return "yyyy\"年\"m\"月\"d\"日\""
        case 32: return "h\"时\"mm\"分\""
        case 33: return "h\"时\"mm\"分\"ss\"秒\""
        case 34, 55: return "上午/下午h\"时\"mm\"分\""
        case 35, 56: return "上午/下午h\"时\"mm\"分\"ss\"秒\""
        case 37: return "#,##0 ;(#,##0)"
        case 38: return "#,##0 ;[Red](#,##0)"
        case 39: return "#,##0.00;(#,##0.00)"
        case 40: return "#,##0.00;[Red](#,##0.00)"
        case 45: return "mm:ss"
        case 46: return "[h]:mm:ss"
        case 47: return "mmss.0"
        case 48: return "##0.0E+0"
        case 49: return "@"
        case 52: return "yyyy\"年\"m\"月\""
        default: return nil
        }
    }

    /// Whether a format code displays a date, a time, or both (first section only).
    static func classify(_ code: String) -> DateKind {
        var date = false, time = false, month = false
        var it = Array(code.utf8)[...]
        while let c = it.popFirst() {
            switch c {
            case UInt8(ascii: ";"): it = []
            case UInt8(ascii: "\""):
                while let d = it.popFirst(), d != UInt8(ascii: "\"") {}
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                _ = it.popFirst()
            case UInt8(ascii: "["):
                var inner: [UInt8] = []
                while let d = it.popFirst(), d != UInt8(ascii: "]") { inner.append(d | 0x20) }
                if !inner.isEmpty && inner.allSatisfy({ $0 == UInt8(ascii: "h") || $0 == UInt8(ascii: "m") || $0 == UInt8(ascii: "s") }) {
                    time = true
                }
            default:
                switch c | 0x20 {
                case UInt8(ascii: "y"), UInt8(ascii: "d"): date = true
                case UInt8(ascii: "h"), UInt8(ascii: "s"): time = true
                case UInt8(ascii: "m"): month = true
                case UInt8(ascii: "a"):
                    // AM/PM and A/P mark a time; skip them so their 'm' is not read as a month.
                    let rest = Array(it.prefix(4)).map { $0 | 0x20 }
                    if rest.starts(with: Array("m/pm".utf8)) { it = it.dropFirst(4); time = true }
                    else if rest.starts(with: Array("/p".utf8)) { it = it.dropFirst(2); time = true }
                default: break
                }
            }
        }
        if month && !time { date = true }
        switch (date, time) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        default: return .none
        }
    }

    /// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Converts an Excel serial to a date as Excel displays it; nil outside Excel's range.
    /// 1900 system: serial 1 = 1900-01-01 and serial 60 = the phantom 1900-02-29 of Lotus' leap-year bug.
    static func date(serial: Double, date1904: Bool, kind: DateKind) -> DateTimeValue? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }
        var whole = Int(serial.rounded(.down))
        var secs = Int(((serial - Double(whole)) * 86_400).rounded())
        if secs >= 86_400 { secs -= 86_400; whole += 1 }
        let (h, mi, s) = (secs / 3600, secs % 3600 / 60, secs % 60)
        let timeOnly = kind == .time && whole == 0
        if date1904 {
            let (y, m, d) = civilFromDays(daysFromCivil(1904, 1, 1) + whole)
            return DateTimeValue(year: y, month: m, day: d, hour: h, minute: mi, second: s, isTimeOnly: timeOnly)
        }
        if whole == 60 {
            return DateTimeValue(year: 1900, month: 2, day: 29, hour: h, minute: mi, second: s, isTimeOnly: timeOnly)
        }
        let base = whole < 60 ? daysFromCivil(1899, 12, 31) : daysFromCivil(1899, 12, 30)
        let (y, m, d) = civilFromDays(base + whole)
        return DateTimeValue(year: y, month: m, day: d, hour: h, minute: mi, second: s, isTimeOnly: timeOnly)
    }

    /// The 1900-system serial of a date (for the writer).
    static func serial(year: Int, month: Int, day: Int) -> Int {
        let n = daysFromCivil(year, month, day) - daysFromCivil(1899, 12, 30)
        return n < 61 ? n - 1 : n
    }
}
