// 健康直通车's JSON API: visits, checks (one at a time or a visit's sheet), follow-ups, the overdue list.
import Fluent
import LiangbangCore
import Vapor

struct HealthAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("health-visits", use: visits)
        api.get("health-visits", ":visitID", "checks", use: checks)
        api.get("health-checks", "overdue", use: overdue)
        api.get("health-checks", ":checkID", use: show)
        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("health-visits", use: createVisit)
        writers.post("health-checks", use: createCheck)
        writers.post("health-checks", ":checkID", "follow-ups", use: addFollowUp)
        writers.on(.POST, "health-visits", ":visitID", "checks", "import", body: .collect(maxSize: "20mb"), use: importChecks)
    }

    struct VisitDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, collective: String, countyId: UUID, village: String, visitedOn: String, services: String
        init(_ v: HealthVisit, year: Int) {
            id = v.id!; campaign = year; orgId = v.orgID; collective = v.collective; countyId = v.countyID; village = v.village; visitedOn = v.visitedOn; services = v.services
        }
    }

    /// A check as anyone in the subtree sees it; `hasFinding`, `dueOn` and `overdue` only with the permission.
    struct CheckDTO: Content {
        let id: UUID, visitId: UUID, name: String, idMasked: String, sex: String, age: Int, checkedOn: String
        let consentGiven: Bool, consentGap: Bool
        let hasFinding: Bool?, dueOn: String?, overdue: Bool?, closed: Bool?, followUps: Int?
        init(_ c: HealthCheck, content: Bool, today: LocalDate) {
            id = c.id!; visitId = c.visitID; name = c.name; idMasked = c.idMasked; sex = c.sex; age = c.age; checkedOn = c.checkedOn
            consentGiven = c.consentGiven; consentGap = GuardianConsent.isGap(age: c.age, given: c.consentGiven, on: LocalDate(iso: c.consentOn))
            hasFinding = content ? c.hasFinding : nil; dueOn = content ? c.dueOn : nil
            overdue = content ? (!c.dueOn.isEmpty && c.dueOn < today.iso) : nil; closed = content ? c.closed : nil; followUps = content ? c.followUps : nil
        }
    }

    func visits(req: Request) async throws -> ItemList<VisitDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.health.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.health.visits(campaign: campaign, org: org).map { VisitDTO($0, year: campaign.year) })
    }

    func createVisit(req: Request) async throws -> Response {
        let v = try await req.health.createVisit(try req.content.decode(HealthVisitForm.self))
        return try await VisitDTO(v, year: try await HotlineAPIController.year(req, v.campaignID)).encodeResponse(status: .created, for: req)
    }

    /// Whether the caller may see what checks in `org` say (never throws: without it, the list is plain).
    static func seesContent(_ req: Request, _ org: Organization) -> Bool { (try? req.health.requireContent(org)) != nil }

    func checks(req: Request) async throws -> ItemList<CheckDTO> {
        let (visit, org, _) = try await req.health.visit(req.parameters.get("visitID", as: UUID.self))
        let content = Self.seesContent(req, org)
        let rows = try await req.health.checks(visit)
        if content && rows.contains(where: \.hasFinding) {
            await req.audit("sensitive.read", target: "查看健康检查名单", detail: "查看健康检查名单（含随访状态，\(org.name)，\(rows.count)人）")
        }
        return ItemList(rows.map { CheckDTO($0, content: content, today: req.health.today) })
    }

    func createCheck(req: Request) async throws -> Response {
        let c = try await req.health.createCheck(try req.content.decode(HealthCheckForm.self))
        return try await CheckDTO(c, content: false, today: req.health.today).encodeResponse(status: .created, for: req)
    }

    struct CheckDetail: Content {
        struct FollowUp: Content { let id: UUID; let date: String; let note: String; let closed: Bool }
        let check: CheckDTO
        let measurements: HealthMeasurements
        let bmi: Double?
        let finding: String
        let referral: [String: String]
        let followUps: [FollowUp]
    }

    func detail(_ req: Request) async throws -> CheckDetail {
        let o = try await req.health.open(req.parameters.get("checkID", as: UUID.self))
        return CheckDetail(check: CheckDTO(o.check, content: true, today: req.health.today), measurements: o.measurements,
                           bmi: o.measurements.bmi, finding: o.finding, referral: ["hospital": o.referral.hospital, "date": o.referral.date],
                           followUps: o.followUps.map { .init(id: $0.0.id!, date: $0.0.on, note: $0.note, closed: $0.0.closed) })
    }

    func show(req: Request) async throws -> CheckDetail { try await detail(req) }

    func addFollowUp(req: Request) async throws -> Response {
        struct Body: Content { var date: String?; var note: String?; var closed: LooseText? }
        let body = try req.content.decode(Body.self)
        let f = try await req.health.addFollowUp(req.parameters.get("checkID", as: UUID.self), on: body.date, note: body.note,
                                                 closed: ["是", "true", "1"].contains(body.closed?.text ?? ""))
        struct DTO: Content { let id: UUID; let date: String; let closed: Bool }
        return try await DTO(id: f.id!, date: f.on, closed: f.closed).encodeResponse(status: .created, for: req)
    }

    func overdue(req: Request) async throws -> HealthRegister.Overdue {
        let campaign = try await req.access.campaign()
        let org = try await req.health.unit(req.query[UUID.self, at: "orgId"])
        let asOfText = req.query[String.self, at: "asOf"] ?? ""
        guard let asOf = asOfText.isEmpty ? req.health.today : LocalDate(iso: String(asOfText.prefix(10))), (2000...2100).contains(asOf.year) else {
            throw AppError(status: .badRequest, code: "bad_request", message: "asOf 应写成 2026-07-15")
        }
        return try await req.health.overdue(campaign: campaign, org: org, asOf: asOf)
    }

    /// A visit's sheet through the same importer as the page: 200 with the report, or 422 with every problem.
    func importChecks(req: Request) async throws -> Response {
        let (visit, org) = try await req.access.writableRecord(HealthVisit.self, req.parameters.get("visitID", as: UUID.self), unit: \.orgID, what: "该次服务")
        return try await RegisterUpload.run(req, defaultMode: .merge) { _, _ in (req.health.checkSpec(visit), org.name + "导入健康检查记录") }
    }
}
