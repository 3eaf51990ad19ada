// The notice's rule for cloud tutoring: every paired pupil, every week, ≥ 1 session and ≥ 1 hour,
// counted over all of the pupil's volunteers together (一对一 and 多对一 alike).

/// One logged session as the rule sees it. A session belongs to the Shanghai date on which it starts,
/// so a session at 23:30 on Sunday counts for that week even when it runs past midnight.
public struct TutoringSessionFact: Sendable, Equatable {
    public var pupilKey: String
    public var date: LocalDate
    /// Minutes after midnight; not used by the rule, kept for duplicate checks and display.
    public var startMinute: Int?
    public var minutes: Int

    public init(pupilKey: String, date: LocalDate, startMinute: Int? = nil, minutes: Int) {
        self.pupilKey = pupilKey; self.date = date; self.startMinute = startMinute; self.minutes = minutes
    }
}

/// One pairing (pupil ↔ volunteer). A pupil with several volunteers has several spans; `merged` makes one per pupil.
public struct PairingSpan: Sendable, Equatable {
    public var pupilKey: String
    /// The roster's start date, or the period start when the roster gives none.
    public var start: LocalDate
    /// Last day of a dissolved pairing; nil while it lasts.
    public var end: LocalDate?

    public init(pupilKey: String, start: LocalDate, end: LocalDate? = nil) {
        self.pupilKey = pupilKey; self.start = start; self.end = end
    }

    /// One span per pupil: the earliest start of its pairings, and an end only when every pairing has ended.
    public static func merged(_ spans: [PairingSpan]) -> [String: PairingSpan] {
        var out: [String: PairingSpan] = [:]
        for s in spans {
            guard var m = out[s.pupilKey] else { out[s.pupilKey] = s; continue }
            m.start = min(m.start, s.start)
            if let a = m.end, let b = s.end { m.end = max(a, b) } else { m.end = nil }
            out[s.pupilKey] = m
        }
        return out
    }
}

/// A pupil's tally for one week.
public struct WeekStatus: Sendable, Equatable, Codable {
    public let week: TutoringWeek
    public let sessions: Int
    public let minutes: Int

    public init(week: TutoringWeek, sessions: Int, minutes: Int) {
        self.week = week; self.sessions = sessions; self.minutes = minutes
    }

    public var compliant: Bool { sessions >= WeeklyRule.minimumSessions && minutes >= WeeklyRule.minimumMinutes }
    /// What the volunteer page shows as "still needed"; 60 when nothing was logged.
    public var missingMinutes: Int { max(0, WeeklyRule.minimumMinutes - minutes) }
}

/// Compliance of one week over the pupils due in it.
public struct WeekSummary: Sendable, Equatable, Codable {
    public let week: TutoringWeek
    public let pupils: Int
    public let compliant: Int
    /// True when the week's last loggable day is before `asOf`: its figures can no longer change.
    public let closed: Bool

    public init(week: TutoringWeek, pupils: Int, compliant: Int, closed: Bool) {
        self.week = week; self.pupils = pupils; self.compliant = compliant; self.closed = closed
    }

    public var rate: Double? { pupils == 0 ? nil : Double(compliant) / Double(pupils) }
}

public struct ComplianceSummary: Sendable, Equatable, Codable {
    /// From the period's first week to the week containing `asOf` (or the last week), the current week included.
    public let weeks: [WeekSummary]
    /// Pupil-weeks of closed weeks only: counting the running week would pull the rate down every Monday.
    public let pupilWeeks: Int
    public let compliantPupilWeeks: Int

    public init(weeks: [WeekSummary], pupilWeeks: Int, compliantPupilWeeks: Int) {
        self.weeks = weeks; self.pupilWeeks = pupilWeeks; self.compliantPupilWeeks = compliantPupilWeeks
    }

    public var rate: Double? { pupilWeeks == 0 ? nil : Double(compliantPupilWeeks) / Double(pupilWeeks) }
}

public enum WeeklyRule {
    public static let minimumSessions = 1
    public static let minimumMinutes = 60

    /// A pupil's tally for the week containing `week`. Sessions of other pupils, other weeks,
    /// and (when `period` is given) dates outside the period are ignored.
    public static func status(pupil: String, sessions: [TutoringSessionFact], week: LocalDate,
                              period: TutoringPeriod? = nil) -> WeekStatus {
        let w = TutoringWeek(containing: week)
        var count = 0, minutes = 0
        for s in sessions where s.pupilKey == pupil && w.contains(s.date) && (period?.contains(s.date) ?? true) {
            count += 1; minutes += s.minutes
        }
        return WeekStatus(week: w, sessions: count, minutes: minutes)
    }

