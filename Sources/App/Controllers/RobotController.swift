// A unit's 企业微信 / 钉钉 group robot (issue 11 §4), set by an admin over the unit on the unit's page, and the same
// through the API. The address is shown masked only; deliveries are listed with their state and can be retried.
import Fluent
import LiangbangCore
import Vapor

struct RobotController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin))
        pages.post("orgs", ":orgID", "robot", use: setForm)
        pages.post("orgs", ":orgID", "robot", "delete", use: removeForm)
        pages.post("orgs", ":orgID", "robot", "test", use: testForm)
        pages.post("orgs", ":orgID", "robot", "deliveries", ":deliveryID", "retry", use: retryForm)

        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        api.get("orgs", ":orgID", "robot", use: show)
        api.put("orgs", ":orgID", "robot", use: set)
        api.delete("orgs", ":orgID", "robot", use: remove)
        api.get("orgs", ":orgID", "robot", "deliveries", use: deliveries)
        api.post("orgs", ":orgID", "robot", "test", use: test)
        api.post("orgs", ":orgID", "robot", "deliveries", ":deliveryID", "retry", use: retry)
    }

    struct Input: Content {
        var url: String?
        var secret: String?
    }

    private func unit(_ req: Request) async throws -> Organization {
        try await req.unitRobots.unit(req.parameters.get("orgID", as: UUID.self))
    }

    // MARK: API

    /// `{"robot": {…} | null}`: null when the unit has none (written out, not left away).
    struct ShowDTO: Content {
        let robot: UnitRobots.DTO?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(robot, forKey: .robot)
        }
    }

    func show(req: Request) async throws -> ShowDTO {
        ShowDTO(robot: try await req.unitRobots.show(try await unit(req)))
    }

    func set(req: Request) async throws -> UnitRobots.DTO {
        let org = try await unit(req)
        let input = try req.content.decode(Input.self)
        return try await req.unitRobots.set(org, address: input.url ?? "", secret: input.secret ?? "")
    }

    func remove(req: Request) async throws -> HTTPStatus {
        try await req.unitRobots.remove(try await unit(req))
        return .noContent
    }

    func deliveries(req: Request) async throws -> ItemList<UnitRobots.DeliveryDTO> {
        ItemList(try await req.unitRobots.deliveries(try await unit(req)))
    }

    func test(req: Request) async throws -> UnitRobots.DeliveryDTO {
        try await req.unitRobots.test(try await unit(req))
    }

    func retry(req: Request) async throws -> HTTPStatus {
        try await req.unitRobots.retry(try await unit(req), delivery: req.parameters.get("deliveryID", as: UUID.self))
        return .noContent
    }

    // MARK: Pages (on the unit's page, `/orgs/:orgID#robot`)

    private func back(_ req: Request) -> String { "/orgs/\(req.parameters.get("orgID") ?? "")#robot" }

    func setForm(req: Request) async throws -> Response {
        let input = try req.content.decode(Input.self)
        return try await req.formAction(back: back(req), page: { try await OrganizationController().orgPage(req: req) }) {
            let saved = try await req.unitRobots.set(try await unit(req), address: input.url ?? "", secret: input.secret ?? "")
            return "已保存\(saved.kindLabel)群机器人。可点击“发送测试消息”确认群里能收到"
        }
    }

    func removeForm(req: Request) async throws -> Response {
        try await req.unitRobots.remove(try await unit(req))
        return req.redirect(to: back(req), flash: "success", "已删除群机器人，今后的提醒只发到平台内的消息提醒")
    }

    func testForm(req: Request) async throws -> Response {
        let org = try await unit(req)
        do {
            let result = try await req.unitRobots.test(org)
            return result.status == RobotDelivery.Status.delivered.rawValue
                ? req.redirect(to: back(req), flash: "success", "测试消息已送达，请在群里查看")
                : req.redirect(to: back(req), flash: "error", "测试消息未送达：\(result.lastError ?? "原因不明")。系统会自动重试，也可检查地址后重新保存")
        } catch let error as AppError where error.status == .unprocessableEntity {
            return req.redirect(to: back(req), flash: "error", error.message)
        }
    }

    func retryForm(req: Request) async throws -> Response {
        let org = try await unit(req)
        do {
            try await req.unitRobots.retry(org, delivery: req.parameters.get("deliveryID", as: UUID.self))
            return req.redirect(to: back(req), flash: "info", "已重新发送，结果见下方推送记录")
        } catch let error as AppError where error.status == .conflict {
            return req.redirect(to: back(req), flash: "info", error.message)
        }
    }
}
