// Every notification (催报, 退回, 审核通过, the weekly digest) goes through `Inbox.notify`: it lands in the inbox of
// each active admin and staff account of the unit, and, when the unit has set a group robot, is queued for it.
// The log gets the kind and the counts, never the text (a return reason may name a pupil).
import Fluent
import LiangbangCore
import Vapor

/// One message to one unit.
struct Notice: Sendable {
    let orgID: UUID
    let orgName: String
    let kind: Notification.Kind
    let title: String
    let body: String
    let url: String
}

struct Inbox {
    let db: any Database
    let application: Application

    struct Outcome: Sendable {
        /// Inbox messages written (one per account).
        var messages = 0
        /// Messages queued for group robots (one per unit).
        var robots = 0
        /// Units with neither an account that could read it nor a robot: nobody was told.
        var unreachable: [String] = []
    }

    /// Recipients of a unit's messages: its admin and staff accounts that are not disabled.
    static func recipients(of orgIDs: [UUID], on db: any Database) async throws -> [User] {
        guard !orgIDs.isEmpty else { return [] }
        return try await User.query(on: db).filter(\.$orgID ~~ orgIDs).filter(\.$role ~~ [.admin, .staff])
            .filter(\.$disabled == false).all()
    }

    /// The units of `orgIDs` someone can be told about: an active admin or staff account, or a group robot.
    static func reachable(_ orgIDs: [UUID], on db: any Database) async throws -> Set<UUID> {
        guard !orgIDs.isEmpty else { return [] }
        var out = Set(try await recipients(of: orgIDs, on: db).map(\.orgID))
        out.formUnion(try await UnitRobot.query(on: db).filter(\.$orgID ~~ orgIDs).all(\.$orgID))
        return out
    }

    @discardableResult
    func notify(_ notices: [Notice]) async throws -> Outcome {
        guard !notices.isEmpty else { return Outcome() }
        let now = application.appServices.clock.now()
        let orgIDs = Array(Set(notices.map(\.orgID)))
        let users = Dictionary(grouping: try await Self.recipients(of: orgIDs, on: db), by: \.orgID)
        let robots = Set(try await UnitRobot.query(on: db).filter(\.$orgID ~~ orgIDs).all(\.$orgID))
        var outcome = Outcome()
        var messages: [Notification] = [], deliveries: [RobotDelivery] = []
        for notice in notices {
            let accounts = users[notice.orgID] ?? []
            for user in accounts {
                let n = Notification()
                n.userID = user.id!; n.orgID = notice.orgID; n.kind = notice.kind
                n.title = String(notice.title.prefix(200)); n.body = String(notice.body.prefix(4000)); n.url = notice.url
                n.createdAt = now
                messages.append(n)
            }
            if robots.contains(notice.orgID) {
                let d = RobotDelivery()
                d.orgID = notice.orgID; d.title = String(notice.title.prefix(200)); d.body = String(notice.body.prefix(4000))
                d.status = .pending; d.attempts = 0; d.nextAttemptAt = now; d.createdAt = now
                deliveries.append(d)
            }
            if accounts.isEmpty && !robots.contains(notice.orgID) { outcome.unreachable.append(notice.orgName) }
        }
        let inbox = messages, queue = deliveries
        try await db.transaction { tx in
            // Fluent inserts an array in one statement; keep statements to a sensible size.
            for chunk in inbox.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in queue.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        outcome.messages = messages.count
        outcome.robots = deliveries.count
        application.logger.notice("notifications", metadata: [
            "kind": .string(notices[0].kind.rawValue), "units": .stringConvertible(notices.count),
            "messages": .stringConvertible(messages.count), "robots": .stringConvertible(deliveries.count)])
        if !deliveries.isEmpty { RobotCourier(application: application).kick() }
        return outcome
    }

    func unreadCount(of userID: UUID) async throws -> Int {
        try await Notification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).count()
    }

    /// Marks one of the user's own messages read; nil when it is not the user's (the caller answers 404).
    func markRead(_ id: UUID?, by userID: UUID) async throws -> Notification? {
        guard let id, let n = try await Notification.query(on: db).filter(\.$id == id).filter(\.$userID == userID).first()
        else { return nil }
        if n.readAt == nil {
            n.readAt = application.appServices.clock.now()
            try await n.update(on: db)
        }
        return n
    }

    func markAllRead(by userID: UUID) async throws {
        try await Notification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil)
            .set(\.$readAt, to: application.appServices.clock.now()).update()
    }
}

extension Request {
    var inbox: Inbox { Inbox(db: db, application: application) }
}
