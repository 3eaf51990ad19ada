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

    /// The title's and aliases' header keys, computed once: the header search looks them up for every cell.
    let keys: Set<String>

    public init(_ title: String, aliases: [String] = [], required: Bool = true) {
        self.title = title; self.aliases = aliases; self.required = required
        keys = Set(([title] + aliases).map(TextNormaliser.headerKey))
    }
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
                guard !key.isEmpty else { continue }
                // As written, or else once a bracketed note (（如有）, (人次)…) is taken off.
                var spec = specs.first(where: { $0.keys.contains(key) })
                if spec == nil {
                    let bare = TextNormaliser.headerKeyWithoutNotes(cell)
                    spec = specs.first(where: { $0.keys.contains(bare) })
                }
                guard let spec, map[spec.title] == nil else { continue }
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
        // A 合计 line sums the table; it is not an activity or a pair.
        data.removeAll(where: isTotal)
        // Under the table: notes (注：1.… then 2.… 3.…, often merged across the row) and the signature block
        // (填表人、联系电话、审核人). From the first such line on, lines that hold one text only or sign the form go.
        if let start = data.firstIndex(where: { isNoteStart($0) || isSignature($0) }),
           data[start...].allSatisfy({ distinctTexts($0) <= 1 || isSignature($0) }) {
            data.removeSubrange(start...)
        }
        guard !data.isEmpty else { return .failure(.noRows) }
        return .success(TableLayout(headerRow: rows[found.row].number, columns: found.map, rows: data))
    }

    /// The first filled cell opens a note (注：, 备注, 说明, 填表说明) and the line holds nothing else.
    /// Every data line is asked, so the cheap test (the first filled cell) goes first.
    private static func isNoteStart(_ row: SheetRow) -> Bool {
        guard let first = row.cells.lazy.map(TextNormaliser.clean).first(where: { !$0.isEmpty }),
              ["注", "备注", "说明", "填表说明"].contains(where: { first.hasPrefix($0) }) else { return false }
        return distinctTexts(row) <= 1
    }

    /// A line whose cells start with 填表人, 联系人, 联系电话, 审核人… (the form's signature block).
    /// Stops at the first filled cell that does not sign: on a data line, its first cell.
    private static func isSignature(_ row: SheetRow) -> Bool {
        let prefixes = ["填表人", "填报人", "制表人", "联系人", "联系电话", "审核人", "负责人", "填表日期", "填报日期"]
        var signed = false
        for cell in row.cells {
            // Cheap refusal first (every data line comes here): a signing cell starts with one of these characters
            // once blanks are skipped; a number, an ID or a name does not.
            guard let lead = cell.unicodeScalars.first(where: { !TextNormaliser.isSpace($0) }) else { continue }
            if !signatureLeads.contains(lead) && !headerMarks.contains(lead) && !InvisibleCharacters.isInvisible(lead) { return false }
            let text = TextNormaliser.headerKey(cell)
            if text.isEmpty { continue }
            guard prefixes.contains(where: { text.hasPrefix($0) }) else { return false }
            signed = true
        }
        return signed
    }

    /// A 合计 / 总计 / 小计 line (its first filled cell says so).
    private static func isTotal(_ row: SheetRow) -> Bool {
        for cell in row.cells {
            // Cheap refusal first, as in `isSignature`: the label starts with 合, 总 or 小 once blanks are skipped.
            guard let lead = cell.unicodeScalars.first(where: { !TextNormaliser.isSpace($0) }) else { continue }
            if !"合总小".unicodeScalars.contains(lead) && !headerMarks.contains(lead) && !InvisibleCharacters.isInvisible(lead) { return false }
            let key = TextNormaliser.headerKey(cell)
            if !key.isEmpty { return ["合计", "总计", "小计"].contains(key) }
        }
        return false
    }

    /// First characters of the signature block's labels (see `isSignature`).
    private static let signatureLeads = Set("填制联审负".unicodeScalars)
    /// What `TextNormaliser.headerKey` drops besides blanks, and the full-width forms `clean` folds: a cell may open
    /// with them before its label.
    private static let headerMarks = Set("()（）[]【】*:：".unicodeScalars).union((0xFF01...0xFF5E).compactMap(Unicode.Scalar.init))

    /// How many different non-empty texts a line holds (a merged note repeats its one text across the row).
    private static func distinctTexts(_ row: SheetRow) -> Int {
        Set(row.cells.map(TextNormaliser.clean).filter { !$0.isEmpty }).count
    }
}
