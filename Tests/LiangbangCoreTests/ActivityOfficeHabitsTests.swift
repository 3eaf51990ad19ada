// Office habits seen in returned 附件3 tables: a signature block and a 合计 line under the table, headers with
// notes in brackets, line breaks inside 开展时间, the template's hint left before the summary, labelled links.
import LiangbangCore
import Testing

@Suite struct ActivityOfficeHabitsTests {
    let header = SheetRow(number: 4, cells: ["序号", "开展时间", "活动类别", "活动主题", "覆盖人数"])
    let line = SheetRow(number: 5, cells: ["1", "2022-07-15", "学业帮助", "暑期辅导", "30"])

    @Test func totalsNotesAndTheSignatureBlockAreNotRows() throws {
        let rows = [header, line,
                    SheetRow(number: 6, cells: ["合 计", "", "", "", "30"]),
                    SheetRow(number: 7, cells: ["注：1.活动类别为：学业帮助、就业创业帮助、体质健康促进、心理健康促进；", "", "", "", ""]),
                    SheetRow(number: 8, cells: ["2.各地市团委至少开展1场“两帮两促”示范活动", "", "", "", ""]),
                    SheetRow(number: 10, cells: ["填表人：张三", "填表人：张三", "", "联系电话：020-00000000", "审核人：李四"])]
        #expect(try TableLayout.locate(in: rows, columns: ActivityColumns.specs).get().rows.map(\.number) == [5])
        // The signature block alone, without notes above it.
        let signed = [header, line, SheetRow(number: 7, cells: ["", "填表人：张三", "", "", "联系电话：13800000000"])]
        #expect(try TableLayout.locate(in: signed, columns: ActivityColumns.specs).get().rows.map(\.number) == [5])
    }

    /// The quick refusal of ordinary lines (first character) must not miss a total or a signature that opens with
    /// spaces, a bracket, a full-width mark or an invisible character.
    @Test func totalsAndSignaturesOpeningWithMarksAreStillFound() throws {
        let rows = [header, line,
                    SheetRow(number: 6, cells: ["", "\u{3000}（合计）", "", "", "30"]),
                    SheetRow(number: 7, cells: ["\u{200B}*填表人：张三", "：", "【审核人】李四", "", ""])]
        #expect(try TableLayout.locate(in: rows, columns: ActivityColumns.specs).get().rows.map(\.number) == [5])
        // A line whose first cell merely starts like a label is data.
        let data = [header, line, SheetRow(number: 6, cells: ["2", "2022-07-16", "学业帮助", "合唱排练", "12"]),
                    SheetRow(number: 7, cells: ["联合活动", "2022-07-17", "学业帮助", "填报说明会", "8"])]
        #expect(try TableLayout.locate(in: data, columns: ActivityColumns.specs).get().rows.map(\.number) == [5, 6, 7])
    }

    @Test func aHeaderWithANoteInBracketsStillNamesItsColumn() throws {
        let rows = [SheetRow(number: 1, cells: ["开展时间（具体日期）", "活动类别", "活动主题", "覆盖人数（人次）", "报道链接（如有）",
                                                "是否推荐重点宣传项目", "活动概况及特色亮点（不超过100字）", "联合开展单位(如有)"]),
                    SheetRow(number: 2, cells: ["2022-07-15", "学业帮助", "暑期辅导", "30", "https://example.org", "√", "好", "教育局"])]
        let layout = try TableLayout.locate(in: rows, columns: ActivityColumns.specs).get()
        #expect(layout.columns[ActivityColumns.time] == 0 && layout.columns[ActivityColumns.peopleCovered] == 3)
        #expect(layout.columns[ActivityColumns.reportLinks] == 4 && layout.columns[ActivityColumns.keyPublicity] == 5)
        #expect(layout.columns[ActivityColumns.summary] == 6 && layout.columns[ActivityColumns.coHosts] == 7)
    }

    @Test func lineBreaksInsideTheDateSeparateLikeSpaces() throws {
        for text in ["2022年7月15日-\n7月20日", "7月15日\n至\n7月20日", "7月15日\n-7月20日", "7.15-\n7.20"] {
            let span = try #require(ActivityDates.parse(text, year: 2022)?.span, "\(text)")
            #expect(span.start.iso == "2022-07-15" && span.end.iso == "2022-07-20", "\(text)")
        }
    }

    @Test func theHintBeforeTheSummaryAndTheLabelBeforeALinkAreTakenOff() throws {
        let input = ActivityInput(time: "2022-07-15", category: "学业帮助", title: "暑期辅导",
                                  summary: "（不超过100字）组织志愿者开展帮扶。", reportLinks: "韶关发布：https://example.org/a\nhttps://example.org/b")
        let (entry, problems) = ActivityRules.validate(input, campaignYear: 2022)
        #expect(entry?.summary == "组织志愿者开展帮扶。")
        #expect(entry?.reportLinks == ["https://example.org/a", "https://example.org/b"])
        #expect(problems.contains { $0.warning && $0.column == ActivityColumns.reportLinks })
        // A Latin "label" is not a label: javascript:https://… stays refused.
        for bad in ["javascript:https://example.org", "见公众号"] {
            #expect(ActivityFields.links(bad).refused.count == 1, "\(bad)")
        }
    }
}

@Suite struct ActivityLooseSpellingsTests {
    @Test func weekdaysTimesOfDayAndNotesAroundADateAreIgnored() throws {
        for text in ["7月15日（周五）", "2022年7月15日上午", "2022-07-15(暂定)", "7月15日 晚上"] {
            #expect(ActivityDates.parse(text, year: 2022)?.span.start.iso == "2022-07-15", "\(text)")
        }
        let span = try #require(ActivityDates.parse("7月15日（周五）-7月17日（周日）", year: 2022)?.span)
        #expect(span.start.iso == "2022-07-15" && span.end.iso == "2022-07-17")
    }

    @Test func shortCategoryNamesAndListNumbersNameOneCategory() {
        let cases: [(String, ActivityCategory)] = [("心理健康", .mental), ("就业帮助", .employment), ("体质健康", .physical),
                                                   ("1.学业帮助", .academic), ("2、就业创业帮助类", .employment), ("学业", .academic)]
        for (text, category) in cases { #expect(ActivityCategory.parse(text) == category, "\(text)") }
        #expect(ActivityCategory.parse("健康促进") == nil && ActivityCategory.parse("文体活动") == nil)
    }

    @Test func aPlusAfterTheCoverageIsAnApproximation() {
        let parsed = ActivityFields.coverage("1200+")
        #expect(parsed.value == 1200 && parsed.warning != nil)
    }
}
