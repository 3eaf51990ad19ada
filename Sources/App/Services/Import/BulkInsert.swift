// Multi-row INSERT for bulk loads with bound parameters (never values spliced into SQL, so correctness does not
// depend on `standard_conforming_strings` or on escaping). Values are typed as Fluent stores them on each engine.
import FluentSQLiteDriver
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

    /// Fluent's SQLite encodings: UUIDs as text, dates as epoch seconds, booleans as integers.
    var sqlite: SQLiteData {
        switch self {
        case .text(let s): return .text(s)
        case .uuid(let u): return .text(u.uuidString)
        case .bool(let b): return .integer(b ? 1 : 0)
        case .int(let i): return .integer(i)
        case .date(let d): return .float(d.timeIntervalSince1970)
        case .null: return .null
        }
    }

    /// The value as SQLKit binds it (PostgreSQL).
    var encodable: any Encodable & Sendable {
        switch self {
        case .text(let s): return s
        case .uuid(let u): return u
        case .bool(let b): return b
        case .int(let i): return i
        case .date(let d): return d
        case .null: return String?.none   // not bound: see `BulkInsert.run`
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
    /// Bound parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
    static let maxParameters = 30_000

    /// Inserts `rows` with bound parameters, several rows per statement, so no value is ever spliced into SQL.
    /// SQLite gets its native bindings directly: SQLKit's Encodable path costs more than SQLite's own work here.
    static func run(_ db: any SQLDatabase, table: String, columns: [String], rows: [[SQLValue]], chunk: Int = 1000) async throws {
        let perStatement = max(1, min(chunk, maxParameters / max(1, columns.count)))
        let head = "INSERT INTO " + table + " (" + columns.joined(separator: ",") + ") VALUES "
        for part in rows.chunked(into: perStatement) {
            if let sqlite = db as? any SQLiteDatabase {
                let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
                let sql = head + Array(repeating: tuple, count: part.count).joined(separator: ",")
                var binds: [SQLiteData] = []
                binds.reserveCapacity(part.count * columns.count)
                for row in part { for value in row { binds.append(value.sqlite) } }
                _ = try await sqlite.query(sql, binds)
            } else {
                var query = SQLQueryString(head)
                for (i, row) in part.enumerated() {
                    query.appendLiteral(i == 0 ? "(" : ",(")
                    for (j, value) in row.enumerated() {
                        if j > 0 { query.appendLiteral(",") }
                        // A bound NULL would be typed as text, which PostgreSQL refuses for a boolean column.
                        if case .null = value { query.appendLiteral("NULL") } else { query.appendInterpolation(bind: value.encodable) }
                    }
                    query.appendLiteral(")")
                }
                try await db.raw(query).run()
            }
        }
    }
}
