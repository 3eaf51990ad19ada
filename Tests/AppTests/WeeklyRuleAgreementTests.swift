// The SQL boards (over the `tutoring_weeks` summary) against the core's `WeeklyRule` on generated data: every
// pupil-week, every university/county count, the whole-period summary. Seeded, so a failure names its case.
@testable import App
import Fluent
import LiangbangCore
import SQLKit
import Testing
import Vapor

@Suite struct WeeklyRuleAgreementTests {
    struct Generated {
        var period: TutoringPeriod
        var asOf: LocalDate
        var pairings: [Pairing] = []
        var sessions: [TutoringSession] = []
    }

    /// Random pupils (1–3 volunteers each), pairing starts before, inside and after the period, sessions inside and
    /// outside it and in partial edge weeks, random minutes, period edges on any weekday.
    func generate(_ rng: inout DemoData.Random, campaign: UUID, universities: [UUID], counties: [UUID]) -> Generated {
        let start = LocalDate(year: 2022, month: 7, day: 1)!.adding(days: rng.int(0..<10))
        let length = rng.int(3..<80)
        let period = TutoringPeriod(start: start, end: start.adding(days: length))
        var out = Generated(period: period, asOf: start.adding(days: rng.int(-3..<(length + 14))))
        for p in 0..<rng.int(4..<22) {
            let university = universities[rng.int(0..<universities.count)], county = counties[rng.int(0..<counties.count)]
            for v in 0..<rng.int(1..<4) {
                let pairing = Pairing()
                pairing.id = UUID(); pairing.campaignID = campaign; pairing.universityID = university; pairing.countyID = county
                pairing.pupilName = "学生\(p)"; pairing.pupilSex = "女"; pairing.pupilIDCipher = "-"; pairing.pupilIDHash = "pupil-\(p)"
                pairing.pupilIDMasked = "440000********\(p)"; pairing.pupilAge = 10; pairing.studentNoCipher = "-"
                pairing.school = "学校"; pairing.gradeClass = "五年级"; pairing.volunteerName = "志愿者\(p)-\(v)"
                pairing.volunteerIDCipher = "-"; pairing.volunteerIDHash = "volunteer-\(p)-\(v)"; pairing.volunteerIDMasked = "-"
                pairing.startDate = rng.chance(0.3) ? nil : start.adding(days: rng.int(-20..<(length + 10))).iso
                out.pairings.append(pairing)
                for k in 0..<rng.int(0..<9) {
                    let date = start.adding(days: rng.int(-10..<(length + 10)))
                    guard date <= out.asOf else { continue }   // the app refuses sessions dated after today
                    let s = TutoringSession()
                    s.id = UUID(); s.pairingID = pairing.id!; s.campaignID = campaign; s.universityID = university; s.countyID = county
                    s.pupilIDHash = pairing.pupilIDHash; s.volunteerIDHash = pairing.volunteerIDHash
                    s.date = date.iso; s.weekStart = date.weekStart.iso; s.startTime = SessionRules.timeText(k * 7)
                    s.minutes = [15, 30, 45, 60, 90][rng.int(0..<5)]; s.content = "辅导"; s.mode = "offline"; s.recordedBy = "test"
                    s.createdAt = Date()
                    out.sessions.append(s)
                }
            }
        }
        return out
    }

