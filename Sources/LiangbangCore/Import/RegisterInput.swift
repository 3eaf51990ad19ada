// The line every work-item register reads, and the checks its columns share.

/// One line of a work-item register (a sheet row, a page form or an API body), every value as typed and keyed by
/// its column title, so that the page, the API and the import run the same rules.
public struct RegisterInput: Sendable, Equatable {
    public var row: Int
    public var values: [String: String]
    public init(row: Int, values: [String: String]) { self.row = row; self.values = values }

    /// As typed (ID numbers: the parser reports what it was given).
    public func typed(_ column: String) -> String { values[column] ?? "" }
    /// Codes, sex, dates: full-width folded.
    public subscript(_ column: String) -> String { TextNormaliser.clean(values[column] ?? "") }
    /// Names and schools: only trimmed.
    public func plain(_ column: String) -> String { TextNormaliser.trim(values[column] ?? "") }
}


extension RegisterInput {
    /// A date cell: nil (with the problem noted) when it is empty and required, or not a date between 2000 and 2100.
    public func date(_ column: String, required: Bool, into problems: inout [RowProblem]) -> LocalDate? {
        let text = self[column]
        if text.isEmpty {
            if required { problems.append(RowProblem(row: row, column: column, message: "“\(column)”不能为空，请写成 2026-07-15")) }
            return nil
        }
        guard let d = DateText.parse(text), (2000...2100).contains(d.year) else {
            problems.append(RowProblem(row: row, column: column, message: "\(column)“\(text)”无法识别，请写成 2026-07-15"))
            return nil
        }
        return d
    }

    /// A required text cell of at most `limit` characters.
    public func text(_ column: String, limit: Int, required: Bool = true, into problems: inout [RowProblem]) -> String {
        let text = plain(column)
        if text.isEmpty && required { problems.append(RowProblem(row: row, column: column, message: "“\(column)”不能为空")) }
        if text.count > limit { problems.append(RowProblem(row: row, column: column, message: "“\(column)”过长（最多\(limit)个字）")) }
        return text
    }
}
