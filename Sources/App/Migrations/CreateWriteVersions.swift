// One counter per unit that every write transaction raises (`Database.writeTransaction`): the sum is the database's
// write version, which keys the cached weekly boards (`BoardCache`). It replaces the one-row `write_gate`, whose
// update also opened each SQLite write transaction; on SQLite the upsert of the counter now takes the lock up front.
import Fluent
import SQLKit

struct CreateWriteVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE write_versions (unit TEXT PRIMARY KEY, n BIGINT NOT NULL)").run()
        try await sql.raw("DROP TABLE write_gate").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE write_gate (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO write_gate (id, n) VALUES (1, 0)").run()
        try await sql.raw("DROP TABLE write_versions").run()
    }
}
