// The one-row table whose update opened every SQLite write transaction, until `CreateWriteVersions` replaced it
// with a counter per unit (kept so that existing databases migrate in order).
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
