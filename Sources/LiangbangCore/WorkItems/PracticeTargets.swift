// Work item 4: 三下乡 and 返家乡 practice against the notice's province-wide targets — who counts as a student
// (once, however many teams list them), the 38 key counties, and whether the pace so far meets 08-31.

public enum TargetKey: String, CaseIterable, Sendable, Codable {
    case practiceTeams, practiceStudents, civilityPairs, returnHomeInKeyCounties

    public var label: String {
        switch self {
        case .practiceTeams: return "三下乡实践团队"
        case .practiceStudents: return "三下乡参与学生"
        case .civilityPairs: return "百校百号结对"
        case .returnHomeInKeyCounties: return "重点县返家乡学生"
        }
    }

    /// The notice's figures; the province may set others for a year.
    public var defaultTarget: Int {
        switch self {
        case .practiceTeams: return 10_000
        case .practiceStudents: return 300_000
        case .civilityPairs: return 100
        case .returnHomeInKeyCounties: return 2_000
        }
    }
}

/// A 三下乡 team's theme is one of the notice's four activity categories (附件3's, the same names and short names).
public typealias PracticeTheme = ActivityCategory

extension ActivityCategory {
    /// By code, by name or by a short name, as `parse` reads a 附件3 cell.
    public init?(text: String) {
        guard let category = Self.parse(text) else { return nil }
        self = category
    }
}

/// One team's students: a member list when the team sent one, otherwise only the number it declared.
public struct TeamMembers: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let school: String
        public let studentNo: String
        public init(school: String, studentNo: String) { self.school = school; self.studentNo = studentNo }

        /// Same student however the school or number was typed (spaces, full-width, brackets, case); nil when
        /// the number is blank: such a member cannot be told apart from another, so each one counts.
        public var key: Key? {
            let number = TextNormaliser.clean(studentNo).uppercased()
            return number.isEmpty ? nil : Key(school: TextNormaliser.headerKey(school), studentNo: number)
        }
        public struct Key: Sendable, Hashable { public let school: String; public let studentNo: String }
    }

    public let name: String
    /// The days the team is out; nil: unknown, so never checked for overlaps.
    public let dates: ClosedRange<LocalDate>?
    /// nil: no list sent; a list (even empty) wins over the declared number.
    public let members: [Member]?
    public let declared: Int

    public init(name: String, dates: ClosedRange<LocalDate>?, members: [Member]) {
        self.name = name; self.dates = dates; self.members = members; self.declared = members.count
    }
    public init(name: String, dates: ClosedRange<LocalDate>?, declared: Int) {
        self.name = name; self.dates = dates; self.members = nil; self.declared = max(0, declared)
    }
}

public enum PracticeStudentCount {
    /// The 三下乡参与学生 figure: listed students once across all teams, plus what list-less teams declared.
    public static func countStudents(teams: [TeamMembers]) -> Int {
        var seen = Set<TeamMembers.Member.Key>()
        var total = 0
        for team in teams {
            guard let members = team.members else { total = saturating(total, max(0, team.declared)); continue }
            for member in members {
                if let key = member.key { if seen.insert(key).inserted { total = saturating(total, 1) } }
                else { total = saturating(total, 1) }
            }
        }
        return total
    }

    /// A student listed by two teams out at the same time: a warning, not an error (a student may leave one
    /// team for another, or a school mistyped a number). On the later team, naming the first earlier one.
    public struct Overlap: Sendable, Equatable {
        /// Indexes into the teams given.
        public let team: Int
        public let otherTeam: Int
        public let member: TeamMembers.Member
        public let message: String
    }

    public static func overlappingMembers(teams: [TeamMembers]) -> [Overlap] {
        var earlier: [TeamMembers.Member.Key: [Int]] = [:]
        var found: [Overlap] = []
        for (index, team) in teams.enumerated() {
            guard let dates = team.dates, let members = team.members else { continue }
            var inThisTeam = Set<TeamMembers.Member.Key>()
            for member in members {
                guard let key = member.key, inThisTeam.insert(key).inserted else { continue }
                if let other = earlier[key]?.first(where: { DeploymentRules.overlap(teams[$0].dates!, dates) }) {
                    let o = teams[other], od = o.dates!
                    let who = "\(TextNormaliser.trim(member.school))学号\(TextNormaliser.clean(member.studentNo))的学生"
                    found.append(Overlap(team: index, otherTeam: other, member: member,
                                         message: "\(who)同时在“\(o.name)”（\(od.lowerBound.iso)至\(od.upperBound.iso)）名单中，实践时间重叠，请核对"))
                }
                earlier[key, default: []].append(index)
            }
        }
        return found
    }

    static func saturating(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}

public enum PracticeTargets {
    /// The notice names 38 key counties for 返家乡; a list of another size was mis-imported or out of date.
    public static let keyCountyCount = 38

    public static func keyCountyWarning(count: Int) -> String? {
        count == keyCountyCount ? nil : "通知确定\(keyCountyCount)个重点县，当前名单为\(count)个，请核对"
    }

    /// 重点县返家乡学生: students (once each, by ID hash) whose home county is one of the key counties.
    public static func returnHomeCount(students: [(homeCountyKey: String, idHash: String)], keyCounties: Set<String>) -> Int {
        Set(students.lazy.filter { keyCounties.contains($0.homeCountyKey) }.map(\.idHash)).count
    }
}

/// A target, where it stands, and where the last fortnight's pace takes it by the deadline.
public struct TargetProgress: Sendable, Equatable {
    /// The pace is the gain over this many days: long enough to smooth a weekend, short enough to follow the summer.
    public static let paceDays = 14

    public let target: Int
    public let actual: Int
    /// floor(actual × 100 ÷ target), not capped at 100; 0 when the target is 0.
    public let percent: Int
    /// actual + floor(recentGain × days ÷ 14), days = the days after today up to and including the deadline.
    public let projected: Int
    public let willMeet: Bool

    /// Negative inputs count as 0; no input up to Int.max traps (results saturate at Int.max).
    public init(target: Int, actual: Int, recentGain: Int, today: LocalDate, deadline: LocalDate) {
        let target = max(0, target), actual = max(0, actual), gain = max(0, recentGain)
        let days = max(0, deadline.dayNumber - today.dayNumber)
        self.target = target
        self.actual = actual
        self.percent = target == 0 ? 0 : Self.scaled(actual, by: 100, over: target)
        self.projected = PracticeStudentCount.saturating(actual, Self.scaled(gain, by: days, over: Self.paceDays))
        self.willMeet = projected >= target
    }

    /// The summer's practice closes on 31 August of the campaign year.
    public static func deadline(year: Int) -> LocalDate {
        LocalDate(year: min(max(year, 1), 9999), month: 8, day: 31)!
    }

    /// floor(a × b ÷ c) for a, b ≥ 0 and c > 0, in double width so the product cannot overflow.
    static func scaled(_ a: Int, by b: Int, over c: Int) -> Int {
        let product = UInt(a).multipliedFullWidth(by: UInt(b))
        guard product.high < UInt(c) else { return .max }
        let q = UInt(c).dividingFullWidth(product).quotient
        return q > UInt(Int.max) ? .max : Int(q)
    }
}
