// Uploads built to exhaust CPU or memory (issue 10): bounded rows or a Chinese refusal, never a padded
// 16,384-column table, a cell-by-cell fill of whole-row merges, or a trap on a repeated row number.
@testable import App
import Foundation
import LiangbangCore
import Spreadsheet
import Testing
import Vapor
import VaporTesting

@Suite struct HostileUploadTests {
    func rows(_ data: Data, _ filename: String = "名单.xlsx") throws -> [SheetRow] {
        try UploadedTable.rows(data: data, filename: filename, columns: RosterColumn.specs)
    }

    /// The refusal's message, or nil when the upload was read.
    func refusal(_ data: Data, _ filename: String = "名单.xlsx") -> String? {
        do { _ = try rows(data, filename); return nil } catch let error as UnreadableUpload { return error.message } catch { return "\(error)" }
    }

    /// The roster's header (10 columns) as row 1.
    static let header = "<row r=\"1\">" + RosterLine.header.split(separator: ",").enumerated().map {
        "<c r=\"\(CellRef.columnName($0.offset + 1))1\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c>"
    }.joined() + "</row>"

    static func text(_ ref: String, _ value: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(value)</t></is></c>" }

    @Test func aCellAtXFDOnEveryRowDoesNotWidenTheRows() throws {
        let start = Date()
        #expect(try rows(ZipFixture.farColumnRows(20_000)).isEmpty)   // every cell lies right of column 64
        // Beside real cells, rows keep their own width.
        let mixed = try rows(ZipFixture.workbook(sheetXML: "<sheetData>" + Self.header
            + "<row r=\"2\">\(Self.text("B2", "张三"))\(Self.text("XFD2", "x"))</row></sheetData>"))
        #expect(mixed.map(\.cells.count) == [10, 2])
        #expect(mixed[1].cells == ["", "张三"])
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func mergesAcrossWholeRowsFillOnlyUsedColumnsOfRowsThatExist() throws {
        let start = Date()
        let read = try rows(ZipFixture.sheetWideMerges(4))
        #expect(read.map(\.number) == [1, 7, 13, 19])
        #expect(read.allSatisfy { $0.cells.count == 1 })
        // A county merged down over its pupils still reaches every pupil; a merge to XFD stops at the last used column.
        let body = Self.header + (2...4).map { "<row r=\"\($0)\">\($0 == 2 ? Self.text("A2", "武江区") : "")\(Self.text("B\($0)", "学生\($0)"))</row>" }.joined()
        let filled = try rows(ZipFixture.workbook(sheetXML: "<sheetData>\(body)</sheetData><mergeCells><mergeCell ref=\"A2:A9\"/><mergeCell ref=\"B4:XFD4\"/></mergeCells>"))
        #expect(filled.map(\.number) == [1, 2, 3, 4])
        #expect(filled.dropFirst().map { $0.cells[0] } == ["武江区", "武江区", "武江区"])
        #expect(filled[3].cells == ["武江区"] + Array(repeating: "学生4", count: 9))
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aRepeatedRowNumberWithAMergeIsOneRow() throws {
        let xml = "<sheetData><row r=\"1\">\(Self.text("A1", "甲"))</row><row r=\"1\">\(Self.text("B1", "乙"))</row>"
            + "<row r=\"2\">\(Self.text("B2", "丙"))</row></sheetData><mergeCells><mergeCell ref=\"A1:A2\"/></mergeCells>"
        let read = try rows(ZipFixture.workbook(sheetXML: xml))
        #expect(read.map(\.cells) == [["甲", "乙"], ["甲", "丙"]])
    }

    @Test func mergesThatWouldFillMillionsOfCellsAreRefused() throws {
        // 35,000 pupils' rows in column A, one cell at BL (64) and A1:BL35000 merged: 4.4 M cells once filled.
        let body = "<row r=\"1\">\(Self.text("A1", "甲"))\(Self.text("BL1", "乙"))</row>"
            + (2...35_000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let message = refusal(try ZipFixture.workbook(sheetXML: "<sheetData>\(body)</sheetData><mergeCells><mergeCell ref=\"A1:BL35000\"/></mergeCells>"))
        #expect(message?.hasPrefix("合并单元格范围过大") == true, "\(message ?? "read")")
    }

    @Test func tooManyCellsAreRefused() throws {
        // 70,000 rows reaching column BL: 4.5 M cells as text rows.
        let body = (1...70_000).map { "<row r=\"\($0)\"><c r=\"BL\($0)\"><v>1</v></c></row>" }.joined()
        let message = refusal(try ZipFixture.workbook(sheetXML: "<sheetData>\(body)</sheetData>"))
        #expect(message?.hasPrefix("表格单元格过多") == true, "\(message ?? "read")")
    }

    @Test func moreThan100000RowsAreRefused() throws {
        #expect(try rows(Data(String(repeating: "x\n", count: UploadBudget.maxRows).utf8), "名单.csv").count == UploadBudget.maxRows)
        let message = refusal(Data(String(repeating: "x\n", count: UploadBudget.maxRows + 1).utf8), "名单.csv")
        #expect(message?.hasPrefix("表格行数过多") == true, "\(message ?? "read")")
    }

    @Test func onlyTheFirstFewVisibleSheetsAreSearchedForTheHeader() throws {
        let cover = "<sheetData><row r=\"1\">\(Self.text("A1", "填表说明"))</row></sheetData>"
        let form = "<sheetData>" + Self.header + "<row r=\"2\">\(Self.text("B2", "张三"))</row></sheetData>"
        let early = try ZipFixture.workbook(sheets: [("说明", cover), ("名单", form)])
        #expect(try rows(early).first?.cells.first == "序号")
        // A workbook of many sheets: the header on the sixth is not looked for; the first sheet is reported on.
        let late = try ZipFixture.workbook(sheets: (1...UploadedTable.maxSheets).map { ("说明\($0)", cover) } + [("名单", form)])
        #expect(try rows(late).first?.cells == ["填表说明"])
    }

    @Test func csvOfOneHugeLineKeepsOnly64Columns() throws {
        let start = Date()
        let wide = try rows(Data(String(repeating: "x,", count: 2_000_000).utf8), "名单.csv")
        #expect(wide.count == 1 && wide[0].cells.count == UploadedTable.maxColumns)
        #expect(try rows(Data(String(repeating: ",", count: 4_000_000).utf8), "名单.csv").isEmpty)
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aCellLongerThanExcelAllowsIsRefused() throws {
        let fine = String(repeating: "数", count: 32_767)
        #expect(try rows(Data("\(fine)\n".utf8), "名单.csv")[0].cells == [fine])
        let message = refusal(Data("a,\"\(fine)数\"\n".utf8), "名单.csv")
        #expect(message?.hasPrefix("单元格 B1 的内容超过32767个字符") == true, "\(message ?? "read")")
    }

    @Test func anEmptyUploadSaysTheFileIsEmpty() async throws {
        #expect(refusal(Data(), "名单.xlsx")?.hasPrefix("文件是空的") == true)
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let res = try await app.upload("/api/v1/pairings/import", headers: staff, filename: "名单.xlsx", data: Data())
            #expect(res.status == .unprocessableEntity)
            #expect(res.errorMessage?.hasPrefix("文件是空的") == true, "\(res.body.string)")
        }
    }

    /// A sheet of wrong lines: every problem is counted, the first `listLimit` listed in order, and nothing stored.
    @Test func aSheetOfWrongLinesCountsEveryProblemAndListsTheFirstOnes() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let header = "序号,学生姓名,性别,身份证号,学籍号,在读学校,年级班级,所在县（市、区）,结对志愿者,结对志愿者身份证号\n"
            let lines = ImportReport.listLimit / 8 + 100
            let res = try await app.upload("/api/v1/pairings/import", headers: staff, content: header + String(repeating: "1,,,,X\n", count: lines))
            #expect(res.status == .unprocessableEntity)
            let report = try res.content.decode(ImportReport.self)
            #expect(report.errorCount == lines * 8, "\(report.errorCount)")
            #expect(report.errors.count == ImportReport.listLimit)
            #expect(report.errors.map(\.row) == report.errors.map(\.row).sorted())
            #expect(report.errors.first?.row == 2 && report.errors.last!.row < lines + 1)
            #expect(try await Pairing.query(on: app.db).count() == 0)
        }
    }
}

@Suite struct MultipartHeaderTests {
    /// MultipartKit traps ("Index out of range", the whole server down) on a part header name with a byte ≥ 0x80:
    /// the upload routes refuse such a body with 422 before decoding it.
    @Test func aNonASCIIPartHeaderNameIsRefusedAndTheServerStaysUp() async throws {
        try await withTestApp { app in
            _ = try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            var headers = try await app.bearer("sg_staff")
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=BB")
            let evil = "--BB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\né: x\r\n\r\ndata\r\n--BB--\r\n"
            for path in ["/api/v1/pairings/import", "/api/v1/sessions/import", "/api/v1/matching/tutoring", "/api/v1/activities/import",
                         "/api/v1/practice-teams/import", "/api/v1/graduates/import"] {
                let res = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: evil))
                #expect(res.status == .unprocessableEntity, "\(path) \(res.body.string)")
            }
            // A page form with the session cookie: the CSRF check reads the form before any route runs.
            let (cookie, _) = try await app.signIn("sg_staff", "Secret-pass-1")
            var page = HTTPHeaders([("Cookie", cookie)])
            page.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=BB")
            for path in ["/roster/import", "/tutoring/sessions"] {
                let res = try await app.testing().sendRequest(.POST, path, headers: page, body: ByteBuffer(string: evil))
                #expect(res.status.code >= 400 && res.status.code < 500, "\(path) \(res.status)")
            }
            // Chinese file names, and Chinese text with colons inside a file, are not header names.
            let fine = "--BB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"学生.csv\"\r\n\r\n日期: 2022\r\né: x\r\n--BB--\r\n"
            #expect(!MultipartGuard.hasUnsafeHeaderName(ByteBuffer(string: fine), boundary: "BB"))
            #expect(MultipartGuard.hasUnsafeHeaderName(ByteBuffer(string: evil), boundary: "BB"))
        }
    }
}
