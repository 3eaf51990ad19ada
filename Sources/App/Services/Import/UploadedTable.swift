// The first steps of every import: read the uploaded sheet (xlsx or csv, hostile until proven
// otherwise), fill merged cells down and across, and pick the sheet that holds the form.
import Foundation
import LiangbangCore
import Spreadsheet

/// Why an upload was refused before any row was checked (CLI exit 2, HTTP 422 with the reason).
struct UnreadableUpload: Error, Sendable {
    let message: String
}

enum UploadedTable {
    /// Uploads larger than this are refused before they are opened.
    static let maxUploadBytes = 20 * 1024 * 1024

    /// Rows of the first sheet whose header names the form's columns (a 填表说明 cover sheet is skipped),
    /// or of the first sheet when none does (the header check then reports what is missing).
    static func rows(data: Data, filename: String, columns: [ColumnSpec]) throws -> [SheetRow] {
        guard data.count <= maxUploadBytes else {
            throw UnreadableUpload(message: "文件过大（超过20 MB），请拆分后分批上传")
        }
        do {
            switch FileKind.detect(data, filename: filename) {
            case .xlsx:
                let workbook = try Workbook(data: data)
                var first: [SheetRow]?
                for info in workbook.sheets where !info.isHidden {
                    let rows = try rows(of: workbook, .index(info.index))
                    if case .success = TableLayout.locate(in: Array(rows.prefix(25)), columns: columns) { return rows }
                    if first == nil { first = rows }
                }
                return first ?? []
            default:
                // CSV, or a refusal with the save-as hint for .xls, PDF and the rest.
                return try convert(SpreadsheetReader.readSheet(data: data, filename: filename))
            }
        } catch let error as SpreadsheetError {
            throw UnreadableUpload(message: error.message)
        } catch let error as UnreadableUpload {
            throw error
        } catch {
            throw UnreadableUpload(message: "无法读取该文件，请另存为 Excel 工作簿 (*.xlsx) 后重新上传")
        }
    }

    /// Streams a sheet into text rows (no second copy of typed cells), then fills merged ranges.
    private static func rows(of workbook: Workbook, _ selector: SheetSelector) throws -> [SheetRow] {
        var rows: [SheetRow] = []
        let merges = try workbook.forEachRow(in: selector) { rows.append(convert($0)) }
        return fill(rows.sorted { $0.number < $1.number }, merges: merges)
    }

    private static func convert(_ sheet: Sheet) -> [SheetRow] {
        fill(sheet.rows.map(convert), merges: sheet.mergedRanges)
    }

    private static func convert(_ row: Row) -> SheetRow {
        var cells = [String](repeating: "", count: row.cells.last?.column ?? 0)
        for cell in row.cells { cells[cell.column - 1] = text(of: cell) }
        return SheetRow(number: row.number, cells: cells)
    }

    /// Offices merge 所在县 or 学校 down over several pupils: every cell of a merged range gets its top-left text.
    static func fill(_ rows: [SheetRow], merges: [CellRange]) -> [SheetRow] {
        guard !merges.isEmpty else { return rows }
        var byNumber = Dictionary(uniqueKeysWithValues: rows.map { ($0.number, $0.cells) })
        for m in merges where (m.lastRow - m.firstRow + 1) * (m.lastColumn - m.firstColumn + 1) <= 100_000 {
            guard let top = byNumber[m.firstRow], m.firstColumn - 1 < top.count else { continue }
            let value = top[m.firstColumn - 1]
            for r in m.firstRow...m.lastRow {
                var cells = byNumber[r] ?? []
                if cells.count < m.lastColumn { cells += [String](repeating: "", count: m.lastColumn - cells.count) }
                for c in m.firstColumn...m.lastColumn { cells[c - 1] = value }
                byNumber[r] = cells
            }
        }
        return byNumber.keys.sorted().map { SheetRow(number: $0, cells: byNumber[$0]!) }
    }

    /// The text a rule sees: numbers as stored (so an ID that Excel turned into 4.4E+17 says so), dates as ISO.
    static func text(of cell: Cell) -> String {
        switch cell.value {
        case .date(let d): return d.hasTime ? d.description : d.isoDate
        default: return cell.csvText
        }
    }
}
