// The campaign's tutoring period and its Monday–Sunday weeks, the unit the weekly rule counts in.

/// One Monday–Sunday week, named by its Monday (the API's `weekStart`).
public struct TutoringWeek: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let start: LocalDate

    /// The week that contains `date` (any day of it, as in `?week=2022-07-20`).
    public init(containing date: LocalDate) { start = date.weekStart }

    /// The Sunday that ends it.
    public var end: LocalDate { start.adding(days: 6) }
    public func contains(_ date: LocalDate) -> Bool { start <= date && date <= end }
    public var next: TutoringWeek { TutoringWeek(containing: start.adding(days: 7)) }
    public var description: String { start.iso }

    public static func < (a: TutoringWeek, b: TutoringWeek) -> Bool { a.start < b.start }

    public init(from decoder: Decoder) throws { self.init(containing: try LocalDate(from: decoder)) }
    public func encode(to encoder: Encoder) throws { try start.encode(to: encoder) }
}

/// The span in which sessions may be logged and weeks are counted (default 07-01 … 12-31, editable by the province).
public struct TutoringPeriod: Sendable, Equatable, Codable {
    public var start: LocalDate
    public var end: LocalDate

    public init(start: LocalDate, end: LocalDate) { self.start = start; self.end = end }

    /// The week a weekly board opens on: this week while the period runs, its first week before it starts, its last
    /// week once it is over.
    public func boardWeek(today: LocalDate) -> TutoringWeek {
        TutoringWeek(containing: min(max(today, start), end))
    }

    /// The default of issue 5: 1 July to 31 December of the campaign year.
    public static func standard(year: Int) -> TutoringPeriod {
        TutoringPeriod(start: LocalDate(year: year, month: 7, day: 1)!, end: LocalDate(year: year, month: 12, day: 31)!)
    }

    /// Problems with an edited period, in Chinese; empty when it is usable.
    /// What is wrong with the period of campaign `year`: it starts in that year and ends within the next one.
    public func problems(year: Int? = nil) -> [String] {
        var out: [String] = []
        if let year {
            if start.year != year { out.append("支教期开始日期（\(start.iso)）应在\(year)年内") }
            if end.year < year || end.year > year + 1 { out.append("支教期结束日期（\(end.iso)）应在\(year)年或\(year + 1)年内") }
        }
        if end < start { out.append("支教期结束日期（\(end.iso)）不能早于开始日期（\(start.iso)）") }
        return out
    }

    public func contains(_ date: LocalDate) -> Bool { start <= date && date <= end }

    /// Every week that has at least one day in the period: the first contains `start`, the last contains `end`.
    /// Weeks straddling either edge count as whole weeks (the rule asks for 1 session / 60 minutes in them too),
    /// but only their days inside the period can hold sessions, because sessions outside it are refused.
    public var weeks: [TutoringWeek] {
        guard start <= end else { return [] }
        var out: [TutoringWeek] = []
        var week = TutoringWeek(containing: start)
        while week.start <= end { out.append(week); week = week.next }
        return out
    }

    /// The week of `date`, or nil when the date lies outside the period.
    public func week(containing date: LocalDate) -> TutoringWeek? {
        contains(date) ? TutoringWeek(containing: date) : nil
    }

    /// The last day of `week` on which a session can count: its Sunday, or the period's end if earlier.
    /// Once this day is past, nothing more can be logged for the week, so the week is closed.
    public func lastDay(of week: TutoringWeek) -> LocalDate { min(week.end, end) }
}
