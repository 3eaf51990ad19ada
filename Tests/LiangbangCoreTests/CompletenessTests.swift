// The completeness board's judgement of one unit (owed submissions, timeliness, quotas, colour), its roll-up,
// and the notes under a table that are not rows.
import LiangbangCore
import Testing

private let calendar = CampaignCalendar.notice(year: 2022)
private func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
private let oneActivity = ActivityTally(counts: ActivityCounts(activities: 1), people: 30, byCategory: [.academic: 1])

private func county(_ stages: [ActivityStage: StageRecord], today: String, tally: ActivityTally = oneActivity) -> UnitCompleteness {
    UnitCompleteness.evaluate(kind: .county, tally: tally, stages: stages, calendar: calendar, today: day(today), rules: QuotaRule.activities)
}

@Suite struct CompletenessTests {
    @Test func beforeThePlanIsDueAMissingPlanIsAmberAndAfterItRed() {
        let early = county([:], today: "2022-07-01")
        #expect(early.colour == .amber && early.expected == 1 && early.missingSubmissions == 1 && !early.overdue)
        #expect(early.missing == ["尚未报送活动计划（7月8日截止）"])
        let late = county([:], today: "2022-07-09")
        #expect(late.colour == .red && late.overdue && late.missing == ["逾期未报送活动计划（7月8日截止）"])
    }

    @Test func aPlanOnTimeWithTheQuotaMetIsGreenUntilTheUpdateIsOwed() {
        let plan: [ActivityStage: StageRecord] = [.plan: StageRecord(submitted: true, onTime: true)]
        let july = county(plan, today: "2022-07-20")
        #expect(july.colour == .green && july.expected == 1 && july.submitted == 1 && july.onTime == 1 && july.missing.isEmpty)
        // The focus months are over: the update is owed (amber), then overdue after 09-15 (red).
        #expect(county(plan, today: "2022-09-01").colour == .amber)
        #expect(county(plan, today: "2022-09-16").colour == .red)
        let both = county([.plan: StageRecord(submitted: true, onTime: true), .update: StageRecord(submitted: true, onTime: true)], today: "2022-09-16")
        #expect(both.colour == .green && both.expected == 2 && both.onTime == 2)
    }

    @Test func aLateOrReturnedSubmissionIsNotGreen() {
        let late = county([.plan: StageRecord(versions: [(1, false, false)])], today: "2022-07-20")
        #expect(late.colour == .amber && late.late == 1 && late.submitted == 1)
        let returned = county([.plan: StageRecord(versions: [(1, true, true)])], today: "2022-07-05")
        #expect(returned.colour == .amber && returned.missingSubmissions == 1 && returned.missing == ["活动计划已被退回，待修改后重新报送"])
        // Returned then sent again after the deadline: late. Sent on time, then corrected late of its own accord: on time.
        #expect(!StageRecord(versions: [(1, true, true), (2, false, false)]).onTime)
        #expect(StageRecord(versions: [(2, false, false), (1, true, false)]).onTime)
    }

    @Test func anUnmetQuotaIsNamedInTheNoticeWordsAndTurnsRedOnlyAfterTheUpdateDeadline() {
        let plan: [ActivityStage: StageRecord] = [.plan: StageRecord(submitted: true, onTime: true), .update: StageRecord(submitted: true, onTime: true)]
        let city = { (today: String, tally: ActivityTally) in
            UnitCompleteness.evaluate(kind: .city, tally: tally, stages: plan, calendar: calendar, today: day(today), rules: QuotaRule.activities)
        }
        let none = city("2022-08-01", oneActivity)
        #expect(none.colour == .amber && !none.meetsQuota && none.missing == ["各地市团委至少开展1场“两帮两促”示范活动", "各地市团委推荐至少一个项目作为重点宣传项目"])
        #expect(city("2022-09-16", oneActivity).colour == .red)
        let met = city("2022-09-16", ActivityTally(counts: ActivityCounts(activities: 1, demonstrations: 1, keyPublicity: 1)))
        #expect(met.colour == .green && met.meetsQuota)
    }

    @Test func townsOweNothingAndRollUpsTakeTheWorstColour() {
        let town = UnitCompleteness.evaluate(kind: .town, tally: oneActivity, stages: [:], calendar: calendar, today: day("2022-09-20"), rules: QuotaRule.activities)
        #expect(town.colour == .none && town.expected == 0 && town.missing.isEmpty)
        let green = county([.plan: StageRecord(submitted: true, onTime: true)], today: "2022-07-20")
        let red = county([:], today: "2022-07-20")
        let totals = CompletenessTotals([green, red, town])
        #expect(totals.units == 3 && totals.reportingUnits == 2 && totals.expected == 2 && totals.submitted == 1)
        #expect(totals.reportingRate == 50 && totals.timeliness == 50 && totals.colour == .red && totals.unitsMissingSomething == 1)
        #expect(totals.tally.counts.activities == 3 && totals.tally.people == 90 && totals.tally.byCategory[.academic] == 3)
        #expect(CompletenessTotals([town]).colour == .none && CompletenessTotals([town]).reportingRate == nil)
    }

    @Test func theNotesUnderATableAreNotRows() throws {
        let rows = [
            SheetRow(number: 4, cells: ["序号", "开展时间", "活动类别", "活动主题"]),
            SheetRow(number: 5, cells: ["1", "2022-07-15", "学业帮助", "暑期辅导"]),
            // 注 merged across the row (every cell holds the text), then the numbered notes in the first cell.
            SheetRow(number: 6, cells: Array(repeating: "注：1.活动类别为：学业帮助、就业创业帮助、体质健康促进、心理健康促进；", count: 4)),
            SheetRow(number: 7, cells: ["2.各地市团委至少开展1场“两帮两促”示范活动", "", "", ""]),
            SheetRow(number: 8, cells: ["3.各地市、各相关高校团委推荐至少一个项目作为重点宣传项目。", "", "", ""]),
        ]
        let layout = try TableLayout.locate(in: rows, columns: ActivityColumns.specs).get()
        #expect(layout.rows.map(\.number) == [5])
        // A line that only starts like a note but is followed by real lines is kept (the rules then judge it).
        let kept = rows.prefix(2) + [SheetRow(number: 6, cells: ["", "", "", "注意安全主题班会"]), SheetRow(number: 7, cells: ["2", "2022-07-16", "学业帮助", "家访"])]
        #expect(try TableLayout.locate(in: Array(kept), columns: ActivityColumns.specs).get().rows.count == 3)
    }
}