    @Test func theSQLBoardsComputeExactlyWhatTheCoreDefines() async throws {
        try await withTestApp { app in
            let sql = app.db as! any SQLDatabase
            let template = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            let universities = try await Organization.query(on: app.db).filter(\.$kind == .university).sort(\.$name).range(..<3).all(\.$id)
            let counties = try await Organization.query(on: app.db).filter(\.$kind == .county).sort(\.$name).range(..<4).all(\.$id)
            for index in 0..<30 {
                var rng = DemoData.Random(state: 0x5EED_0000 + UInt64(index))
                let campaign = Campaign(year: 3000 + index, calendar: template.calendar)
                var data = generate(&rng, campaign: campaign.id!, universities: universities, counties: counties)
                // Half the cases store under a wider period, then move its edges (the campaign page's path).
                let moved = rng.chance(0.5)
                let stored = moved ? TutoringPeriod(start: data.period.start.adding(days: -14), end: data.period.end.adding(days: 14)) : data.period
                campaign.tutoringStartText = stored.start.iso; campaign.tutoringEndText = stored.end.iso
                try await campaign.create(on: app.db)
                try await data.pairings.create(on: app.db)
                let sessions = data.sessions
                try await app.db.writeTransaction { tx in try await TutoringWeeks.store(sessions, campaign: campaign, on: tx) }
                // A session edited (TutoringLog.update's two changes) and a pairing deleted (RosterLines.delete's path).
                if let s = data.sessions.first {
                    let before = TutoringWeeks.Change.removed(s)
                    let date = min(data.asOf, LocalDate(iso: s.date)!.adding(days: 3))
                    s.date = date.iso; s.weekStart = date.weekStart.iso; s.minutes = 75
                    try await s.update(on: app.db)
                    try await TutoringWeeks.record([before, .added(s)], campaign: campaign, on: app.db)
                }
                if data.pairings.count > 3 {
                    let gone = data.pairings.remove(at: rng.int(0..<data.pairings.count))
                    try await app.db.writeTransaction { tx in
                        try await TutoringWeeks.forget(pairings: [gone.id!], campaign: campaign, on: tx)
                        try await gone.delete(on: tx)
                    }
                    data.sessions.removeAll { $0.pairingID == gone.id }
                }
                if moved {
                    campaign.tutoringStartText = data.period.start.iso; campaign.tutoringEndText = data.period.end.iso
                    try await campaign.save(on: app.db)
                    try await TutoringWeeks.rebuild(campaign: campaign.id!, period: data.period, on: app.db)
                }
                try await compare(data, board: ComplianceBoard(db: sql, campaign: campaign), case: "case \(index) (seed \(0x5EED_0000 + index))")
            }
        }
    }

    func compare(_ data: Generated, board: ComplianceBoard, case label: String) async throws {
        let period = data.period
        let spans = data.pairings.map { PairingSpan(pupilKey: $0.pupilIDHash, start: $0.startDate.flatMap(LocalDate.init(iso:)) ?? period.start) }
        let facts = data.sessions.map { TutoringSessionFact(pupilKey: $0.pupilIDHash, date: LocalDate(iso: $0.date)!, minutes: $0.minutes) }
        let home = Dictionary(data.pairings.map { ($0.pupilIDHash, ($0.universityID, $0.countyID)) }, uniquingKeysWith: { a, _ in a })
        let someUniversity = data.pairings.first!.universityID, someCounty = data.pairings.last!.countyID
        let scopes: [(BoardScope, (String) -> Bool)] = [
            (.everything, { _ in true }),
            (BoardScope(universityIDs: [someUniversity], countyIDs: nil), { home[$0]?.0 == someUniversity }),
            (BoardScope(universityIDs: nil, countyIDs: [someCounty]), { home[$0]?.1 == someCounty }),
        ]
        var weeks = period.weeks
        weeks += [TutoringWeek(containing: period.start.adding(days: -7)), TutoringWeek(containing: period.end.adding(days: 7))]
        for week in weeks {
            let core = WeeklyRule.statuses(spans: spans, sessions: facts, week: week.start, period: period)
            for (scope, inScope) in scopes {
                var expected: [String: [Int]] = [:]
                for (pupil, status) in core where inScope(pupil) {
                    let key = "\(home[pupil]!.0)|\(home[pupil]!.1)"
                    let t = expected[key] ?? [0, 0]
                    expected[key] = [t[0] + 1, t[1] + (status.compliant ? 1 : 0)]
                }
                let groups = try await board.week(week.start, scope: scope)
                let actual = Dictionary(uniqueKeysWithValues: groups.map { ("\($0.universityId)|\($0.countyId)", [$0.pupils, $0.compliant]) })
                #expect(actual == expected, "\(label), week \(week), groups")
                let missing = try await board.missing(week.start, scope: scope)
                let short = core.filter { inScope($0.key) && !$0.value.compliant }.mapValues { [$0.sessions, $0.minutes] }
                #expect(Dictionary(uniqueKeysWithValues: missing.map { ($0.pupilHash, [$0.sessions, $0.minutes]) }) == short, "\(label), week \(week), missing")
            }
            let pupils = Array(Set(spans.map(\.pupilKey))).sorted()
            let statuses = try await ComplianceBoard.statuses(pupilHashes: pupils, week: week.start, campaign: board.campaign, on: board.db)
            for pupil in pupils {
                #expect(statuses[pupil] == WeeklyRule.status(pupil: pupil, sessions: facts, week: week.start, period: period), "\(label), week \(week), \(pupil)")
            }
        }
        for (scope, inScope) in scopes {
            let expected = WeeklyRule.summary(spans: spans.filter { inScope($0.pupilKey) }, sessions: facts, period: period, asOf: data.asOf)
            #expect(try await board.summary(asOf: data.asOf, scope: scope) == expected, "\(label), summary as of \(data.asOf)")
        }
    }
}
