// The organisation tree.
import Fluent
import SQLKit

struct CreateOrganizations: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Organization.schema)
            .id()
            .field("code", .string)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_id", .uuid, .references(Organization.schema, "id"))
            .field("path", .string, .required)
            .field("region", .string)
            .field("created_at", .datetime)
            .unique(on: "code")
            .unique(on: "path")
            .create()
        // Subtree queries are `path LIKE 'prefix%'`; the unique index on path serves them.
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_organizations_parent ON organizations (parent_id)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Organization.schema).delete()
    }
}

struct CreateUsers: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("org_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("role", .string, .required)
            .field("sensitive_data", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("must_change_password", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX idx_users_org ON users (org_id)").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(User.schema).delete()
    }
}

struct CreateAuthTokens: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuthToken.schema)
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("expires_at", .datetime, .required)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuthToken.schema).delete()
    }
}
