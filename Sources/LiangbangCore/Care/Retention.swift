// PIPL operations: when a campaign is over (and so its records may be erased on request without `--force`), and
// when its personal fields are past retention (`LIANGBANG_RETENTION_YEARS` after it ended).

public enum Retention {
    public static let defaultYears = 3
    /// What anonymised names and masked numbers read.
    public static let erased = "（已删除）"

    /// A campaign ends on 31 December of its year, or on its last scheduled date if that is later.
    public static func end(year: Int, lastDates: [LocalDate]) -> LocalDate {
        max(LocalDate(year: year, month: 12, day: 31)!, lastDates.max() ?? LocalDate(year: year, month: 12, day: 31)!)
    }

    public static func isOpen(end: LocalDate, today: LocalDate) -> Bool { today <= end }

    /// Past retention: more than `years` whole years after the campaign ended.
    public static func expired(end: LocalDate, years: Int, today: LocalDate) -> Bool {
        let limit = LocalDate(year: end.year + years, month: end.month, day: end.day) ?? LocalDate(year: end.year + years, month: end.month, day: 28)!
        return today > limit
    }
}
