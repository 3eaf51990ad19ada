// 附件3 lines as offices type them: every refusal of issue 6, the tolerated spellings, the quotas and the plan/update diff.
import LiangbangCore
import Testing

private func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

/// A valid line; each test spoils one field.
private func line(time: String = "2022-07-15", category: String = "学业帮助", summary: String = "暑期送教下乡，覆盖3所乡村小学",
                  people: String = "120", links: String = "https://mp.weixin.qq.com/s/abc", key: String = "",
                  workItem: String = "", demonstration: String = "", status: String = "") -> ActivityInput {
    ActivityInput(row: 7, host: "化州市团委", coHosts: "化州市青少年宫", time: time, category: category, title: "红领巾科技直通车进乡村",
                  summary: summary, peopleCovered: people, reportLinks: links, keyPublicity: key,
                  workItem: workItem, demonstration: demonstration, status: status)
}

private func errors(_ input: ActivityInput, today: LocalDate? = nil) -> [RowProblem] {
    ActivityRules.validate(input, campaignYear: 2022, today: today).1.filter { !$0.warning }
}
private func entry(_ input: ActivityInput, today: LocalDate? = nil) -> ActivityEntry? {
    ActivityRules.validate(input, campaignYear: 2022, today: today).0
}

@Suite struct ActivityRulesTests {
    @Test func aWellFilledLineBecomesAnActivity() throws {
        let e = try #require(entry(line(key: "√", workItem: "红领巾科技直通车", demonstration: "是")))
        #expect(e.row == 7 && e.host == "化州市团委" && e.coHosts == "化州市青少年宫")
        #expect(e.startDate == day("2022-07-15") && e.endDate == day("2022-07-15"))
        #expect(e.category == .academic && e.workItem == .educationOutreach)
        #expect(e.peopleCovered == 120 && e.reportLinks == ["https://mp.weixin.qq.com/s/abc"])
        #expect(e.keyPublicity && e.demonstration && e.status == .planned)
    }

    @Test func theSummaryIsLimitedTo100CharactersNotBytes() {
        let hundred = String(repeating: "乡", count: 98) + "👍🏽é"        // 100 Characters, far more bytes and UTF-16 units
        #expect(entry(line(summary: hundred)) != nil)
        let problems = errors(line(summary: String(repeating: "乡", count: 101)))
        #expect(problems.count == 1 && problems[0].column == "活动概况和特色亮点")
        #expect(problems[0].message.contains("共101字") && problems[0].message.contains("删减1字"))
        // The template's hint is not a summary.
        #expect(entry(line(summary: "（不超过100字）"))?.summary == "")
    }

    @Test func theCategoryIsExactlyOneOfTheFour() {
        #expect(entry(line(category: "心理健康促进"))?.category == .mental)
        #expect(entry(line(category: "就业创业帮助类"))?.category == .employment)
        #expect(entry(line(category: "physical"))?.category == .physical)
        let unknown = errors(line(category: "文体活动"))
        #expect(unknown.count == 1 && unknown[0].message.contains("学业帮助、就业创业帮助、体质健康促进、心理健康促进"))
        #expect(errors(line(category: "学业帮助、心理健康促进"))[0].message.contains("只能填一个"))
        // Empty: taken from the work item when there is one, otherwise refused.
        #expect(entry(line(category: "", workItem: "健康直通车"))?.category == .physical)
        #expect(errors(line(category: "")).count == 1)
        let mismatch = ActivityRules.validate(line(category: "学业帮助", workItem: "12355"), campaignYear: 2022)
        #expect(mismatch.0?.workItem == .mentalHealth && mismatch.1.contains { $0.warning && $0.column == "活动类别" })
    }

