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
    /// Real forms have at most ~15 columns. Cells right of column 64 (BL) are not read, so one stray cell
    /// at XFD cannot widen every row to 16,384 columns.
    static let maxColumns = 64
    /// Visible sheets searched for the form's header (a 填表说明 cover sheet or two come first in real workbooks).
    static let maxSheets = 5
    /// Unpacked bytes per part: 3× the sheet XML of the largest real roster (55,000 lines ≈ 33 MB).
    static let limits = ReadLimits(maxTotalBytes: 100 << 20, maxCells: UploadBudget.maxCells)

    /// Rows of the first sheet whose header names the form's columns (a 填表说明 cover sheet is skipped),
    /// or of the first sheet when none does (the header check then reports what is missing).
    static func rows(data: Data, filename: String, columns: [ColumnSpec]) throws -> [SheetRow] {
        try table(data: data, filename: filename, columns: columns).rows
    }

    /// The rows, and the merged ranges of their sheet (the error workbook merges the title rows again).
    static func table(data: Data, filename: String, columns: [ColumnSpec]) throws -> (rows: [SheetRow], merges: [CellRange]) {
        guard data.count <= maxUploadBytes else {
            throw UnreadableUpload(message: "文件过大（超过20 MB），请拆分后分批上传")
        }
        do {
            // One budget for the whole upload, over every sheet tried: bounds CPU and memory whatever the file holds.
            var budget = UploadBudget()
            switch FileKind.detect(data, filename: filename) {
            case .xlsx:
                let workbook = try Workbook(data: data, limits: limits)
                var first: (rows: [SheetRow], merges: [CellRange])?
                for info in workbook.sheets.filter({ !$0.isHidden }).prefix(maxSheets) {
                    var rows: [SheetRow] = []
                    budget.startSheet()
                    let merges = try workbook.forEachRow(in: .index(info.index)) { row in
                        if let kept = try budget.keep(row) { rows.append(kept) }
                    }
                    rows = try budget.fill(UploadBudget.ordered(rows), merges: merges)
                    if case .success = TableLayout.locate(in: Array(rows.prefix(25)), columns: columns) { return (rows, merges) }
                    if first == nil { first = (rows, merges) }
                }
                return first ?? ([], [])
            case .csv:
                var rows: [SheetRow] = []
                try CSV.forEachRow(data: data, maxColumns: maxColumns) { row in
                    if let kept = try budget.keep(row) { rows.append(kept) }
                }
                return (rows, [])
            default:
                // .xls, PDF, an empty file and the rest: the reader's own refusal, with its save-as hint.
                _ = try SpreadsheetReader.readSheet(data: data, filename: filename, limits: limits)
                throw UnreadableUpload(message: "无法读取该文件，请另存为 Excel 工作簿 (*.xlsx) 后重新上传")
            }
        } catch let error as SpreadsheetError {
            throw UnreadableUpload(message: error.message)
        } catch let error as UnreadableUpload {
            throw error
        } catch {
            throw UnreadableUpload(message: "无法读取该文件，请另存为 Excel 工作簿 (*.xlsx) 后重新上传")
        }
    }

    /// The text a rule sees: numbers as stored (so an ID that Excel turned into 4.4E+17 says so), dates as ISO.
    static func text(of cell: Cell) -> String {
        switch cell.value {
        case .date(let d): return d.hasTime ? d.description : d.isoDate
        default: return cell.csvText
        }
    }
}
