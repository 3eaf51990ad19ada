// What one upload may cost. Every cell read, padded or filled from a merged range counts against one budget,
// so a 5 KB file cannot make the server build billions of cells (issue 10): it is refused in Chinese instead.
import LiangbangCore
import Spreadsheet

struct UploadBudget {
    /// Cells an upload may hold, merged ranges filled (a 55,000-line roster of 15 columns holds ~0.8 M).
    static let maxCells = 4_000_000
    /// Text read from cells (that roster holds ~7 MB).
    static let maxTextBytes = 32 << 20
    static let maxCellCharacters = 32_767
    /// Rows of one sheet: twice the largest roster measured (50,000 pairs). Every row is checked by the rules and
    /// may bring one problem per column to the report, so rows, not cells, bound what comes after reading.
    static let maxRows = 100_000

    private var cells = 0
    private var textBytes = 0
    private var rows = 0

    /// Rows are counted per sheet; cells and text over the whole upload.
    mutating func startSheet() { rows = 0 }

    /// A streamed row as text, cells right of `UploadedTable.maxColumns` skipped (but counted); nil when none is left.
    mutating func keep(_ row: Row) throws -> SheetRow? {
        let kept = row.cells.prefix { $0.column <= UploadedTable.maxColumns }
        try spend(row.cells.count - kept.count + (kept.last?.column ?? 0),
                  "表格单元格过多（超过400万个），请删除多余的行列或拆分后分批上传")
        guard let last = kept.last else { return nil }
        rows += 1
        if rows > Self.maxRows { throw UnreadableUpload(message: "表格行数过多（超过10万行），请拆分后分批上传") }
        var texts = [String](repeating: "", count: last.column)
        for cell in kept {
            let text = UploadedTable.text(of: cell)
            // Excel holds at most 32,767 characters in a cell: a longer one was not typed into a form,
            // and every rule would walk it again.
            if text.utf8.count > Self.maxCellCharacters, text.utf16.count > Self.maxCellCharacters {
                throw UnreadableUpload(message: "单元格 \(cell.reference(row: row.number)) 的内容超过32767个字符（Excel 单元格的上限），请检查后重新上传")
            }
            textBytes += text.utf8.count
            if textBytes > Self.maxTextBytes {
                throw UnreadableUpload(message: "表格文字内容过多（超过32 MB），请删除多余内容或拆分后分批上传")
            }
            texts[cell.column - 1] = text
        }
        return SheetRow(number: row.number, cells: texts)
    }

    /// Rows in number order, a row number the file repeats made one row (its later cells win): merges go by number.
    static func ordered(_ rows: [SheetRow]) -> [SheetRow] {
        guard zip(rows, rows.dropFirst()).contains(where: { $0.number >= $1.number }) else { return rows }
        let sorted = rows.enumerated().sorted { ($0.element.number, $0.offset) < ($1.element.number, $1.offset) }
        var out: [SheetRow] = []
        for row in sorted.map(\.element) {
            guard let last = out.last, last.number == row.number else { out.append(row); continue }
            var texts = last.cells
            if texts.count < row.cells.count { texts += [String](repeating: "", count: row.cells.count - texts.count) }
            for (i, text) in row.cells.enumerated() where !text.isEmpty { texts[i] = text }
            out[out.count - 1] = SheetRow(number: row.number, cells: texts)
        }
        return out
    }

    /// Offices merge 所在县 or 学校 down over several pupils: each cell of a merged range gets its top-left text,
    /// in the rows that exist and the columns some row uses only (a merge across to XFD adds nothing to read).
    mutating func fill(_ rows: [SheetRow], merges: [CellRange]) throws -> [SheetRow] {
        guard !merges.isEmpty, let width = rows.map(\.cells.count).max() else { return rows }
        let numbers = rows.map(\.number)
        var texts = rows.map(\.cells)
        for m in merges where m.firstColumn <= width {
            guard let top = Self.index(of: m.firstRow, in: numbers), m.firstColumn <= texts[top].count else { continue }
            let value = texts[top][m.firstColumn - 1]
            let right = min(m.lastColumn, width)
            var r = top
            while r < numbers.count && numbers[r] <= m.lastRow {
                let padding = max(0, right - texts[r].count)
                try spend(padding + right - m.firstColumn + 1,
                          "合并单元格范围过大（展开后超过400万个单元格），请取消多余的合并单元格后重新上传")
                if padding > 0 { texts[r] += [String](repeating: "", count: padding) }
                for c in (m.firstColumn - 1)..<right { texts[r][c] = value }
                r += 1
            }
        }
        return zip(numbers, texts).map { SheetRow(number: $0, cells: $1) }
    }

    private mutating func spend(_ n: Int, _ message: @autoclosure () -> String) throws {
        cells += n
        if cells > Self.maxCells { throw UnreadableUpload(message: message()) }
    }

    /// Binary search in ascending row numbers.
    private static func index(of number: Int, in numbers: [Int]) -> Int? {
        var lo = 0, hi = numbers.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if numbers[mid] == number { return mid }
            if numbers[mid] < number { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}
