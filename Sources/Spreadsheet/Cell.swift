// Values read from a sheet: typed cells with their raw stored text, rows, merged ranges.

/// A calendar date and time of day as Excel displays it (no time zone: workbooks have none).
public struct DateTimeValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int
    /// True when the number format shows only a time of day (e.g. `h:mm`).
    public var isTimeOnly: Bool

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, isTimeOnly: Bool = false) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.isTimeOnly = isTimeOnly
    }

    public var hasTime: Bool { hour != 0 || minute != 0 || second != 0 }

    /// `yyyy-mm-dd`.
    public var isoDate: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    /// The CSV rendering: `hh:mm:ss` for time-only formats, `yyyy-mm-dd` without a time, else `yyyy-mm-dd hh:mm:ss`.
    public var description: String {
        let t = pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if isTimeOnly { return t }
        return hasTime ? isoDate + " " + t : isoDate
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }

    private func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }
}

/// The typed value of a cell. Formula cells carry their cached value.
public enum CellValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case date(DateTimeValue)
    /// An error value such as `#N/A` or `#DIV/0!`.
    case error(String)
    /// A present cell without a value (styled blank, or a formula without a cached value).
    case empty

    /// The text written by `xlsx to-csv` for this value (numbers use the raw stored text instead, see `Cell.csvText`).
    public var text: String {
        switch self {
        case .string(let s): return s
        case .number(let d): return NumberText.shortest(d)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .date(let d): return d.description
        case .error(let e): return e
        case .empty: return ""
        }
    }
}

/// One cell as stored in the sheet.
public struct Cell: Sendable, Hashable {
    /// 1-based column number (A = 1).
    public var column: Int
    public var value: CellValue
    /// The text stored in the file: the `<v>` content for numbers, dates, booleans and errors
    /// (e.g. `4.40982200708302E+17` for an ID typed into a number cell), the string itself for text.
    public var raw: String
    /// True when the cell holds a formula (the value is its cached result).
    public var isFormula: Bool
    /// The number format code applied to the cell (`General`, `@`, `yyyy/m/d`, …).
    public var numberFormat: String

    public init(column: Int, value: CellValue, raw: String, isFormula: Bool = false, numberFormat: String = "General") {
        self.column = column; self.value = value; self.raw = raw
        self.isFormula = isFormula; self.numberFormat = numberFormat
    }

    /// `A1`-style reference given the row.
    public func reference(row: Int) -> String { CellRef.columnName(column) + String(row) }

    /// The CSV rendering: numbers as their raw stored text, everything else as `CellValue.text`.
    public var csvText: String {
        if case .number = value { return raw }
        return value.text
    }
}

/// One row: its 1-based number in the sheet and its non-empty cells in column order (sparse).
public struct Row: Sendable, Hashable {
    public var number: Int
    public var cells: [Cell]

    public init(number: Int, cells: [Cell]) { self.number = number; self.cells = cells }

    /// The cell at a 1-based column, if stored.
    public subscript(column column: Int) -> Cell? {
        // Rows are short and sorted: a linear scan beats a dictionary.
        for c in cells where c.column == column { return c }
        return nil
    }
}

/// A rectangular range such as a merged title `A1:J1`.
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = min(firstRow, lastRow); self.lastRow = max(firstRow, lastRow)
        self.firstColumn = min(firstColumn, lastColumn); self.lastColumn = max(firstColumn, lastColumn)
    }

    /// Parses `A1:C3` or a single `B2`.
    public init?(_ ref: String) {
        let parts = ref.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let a = CellRef.parse(String(parts[0])) else { return nil }
        let b = parts.count == 2 ? CellRef.parse(String(parts[1])) : a
        guard let b else { return nil }
        self.init(firstRow: a.row, firstColumn: a.column, lastRow: b.row, lastColumn: b.column)
    }

    public func contains(row: Int, column: Int) -> Bool {
        row >= firstRow && row <= lastRow && column >= firstColumn && column <= lastColumn
    }

    public var description: String {
        let a = CellRef.columnName(firstColumn) + String(firstRow)
        let b = CellRef.columnName(lastColumn) + String(lastRow)
        return a == b ? a : a + ":" + b
    }
}

/// A sheet read into memory.
public struct Sheet: Sendable, Hashable {
    public var name: String
    /// Only rows that exist in the file, in order, each with its row number.
    public var rows: [Row]
    public var mergedRanges: [CellRange]