    @Test func coverageIsANonNegativeInteger() {
        for bad in ["-5", "12.5", "若干", "1,2", "12,5"] {
            #expect(errors(line(people: bad)).map(\.column) == ["覆盖人数"], "\(bad)")
        }
        #expect(errors(line(people: "-5"))[0].message.contains("负数"))
        #expect(errors(line(people: "12.5"))[0].message.contains("整数"))
        for (text, value) in [("1200", 1200), ("1,200", 1200), ("1，200", 1200), ("1200人", 1200), ("300人次", 300),
                              ("1.2万", 12_000), ("0", 0), ("1200.0", 1200), ("１２００", 1200)] {
            #expect(entry(line(people: text))?.peopleCovered == value, "\(text)")
        }
        let about = ActivityRules.validate(line(people: "约300余人"), campaignYear: 2022)
        #expect(about.0?.peopleCovered == 300 && about.1.contains { $0.warning })
        #expect(entry(line(people: ""))?.peopleCovered == 0)
    }

    @Test func reportLinksAreHttpOrHttpsOnly() {
        for bad in ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/a",
                    "见公众号", "www.example.com", "https://", "https://exa mple.com"] {
            #expect(errors(line(links: bad)).map(\.column) == ["报道链接"], "\(bad)")
        }
        #expect(errors(line(links: "javascript:alert(1)"))[0].message.contains("javascript:alert(1)"))
        // An address typed without http(s):// gets the fix spelled out; text that is no address does not.
        #expect(errors(line(links: "www.example.com/news"))[0].message.contains("如“https://www.example.com/news”"))
        #expect(!errors(line(links: "见公众号"))[0].message.contains("如“"))
        let many = "https://a.cn/1\nhttp://b.cn/2 https://c.cn/3,https://d.cn/4、https://e.cn/5；https://f.cn/6，https://a.cn/1"
        #expect(entry(line(links: many))?.reportLinks == ["https://a.cn/1", "http://b.cn/2", "https://c.cn/3", "https://d.cn/4",
                                                           "https://e.cn/5", "https://f.cn/6"])
        // One good link does not excuse a bad one beside it.
        #expect(errors(line(links: "https://a.cn\njavascript:x")).count == 1)
        #expect(entry(line(links: ""))?.reportLinks == [])
    }

    @Test func theFlagSpellings() {
        for yes in ["√", "✓", "✔", "是", "Y", "y", "1", "TRUE", "true", " √ "] {
            #expect(entry(line(key: yes))?.keyPublicity == true, "\(yes)")
        }
        for no in ["", "否", "N", "n", "0", "FALSE", "×"] {
            #expect(entry(line(key: no))?.keyPublicity == false, "\(no)")
        }
        #expect(errors(line(key: "待定")).map(\.column) == ["重点宣传项目"])
        #expect(entry(line(demonstration: "✓"))?.demonstration == true)
    }

    @Test func theDateFormatsOfficesType() {
        let single = ["2022-07-15", "2022/7/15", "2022.7.15", "2022年7月15日", "7月15日", "7.15", "7-15", "44757", "44757.5",
                      "7.1500000000000004", "2022-07-15 00:00:00", "２０２２年７月１５日"]
        for text in single {
            let e = entry(line(time: text))
            #expect(e?.startDate == day("2022-07-15") && e?.endDate == day("2022-07-15"), "\(text)")
        }
        let ranges = ["7.15-7.20", "7月15日-20日", "7月15日—20日", "2022.7.15—2022.7.20", "2022.7.15——2022.7.20", "7.15至7.20",
                      "2022-07-15-2022-07-20", "2022-07-15至2022-07-20", "7月15日至7月20日", "7/15~7/20", "7.15-20", "7月15-20日",
                      "2022年7月15日－2022年7月20日", "44757-44762"]
        for text in ranges {
            let e = entry(line(time: text))
            #expect(e?.startDate == day("2022-07-15") && e?.endDate == day("2022-07-20"), "\(text)")
        }
        let others = ["7.31-8.2": ("2022-07-31", "2022-08-02"), "7月15日至8月3日": ("2022-07-15", "2022-08-03"),
                      "2022/7/15-2022/7/20": ("2022-07-15", "2022-07-20"), "2022.7.15-20": ("2022-07-15", "2022-07-20"),
                      "2022年7月": ("2022-07-01", "2022-07-31"), "8月份": ("2022-08-01", "2022-08-31"),
                      "7.15 - 7.20": ("2022-07-15", "2022-07-20"), "7.15到7.20": ("2022-07-15", "2022-07-20")]
        for (text, (start, end)) in others {
            let e = entry(line(time: text))
            #expect(e?.startDate == day(start) && e?.endDate == day(end), "\(text)")
        }
        let month = ActivityRules.validate(line(time: "7月-8月"), campaignYear: 2022)
        #expect(month.0?.startDate == day("2022-07-01") && month.0?.endDate == day("2022-08-31"))
        #expect(month.1.contains { $0.warning && $0.message.contains("只写了月份") })
        // 7.20 typed into a number cell comes back as 7.2: kept as 7月2日, with a warning saying why it may be wrong.
        let dropped = ActivityRules.validate(line(time: "7.2"), campaignYear: 2022)
        #expect(dropped.0?.startDate == day("2022-07-02") && dropped.1.contains { $0.warning && $0.message.contains("7月20日") })
        #expect(ActivityDates.excelSerial(1) == day("1900-01-01"))
        #expect(ActivityDates.excelSerial(61) == day("1900-03-01"))
        // A number typed into 开展时间 far beyond Excel's last date is refused, not an overflow that stops the server.
        #expect(ActivityDates.excelSerial(2_958_466) == nil && ActivityDates.excelSerial(Int.max) == nil)
        #expect(ActivityRules.validate(line(time: "9223372036854775807"), campaignYear: 2022).0 == nil)
    }

    @Test func datesOutsideTheCampaignYearOrBackwardsAreRefused() {
        for text in ["2021-07-15", "2023.1.5", "2022.12.30-2023.1.2", "44392"] {            // 44392 = 2021-07-15
            let problems = errors(line(time: text))
            #expect(problems.count == 1 && problems[0].message.contains("不在2022年度内"), "\(text)")
        }
        #expect(errors(line(time: "7.20-7.15"))[0].message.contains("早于开始日期"))
        for text in ["", "7月中旬", "下周", "2022-13-01", "7.32"] {
            #expect(errors(line(time: text)).map(\.column) == ["开展时间"], "\(text)")
        }
    }

    @Test func statusIsReadOrDerivedFromToday() {
        #expect(entry(line(status: "已开展"))?.status == .held)
        #expect(entry(line(status: "计划"))?.status == .planned)
        #expect(entry(line(), today: day("2022-07-16"))?.status == .held)
        #expect(entry(line(), today: day("2022-07-15"))?.status == .planned)
        #expect(errors(line(status: "也许")).map(\.column) == ["状态"])
    }

    @Test func workItemsByNameNumberCodeOrProgramme() {
        #expect(WorkItem.allCases.count == 11)
        #expect(WorkItem.parse("1") == .cloudTutoring && WorkItem.parse("11.") == .growthCompanion)
        #expect(WorkItem.parse("“领头雁”") == .skillsTraining && WorkItem.parse("health-express") == .healthExpress)
        #expect(WorkItem.parse("三下乡") == .summerPractice && WorkItem.parse("南粤会亲") == .growthCompanion)
        #expect(WorkItem.parse("12") == nil)
        #expect(errors(line(workItem: "植树")).map(\.column) == ["工作事项"])
    }

    @Test func theTemplateHeaderAndItsSampleRowAreRecognised() throws {
        let rows = [
            SheetRow(number: 1, cells: ["附件3"]),
            SheetRow(number: 2, cells: ["2022年“两帮两促”集中行动月活动汇总表"]),
            SheetRow(number: 3, cells: ["单位：化州市团委"]),
            SheetRow(number: 4, cells: ["序号", "主办单位", "联合开展\n单位", "开展时间", "活动类别", "活动主题",
                                        "活动概况和特色亮点（不超过100字）", "覆盖人数", "报道链接", "重点宣传项目（√）"]),
            SheetRow(number: 5, cells: ["1", "", "", "", "", "", "（不超过100字）", "", "", "√"]),
            SheetRow(number: 6, cells: ["2", "化州市团委", "", "7.15", "学业帮助", "送教下乡", "", "50", "", ""]),
        ]
        guard case .success(let layout) = TableLayout.locate(in: rows, columns: ActivityColumns.specs) else {
            Issue.record("header not found"); return
        }
        #expect(layout.headerRow == 4 && layout.columns["活动概况和特色亮点"] == 6 && layout.columns["重点宣传项目"] == 9)
        let inputs = layout.rows.map { row in
            ActivityInput(row: row.number, values: layout.columns.mapValues { row.cell($0) })
        }
        #expect(inputs.map(\.isTemplatePlaceholder) == [true, false])
        #expect(entry(inputs[1])?.title == "送教下乡")
    }

    @Test func eachQuotaOfTheNotice() {
        func missing(_ kind: OrgKind, _ counts: ActivityCounts) -> [QuotaMetric] {
            QuotaEvaluator.evaluate(kind: kind, counts: counts, rules: QuotaRule.activities).map(\.metric)
        }
        #expect(missing(.city, ActivityCounts(activities: 5)) == [.demonstrations, .keyPublicity])
        #expect(missing(.city, ActivityCounts(activities: 1, demonstrations: 1)) == [.keyPublicity])
        #expect(missing(.city, ActivityCounts(activities: 1, demonstrations: 1, keyPublicity: 1)) == [])
        #expect(missing(.county, ActivityCounts()) == [.activities])
        #expect(missing(.county, ActivityCounts(activities: 1)) == [])
        #expect(missing(.university, ActivityCounts()) == [.activities, .keyPublicity])
        #expect(missing(.university, ActivityCounts(activities: 2, keyPublicity: 1)) == [])
        #expect(missing(.town, ActivityCounts()) == [] && missing(.provincialUnit, ActivityCounts()) == [])
        let wording = QuotaEvaluator.evaluate(kind: .county, counts: ActivityCounts())[0].wording
        #expect(wording == "各县（市、区）团委至少开展1场活动")
        // Counted from a table; a raised quota is data, not code.
        let table = [entry(line(key: "√", demonstration: "√"))!, entry(line())!]
        #expect(ActivityCounts(table) == ActivityCounts(activities: 2, demonstrations: 1, keyPublicity: 1))
        let stricter = [QuotaRule(orgKind: .county, metric: .activities, minimum: 3, wording: "各县至少开展3场活动")]
        #expect(QuotaEvaluator.evaluate(kind: .county, counts: ActivityCounts(table), rules: stricter).count == 1)
        #expect(QuotaEvaluator.problems(QuotaRule.notice).isEmpty)
        #expect(QuotaEvaluator.problems(stricter + stricter).count == 1)
    }

    @Test func thePlanAndTheUpdateAreComparedByActivityId() {
        let a = entry(line())!, b = entry(line(category: "心理健康促进"))!
        var aHeld = a
        aHeld.status = .held; aHeld.peopleCovered = 300; aHeld.row = 12; aHeld.endDate = day("2022-07-16")
        let plan = [ActivitySnapshot(id: "A", activity: a), ActivitySnapshot(id: "B", activity: b),
                    ActivitySnapshot(id: "C", activity: a)]
        let update = [ActivitySnapshot(id: "D", activity: b), ActivitySnapshot(id: "A", activity: aHeld),
                      ActivitySnapshot(id: "C", activity: a)]
        let diff = ActivityDiff.diff(plan: plan, update: update)
        #expect(diff.added.map(\.id) == ["D"])
        #expect(diff.removed.map(\.id) == ["B"])
        #expect(diff.edited.map(\.after.id) == ["A"])
        // The sheet row moved too, but that is not a change to the activity.
        #expect(diff.edited.first?.fields == ["开展时间", "覆盖人数", "状态"])
        #expect(ActivityDiff.diff(plan: plan, update: plan).isEmpty)
    }
}
