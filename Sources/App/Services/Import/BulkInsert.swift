// Multi-row INSERT for bulk loads, written as SQL literals: for 50,000 rows × 22 columns, binding each value
// through SQLKit's Encodable machinery costs more than SQLite's own work. Values are typed, strings escaped
// by doubling quotes (standard SQL, the same on SQLite and PostgreSQL); NUL characters are dropped.
import Foundation
import LiangbangCore
import SQLKit

enum SQLValue: Sendable {
    case text(String)
    case uuid(UUID)
    case bool(Bool)
    case int(Int)
    case date(Date)
    case null

    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
    static func optional(_ flag: Bool?) -> SQLValue { flag.map(SQLValue.bool) ?? .null }

    func literal(sqlite: Bool) -> String {
        switch self {
        case .text(let s):
            // Foundation's replacingOccurrences is slow on Linux: only strings that need it go through it.
            guard s.utf8.contains(where: { $0 == 0x27 || $0 == 0 }) else { return "'" + s + "'" }
            return "'" + s.replacingOccurrences(of: "\u{0}", with: "").replacingOccurrences(of: "'", with: "''") + "'"
        case .uuid(let u): return "'" + u.uuidString + "'"           // Fluent's own text form on SQLite
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .int(let i): return String(i)
        case .date(let d):                                          // Fluent's encodings: epoch seconds / ISO 8601
            return sqlite ? String(d.timeIntervalSince1970) : "'" + Self.iso8601(d) + "'"
        case .null: return "NULL"
        }
    }
}

extension SQLValue {
    /// `2022-07-18T11:30:05.123Z` without ISO8601DateFormatter, which goes through ICU on every call.
    static func iso8601(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let days = Int((Double(millis) / 86_400_000).rounded(.down))
        let rest = millis - days * 86_400_000
        let day = LocalDate(dayNumber: days)
        return day.iso + "T" + Formatting.padded(rest / 3_600_000, 2) + ":" + Formatting.padded(rest / 60_000 % 60, 2) + ":"
            + Formatting.padded(rest / 1000 % 60, 2) + "." + Formatting.padded(rest % 1000, 3) + "Z"
    }
}

enum BulkInsert {
    static func run(_ db: any SQLDatabase, table: String, columns: [String], rows: [[SQLValue]], chunk: Int = 500) async throws {
        let sqlite = db.dialect.name == "sqlite"
        let head = "INSERT INTO " + table + " (" + columns.joined(separator: ",") + ") VALUES "
        for part in rows.chunked(into: chunk) {
            var statement = head
            for (i, row) in part.enumerated() {
                if i > 0 { statement += "," }
                statement += "(" + row.map { $0.literal(sqlite: sqlite) }.joined(separator: ",") + ")"
            }
            try await db.raw(SQLQueryString(statement)).run()
        }
    }
}
