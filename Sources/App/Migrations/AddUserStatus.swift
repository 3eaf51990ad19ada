// Accounts managed by admins (issue 11 §2): an account can be disabled (its sessions end at once), the user
// list shows each account's last sign-in, and accounts made in bulk carry the user's mobile number.
import Fluent
import SQLKit

struct AddUserStatus: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(User.schema).field("disabled", .bool, .required, .sql(.default(false))).update()
        try await database.schema(User.schema).field("last_sign_in_at", .datetime).update()
        try await database.schema(User.schema).field("phone", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("phone").update()
        try await database.schema(User.schema).deleteField("last_sign_in_at").update()
        try await database.schema(User.schema).deleteField("disabled").update()
    }
}
