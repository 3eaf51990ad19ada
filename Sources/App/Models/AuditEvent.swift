// One line of the append-only audit log: who did what, when, from where.
import Fluent
import Vapor

final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @OptionalField(key: "user_id") var userID: UUID?
    /// Kept as text so the record survives the user's removal.
    @Field(key: "username") var username: String
    @OptionalField(key: "org_id") var orgID: UUID?
    @Field(key: "ip") var ip: String
    /// e.g. `login.success`, `login.failure`, `write`, `sensitive.reveal`.
    @Field(key: "action") var action: String
    @Field(key: "target") var target: String
    @Field(key: "detail") var detail: String

    init() {}

    init(at: Date, userID: UUID?, username: String, orgID: UUID?, ip: String, action: String, target: String, detail: String) {
        self.at = at
        self.userID = userID
        self.username = username
        self.orgID = orgID
        self.ip = ip
        self.action = action
        self.target = target
        self.detail = detail
    }
}
