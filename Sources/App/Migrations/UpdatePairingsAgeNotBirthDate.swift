// Replaces the plaintext birth date of pairings by the pupil's age on the roster date: the masked ID hides
// exactly the 8 birth-date digits, so a stored birth date next to it was the full ID number.
import Fluent
import Foundation
import LiangbangCore
import SQLKit

struct UpdatePairingsAgeNotBirthDate: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE pairings ADD COLUMN pupil_age INTEGER NOT NULL DEFAULT 0").run()
        let rows = try await sql.raw("""
            SELECT p.id, p.pupil_birth_date, c.roster_due FROM pairings p JOIN campaigns c ON c.id = p.campaign_id
            """).all()
        for row in rows {
            guard let id = try? row.decode(column: "id", as: UUID.self),
                  let birth = LocalDate(iso: (try? row.decode(column: "pupil_birth_date", as: String.self)) ?? ""),
                  let due = LocalDate(iso: (try? row.decode(column: "roster_due", as: String.self)) ?? "") else { continue }
            try await sql.raw("UPDATE pairings SET pupil_age = \(bind: due.years(since: birth)) WHERE id = \(bind: id)").run()
        }
        try await sql.raw("ALTER TABLE pairings DROP COLUMN pupil_birth_date").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("ALTER TABLE pairings ADD COLUMN pupil_birth_date TEXT NOT NULL DEFAULT ''").run()
        try await sql.raw("ALTER TABLE pairings DROP COLUMN pupil_age").run()
    }
}
