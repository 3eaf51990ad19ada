// Reading sheets: strings, numbers, dates, formulas, merges, sparse and r-less cells.

import Foundation
import Testing
@testable import Spreadsheet

@Suite struct ReaderTests {
    @Test func sharedStringsWithRichTextPhoneticsAndEscapes() throws {
        let sst = "<si><t>普通</t></si><si><r><rPr><b/></rPr><t>加粗</t></r><r><t xml:space=\"preserve\"> 文本</t></r></si>"
            + "<si><t>汉字</t><rPh sb=\"0\" eb=\"1\"><t>かんじ</t></rPh></si><si><t>a_x000D_b</t></si><si/>"
        let wb = try workbook("<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
            + "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c></row></sheetData>", sst: sst)
        let row = try wb.readSheet().rows[0]
        #expect(row.cells.map(\.value) == [.string("普通"), .string("加粗 文本"), .string("汉字"), .string("a\rb"), .string("")])
    }

    @Test func aRowCallbackErrorPassesThroughUnchanged() throws {
        struct Stop: Error {}
        let wb = try workbook("<sheetData><row><c><v>1</v></c></row></sheetData>")   // deflated, like every real file
        #expect(throws: Stop.self) { try wb.forEachRow { _ in throw Stop() } }
    }

    @Test func lineEndsInCellTextAreReadAsLF() throws {
        // Excel writes Alt+Enter as LF; CR LF in the XML (other writers, hand edits) must not reach the rules.
        let sst = "<si><t>abc\r\ndef</t></si><si><t>abc_x000D_\r\ndef</t></si><si><t>a\rb&#13;c</t></si><si><t><![CDATA[x\r\ny]]></t></si>"
        let cells = (0..<4).map { "<c r=\"\(CellRef.columnName($0 + 1))1\" t=\"s\"><v>\($0)</v></c>" }.joined()
        let wb = try workbook("<sheetData><row r=\"1\">\(cells)<c r=\"E1\" t=\"inlineStr\"><is><t>甲\r\n乙\r丙</t></is></c></row></sheetData>", sst: sst)
        #expect(try wb.readSheet().rows[0].cells.map(\.raw) == ["abc\ndef", "abc\r\ndef", "a\nb\rc", "x\ny", "甲\n乙\n丙"])
    }

    @Test func inlineStringsBooleansErrorsAndFormulaCachedValues() throws {
        let wb = try workbook("<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><t>内</t></r><r><t>联</t></r></is></c>"
            + "<c r=\"B2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"e\"><v>#N/A</v></c>"
            + "<c r=\"D2\"><f>1+1</f><v>2</v></c><c r=\"E2\" t=\"str\"><f>\"a\"&amp;\"b\"</f><v>ab</v></c><c r=\"F2\"><f>NOW()</f></c></row></sheetData>")
        let sheet = try wb.readSheet()
        #expect(sheet.rows.count == 1 && sheet.rows[0].number == 2)
        let cells = sheet.rows[0].cells
        #expect(cells.map(\.value) == [.string("内联"), .bool(true), .error("#N/A"), .number(2), .string("ab")])
        #expect(cells[3].isFormula && cells[4].isFormula && !cells[0].isFormula)
    }

    @Test func rawTextOfALongIDInANumberCell() throws {
        let wb = try workbook("<sheetData><row r=\"1\"><c r=\"C1\"><v>4.40982200708302E+17</v></c></row></sheetData>")
        let c = try #require(try wb.readSheet().cell(row: 1, column: 3))
        #expect(c.raw == "4.40982200708302E+17")
        #expect(c.value == .number(440982200708302000))
        #expect(c.csvText == "4.40982200708302E+17")
    }

    @Test func cellsAndRowsWithoutReferencesAndSparseRows() throws {
        let wb = try workbook("<sheetData><row><c><v>1</v></c><c><v>2</v></c></row><row r=\"5\"><c r=\"C5\"><v>3</v></c><c><v>4</v></c></row><row><c t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>")
        let s = try wb.readSheet()
        #expect(s.rows.map(\.number) == [1, 5, 6])
        #expect(s.rows[0].cells.map(\.column) == [1, 2])
        #expect(s.rows[1].cells.map(\.column) == [3, 4])
        #expect(s.rowCount == 6 && s.columnCount == 4)
    }

