// The first steps of every import: read the uploaded sheet (xlsx or csv, hostile until proven
// otherwise), fill merged cells down and across, and find the form's header and data rows.
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

    static func rows(data: Data, filename: String) throws -> [SheetRow] {
        guard data.count <= maxUploadBytes else {
            throw UnreadableUpload(message: "文件过大（超过20 MB），请拆分后分批上传")
        }
        let sheet: Sheet
        do {
            sheet = try SpreadsheetReader.readSheet(data: data, filename: filename).fillingMergedCells()
        } catch let error as SpreadsheetError {
            throw UnreadableUpload(message: error.message)
        } catch {
            throw UnreadableUpload(message: "无法读取该文件，请另存为 Excel 工作簿 (*.xlsx) 后重新上传")
        }
        return sheet.rows.map { row in
            let width = row.cells.last?.column ?? 0
            var cells = [String](repeating: "", count: width)
            for cell in row.cells { cells[cell.column - 1] = text(of: cell) }
            return SheetRow(number: row.number, cells: cells)
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