    public init(name: String, rows: [Row], mergedRanges: [CellRange]) {
        self.name = name; self.rows = rows; self.mergedRanges = mergedRanges
    }

    /// The last row number (0 when empty).
    public var rowCount: Int { rows.last?.number ?? 0 }
    /// The largest column number used.
    public var columnCount: Int { rows.reduce(0) { max($0, $1.cells.last?.column ?? 0) } }

    /// The cell at (row, column), 1-based.
    public func cell(row: Int, column: Int) -> Cell? {
        guard let r = rowIndex(row) else { return nil }
        return rows[r][column: column]
    }

    /// The value at (row, column), looking through merged ranges to their top-left cell.
    public func mergedValue(row: Int, column: Int) -> CellValue? {
        if let r = mergedRanges.first(where: { $0.contains(row: row, column: column) }) {
            return cell(row: r.firstRow, column: r.firstColumn)?.value
        }
        return cell(row: row, column: column)?.value
    }

    /// A copy where every cell of a merged range carries the top-left cell (fill down and across).
    /// Bounded, since merges over whole rows or the whole sheet would explode memory: columns right of both the
    /// last used column and column 64 stay empty, a merge of over 100,000 cells is not filled, nor are merges
    /// once 1,000,000 cells were filled.
    public func fillingMergedCells() -> Sheet {
        let lastColumn = max(columnCount, 64)
        var budget = 1_000_000
        // Filled cells per row number, appended in merge order (no dictionary per cell: a fill costs one append).
        var fills: [Int: [Cell]] = [:]
        for m in mergedRanges {
            guard let top = cell(row: m.firstRow, column: m.firstColumn) else { continue }
            let right = min(m.lastColumn, lastColumn)
            let count = (m.lastRow - m.firstRow + 1) * (right - m.firstColumn + 1)
            guard count <= min(100_000, budget) else { continue }
            budget -= count
            for r in m.firstRow...m.lastRow {
                var cells = fills.removeValue(forKey: r) ?? []
                for col in m.firstColumn...right where !(r == m.firstRow && col == m.firstColumn) {
                    var c = top
                    c.column = col
                    cells.append(c)
                }
                fills[r] = cells
            }
        }
        guard !fills.isEmpty else { return self }
        var byNumber = Dictionary(rows.map { ($0.number, $0.cells) }, uniquingKeysWith: +)
        for (r, cells) in fills { byNumber[r, default: []] += cells }
        let newRows = byNumber.keys.sorted().map { n in
            // By column; of the cells a column got, the last written wins (a fill over a stored cell).
            let ordered = byNumber[n]!.enumerated().sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }
            var cells: [Cell] = []
            for (_, c) in ordered {
                if cells.last?.column == c.column { cells[cells.count - 1] = c } else { cells.append(c) }
            }
            return Row(number: n, cells: cells)
        }
        return Sheet(name: name, rows: newRows, mergedRanges: mergedRanges)
    }

    private func rowIndex(_ n: Int) -> Int? {
        var lo = 0, hi = rows.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if rows[mid].number == n { return mid }
            if rows[mid].number < n { lo = mid + 1 } else { hi = mid - 1 }
        }
        return rows.firstIndex { $0.number == n }
    }
}

/// A1-reference helpers.
public enum CellRef {
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384

    /// `1 → A`, `28 → AB`.
    public static func columnName(_ column: Int) -> String {
        var n = column
        var s: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            s.append(UInt8(65 + r))
            n = (n - 1) / 26
        }
        return String(decoding: s.reversed(), as: UTF8.self)
    }

    /// Parses `AB12` (also `$AB$12`) into (row, column), both 1-based.
    public static func parse(_ ref: String) -> (row: Int, column: Int)? {
        var col = 0, row = 0, seenDigit = false
        for b in ref.utf8 {
            switch b {
            case UInt8(ascii: "$"): continue
            case 0x41...0x5A, 0x61...0x7A:
                if seenDigit { return nil }
                col = col * 26 + Int((b & 0xDF) - 0x40)
                if col > maxColumn { return nil }
            case 0x30...0x39:
                seenDigit = true
                row = row * 10 + Int(b - 0x30)
                if row > maxRow { return nil }
            default: return nil
            }
        }
        guard col > 0, row > 0 else { return nil }
        return (row, col)
    }
}

/// Number rendering without Foundation formatting.
enum NumberText {
    /// Integers without `.0`; others in Swift's shortest round-trip form.
    static func shortest(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return d.description
    }
}
