// 附件3 in and out (issue 6): a workbook filled the way offices fill it imports; one bad line stores nothing;
// the unit's export re-imports unchanged; the province's consolidation; the board's page, export and chase list.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Testing
import Vapor
import VaporTesting

/// An office's 附件3: title rows, 单位：…, a header with line breaks, the template's sample row left in, 主办单位
/// merged down, dates typed every way, the notes under the table.
func officeWorkbook(lines: [[WriteValue]]) throws -> Data {
    try Download.xlsx { writer in
        let sheet = try writer.addSheet("Sheet1")
        try sheet.appendRow(values: ["附件3"])
        try sheet.appendRow(values: ["2022年“两帮两促”集中行动月活动汇总表"])
        sheet.merge(CellRange(firstRow: 2, firstColumn: 1, lastRow: 2, lastColumn: 10))
        try sheet.appendRow(values: ["单位：乐昌市团委（盖章）"])
        try sheet.appendRow(values: ["序号", "主办\n单位", "联合开展\n单位", "开展时间", "活动类别", "活动主题", "活动概况和特色亮点\n（不超过100字）",
                                     "覆盖\n人数", "报道链接", "重点宣传\n项目"])
        try sheet.appendRow(values: [1, "", "", "", "", "", "（不超过100字）", "", "", "√"])
        for (i, line) in lines.enumerated() { try sheet.appendRow(values: [.number(Double(i + 2))] + line) }
        if lines.count > 1 { sheet.merge(CellRange(firstRow: 6, firstColumn: 2, lastRow: 5 + lines.count, lastColumn: 2)) }
        try sheet.appendRow(values: ["注：1.活动类别为：学业帮助、就业创业帮助、体质健康促进、心理健康促进；"])
        sheet.merge(CellRange(firstRow: 6 + lines.count, firstColumn: 1, lastRow: 6 + lines.count, lastColumn: 10))
        try sheet.appendRow(values: ["2.各地市团委至少开展1场“两帮两促”示范活动，各县（市、区）、相关高校团委分别至少开展1场活动；"])
        try sheet.appendRow(values: ["3.各地市、各相关高校团委推荐至少一个项目作为重点宣传项目。"])
    }
}

let goodLines: [[WriteValue]] = [
    ["乐昌市团委", "乐昌市教育局", .date(year: 2022, month: 7, day: 15), "学业帮助", "暑期学业辅导营", "大学生志愿者为留守儿童辅导功课", 1200,
     "https://example.org/a\nhttps://example.org/b", "√"],
    ["", "", "7.20-7.25", "体质健康促进类", "健康义诊进乡村", "义诊与体质测试", "300人", "", ""],
    ["", "韶关学院", 44772, "心理健康促进", "心理健康讲座", "", "约80人", "", "是"],
    ["", "", "2022.8.1", "就业创业帮助", "青年创业沙龙", "返乡青年分享创业经验", "1,050", "", "✓"],
]

@Suite struct ActivityImportExportTests {
    func lechangStaff(_ app: Application) async throws -> HTTPHeaders {
        try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
        return try await app.bearer("lc_staff")
    }

    @Test func anOfficeFilledWorkbookImportsAndTheExportReimportsUnchanged() async throws {
        try await withTestApp { app in
            let staff = try await lechangStaff(app)
            let res = try await app.upload("/api/v1/activities/import?campaign=2022", headers: staff, filename: "附件3.xlsx", data: try officeWorkbook(lines: goodLines))
            #expect(res.status == .ok, "\(res.body.string)")
            let report = try res.content.decode(ImportReport.self)
            #expect(report.added == 4 && report.stored == 4 && report.errors.isEmpty)
            #expect(report.warnings.contains { $0.row == 8 && $0.column == "覆盖人数" })     // 约80人
            let stored = try await Activity.query(on: app.db).sort(\.$position).all()
            #expect(stored.map(\.host) == Array(repeating: "乐昌市团委", count: 4))      // merged down
            #expect(stored.map(\.startDate) == ["2022-07-15", "2022-07-20", "2022-07-30", "2022-08-01"])
            #expect(stored[1].endDate == "2022-07-25" && stored[1].category == "physical")
            #expect(stored.map(\.peopleCovered) == [1200, 300, 80, 1050])
            #expect(stored.map(\.keyPublicity) == [true, false, true, true])
            #expect(stored[0].reportLinks == "https://example.org/a\nhttps://example.org/b")

            var exported = Data()
            try await app.testing().test(.GET, "/activities/export?campaign=2022", headers: staff) { res in
                #expect(res.status == .ok)
                exported = Data(buffer: res.body)
                let sheet = try Workbook(data: exported).readSheet()
                #expect(sheet.cell(row: 3, column: 1)?.value.text == "单位：乐昌市")
                #expect(sheet.cell(row: 4, column: 6)?.value.text == "活动主题")
                #expect(sheet.cell(row: 6, column: 4)?.value.text == "2022-07-20至2022-07-25")
            }
            let again = try await app.upload("/api/v1/activities/import?campaign=2022", headers: staff, filename: "导出.xlsx", data: exported)
            let second = try again.content.decode(ImportReport.self)
            #expect(second.added == 0 && second.updated == 0 && second.removed == 0 && second.stored == 4)
            #expect(try await Activity.query(on: app.db).all().map(\.id) .sorted { $0!.uuidString < $1!.uuidString } == stored.map(\.id).sorted { $0!.uuidString < $1!.uuidString })
        }
    }

