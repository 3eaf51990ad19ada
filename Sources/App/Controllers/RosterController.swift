// The roster pages: the list, single pairings, reveal, export, submission and review.
import Fluent
import LiangbangCore
import Vapor

struct RosterController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("roster", use: page)
        pages.get("roster", "export", use: export)
        // Full ID numbers are written to the audit log: only as a POST with the page's CSRF token.
        pages.post("roster", "export", use: exportFull)
        pages.post("roster", "pairings", ":pairingID", "reveal", use: reveal)

        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post("roster", "pairings", use: add)
        writers.get("roster", "pairings", ":pairingID", "edit", use: editPage)
        writers.post("roster", "pairings", ":pairingID", use: edit)
        writers.post("roster", "pairings", ":pairingID", "delete", use: delete)
        writers.post("roster", "submit", use: submit)
        writers.grouped(RequireProvince()).post("roster", "submissions", ":submissionID", "review", use: review)
    }

    func page(req: Request) async throws -> View {
        try await req.view.render("roster", try await RosterPageBuilder(request: req).build())
    }

    /// Where to go back to after a form: the same roster (campaign and university kept).
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/roster", campaign: campaign, orgID: orgID) }

    struct PairingForm: Content {
        var campaign: Int?; var orgId: UUID?
        var pupilName, sex, pupilId, studentNo, school, gradeClass, county, volunteerName, volunteerId: String?
        var startDate, consent, consentDate: String?

        /// The rules name problems by 附件2 column; the form's inputs are named like the API's fields.
        static let fields: [String: String] = [
            RosterColumn.pupilName: "pupilName", RosterColumn.sex: "sex", RosterColumn.pupilID: "pupilId",
            RosterColumn.studentNo: "studentNo", RosterColumn.school: "school", RosterColumn.gradeClass: "gradeClass",
            RosterColumn.county: "county", RosterColumn.volunteerName: "volunteerName", RosterColumn.volunteerID: "volunteerId",
            RosterColumn.startDate: "startDate", RosterColumn.consent: "consent", RosterColumn.consentDate: "consentDate",
        ]

        var input: PairingInput {
            PairingInput(campaign: campaign, orgId: orgId, pupilName: pupilName ?? "", sex: sex ?? "", pupilId: pupilId ?? "",
                         studentNo: studentNo, school: school ?? "", gradeClass: gradeClass ?? "", county: county ?? "",
                         volunteerName: volunteerName ?? "", volunteerId: volunteerId ?? "",
                         startDate: startDate, guardianConsent: consent == "yes" ? true : consent == "no" ? false : nil, consentDate: consentDate)
        }
    }

    func add(req: Request) async throws -> Response {
        let form = try req.content.decode(PairingForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: PairingForm.fields,
                                         page: { try await page(req: req) }) {
            let p = try await req.rosterLines.create(form.input)
            return "已添加结对：\(p.pupilName) ↔ \(p.volunteerName)"
        }
    }

    struct EditPage: Encodable {
        let layout: Layout
        let id: UUID
        let year: Int
        let orgID: UUID
        let pupilName, sex, pupilIDMasked, school, gradeClass, county, volunteerName, volunteerIDMasked: String
        let startDate, consentDate: String
        let consent: String
    }

    func editPage(req: Request) async throws -> View {
        let (p, university) = try await req.roster.writablePairing(req.parameters.get("pairingID", as: UUID.self))
        let year = try await Campaign.find(p.campaignID, on: req.db)?.year ?? 0
        let county = try await Organization.find(p.countyID, on: req.db)?.name ?? ""
        return try await req.view.render("pairing-edit", EditPage(
            layout: await Layout.build(for: req, title: "修改结对"), id: p.id!, year: year, orgID: university.id!,
            pupilName: p.pupilName, sex: p.pupilSex, pupilIDMasked: p.pupilIDMasked, school: p.school, gradeClass: p.gradeClass,
            county: county, volunteerName: p.volunteerName, volunteerIDMasked: p.volunteerIDMasked, startDate: p.startDate ?? "",
            consentDate: p.consentDate ?? "", consent: p.guardianConsent == true ? "yes" : p.guardianConsent == false ? "no" : ""))
    }

    func edit(req: Request) async throws -> Response {
        let form = try req.content.decode(PairingForm.self)
        let id = req.parameters.get("pairingID", as: UUID.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId), fields: PairingForm.fields,
                                         page: { try await editPage(req: req) }) {
            let p = try await req.rosterLines.update(id, form.input)
            return "已保存：\(p.pupilName) ↔ \(p.volunteerName)"
        }
    }

    func delete(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        try await req.rosterLines.delete(req.parameters.get("pairingID", as: UUID.self))
        return req.redirect(to: Self.back(campaign: form.campaign, orgID: form.orgId), flash: "success", "已删除该结对")
    }

    struct RevealPage: Encodable {
        let layout: Layout
        let pupilName, pupilID, studentNo, volunteerName, volunteerID: String
        let back: String
    }

    func reveal(req: Request) async throws -> View {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        let r = try await req.rosterLines.reveal(req.parameters.get("pairingID", as: UUID.self))
        return try await req.view.render("pairing-reveal", RevealPage(
            layout: await Layout.build(for: req, title: "完整身份证号"), pupilName: r.0.pupilName, pupilID: r.pupilID, studentNo: r.studentNo,
            volunteerName: r.0.volunteerName, volunteerID: r.volunteerID, back: Self.back(campaign: form.campaign, orgID: form.orgId)))
    }

    /// The masked export (a plain link).
    func export(req: Request) async throws -> Response {
        guard req.query[String.self, at: "full"] != "1" else {
            throw AppError.invalid("含完整身份证号的导出请使用结对名单页面上的按钮")
        }
        let format = ExportFormat(rawValue: req.query[String.self, at: "format"] ?? "xlsx") ?? .xlsx
        return try await RosterDownload.response(req, orgID: req.query[UUID.self, at: "orgId"], format: format, fullIDs: false)
    }

    /// The export with full ID numbers (sensitive-data permission, audited).
    func exportFull(req: Request) async throws -> Response {
        struct Form: Content { var format: String? }
        let form = try req.content.decode(Form.self)
        return try await RosterDownload.response(req, orgID: req.query[UUID.self, at: "orgId"],
                                                 format: ExportFormat(rawValue: form.format ?? "xlsx") ?? .xlsx, fullIDs: true)
    }

    func submit(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID?; var confirm: String? }
        let form = try req.content.decode(Form.self)
        // First the summary (and the pupils still without a guardian's consent); the confirmation submits.
        if form.confirm != "1" {
            let campaign = try await req.roster.campaign(form.campaign)
            let university = try await req.roster.writableUniversity(form.orgId)
            return try await SubmitConfirmation.roster(req, campaign: campaign, university: university, orgID: form.orgId,
                                                       back: Self.back(campaign: form.campaign, orgID: form.orgId)).encodeResponse(for: req)
        }
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId)) {
            let campaign = try await req.roster.campaign(form.campaign)
            let university = try await req.roster.writableUniversity(form.orgId)
            let s = try await req.rosterLines.submit(campaign: campaign, university: university)
            return "已报送第\(s.version)版结对名单（\(s.onTime ? "按时" : "逾期")报送）"
        }
    }

    func review(req: Request) async throws -> Response {
        struct Form: Content { var action: String?; var reason: String?; var campaign: Int? }
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: nil)) {
            let s = try await req.rosterLines.review(req.parameters.get("submissionID", as: UUID.self), accept: form.action == "accept", reason: form.reason)
            return s.status == .accepted ? "已审核通过第\(s.version)版" : "已退回第\(s.version)版"
        }
    }
}
