// Finds a form's header row under its title rows and maps columns by name, whatever their order.

/// One row of an uploaded sheet, with the row number Excel shows.
public struct SheetRow: Sendable, Equatable {
    public let number: Int
    public let cells: [String]
    public init(number: Int, cells: [String]) { self.number = number; self.cells = cells }

    public var isBlank: Bool { cells.allSatisfy { TextNormaliser.clean($0).isEmpty } }
    public func cell(_ index: Int?) -> String {
        guard let index, index < cells.count else { return "" }
        return cells[index]
    }
}

public struct ColumnSpec: Sendable {
    /// The column's name as the official form prints it (used in messages and exports).
    public let title: String
    /// Other headers offices use for it; compared after `TextNormaliser.headerKey`.
    public let aliases: [String]
    public let required: Bool

    public init(_ title: String, aliases: [String] = [], required: Bool = true) {
        self.title = title; self.aliases = aliases; self.required = required
    }

    var keys: Set<String> { Set(([title] + aliases).map(TextNormaliser.headerKey)) }
}

public struct TableLayout: Sendable {
    public let headerRow: Int
    /// Column title → 0-based index in the sheet.
    public let columns: [String: Int]
    /// Data rows after the header, trailing blank rows dropped, blank rows in between skipped.
    public let rows: [SheetRow]

    public enum Problem: Error, Equatable, Sendable {
        case noHeader(missing: [String])
        case noRows

        public var message: String {
            switch self {
            case .noHeader(let missing):
                return "没有找到表头行：缺少列“" + missing.joined(separator: "”“") + "”。请使用官方模板，表头放在前20行内"
            case .noRows: return "表格中没有数据行"
            }
        }
    }

    /// Looks in the first 20 rows for the row that names the most required columns; all must be present.
    public static func locate(in rows: [SheetRow], columns specs: [ColumnSpec]) -> Result<TableLayout, Problem> {
        var best: (row: Int, map: [String: Int], missing: [String])?
        for (position, row) in rows.prefix(20).enumerated() {
            var map: [String: Int] = [:]
            for (index, cell) in row.cells.enumerated() {
                let key = TextNormaliser.headerKey(cell)
                guard !key.isEmpty, let spec = specs.first(where: { $0.keys.contains(key) }), map[spec.title] == nil else { continue }
                map[spec.title] = index
            }
            let missing = specs.filter { $0.required && map[$0.title] == nil }.map(\.title)
            if best == nil || missing.count < best!.missing.count { best = (position, map, missing) }
            if missing.isEmpty { break }
        }
        guard let found = best, found.missing.isEmpty else {
            return .failure(.noHeader(missing: best?.missing ?? specs.filter(\.required).map(\.title)))
        }
        // A row counts only when a form column holds something: templates number (序号) rows far below the data.
        let used = Array(found.map.values)
        var data = Array(rows[(found.row + 1)...].filter { row in used.contains { !TextNormaliser.clean(row.cell($0)).isEmpty } })
        // A trailing 注：… line under the table is a note, not a row.
        while let last = data.last, TextNormaliser.clean(last.cells.first(where: { !TextNormaliser.clean($0).isEmpty }) ?? "").hasPrefix("注") {
            data.removeLast()
        }
        guard !data.isEmpty else { return .failure(.noRows) }
        return .success(TableLayout(headerRow: rows[found.row].number, columns: found.map, rows: data))
    }
}
