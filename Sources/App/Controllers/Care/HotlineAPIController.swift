// 12355's JSON API: cases and follow-ups for counsellors (403 for every other role, whatever the id), and the
// suppressed counts for everyone else.
import Fluent
import LiangbangCore
import Vapor

struct HotlineAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin())
        // The role is checked by `HotlineRegister` (and `AccessPolicy.caseContent`), so each refusal says why.
        api.post("hotline-cases", use: create)
        api.get("hotline-cases", use: list)
        api.get("hotline-cases", ":caseID", use: show)
        api.post("hotline-cases", ":caseID", "follow-ups", use: addFollowUp)
        api.post("hotline-cases", ":caseID", "close", use: close)
        api.grouped(RequireRole(.admin, .staff, .viewer, .counselor)).get("hotline-stats", use: stats)
    }

    struct CaseDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, cityId: UUID, countyId: UUID, receivedAt: String, channel: String, age: Int, sex: String
        let category: String, categoryLabel: String, risk: String, riskLabel: String, needsOffline: Bool
        let followUps: Int, dueAt: String?, overdue: Bool, closed: Bool
        /// `dueAt` or "—", for the pages.
        let dueText: String

        init(_ c: HotlineCase, year: Int, now: Date) {
            id = c.id!; campaign = year; orgId = c.orgID; cityId = c.cityID; countyId = c.countyID; receivedAt = DateTimeText.text(c.receivedAt)
            channel = c.channel; age = c.age; sex = c.sex; category = c.category
            categoryLabel = HotlineCategory(rawValue: c.category)?.label ?? c.category; risk = c.risk; riskLabel = c.hotlineRisk.label
            needsOffline = c.needsOffline; followUps = c.followUps; dueAt = c.dueAt.map(DateTimeText.text)
            overdue = CaseKernel.isOverdue(c.dueAt, asOf: now); closed = c.closedAt != nil; dueText = dueAt ?? "—"
        }
    }

    struct FollowUpDTO: Content { let id: UUID; let at: String; let counsellor: String; let mode: String; let note: String }
    struct CaseDetail: Content {
        let `case`: CaseDTO
        let name: String
        let summary: String
        let outcome: String
        let followUps: [FollowUpDTO]
    }

    static func year(_ req: Request, _ campaignID: UUID) async throws -> Int { try await Campaign.find(campaignID, on: req.db)?.year ?? 0 }

    func create(req: Request) async throws -> Response {
        let c = try await req.hotline.create(try req.content.decode(HotlineCaseForm.self))
        return try await CaseDTO(c, year: try await Self.year(req, c.campaignID), now: req.now).encodeResponse(status: .created, for: req)
    }

    /// `?campaign=&overdue=true`: the counsellor's list (overdue first when asked for only those).
    func list(req: Request) async throws -> ItemList<CaseDTO> {
        _ = try req.hotline.requireCounsellor()
        let campaign = try await req.access.campaign()
        let now = req.now
        var rows = try await req.hotline.list(campaign: campaign).map { CaseDTO($0, year: campaign.year, now: now) }
        if req.query[String.self, at: "overdue"] == "true" { rows = rows.filter(\.overdue) }
        return ItemList(rows)
    }

    func detail(_ req: Request) async throws -> CaseDetail {
        let opened = try await req.hotline.open(req.parameters.get("caseID", as: UUID.self))
        return CaseDetail(case: CaseDTO(opened.record, year: try await Self.year(req, opened.record.campaignID), now: req.now),
                          name: opened.name, summary: opened.summary, outcome: opened.outcome,
                          followUps: opened.followUps.map { FollowUpDTO(id: $0.0.id!, at: DateTimeText.text($0.0.at), counsellor: $0.0.counsellor,
                                                                        mode: FollowUpMode(rawValue: $0.0.mode)?.label ?? $0.0.mode, note: $0.note) })
    }

    func show(req: Request) async throws -> CaseDetail { try await detail(req) }

    func addFollowUp(req: Request) async throws -> Response {
        let f = try await req.hotline.addFollowUp(req.parameters.get("caseID", as: UUID.self), try req.content.decode(HotlineFollowUpForm.self))
        return try await FollowUpDTO(id: f.id!, at: DateTimeText.text(f.at), counsellor: f.counsellor, mode: f.mode, note: "")
            .encodeResponse(status: .created, for: req)
    }

    func close(req: Request) async throws -> CaseDTO {
        struct Body: Content { var outcome: String? }
        let c = try await req.hotline.close(req.parameters.get("caseID", as: UUID.self), outcome: try req.content.decode(Body.self).outcome)
        return CaseDTO(c, year: try await Self.year(req, c.campaignID), now: req.now)
    }

    func stats(req: Request) async throws -> HotlineStats {
        let campaign = try await req.access.campaign()
        let org = try await req.query[UUID.self, at: "orgId"].asyncMap { try await req.access.organization($0) } ?? (try req.access.current.org)
        return try await HotlineStats.build(req, campaign: campaign, org: org)
    }
}