    @Test func oneBadLineStoresNothingAndEveryProblemNamesItsRowAndColumn() async throws {
        try await withTestApp { app in
            let staff = try await lechangStaff(app)
            _ = try await app.upload("/api/v1/activities/import?campaign=2022", headers: staff, filename: "a.xlsx", data: try officeWorkbook(lines: [goodLines[0]]))
            var bad = goodLines
            bad[0][5] = .string(String(repeating: "乡", count: 101))   // row 6
            bad[1][3] = "文体活动"                                         // row 7
            bad[2][6] = -5                                               // row 8
            bad[3][6] = 12.5                                             // row 9
            bad.append(["", "", "2021-07-15", "学业帮助", "往年活动", "", 10, "javascript:alert(1)", ""])   // row 10: two problems
            let res = try await app.upload("/api/v1/activities/import?campaign=2022", headers: staff, filename: "bad.xlsx", data: try officeWorkbook(lines: bad))
            #expect(res.status == .unprocessableEntity)
            let report = try res.content.decode(ImportReport.self)
            #expect(report.errors.map { "\($0.row)\($0.column)" } == ["6活动概况和特色亮点", "7活动类别", "8覆盖人数", "9覆盖人数", "10开展时间", "10报道链接"])
            #expect(report.errors.allSatisfy { isChinese($0.message) })
            #expect(try await Activity.query(on: app.db).count() == 1)
            let notes = try await app.upload("/api/v1/activities/import?campaign=2022&dryRun=true", headers: staff, filename: "a.pdf", data: Data("%PDF-1.4".utf8))
            #expect(notes.status == .unprocessableEntity && isChinese(notes.errorMessage))
        }
    }

    @Test func theProvinceConsolidatesEveryUnitAndOnlyTheProvinceMay() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            for (name, title, key) in [("乐昌市", "暑期学业辅导营", false), ("韶关市", "示范活动启动仪式", true), ("韶关学院", "云支教夏令营", true), ("广州市", "广州活动", false)] {
                var a = NewActivity(); a.orgId = try await app.org(named: name).id; a.title = title; a.keyPublicity = key
                try await app.addActivity(a, admin)
            }
            try await app.testing().test(.GET, "/activities/consolidation.xlsx?campaign=2022", headers: admin) { res in
                #expect(res.status == .ok)
                let workbook = try Workbook(data: Data(buffer: res.body))
                let names = workbook.sheets.map(\.name)
                #expect(names.first == "汇总" && names.contains("韶关市") && names.contains("高校") && names.contains("省有关单位") && names.last == "重点宣传项目")
                #expect(names.count == 21 + 4)
                let shaoguan = try workbook.readSheet(.name("韶关市"))
                let units = (5...6).map { shaoguan.cell(row: $0, column: 2)?.value.text ?? "" }
                #expect(units == ["韶关市", "乐昌市"])
                #expect(shaoguan.rows.count == 6)
                let summary = try workbook.readSheet(.name("汇总"))
                #expect(summary.cell(row: 4, column: 1)?.value.text == "地市团委本级" && summary.cell(row: 4, column: 2)?.value.text == "2")
                #expect(summary.cell(row: 9, column: 1)?.value.text == "合计" && summary.cell(row: 9, column: 2)?.value.text == "4")
                let keys = try workbook.readSheet(.name("重点宣传项目"))
                #expect(keys.rows.count == 4)
            }
            try await app.makeUser("sg_city", in: "韶关市", role: .staff)
            try await app.testing().test(.GET, "/activities/consolidation.xlsx?campaign=2022", headers: try await app.bearer("sg_city")) { res in
                #expect(res.status == .forbidden)
            }
        }
    }

    @Test func theBoardPageExportAndChaseListReachTheUnitsThatOweSomething() async throws {
        try await withTestApp { app in
            try await app.keepOnlyActivityQuotas()
            app.setToday("2022-07-10")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            try await app.makeUser("rh_staff", in: "仁化县", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .admin)
            let lc = try await app.bearer("lc_staff")
            try await app.addActivity(NewActivity(), lc)
            app.setToday("2022-07-08")
            _ = try await app.submitActivities(nil, stage: "plan", lc)
            app.setToday("2022-07-10")
            let (cookie, csrf) = try await WebPagesTests().signIn(app, "sg_city", "Secret-pass-1")
            try await app.testing().test(.GET, "/completeness?campaign=2022", headers: ["Cookie": cookie]) { res in
                let html = res.body.string
                #expect(res.status == .ok)
                #expect(html.contains(#"data-org="乐昌市" data-status="green""#))
                #expect(html.contains(#"data-org="仁化县" data-status="red""#))
                #expect(html.contains("逾期未报送活动计划（7月8日截止）"))
                #expect(!html.contains("韶关学院") && !html.contains("consolidation-download"))
            }
            try await app.testing().test(.GET, "/completeness/export.xlsx?campaign=2022", headers: ["Cookie": cookie]) { res in
                let workbook = try Workbook(data: Data(buffer: res.body))
                #expect(workbook.sheets.map(\.name) == ["完成情况", "待催报"])
                let chase = try workbook.readSheet(.name("待催报"))
                let names = (2...chase.rows.count).map { chase.cell(row: $0, column: 1)?.value.text ?? "" }
                #expect(names.contains("仁化县") && !names.contains("乐昌市"))
            }
            try await app.testing().test(.POST, "/completeness/chase", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["_csrf": csrf, "campaign": "2022"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .seeOther)
            }
            let sent = try await Notification.query(on: app.db).all()
            let rh = try #require(try await User.query(on: app.db).filter(\.$username == "rh_staff").first())
            let lcUser = try #require(try await User.query(on: app.db).filter(\.$username == "lc_staff").first())
            #expect(sent.contains { $0.userID == rh.id && $0.kind == .chase && $0.body.contains("逾期未报送活动计划") })
            #expect(!sent.contains { $0.userID == lcUser.id })
        }
    }
}
