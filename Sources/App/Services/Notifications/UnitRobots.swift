// A unit's group robot as its admin manages it: set (address checked, kept encrypted), remove, send a test,
// see recent deliveries and retry a failed one. Every change is audited without the address.
import Fluent
import LiangbangCore
import Vapor

struct UnitRobots {
    let request: Request
    var db: any Database { request.db }

    struct DTO: Content {
        let kind: String
        let kindLabel: String
        let address: String
        let signed: Bool
        let updatedBy: String
        let updatedAt: Date
    }

    struct DeliveryDTO: Content {
        let id: UUID
        let title: String
        let status: String
        let statusLabel: String
        let attempts: Int
        let lastError: String?
        let createdAt: Date
        let deliveredAt: Date?
        let nextAttemptAt: Date?
    }

    /// The unit, when the caller is an admin over it (404 outside its subtree, 403 for other roles).
    func unit(_ id: UUID?) async throws -> Organization {
        let org = try await request.access.organization(id)
        try request.access.enforce(AccessPolicy.configureUnit(by: try request.access.current.actor, orgPath: org.path))
        return org
    }

    func show(_ org: Organization) async throws -> DTO? {
        try await UnitRobot.query(on: db).filter(\.$orgID == org.id!).first().map(Self.dto)
    }

    static func dto(_ r: UnitRobot) -> DTO {
        DTO(kind: r.kind.rawValue, kindLabel: r.kind.label, address: r.urlMasked, signed: r.secretCipher != nil,
            updatedBy: r.updatedBy, updatedAt: r.updatedAt)
    }

    func set(_ org: Organization, address: String, secret: String) async throws -> DTO {
        let secret = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        var problems: [AppError.Problem] = []
        let endpoint: GroupRobot.Endpoint?
        switch GroupRobot.endpoint(address, testHosts: request.application.config.robotTestHosts) {
        case .success(let e): endpoint = e
        case .failure(let p): endpoint = nil; problems.append(.init(field: "url", message: p.message))
        }
        if let p = GroupRobot.secretProblem(secret) { problems.append(.init(field: "secret", message: p)) }
        if endpoint?.kind == .wecom && !secret.isEmpty {
            problems.append(.init(field: "secret", message: "企业微信群机器人没有加签密钥，请留空"))
        }
        guard let endpoint, problems.isEmpty else { throw AppError.invalid(problems[0].message, problems: problems) }
        let cipher = request.cipher
        let me = try request.access.current.user.username
        let now = request.now
        let saved = try await db.transaction { tx in
            let robot = try await UnitRobot.query(on: tx).filter(\.$orgID == org.id!).first() ?? UnitRobot()
            robot.orgID = org.id!
            robot.kind = endpoint.kind
            robot.urlCipher = try cipher.seal(endpoint.url)
            robot.urlMasked = endpoint.masked
            robot.secretCipher = secret.isEmpty ? nil : try cipher.seal(secret)
            robot.updatedBy = me
            robot.updatedAt = now
            try await robot.save(on: tx)
            return robot
        }
        request.auditDetail = "设置\(org.name)的\(endpoint.kind.label)群机器人"
        return Self.dto(saved)
    }

    func remove(_ org: Organization) async throws {
        guard let robot = try await UnitRobot.query(on: db).filter(\.$orgID == org.id!).first() else {
            throw AppError.notFound("本单位的群机器人设置")
        }
        try await robot.delete(on: db)
        request.auditDetail = "删除\(org.name)的\(robot.kind.label)群机器人"
    }

    func deliveries(_ org: Organization, limit: Int = 20) async throws -> [DeliveryDTO] {
        try await RobotDelivery.query(on: db).filter(\.$orgID == org.id!).sort(\.$createdAt, .descending).limit(limit).all().map { d in
            DeliveryDTO(id: d.id!, title: d.title, status: d.status.rawValue, statusLabel: d.status.label, attempts: d.attempts,
                        lastError: d.lastError, createdAt: d.createdAt, deliveredAt: d.deliveredAt,
                        nextAttemptAt: d.status == .pending ? d.nextAttemptAt : nil)
        }
    }

    /// A failed delivery goes back in the queue with fresh attempts, and is sent now.
    func retry(_ org: Organization, delivery id: UUID?) async throws {
        guard let id, let d = try await RobotDelivery.query(on: db).filter(\.$id == id).filter(\.$orgID == org.id!).first() else {
            throw AppError.notFound("该推送记录")
        }
        guard d.status == .failed else { throw AppError.conflict(d.status == .delivered ? "该消息已送达，无需重发" : "该消息正在等待发送") }
        // One statement, so a double click re-queues it once.
        try await RobotDelivery.query(on: db).filter(\.$id == id).filter(\.$status == .failed)
            .set(\.$status, to: .pending).set(\.$attempts, to: 0).set(\.$nextAttemptAt, to: request.now).set(\.$lastError, to: nil).update()
        request.auditDetail = "重发\(org.name)群机器人消息"
        try await RobotCourier(application: request.application).deliverDue()
    }

    /// Queues a test message and sends it at once, so the admin sees whether the robot took it.
    func test(_ org: Organization) async throws -> DeliveryDTO {
        guard try await UnitRobot.query(on: db).filter(\.$orgID == org.id!).first() != nil else {
            throw AppError.invalid("请先设置群机器人的 Webhook 地址")
        }
        let d = RobotDelivery()
        d.orgID = org.id!; d.title = "两帮两促工作平台测试消息"
        d.body = "\(org.name)的群机器人已接入，今后的催报、退回、审核通过和每周辅导汇总提醒会同时发到本群。"
        d.status = .pending; d.attempts = 0; d.nextAttemptAt = request.now; d.createdAt = request.now
        try await d.create(on: db)
        request.auditDetail = "向\(org.name)的群机器人发送测试消息"
        try await RobotCourier(application: request.application).deliverDue()
        let recent = try await deliveries(org)
        guard let sent = recent.first(where: { $0.id == d.id }) ?? recent.first else { throw AppError.notFound("该推送记录") }
        return sent
    }
}

extension Request {
    var unitRobots: UnitRobots { UnitRobots(request: self) }
}
