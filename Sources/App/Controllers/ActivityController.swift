// The activity pages: a unit's 附件3 table, single activities, submission of the plan and the update,
// returning a submission from the level above, and the unit's export.
import Fluent
import LiangbangCore
import Vapor

struct ActivityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("activities", use: page)
        pages.get("activities", "export", use: export)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post("activities", use: add)
        writers.get("activities", ":activityID", "edit", use: editPage)
        writers.post("activities", ":activityID", use: edit)
        writers.post("activities", ":activityID", "delete", use: delete)
        writers.post("activities", "submit", use: submit)
        writers.post("activity-submissions", ":submissionID", "return", use: returnSubmission)
    }

    /// Back to a unit's table (campaign and unit kept).
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/activities", campaign: campaign, orgID: orgID) }

    func page(req: Request) async throws -> Response {
        let orgID = req.query[UUID.self, at: "orgId"]
        // The province keeps no table of its own: its starting point is the board.
        if orgID == nil, try req.access.current.org.kind == .province {
            return req.redirect(to: "/completeness" + (req.url.query.map { "?" + $0 } ?? ""))
        }
        let campaign = try await req.access.campaign()
        let unit = try await req.activityLines.unit(orgID)
        let page = try await ActivityPageBuilder(request: req).build(campaign: campaign, unit: unit)
        return try await req.view.render("activities", page).encodeResponse(for: req)
    }

    func add(req: Request) async throws -> Response {
        let form = try req.content.decode(ActivityForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: ActivityFormValues.fields,
                                         page: { try await page(req: req) }) {
            let a = try await req.activityLines.create(form)
            return "已添加活动：\(a.title)"
        }
    }

    struct EditPage: Encodable {
        let layout: Layout
        let id: UUID
        let year: Int
        let orgID: UUID
        let unit: String
        let form: ActivityFormValues
        let summaryLimit: Int
    }

    func editPage(req: Request) async throws -> View {
        let (activity, unit) = try await req.activityLines.writableActivity(req.parameters.get("activityID", as: UUID.self))
        let year = try await Campaign.find(activity.campaignID, on: req.db)?.year ?? 0
        return try await req.view.render("activity-edit", EditPage(
            layout: await Layout.build(for: req, title: "修改活动"), id: activity.id!, year: year, orgID: unit.id!, unit: unit.name,
            form: ActivityFormValues.build(req, activity), summaryLimit: ActivityRules.summaryLimit))
    }

    func edit(req: Request) async throws -> Response {
        let form = try req.content.decode(ActivityForm.self)
        let id = req.parameters.get("activityID", as: UUID.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: ActivityFormValues.fields,
                                         page: { try await editPage(req: req) }) {
            "已保存：\(try await req.activityLines.update(id, form).title)"
        }
    }

    func delete(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        try await req.activityLines.delete(req.parameters.get("activityID", as: UUID.self))
        return req.redirect(to: Self.back(campaign: form.campaign, orgID: form.orgId), flash: "success", "已删除该活动")
    }

    func submit(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID?; var stage: String?; var confirm: String? }
        let form = try req.content.decode(Form.self)
        // First the summary and a confirm button; the confirmation submits.
        if form.confirm != "1", let stage = ActivityStage(rawValue: form.stage ?? "") {
            let campaign = try await req.access.campaign(form.campaign)
            let unit = try await req.activityLines.writableUnit(form.orgId)
            return try await SubmitConfirmation.activities(req, campaign: campaign, unit: unit, stage: stage,
                                                           back: Self.back(campaign: form.campaign, orgID: form.orgId)).encodeResponse(for: req)
        }
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            guard let stage = ActivityStage(rawValue: form.stage ?? "") else { throw AppError.invalid("请选择报送阶段：活动计划或更新") }
            let campaign = try await req.access.campaign(form.campaign)
            let unit = try await req.activityLines.writableUnit(form.orgId)
            let s = try await req.activitySubmissions.submit(campaign: campaign, unit: unit, stage: stage)
            return "已报送\(stage.label)第\(s.version)版（\(s.activities)项活动，\(s.onTime ? "按时" : "逾期")报送）"
        }
    }

    func returnSubmission(req: Request) async throws -> Response {
        struct Form: Content { var reason: String?; var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            let (s, unit) = try await req.activitySubmissions.returnSubmission(req.parameters.get("submissionID", as: UUID.self), reason: form.reason)
            return "已退回\(unit.name)的\(s.stage.label)第\(s.version)版"
        }
    }

    func export(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let unit = try await req.activityLines.unit(req.query[UUID.self, at: "orgId"])
        let data = try await ActivityExport(db: req.db).unitWorkbook(campaign: campaign, unit: unit)
        return Download.response(data, filename: "\(campaign.year)年活动汇总表-\(unit.name)", format: .xlsx)
    }
}
