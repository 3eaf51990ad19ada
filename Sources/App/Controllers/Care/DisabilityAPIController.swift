// 阳光助残's JSON API: pairs with their plan status, one pair's plan and reviews (with the permission).
import Fluent
import LiangbangCore
import Vapor

struct DisabilityAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("disability-pairs", use: list)
        api.get("disability-pairs", ":pairID", use: show)
        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("disability-pairs", use: create)
        writers.put("disability-pairs", ":pairID", "plan", use: plan)
        writers.post("disability-pairs", ":pairID", "reviews", use: review)
    }

    /// A pair as its unit's subtree sees it: no disability, no plan content.
    struct PairDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, name: String, idMasked: String, age: Int, guardian: String, guardianPhoneMasked: String
        let organisation: String, startedOn: String, plannedOn: String?, reviews: Int
        let planStatus: PlanStatus, planOverdue: Bool, dueOn: String?, consentGap: Bool

        init(_ p: DisabilityPair, year: Int, today: LocalDate, reviewDates: [LocalDate]) {
            id = p.id!; campaign = year; orgId = p.orgID; name = p.name; idMasked = p.idMasked; age = p.age; guardian = p.guardian
            guardianPhoneMasked = p.guardianPhoneMasked; organisation = p.organisation; startedOn = p.startedOn
            plannedOn = p.plannedOn.isEmpty ? nil : p.plannedOn; reviews = p.reviews
            let s = DisabilityRules.status(paired: LocalDate(iso: p.startedOn) ?? today, planned: LocalDate(iso: p.plannedOn), reviews: reviewDates, asOf: today)
            planStatus = s.status; planOverdue = s.planOverdue; dueOn = s.due?.iso
            consentGap = GuardianConsent.isGap(age: p.age, given: p.consentGiven, on: LocalDate(iso: p.consentOn))
        }
    }

    static func dtos(_ req: Request, _ pairs: [DisabilityPair], year: Int) async throws -> [PairDTO] {
        let reviews = Dictionary(grouping: try await DisabilityReview.query(on: req.db).filter(\.$pairID ~~ pairs.compactMap(\.id)).all(), by: \.pairID)
        let today = req.disability.today
        return pairs.map { p in PairDTO(p, year: year, today: today, reviewDates: (reviews[p.id!] ?? []).compactMap { LocalDate(iso: $0.on) }) }
    }

    func list(req: Request) async throws -> ItemList<PairDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.disability.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await Self.dtos(req, try await req.disability.pairs(campaign: campaign, org: org), year: campaign.year))
    }

    func create(req: Request) async throws -> Response {
        let p = try await req.disability.create(try req.content.decode(DisabilityPairForm.self))
        return try await Self.dtos(req, [p], year: try await HotlineAPIController.year(req, p.campaignID))[0].encodeResponse(status: .created, for: req)
    }

    struct Detail: Content {
        struct Review: Content { let id: UUID; let date: String; let progress: String; let nextSteps: String; let nextReview: String }
        let pair: PairDTO
        let category: String?
        let categoryLabel: String
        let level: Int?
        let levelLabel: String
        let plan: DisabilityPlan?
        let reviews: [Review]
    }

    func detail(_ req: Request) async throws -> Detail {
        let o = try await req.disability.open(req.parameters.get("pairID", as: UUID.self))
        let pair = try await Self.dtos(req, [o.pair], year: try await HotlineAPIController.year(req, o.pair.campaignID))[0]
        return Detail(pair: pair, category: o.category?.rawValue, categoryLabel: o.category?.label ?? Retention.erased,
                      level: o.level?.rawValue, levelLabel: o.level?.label ?? "", plan: o.plan,
                      reviews: o.reviews.map { .init(id: $0.0.id!, date: $0.0.on, progress: $0.1.progress, nextSteps: $0.1.nextSteps, nextReview: $0.0.nextReview) })
    }

    func show(req: Request) async throws -> Detail { try await detail(req) }

    func plan(req: Request) async throws -> PairDTO {
        let p = try await req.disability.setPlan(req.parameters.get("pairID", as: UUID.self), try req.content.decode(DisabilityPlanForm.self))
        return try await Self.dtos(req, [p], year: try await HotlineAPIController.year(req, p.campaignID))[0]
    }

    func review(req: Request) async throws -> Response {
        let r = try await req.disability.addReview(req.parameters.get("pairID", as: UUID.self), try req.content.decode(DisabilityReviewForm.self))
        struct DTO: Content { let id: UUID; let date: String; let nextReview: String }
        return try await DTO(id: r.id!, date: r.on, nextReview: r.nextReview).encodeResponse(status: .created, for: req)
    }
}
