// A person's account: one organisation, one role, and optionally the sensitive-data permission.
import Fluent
import LiangbangCore
import Vapor

final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "role") var role: Role
    @Field(key: "sensitive_data") var sensitiveData: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @Field(key: "must_change_password") var mustChangePassword: Bool
    /// For volunteers: the keyed hash of their ID number, which ties them to their roster lines.
    @OptionalField(key: "volunteer_id_hash") var volunteerIDHash: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    /// A disabled account cannot sign in, and its sessions were ended when it was disabled.
    @Field(key: "disabled") var disabled: Bool
    @OptionalField(key: "last_sign_in_at") var lastSignInAt: Date?
    /// A contact number for the unit's admin (accounts made in bulk); shown only on the accounts page.
    @OptionalField(key: "phone") var phone: String?

    init() {}

    init(id: UUID = UUID(), username: String, displayName: String, passwordHash: String, orgID: UUID,
         role: Role, sensitiveData: Bool = false, mustChangePassword: Bool = false) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.orgID = orgID
        self.role = role
        self.sensitiveData = sensitiveData
        self.failedLogins = 0
        self.lockedUntil = nil
        self.mustChangePassword = mustChangePassword
        self.disabled = false
    }

    struct DTO: Content {
        let id: UUID
        let username: String
        let displayName: String
        let orgId: UUID
        let role: Role
        let sensitiveData: Bool
        let disabled: Bool
        let mustChangePassword: Bool
        let lastSignInAt: Date?
    }

    func toDTO() throws -> DTO {
        DTO(id: try requireID(), username: username, displayName: displayName, orgId: orgID, role: role, sensitiveData: sensitiveData,
            disabled: disabled, mustChangePassword: mustChangePassword, lastSignInAt: lastSignInAt)
    }
}
