// Work item 3 (issue 12): 希望乡村教师计划 — a volunteer teacher posted to a school in 粤东西北 for 1 to 3 years,
// relayed by the next so the school is never left without its teacher. The rules of one posting, and a school's
// coverage: gaps longer than 31 days (school holidays not counted) and relays falling due.
import Foundation

public enum DeploymentProgramme: String, Sendable, CaseIterable, Codable {
    case mountain, graduate

    public var label: String { self == .mountain ? "山区计划" : "研究生支教团" }

    /// By code or by its Chinese name as offices write it.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let p = Self(rawValue: t.lowercased()) { self = p; return }
        if t.contains("研究生") { self = .graduate } else if t.contains("山区") || t.contains("希望乡村教师") { self = .mountain } else { return nil }
    }
}

public enum DeploymentRules {
    /// The regions a posting may go to (the divisions' region column).
    public static let regions: Set<String> = ["粤东", "粤西", "粤北"]

    /// A date `years` later on the same month and day (29 February becomes 28 February in a common year).
    public static func adding(years: Int, to date: LocalDate) -> LocalDate {
        let year = date.year + years
        return LocalDate(year: year, month: date.month, day: min(date.day, LocalDate.daysInMonth(year, date.month)))!
    }

    /// What is wrong with a term, in Chinese: it runs from 1 year (end ≥ start + 1 year − 1 day) to 3 years
    /// (end ≤ start + 3 years).
    public static func termProblems(start: LocalDate, end: LocalDate) -> [String] {
        guard start <= end else { return ["结束日期不能早于开始日期"] }
        let shortest = adding(years: 1, to: start).adding(days: -1), longest = adding(years: 3, to: start)
        if end < shortest { return ["任期至少1年：\(start.iso)开始的派驻，结束日期不能早于\(shortest.iso)"] }
        if end > longest { return ["任期最长3年：\(start.iso)开始的派驻，结束日期不能晚于\(longest.iso)"] }
        return []
    }

    /// The county must lie in 粤东、粤西 or 粤北.
    public static func regionProblem(_ region: String) -> String? {
        regions.contains(region) ? nil : "希望乡村教师计划派驻粤东西北地区，该县（市、区）属于\(region.isEmpty ? "其他地区" : region)"
    }

    /// One volunteer is not posted to two schools at once: true when the two terms share a day.
    public static func overlap(_ a: ClosedRange<LocalDate>, _ b: ClosedRange<LocalDate>) -> Bool {
        a.lowerBound <= b.upperBound && b.lowerBound <= a.upperBound
    }
}

/// A school's coverage by its deployments (each from its start to its end, an early end if one was recorded).
public struct SchoolCoverage: Sendable, Equatable {
    public struct Gap: Sendable, Equatable, Codable {
        public let from: LocalDate
        public let to: LocalDate
        /// Days without a teacher, school holidays not counted.
        public let days: Int
        public init(from: LocalDate, to: LocalDate, days: Int) { self.from = from; self.to = to; self.days = days }
    }

    /// A span longer than this (in counted days) is a gap.
    public static let gapDays = 31
    /// A relay is due when the last deployment ends within this many days after the as-of date.
    public static let relayWindowDays = 90

    public let gaps: [Gap]
    public let relayDue: Bool

    /// `asOf`: the day the coverage is read on; spans after it are not yet gaps.
    public init(terms: [ClosedRange<LocalDate>], asOf: LocalDate) {
        let sorted = terms.sorted { $0.lowerBound < $1.lowerBound }
        var gaps: [Gap] = []
        var coveredUntil: LocalDate?
        for term in sorted {
            if let until = coveredUntil, term.lowerBound > until.adding(days: 1) {
                let from = until.adding(days: 1), to = min(term.lowerBound.adding(days: -1), asOf)
                if from <= to {
                    let days = Self.countedDays(from: from, to: to)
                    if days > Self.gapDays { gaps.append(Gap(from: from, to: to, days: days)) }
                }
            }
            coveredUntil = max(coveredUntil ?? term.upperBound, term.upperBound)
        }
        // After the last deployment, up to the as-of date: the school is without its teacher now.
        if let until = coveredUntil, until < asOf {
            let from = until.adding(days: 1)
            let days = Self.countedDays(from: from, to: asOf)
            if days > Self.gapDays { gaps.append(Gap(from: from, to: asOf, days: days)) }
        }
        self.gaps = gaps
        self.relayDue = coveredUntil.map { $0 >= asOf && $0 <= asOf.adding(days: Self.relayWindowDays) } ?? false
    }

    /// School holidays (07-10…08-31, 01-20…02-20) are not days without a teacher.
    public static func isHoliday(_ d: LocalDate) -> Bool {
        let md = d.month * 100 + d.day
        return (710...831).contains(md) || (120...220).contains(md)
    }

    public static func countedDays(from: LocalDate, to: LocalDate) -> Int {
        guard from <= to else { return 0 }
        return (from.dayNumber...to.dayNumber).reduce(0) { $0 + (isHoliday(LocalDate(dayNumber: $1)) ? 0 : 1) }
    }
}
