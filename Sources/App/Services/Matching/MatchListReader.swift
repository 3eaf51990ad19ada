// The lists a matching run reads (智能结对's pupils and volunteers, 南粤会亲's families): one file through the
// shared reader, the header located and every line checked, nothing kept.
import Foundation
import LiangbangCore
import Spreadsheet

enum MatchListReader {
    /// One list checked: its lines, every problem (listed in `report`), and where its header was.
    struct Check<Entry> {
        var entries: [Entry]
        var report: ImportReport
        var layout: TableLayout?
        var problems: [RowProblem]
    }

    /// The columns as the upload form's hint names them: 姓名、性别、…、上年度结对志愿者身份证号（可选）.
    static func hint(_ columns: [ColumnSpec]) -> String {
        columns.map { $0.title + ($0.required ? "" : "（可选）") }.joined(separator: "、")
    }

    static func read<T>(_ data: Data, filename: String, label: String, columns: [ColumnSpec],
                        validate: (RegisterInput) -> (T?, [RowProblem])) throws -> Check<T> {
        let rows: [SheetRow]
        do { rows = try UploadedTable.rows(data: data, filename: filename, columns: columns) }
        catch let error as UnreadableUpload { throw UnreadableUpload(message: "\(label)：" + error.message) }
        var report = ImportReport(stored: 0)
        let read = ImportLines.read(rows, columns: columns, validate: validate)
        guard let layout = read.layout else {
            report.refuse(row: read.headerProblem.row, column: "表头", message: read.headerProblem.message)
            return Check(entries: [], report: report, layout: nil, problems: [])
        }
        report.added = read.entries.count
        return Check(entries: read.entries, report: report, layout: layout, problems: read.problems)
    }
}
