// The in-app inbox (issue 11 §4): one row per recipient account, so each reads its own; and a unit's group robot
// with the deliveries queued for it, kept in the database so any app instance can send or retry them.
import Fluent
import LiangbangCore
import Vapor

final class Notification: Model, @unchecked Sendable {
    static let schema = "notifications"

    enum Kind: String, Codable, CaseIterable {
        case chase, returned, accepted, digest
        var label: String {
            switch self {
            case .chase: "催报"
            case .returned: "退回"
            case .accepted: "审核通过"
            case .digest: "每周辅导汇总"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// The unit the message is about (the recipient's own unit).
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// A page of this app (`/activities?…`), never an outside address.
    @Field(key: "url") var url: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}

/// A unit's group robot; the address carries the robot's key, so it is kept encrypted and shown masked.
final class UnitRobot: Model, @unchecked Sendable {
    static let schema = "unit_robots"

    @ID(key: .id) var id: UUID?
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "kind") var kind: GroupRobot.Kind
    @Field(key: "url_cipher") var urlCipher: String
    @Field(key: "url_masked") var urlMasked: String
    @OptionalField(key: "secret_cipher") var secretCipher: String?
    @Field(key: "updated_by") var updatedBy: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class RobotDelivery: Model, @unchecked Sendable {
    static let schema = "robot_deliveries"

    enum Status: String, Codable {
        case pending, delivered, failed
        var label: String {
            switch self {
            case .pending: "待发送"
            case .delivered: "已送达"
            case .failed: "发送失败"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: Status
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// Set by the instance sending it, so two instances never send one message twice.
    @OptionalField(key: "claimed_until") var claimedUntil: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}
