// One way to run read-then-write work (numbering versions, imports, claims) so that parallel requests queue
// instead of failing: the write lock is taken before the first read, and lock conflicts are retried.
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import SQLKit
import Vapor

extension Database {
    /// A transaction that holds the write lock from its first statement and raises the write version.
    /// - SQLite: Fluent opens a deferred `BEGIN`; a first statement that writes (the unit's `write_versions` counter)
    ///   takes the lock up front, as `BEGIN IMMEDIATE` would, so no reader can later fail to upgrade ("database is locked").
    /// - PostgreSQL: `unit`'s organisation row is locked (`FOR UPDATE`), so writers of one unit's data queue and
    ///   version numbers or import reports cannot race; other units go on in parallel. The counter is raised last,
    ///   so its row lock is held only for the commit.
    /// Lock timeouts, deadlocks and serialisation failures are retried a few times with a growing pause.
    func writeTransaction<T: Sendable>(lock unit: UUID? = nil, _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await transaction { tx in
                    let sql = tx as! any SQLDatabase
                    guard sql.dialect.name != "sqlite" else {
                        // Wait (sleeping, not spinning) for another connection or process that holds the lock.
                        try await sql.raw("PRAGMA busy_timeout = 30000").run()
                        try await WriteVersion.raise(unit, on: sql)
                        return try await body(tx)
                    }
                    if let unit {
                        try await sql.raw("SELECT id FROM organizations WHERE id = \(bind: unit) FOR UPDATE").run()
                    }
                    let result = try await body(tx)
                    try await WriteVersion.raise(unit, on: sql)
                    return result
                }
            } catch where attempt < 4 && WriteConflict.isTransient(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(25 * attempt * attempt))
            }
        }
    }
}

/// The database's write version: the sum of one counter per unit, raised by every write transaction. Readers that
/// cache what they computed (`BoardCache`) read it first; a changed sum means something was written since.
/// Counters per unit, not one row, so that PostgreSQL writers of different units do not queue on one row lock.
enum WriteVersion {
    static func raise(_ unit: UUID?, on sql: any SQLDatabase) async throws {
        try await sql.raw("""
            INSERT INTO write_versions (unit, n) VALUES (\(bind: unit?.uuidString ?? "*"), 1)
            ON CONFLICT (unit) DO UPDATE SET n = write_versions.n + 1
            """).run()
    }

    static func current(on sql: any SQLDatabase) async throws -> Int64 {
        try await sql.raw("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS v FROM write_versions").first()?.decode(column: "v", as: Int64.self) ?? 0
    }
}

enum WriteConflict {
    /// Errors that a second try of the same transaction can overcome.
    static func isTransient(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError {
            switch e.reason {
            case .busy, .locked, .busyTimeout, .busyInSnapshot, .busyInRecovery, .lockedBySharedCache: return true
            default: return false
            }
        }
        if let e = error as? PSQLError, let code = e.serverInfo?[.sqlState] {
            // serialization_failure, deadlock_detected, unique_violation (two writers numbered the same version)
            return ["40001", "40P01", "23505"].contains(code)
        }
        return false
    }
}
