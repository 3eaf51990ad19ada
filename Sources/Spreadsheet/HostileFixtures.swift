// Small workbooks built to exhaust a naive reader (issue 10), as probed on the running server:
// shared by the tests, the fuzzer's seeds and the measuring script.

import Foundation

extension ZipFixture {
    /// `rows` rows of one cell each, at column XFD (16,384): ~5 KB zipped for 20,000 rows,
    /// 327 M cells for a reader that pads each row to its last column.
    public static func farColumnRows(_ rows: Int = 20_000) throws -> Data {
        let body = (1...max(1, rows)).map { "<row r=\"\($0)\"><c r=\"XFD\($0)\" t=\"inlineStr\"><is><t>x</t></is></c></row>" }
        return try workbook(sheetXML: "<sheetData>" + body.joined() + "</sheetData>")
    }

    /// `merges` merged ranges of six whole rows each (A1:XFD6, A7:XFD12, …), a text in each top-left cell:
    /// ~100,000 cells per range for a reader that fills merges cell by cell.
    public static func sheetWideMerges(_ merges: Int = 4) throws -> Data {
        let tops = (0..<max(1, merges)).map { $0 * 6 + 1 }
        let rows = tops.map { "<row r=\"\($0)\"><c r=\"A\($0)\" t=\"inlineStr\"><is><t>合并\($0)</t></is></c></row>" }
        let refs = tops.map { "<mergeCell ref=\"A\($0):XFD\($0 + 5)\"/>" }
        return try workbook(sheetXML: "<sheetData>" + rows.joined() + "</sheetData><mergeCells count=\"\(tops.count)\">"
                            + refs.joined() + "</mergeCells>")
    }
}
