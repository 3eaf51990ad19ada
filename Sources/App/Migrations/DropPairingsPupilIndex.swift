// `idx_pairings_pupil (campaign_id, pupil_id_hash)` is a prefix of `idx_pairings_board (campaign_id, pupil_id_hash,
// university_id, county_id, start_date)`, which answers every look-up it did; keeping both cost a 55,000-line roster
// import a fifth of its insert time.
import Fluent
import SQLKit

struct DropPairingsPupilIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("DROP INDEX IF EXISTS idx_pairings_pupil").run()
    }

    func revert(on database: any Database) async throws {
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_pairings_pupil ON pairings (campaign_id, pupil_id_hash)").run()
    }
}
