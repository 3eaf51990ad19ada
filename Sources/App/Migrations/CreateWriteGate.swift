// A one-row table whose update opens every SQLite write transaction, taking the write lock before any read
// (see `Database.writeTransaction`). Unused on PostgreSQL, which locks the unit's row instead.
import Fluent
import SQLKit

struct CreateWriteGate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE write_gate (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO write_gate (id, n) VALUES (1, 0)").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP TABLE write_gate").run()
    }
}