    @Test func mergedRangesAreReportedAndCanBeFilled() throws {
        let wb = try workbook("<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>标题</t></is></c></row><row r=\"2\"><c r=\"A2\"><v>1</v></c></row></sheetData><mergeCells count=\"2\"><mergeCell ref=\"A1:C1\"/><mergeCell ref=\"A2:A3\"/></mergeCells>")
        let s = try wb.readSheet()
        #expect(s.mergedRanges == [CellRange("A1:C1")!, CellRange("A2:A3")!])
        #expect(s.mergedValue(row: 1, column: 3) == .string("标题"))
        let filled = s.fillingMergedCells()
        #expect(filled.cell(row: 3, column: 1)?.value == .number(1))
        #expect(filled.rows[0].cells.count == 3)
    }

    @Test func datesFromBuiltInAndCustomFormats() throws {
        let styles = stylesXML(numFmts: [(164, "yyyy/m/d"), (165, "yyyy\"年\"m\"月\"d\"日\""), (166, "0.00"), (167, "[$-F800]dddd")],
                               xfs: [0, 14, 164, 165, 22, 20, 166, 31, 167, 49])
        let cells = (1...10).map { i in "<c r=\"\(CellRef.columnName(i))1\" s=\"\(i - 1)\"><v>\(i == 5 ? "45000.75" : i == 6 ? "0.5" : "45000")</v></c>" }
        let wb = try workbook("<sheetData><row r=\"1\">\(cells.joined())</row></sheetData>", styles: styles)
        let v = try wb.readSheet().rows[0].cells.map(\.csvText)
        #expect(v == ["45000", "2023-03-15", "2023-03-15", "2023-03-15", "2023-03-15 18:00:00", "12:00:00", "45000", "2023-03-15", "2023-03-15", "45000"])
    }

    @Test func the1900LeapYearBugAnd1904System() {
        func d(_ s: Double, _ y1904: Bool = false) -> String { NumberFormat.date(serial: s, date1904: y1904, kind: .date)!.description }
        #expect(d(1) == "1900-01-01")
        #expect(d(59) == "1900-02-28")
        #expect(d(60) == "1900-02-29")
        #expect(d(61) == "1900-03-01")
        #expect(d(45000) == "2023-03-15")
        #expect(d(0, true) == "1904-01-01")
        #expect(d(43538, true) == "2023-03-15")
        #expect(NumberFormat.serial(year: 2023, month: 3, day: 15) == 45000)
        #expect(NumberFormat.serial(year: 1900, month: 2, day: 28) == 59)
    }

    @Test func workbookWith1904DatesIsRecognised() throws {
        let wb = try workbook("<sheetData><row r=\"1\"><c r=\"A1\" s=\"1\"><v>43538</v></c></row></sheetData>",
                              styles: stylesXML(xfs: [0, 14]), workbookPr: "<workbookPr date1904=\"1\"/>")
        #expect(wb.uses1904)
        #expect(try wb.readSheet().rows[0].cells[0].value == .date(DateTimeValue(year: 2023, month: 3, day: 15)))
    }

    @Test func formatClassification() {
        #expect(NumberFormat.classify("General") == .none)
        #expect(NumberFormat.classify("#,##0.00") == .none)
        #expect(NumberFormat.classify("0.00E+00") == .none)
        #expect(NumberFormat.classify("\"day\" 0") == .none)
        #expect(NumberFormat.classify("yyyy/m/d") == .date)
        #expect(NumberFormat.classify("yyyy\"年\"m\"月\"d\"日\"") == .date)
        #expect(NumberFormat.classify("h:mm AM/PM") == .time)
        #expect(NumberFormat.classify("[h]:mm:ss") == .time)
        #expect(NumberFormat.classify("[Red]0.00") == .none)
        #expect(NumberFormat.classify("yyyy-mm-dd hh:mm") == .dateTime)
    }

    @Test func chineseSheetNamesAndSelection() throws {
        let data = try ZipFixture.workbook(sheetXML: "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>", sheetName: "花名册（附件2）")
        let wb = try Workbook(data: data)
        #expect(wb.sheets.map(\.name) == ["花名册（附件2）"])
        #expect(try wb.readSheet(.name("花名册（附件2）")).rows.count == 1)
        #expect(throws: SpreadsheetError.sheetNotFound("无")) { try wb.readSheet(.name("无")) }
    }

    @Test func isoDateCells() throws {
        let wb = try workbook("<sheetData><row r=\"1\"><c r=\"A1\" t=\"d\"><v>2024-02-29T00:00:00</v></c></row></sheetData>")
        #expect(try wb.readSheet().rows[0].cells[0].csvText == "2024-02-29")
    }
}