    /// The pupil's first counted week: the one containing its pairing start (or the period start if later).
    /// A pairing starting on a Thursday therefore owes its 60 minutes in that same week; weeks before it never count.
    public static func firstWeek(of span: PairingSpan, in period: TutoringPeriod) -> TutoringWeek? {
        let from = max(span.start, period.start)
        guard from <= min(span.end ?? period.end, period.end) else { return nil }
        return TutoringWeek(containing: from)
    }

    /// The pupil's last counted week: the one containing the pairing's end (or the period's end).
    public static func lastWeek(of span: PairingSpan, in period: TutoringPeriod) -> TutoringWeek? {
        guard firstWeek(of: span, in: period) != nil else { return nil }
        return TutoringWeek(containing: min(span.end ?? period.end, period.end))
    }

    /// Whether the rule applies to this pupil in the week containing `week`.
    public static func isDue(_ span: PairingSpan, week: LocalDate, period: TutoringPeriod) -> Bool {
        guard let first = firstWeek(of: span, in: period), let last = lastWeek(of: span, in: period) else { return false }
        let w = TutoringWeek(containing: week)
        return first <= w && w <= last
    }

    /// The status of every pupil due in the week containing `week`, keyed by pupil (the board's "missing" list
    /// is the non-compliant ones; the volunteer page shows its own pupils).
    public static func statuses(spans: [PairingSpan], sessions: [TutoringSessionFact], week: LocalDate,
                                period: TutoringPeriod) -> [String: WeekStatus] {
        let w = TutoringWeek(containing: week)
        var tally: [String: (Int, Int)] = [:]
        for (key, span) in PairingSpan.merged(spans) where isDue(span, week: week, period: period) { tally[key] = (0, 0) }
        for s in sessions where w.contains(s.date) && period.contains(s.date) {
            guard let t = tally[s.pupilKey] else { continue }
            tally[s.pupilKey] = (t.0 + 1, t.1 + s.minutes)
        }
        return tally.mapValues { WeekStatus(week: w, sessions: $0.0, minutes: $0.1) }
    }

    /// Weekly and whole-period compliance as it stood on `asOf`: only sessions dated on or before `asOf` count,
    /// weeks after the one containing `asOf` are left out, and the whole-period rate uses closed weeks only.
    /// One pass over the sessions, then one over pupils × weeks: fit for a province's 50,000 pupils in memory.
    public static func summary(spans: [PairingSpan], sessions: [TutoringSessionFact], period: TutoringPeriod,
                               asOf: LocalDate) -> ComplianceSummary {
        let weeks = period.weeks.filter { $0.start <= asOf }
        guard let firstMonday = weeks.first?.start.dayNumber else {
            return ComplianceSummary(weeks: [], pupilWeeks: 0, compliantPupilWeeks: 0)
        }
        let pupils = Array(PairingSpan.merged(spans).values)
        var index: [String: Int] = [:]
        index.reserveCapacity(pupils.count)
        for (i, p) in pupils.enumerated() { index[p.pupilKey] = i }

        let n = weeks.count
        var counts = [Int](repeating: 0, count: pupils.count * n)
        var minutes = [Int](repeating: 0, count: pupils.count * n)
        for s in sessions where s.date <= asOf && period.contains(s.date) {
            guard let p = index[s.pupilKey] else { continue }
            let w = (s.date.dayNumber - firstMonday) / 7
            guard w < n else { continue }
            counts[p * n + w] += 1
            minutes[p * n + w] += s.minutes
        }

        var due = [Int](repeating: 0, count: n), ok = [Int](repeating: 0, count: n)
        for (p, span) in pupils.enumerated() {
            guard let first = firstWeek(of: span, in: period), let last = lastWeek(of: span, in: period) else { continue }
            let from = (first.start.dayNumber - firstMonday) / 7
            let to = min(n - 1, (last.start.dayNumber - firstMonday) / 7)
            guard from <= to else { continue }
            for w in from...to {
                due[w] += 1
                if counts[p * n + w] >= minimumSessions && minutes[p * n + w] >= minimumMinutes { ok[w] += 1 }
            }
        }

        var summaries: [WeekSummary] = []
        var total = 0, compliant = 0
        for (w, week) in weeks.enumerated() {
            let closed = period.lastDay(of: week) < asOf
            summaries.append(WeekSummary(week: week, pupils: due[w], compliant: ok[w], closed: closed))
            if closed { total += due[w]; compliant += ok[w] }
        }
        return ComplianceSummary(weeks: summaries, pupilWeeks: total, compliantPupilWeeks: compliant)
    }
}
