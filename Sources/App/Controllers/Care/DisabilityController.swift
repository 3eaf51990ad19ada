// 阳光助残 pages: a unit's pairs with their plan status (form), one pair's disability, plan and reviews (permission).
import Fluent
import LiangbangCore
import Vapor

struct DisabilityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("disability")
        pages.get(use: index)
        pages.get(":pairID", use: show)
        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post(use: create)
        writers.post(":pairID", "plan", use: plan)
        writers.post(":pairID", "reviews", use: review)
    }

    struct Option: Encodable { let value: String; let label: String }

    struct IndexPage: Encodable {
        let layout: Layout
        let year: Int
        let unit: String
        let canWrite: Bool
        let seesContent: Bool
        let pairs: [DisabilityAPIController.PairDTO]
        let overdue: Int
        let categories: [Option]
        let today: String
    }

    func index(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.disability.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let pairs = try await DisabilityAPIController.dtos(req, try await req.disability.pairs(campaign: campaign, org: org), year: campaign.year)
        let sees = (try? req.access.enforce(AccessPolicy.caseContent(by: me.actor, category: .disability, orgPath: org.path))) != nil
        return try await req.view.render("disability", IndexPage(
            layout: await Layout.build(for: req, title: "阳光助残"), year: campaign.year, unit: org.name,
            canWrite: me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed && sees, seesContent: sees,
            pairs: pairs, overdue: pairs.filter { $0.planOverdue || $0.planStatus == .reviewOverdue }.count,
            categories: DisabilityCategory.allCases.map { Option(value: $0.rawValue, label: $0.label) }, today: req.disability.today.iso))
    }

    func create(req: Request) async throws -> Response {
        let form = try req.content.decode(DisabilityPairForm.self)
        return try await req.formAction(back: Layout.link("/disability", campaign: form.campaign, orgID: form.orgId), page: { try await index(req: req) }) {
            let p = try await req.disability.create(form)
            return "已登记结对：\(p.name)，请在\(p.dueOn)前制定一人一策"
        }
    }

    struct PairPage: Encodable {
        let layout: Layout
        let detail: DisabilityAPIController.Detail
        let canWrite: Bool
        let today: String
        let planGoals, planMeasures, planResponsible, planNext: String
        let plannedOn: String
    }

    func show(req: Request) async throws -> View {
        let detail = try await DisabilityAPIController().detail(req)
        let (_, _, canWrite) = try await req.access.record(DisabilityPair.self, detail.pair.id, unit: \.orgID, what: "该结对")
        return try await req.view.render("disability-pair", PairPage(
            layout: await Layout.build(for: req, title: "一人一策"), detail: detail, canWrite: canWrite, today: req.disability.today.iso,
            planGoals: detail.plan?.goals ?? "", planMeasures: detail.plan?.measures ?? "", planResponsible: detail.plan?.responsible ?? "",
            planNext: detail.plan?.nextReview ?? "", plannedOn: detail.pair.plannedOn ?? ""))
    }

    private func back(_ req: Request) -> String { "/disability/" + (req.parameters.get("pairID") ?? "") }

    func plan(req: Request) async throws -> Response {
        let form = try req.content.decode(DisabilityPlanForm.self)
        return try await req.formAction(back: back(req), page: { try await show(req: req) }) {
            _ = try await req.disability.setPlan(req.parameters.get("pairID", as: UUID.self), form)
            return "已保存一人一策"
        }
    }

    /// The page's review form names its dates `reviewDate` and `reviewNext` (the plan form beside it has its own).
    func review(req: Request) async throws -> Response {
        struct PageForm: Content { var reviewDate: String?; var progress: String?; var nextSteps: String?; var reviewNext: String? }
        let p = try req.content.decode(PageForm.self)
        let form = DisabilityReviewForm(date: p.reviewDate, progress: p.progress, nextSteps: p.nextSteps, nextReview: p.reviewNext)
        return try await req.formAction(back: back(req), fields: ["date": "reviewDate", "nextReview": "reviewNext"], page: { try await show(req: req) }) {
            let r = try await req.disability.addReview(req.parameters.get("pairID", as: UUID.self), form)
            return "已记录评估，下次评估：\(r.nextReview)"
        }
    }
}
