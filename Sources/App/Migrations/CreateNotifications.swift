// The inbox, the units' group robots and the robot delivery queue (issue 11 §4).
import Fluent
import SQLKit

struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Notification.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("url", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        // The bell counts a user's unread ones on every page; the inbox lists a user's newest first.
        try await sql.create(index: "idx_notifications_user").on(Notification.schema).column("user_id").column("created_at").run()

        try await database.schema(UnitRobot.schema)
            .id()
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("kind", .string, .required)
            .field("url_cipher", .string, .required)
            .field("url_masked", .string, .required)
            .field("secret_cipher", .string)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "org_id")
            .create()

        try await database.schema(RobotDelivery.schema)
            .id()
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("claimed_until", .datetime)
            .field("last_error", .string)
            .field("created_at", .datetime, .required)
            .field("delivered_at", .datetime)
            .create()
        try await sql.create(index: "idx_robot_deliveries_due").on(RobotDelivery.schema).column("status").column("next_attempt_at").run()
        try await sql.create(index: "idx_robot_deliveries_org").on(RobotDelivery.schema).column("org_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RobotDelivery.schema).delete()
        try await database.schema(UnitRobot.schema).delete()
        try await database.schema(Notification.schema).delete()
    }
}
