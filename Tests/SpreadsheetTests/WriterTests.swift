// Writing xlsx (read back with our reader and checked part by part) and docx.

import Foundation
import Testing
@testable import Spreadsheet

@Suite struct WriterTests {
    @Test func rosterRoundTripsThroughOurReader() throws {
        let path = tempPath("roster.xlsx")
        let w = try XLSXWriter(path: path)
        let s = try w.addSheet("花名册", options: SheetOptions(columnWidths: [1: 10, 3: 22], textColumns: [3], frozenRows: 2))
        try s.appendRow([WriteCell("2024年结对帮扶花名册", style: .title)], height: 30)
        s.merge(CellRange("A1:E1")!)
        try s.appendRow(values: ["姓名", "性别", "身份证号", "出生日期", "分数"], style: .header)
        try s.appendRow([WriteCell("张三"), "男", WriteCell(.string("440982200708302011")),
                         WriteCell(.date(year: 2007, month: 8, day: 30)), WriteCell(.number(95.5))])
        try s.appendRow([WriteCell("李<四>&"), WriteCell("女", style: .highlight, comment: "性别与身份证号不符"),
                         WriteCell(.number(4409822007083)), WriteCell(.empty), WriteCell(.bool(true))])
        s.addDropDown(CellRange("B3:B1000")!, options: ["男", "女"], prompt: "请选择")
        let second = try w.addSheet("活动")
        try second.appendRow(values: ["a_x0041_b", "tab\tand\u{1}ctl"])
        try w.close()

        let wb = try Workbook(contentsOfFile: path)
        #expect(wb.sheets.map(\.name) == ["花名册", "活动"])
        let sheet = try wb.readSheet()
        #expect(sheet.mergedRanges == [CellRange("A1:E1")!])
        #expect(sheet.rows.map(\.number) == [1, 2, 3, 4])
        #expect(sheet.rows[2].cells.map(\.csvText) == ["张三", "男", "440982200708302011", "2007-08-30", "95.5"])
        #expect(sheet.rows[2].cells[2].numberFormat == "@")
        #expect(sheet.rows[3].cells.map(\.csvText) == ["李<四>&", "女", "4409822007083", "TRUE"])
        #expect(sheet.rows[3].cells[2].value == .string("4409822007083"))
        #expect(try wb.readSheet(.index(1)).rows[0].cells.map(\.csvText) == ["a_x0041_b", "tab\tand\u{1}ctl"])

        let parts = Dictionary(uniqueKeysWithValues: try ZipFixture.unzip(Data(contentsOf: URL(fileURLWithPath: path))).map {
            ($0.name, String(decoding: $0.bytes, as: UTF8.self))
        })
        let sheetXML = try #require(parts["xl/worksheets/sheet1.xml"])
        #expect(sheetXML.contains("state=\"frozen\"") && sheetXML.contains("ySplit=\"2\""))
        #expect(sheetXML.contains("<formula1>&quot;男,女&quot;</formula1>"))
        #expect(sheetXML.contains("<legacyDrawing r:id=\"rId2\"/>"))
        #expect(parts["xl/comments1.xml"]?.contains("性别与身份证号不符") == true)
        #expect(parts["xl/drawings/vmlDrawing1.vml"]?.contains("ObjectType=\"Note\"") == true)
        #expect(parts["[Content_Types].xml"]?.contains("comments+xml") == true)
        #expect(parts["xl/styles.xml"]?.contains("numFmtId=\"49\"") == true)
    }

    @Test func sharedStringsModeAndCSVImport() throws {
        let csv = tempPath("in.csv")
        try Data("姓名,身份证,日期,数\n张三,440982200708302011,2024-01-02,007\n".utf8).write(to: URL(fileURLWithPath: csv))
        let out = tempPath("out.xlsx")
        #expect(SpreadsheetCLI.run(["from-csv", csv, "--out", out, "--text-columns", "2", "--header-rows", "1"]) == 0)
        let rows = try Workbook(contentsOfFile: out).readSheet().rows
        #expect(rows[1].cells.map(\.csvText) == ["张三", "440982200708302011", "2024-01-02", "007"])

        let path = tempPath("sst.xlsx")
        let w = try XLSXWriter(path: path, sharedStrings: true)
        let s = try w.addSheet("S")
        for _ in 0..<3 { try s.appendRow(values: ["同", "样"]) }
        try w.close()
        let sheet = try Workbook(contentsOfFile: path).readSheet()
        #expect(sheet.rows.count == 3 && sheet.rows[2].cells.map(\.csvText) == ["同", "样"])
    }

    @Test func cliExitCodes() throws {
        #expect(SpreadsheetCLI.run([]) == 64)
        #expect(SpreadsheetCLI.run(["bogus"]) == 64)
        #expect(SpreadsheetCLI.run(["to-csv"]) == 64)
        let pdf = tempPath("x.xlsx")
        try Data("%PDF-1.4".utf8).write(to: URL(fileURLWithPath: pdf))
        #expect(SpreadsheetCLI.run(["info", pdf]) == 2)
    }

    @Test func docxHasTitleTableAndEastAsianFont() throws {
        var doc = DocxDocument(landscape: true)
        doc.append(.title("附件2：结对帮扶花名册"))
        doc.append(.paragraph("单位（盖章）：            填报日期：    年  月  日"))
        doc.append(.table(rows: [["序号", "姓名", "学校"], ["1", "张三", "广州一中"]], columnWidths: [1, 2, 4]))
        let data = try doc.data()
        let parts = Dictionary(uniqueKeysWithValues: try ZipFixture.unzip(data).map { ($0.name, String(decoding: $0.bytes, as: UTF8.self)) })
        #expect(Set(parts.keys).isSuperset(of: ["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"]))
        let body = try #require(parts["word/document.xml"])
        #expect(body.contains("附件2：结对帮扶花名册") && body.contains("<w:tbl>") && body.contains("w:insideV"))
        #expect(body.contains("<w:tblHeader/>") && body.contains("w:orient=\"landscape\""))
        #expect(parts["word/styles.xml"]?.contains("w:eastAsia=\"仿宋\"") == true)
    }
}
