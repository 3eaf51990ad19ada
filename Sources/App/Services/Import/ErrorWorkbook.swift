// The workbook an office downloads to fix a refused upload: its own rows, an error column,
// offending cells highlighted with the message as a comment.
import Foundation
import LiangbangCore
import Spreadsheet

enum ErrorWorkbook {
    /// `merges`: the upload's merged ranges above its header (the title rows), merged again rather than the title
    /// repeated in every column.
    static func write(rows: [SheetRow], columns: [String: Int], headerRow: Int?, problems: [RowProblem], merges: [CellRange] = []) throws -> Data {
        try Download.xlsx { try write(rows: rows, columns: columns, headerRow: headerRow, problems: problems, merges: merges, into: $0) }
    }

    private static func write(rows: [SheetRow], columns: [String: Int], headerRow: Int?, problems: [RowProblem], merges: [CellRange],
                              into writer: XLSXWriter) throws {
        let byRow = Dictionary(grouping: problems, by: \.row)
        let width = max(rows.map(\.cells.count).max() ?? 0, (columns.values.max() ?? 0) + 1)
        // Title merges only (above the header, within the sheet's columns): the rows below are the office's data.
        let titles = merges.filter { $0.lastRow < (headerRow ?? 1) && $0.lastColumn <= width }.prefix(50)
        // Every column as text: what the office typed comes back exactly as typed.
        let sheet = try writer.addSheet("错误标注", options: SheetOptions(
            columnWidths: Dictionary(uniqueKeysWithValues: (1...(width + 1)).map { ($0, $0 == width + 1 ? 60.0 : 18.0) }),
            textColumns: Set(1...width), frozenRows: headerRow ?? 0))
        var written = 0, comments = 0
        for row in rows {
            // Keep Excel's row numbers: the report and the workbook must point at the same lines.
            while written + 1 < row.number {
                try sheet.appendRow(values: [])
                written += 1
            }
            let found = byRow[row.number] ?? []
            var cells = (0..<width).map { WriteCell(.string(row.cell($0))) }
            // The reader filled each merged cell with the title; keep it in the top-left cell only.
            for m in titles where (m.firstRow...m.lastRow).contains(row.number) {
                for column in m.firstColumn...m.lastColumn where !(row.number == m.firstRow && column == m.firstColumn) {
                    cells[column - 1] = WriteCell(.string(""))
                }
            }
            for problem in found {
                if let index = columns[problem.column], index < width {
                    cells[index].style = .highlight
                    // Comments are the costly part of a workbook (a drawing shape each): the first ones only, as in
                    // the report. Every message is also in the row's 错误说明 column.
                    if comments < ImportReport.listLimit {
                        cells[index].comment = (problem.warning ? "提示：" : "") + problem.message
                        comments += 1
                    }
                }
            }
            if row.number == headerRow {
                cells.append(WriteCell(.string("错误说明"), style: .header))
            } else {
                cells.append(WriteCell(.string(found.map { ($0.warning ? "提示：" : "") + "［\($0.column)］" + $0.message }.joined(separator: "；")),
                                       style: found.contains { !$0.warning } ? .highlight : nil))
            }
            try sheet.appendRow(cells)
            written = row.number
        }
        for m in titles { sheet.merge(m) }
    }
}
