// 附件1 对接安排: which university tutors each county, per campaign; the province keeps it.
import Fluent
import LiangbangCore
import Vapor

struct AssignmentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(RequireLogin())
        signedIn.get("campaigns", ":year", "assignments", use: page)
        // The menu's entry: the current campaign's 附件1.
        signedIn.get("assignments") { req async throws -> Response in
            req.redirect(to: "/campaigns/\(try await req.access.campaign().year)/assignments")
        }
        signedIn.get("api", "v1", "campaigns", ":year", "assignments", use: list)
        let province = signedIn.grouped(RequireProvince(), RequireRole(.admin, .staff))
        province.post("campaigns", ":year", "assignments", use: saveForm)
        province.put("api", "v1", "campaigns", ":year", "assignments", ":countyID", use: set)
    }

    struct Row: Content {
        let cityId: UUID
        let city: String
        let countyId: UUID
        let county: String
        let universityId: UUID?
        let university: String?
    }

    /// Every county of every city named in 附件1 this year, with its university or none (a gap to fix).
    static func rows(_ req: Request, _ campaign: Campaign) async throws -> [Row] {
        let assignments = try await TutoringAssignment.query(on: req.db).filter(\.$campaignID == campaign.id!).all()
        let orgs = try await Organization.query(on: req.db).filter(\.$kind ~~ [.city, .county, .university]).all()
        let byID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) })
        let universityOf = Dictionary(assignments.map { ($0.countyID, $0.universityID) }, uniquingKeysWith: { a, _ in a })
        let listedCities = Set(assignments.compactMap { byID[$0.countyID]?.parentID })
        return orgs.filter { $0.kind == .county && listedCities.contains($0.parentID ?? UUID()) }
            .sorted { ($0.parentID.flatMap { byID[$0]?.code } ?? "", $0.code ?? "") < ($1.parentID.flatMap { byID[$0]?.code } ?? "", $1.code ?? "") }
            .map { county in
                let university = universityOf[county.id!].flatMap { byID[$0] }
                return Row(cityId: county.parentID!, city: byID[county.parentID!]?.name ?? "", countyId: county.id!, county: county.name,
                           universityId: university?.id, university: university?.name)
            }
    }

    func list(req: Request) async throws -> ItemList<Row> {
        ItemList(try await Self.rows(req, try await CampaignController.campaign(req)))
    }

    /// `confirm`: true once the caller was told what un-assigning a county that has pairings means (409 before).
    struct SetInput: Content { let universityId: UUID?; var confirm: Bool? }

    func set(req: Request) async throws -> Row {
        let campaign = try await CampaignController.campaign(req)
        let input = try req.content.decode(SetInput.self)
        guard let countyID = req.parameters.get("countyID", as: UUID.self) else { throw AppError.notFound("该县（市、区）") }
        if input.confirm != true, let warning = try await Self.warning(req, campaign, changes: [countyID: input.universityId]) {
            throw AppError(status: .conflict, code: "confirm_required", message: warning + "确认无误请带上 \"confirm\": true 再次提交")
        }
        try await Self.assign(req, campaign, countyID: countyID, universityID: input.universityId)
        guard let row = try await Self.rows(req, campaign).first(where: { $0.countyId == countyID }) else {
            throw AppError.notFound("该县（市、区）")
        }
        return row
    }

    /// What taking counties away from their university would leave behind: the pairings it already holds there.
    /// nil when no change touches a county with pairings.
    static func warning(_ req: Request, _ campaign: Campaign, changes: [UUID: UUID?]) async throws -> String? {
        let current = try await TutoringAssignment.query(on: req.db).filter(\.$campaignID == campaign.id!)
            .filter(\.$countyID ~~ Array(changes.keys)).all()
        var lines: [String] = []
        for a in current where changes[a.countyID] != .some(a.universityID) {
            let held = try await Pairing.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$countyID == a.countyID)
                .filter(\.$universityID == a.universityID).count()
            guard held > 0 else { continue }
            let names = try await RosterExport(db: req.db, cipher: req.cipher).orgNames([a.countyID, a.universityID])
            lines.append("\(names[a.countyID] ?? "")已有\(names[a.universityID] ?? "")的\(held)条结对")
        }
        guard !lines.isEmpty else { return nil }
        return "请注意：" + lines.joined(separator: "；") + "。取消或更换对接高校后，这些结对仍保留在原高校的结对名单中，但不再属于附件1的对接安排。"
    }

    static func assign(_ req: Request, _ campaign: Campaign, countyID: UUID, universityID: UUID?) async throws {
        guard let county = try await Organization.find(countyID, on: req.db), county.kind == .county else {
            throw AppError.notFound("该县（市、区）")
        }
        try await TutoringAssignment.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$countyID == countyID).delete()
        guard let universityID else {
            req.auditDetail = "\(campaign.year)年度附件1：取消\(county.name)的对接高校"
            return
        }
        guard let university = try await Organization.find(universityID, on: req.db), university.kind == .university else {
            throw AppError.invalid("所选单位不是高校")
        }
        try await TutoringAssignment(campaignID: campaign.id!, countyID: countyID, universityID: universityID).create(on: req.db)
        req.auditDetail = "\(campaign.year)年度附件1：\(county.name) → \(university.name)"
    }

    struct Page: Encodable {
        struct Option: Encodable { let value: String; let label: String }
        struct City: Encodable { let name: String; let counties: [County] }
        struct County: Encodable { let id: UUID; let name: String; let universityId: String; let university: String; let missing: Bool }
        let layout: Layout
        let year: Int
        let cities: [City]
        let universities: [Option]
        let missing: Int
        let canEdit: Bool
        /// Set when a save was held back to ask again (un-assigning counties that have pairings).
        let confirmPrompt: String?
    }

    func page(req: Request) async throws -> View {
        let campaign = try await CampaignController.campaign(req)
        let rows = try await Self.rows(req, campaign)
        let me = try req.access.current
        let universities = try await Organization.query(on: req.db).filter(\.$kind == .university).sort(\.$name).all()
        var cities: [Page.City] = []
        for row in rows {
            // A refused form shows the choices as they were made, not as stored.
            let chosen = req.formState?.values["county.\(row.countyId.uuidString)"] ?? row.universityId?.uuidString ?? ""
            let county = Page.County(id: row.countyId, name: row.county, universityId: chosen,
                                     university: row.university ?? "", missing: row.universityId == nil)
            if cities.last?.name == row.city { cities[cities.count - 1] = Page.City(name: row.city, counties: cities.last!.counties + [county]) }
            else { cities.append(Page.City(name: row.city, counties: [county])) }
        }
        return try await req.view.render("assignments", Page(
            layout: await Layout.build(for: req, title: "对接安排（附件1）"), year: campaign.year, cities: cities,
            universities: universities.map { .init(value: $0.id!.uuidString, label: $0.name) },
            missing: rows.filter { $0.universityId == nil }.count,
            canEdit: me.org.kind == .province && me.user.role.canWrite, confirmPrompt: req.formState?.errors["confirm"]))
    }

    /// The form posts `county.<id>` = university id (or empty) for every county shown; only changes are written.
    func saveForm(req: Request) async throws -> Response {
        let campaign = try await CampaignController.campaign(req)
        let form = try req.content.decode([String: String].self)
        let current = Dictionary(uniqueKeysWithValues: try await Self.rows(req, campaign).map { ($0.countyId, $0.universityId) })
        return try await req.formAction(back: "/campaigns/\(campaign.year)/assignments", fields: ["confirm": "confirm"], page: { try await page(req: req) }) {
            var changes: [UUID: UUID?] = [:]
            for (key, value) in form where key.hasPrefix("county.") {
                guard let countyID = UUID(uuidString: String(key.dropFirst(7))), current.keys.contains(countyID) else { continue }
                let universityID = UUID(uuidString: value)
                if current[countyID] ?? nil != universityID { changes[countyID] = universityID }
            }
            // Taking a county away from a university that already paired pupils there: say so, and ask again.
            if form["confirm"] != "1", let warning = try await Self.warning(req, campaign, changes: changes) {
                throw AppError(status: .conflict, code: "confirm_required", message: "尚未保存。" + warning,
                               problems: [.init(field: "confirm", message: warning)])
            }
            var changed = 0
            for (countyID, universityID) in changes {
                try await Self.assign(req, campaign, countyID: countyID, universityID: universityID)
                changed += 1
            }
            req.auditDetail = "\(campaign.year)年度附件1：修改\(changed)个县（市、区）的对接高校"
            return "已保存，修改了\(changed)个县（市、区）"
        }
    }
}
