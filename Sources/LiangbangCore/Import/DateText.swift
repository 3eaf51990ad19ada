// Dates as offices type them: 2022-07-15, 2022/7/15, 2022.7.15, 2022年7月15日, and (with a default year) 7月15日, 7.15.

public enum DateText {
    public static func parse(_ raw: String, defaultYear: Int? = nil) -> LocalDate? {
        let text = TextNormaliser.clean(raw)
        if text.isEmpty { return nil }
        if let iso = LocalDate(iso: text) { return iso }
        // ISO date-time as our spreadsheet reader renders date cells: 2022-07-15T00:00:00 or 2022-07-15 00:00:00
        if text.count > 10, let iso = LocalDate(iso: String(text.prefix(10))) { return iso }
        var numbers: [Int] = []
        var current = ""
        for ch in text {
            if ch.isASCIIDigit {
                // No part of a date has more than 4 digits; a longer run (9223372036854775808) is not a date and
                // must not reach Int(), which has no room for it.
                guard current.count < 4 else { return nil }
                current.append(ch)
            } else if "-/.年月日号 ".contains(ch) {
                if !current.isEmpty { numbers.append(Int(current) ?? 0); current = "" }
            } else { return nil }
        }
        if !current.isEmpty { numbers.append(Int(current) ?? 0) }
        switch numbers.count {
        case 3 where numbers[0] >= 1900: return LocalDate(year: numbers[0], month: numbers[1], day: numbers[2])
        case 2 where defaultYear != nil: return LocalDate(year: defaultYear!, month: numbers[0], day: numbers[1])
        default: return nil
        }
    }
}
