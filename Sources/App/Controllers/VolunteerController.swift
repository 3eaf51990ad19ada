// Volunteers of a university: one-time activation codes, account activation, service hours for i志愿, certificates.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct VolunteerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("activate", use: activatePage)
        routes.post("activate", use: activate)

        let readers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        readers.get("volunteers", use: page)
        readers.get("volunteers", "hours", use: hoursExport)
        readers.post("volunteers", "hours", use: hoursExport)
        readers.get("volunteers", ":volunteerKey", "certificate", use: certificate)
        readers.get("api", "v1", "volunteer-hours", use: hours)
        let writers = readers.grouped(RequireRole(.admin, .staff))
        writers.post("volunteers", "codes", use: issueCodes)
        // Exports that write an audit row are POSTs with the page's CSRF token.
        writers.post("volunteers", "codes", "export", use: codesExport)
    }

    /// The university and campaign of a request (`orgId` for the province; own university otherwise).
    func context(_ req: Request) async throws -> (Campaign, Organization) {
        (try await req.roster.campaign(), try await req.roster.university(req.query[UUID.self, at: "orgId"]))
    }

    // MARK: API

    struct HoursRow: Content {
        struct Volunteer: Content { let name: String; let idMasked: String }
        let volunteer: Volunteer
        let sessions: Int
        let minutes: Int
        /// The volunteer's university, in an answer for a territory (province, city or county without `orgId`).
        let university: String?
    }

    /// A university's volunteers (its own, or the one named by `orgId`); without `orgId`, the province, a city or a
    /// county gets every volunteer serving pupils in its territory. `{"items": [...], "total": n}`.
    func hours(req: Request) async throws -> ItemList<HoursRow> {
        let me = try req.access.current
        if req.query[UUID.self, at: "orgId"] == nil, [.province, .city, .county].contains(me.org.kind) {
            return ItemList(try await req.volunteers.territory(campaign: try await req.roster.campaign()).map { v, university in
                HoursRow(volunteer: .init(name: v.name, idMasked: v.idMasked), sessions: v.sessions, minutes: v.minutes, university: university)
            })
        }
        let (campaign, university) = try await context(req)
        return ItemList(try await req.volunteers.volunteers(campaign: campaign, university: university, withCodes: false).map {
            HoursRow(volunteer: .init(name: $0.name, idMasked: $0.idMasked), sessions: $0.sessions, minutes: $0.minutes, university: nil)
        })
    }

    // MARK: Pages

    struct Page: Encodable {
        let layout: Layout
        let university: String
        let year: Int
        let orgID: UUID?
        let query: String
        /// This page of them (`#pager()` has the total).
        let volunteers: [VolunteerDirectory.Volunteer]
        let hasVolunteers: Bool
        let withoutCode: Int
        let canWrite: Bool
        let canFull: Bool
    }

    func page(req: Request) async throws -> View {
        let (campaign, university) = try await context(req)
        let me = try req.access.current
        let canWrite = me.user.role.canWrite
        let list = try await req.volunteers.volunteers(campaign: campaign, university: university, withCodes: canWrite)
        // The table component: by name unless a column is chosen; searchable by name or account; 50 a page.
        let table = try TableQuery(req, sorts: ["name", "pupils", "sessions", "hours", "account"])
        let shown = table.page(list.filter { table.matches($0.name, $0.account) }, request: req) { v, key in
            switch key {
            case "pupils": String(v.pupils)
            case "sessions": String(v.sessions)
            case "hours": String(v.minutes)
            case "account": v.account ?? ""
            default: v.name
            }
        }
        var items = URLComponents()
        items.queryItems = [URLQueryItem(name: "campaign", value: String(campaign.year))] + (req.query[UUID.self, at: "orgId"].map { [URLQueryItem(name: "orgId", value: $0.uuidString)] } ?? [])
        return try await req.view.render("volunteers", Page(
            layout: await Layout.build(for: req, title: "志愿者"), university: university.name, year: campaign.year,
            orgID: req.query[UUID.self, at: "orgId"], query: items.percentEncodedQuery ?? "", volunteers: shown, hasVolunteers: !list.isEmpty,
            withoutCode: list.filter { $0.account == nil && $0.code == nil }.count, canWrite: canWrite, canFull: me.user.sensitiveData))
    }

    func issueCodes(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        let campaign = try await req.roster.campaign(form.campaign)
        let university = try await req.roster.writableUniversity(form.orgId)
        let issued = try await req.volunteers.issueCodes(campaign: campaign, university: university)
        var path = "/volunteers?campaign=\(campaign.year)"
        if let orgID = form.orgId { path += "&orgId=\(orgID)" }
        return req.redirect(to: path, flash: "success", issued == 0 ? "所有志愿者都已有激活码或账户" : "已生成\(issued)个激活码，请打印或导出后发给志愿者")
    }

    /// The unused codes as a workbook to print and hand out.
    func codesExport(req: Request) async throws -> Response {
        let (campaign, university) = try await context(req)
        _ = try await req.roster.writableUniversity(university.id)
        let list = try await req.volunteers.volunteers(campaign: campaign, university: university, withCodes: true).filter { $0.code != nil }
        let rows: [[WriteValue]] = list.map { [.string($0.name), .string($0.idMasked), .string($0.code!)] }
        await req.audit("write", target: "导出激活码", detail: "导出\(university.name)志愿者激活码\(list.count)个")
        return try Self.workbook(req, name: "志愿者激活码", title: "\(university.name) 志愿者账户激活码（登录页“激活账户”输入）",
                                 header: ["志愿者", "身份证号", "激活码"], rows: rows, textColumns: [2, 3])
    }

    /// 志愿服务记录 for i志愿: one line per volunteer with the fields the system asks for.
    func hoursExport(req: Request) async throws -> Response {
        let (campaign, university) = try await context(req)
        // Full ID numbers only through the page's POST form (audited); a GET link with full=1 is refused.
        let full = req.query[String.self, at: "full"] == "1"
        if full && req.method != .POST { throw AppError.invalid("含完整身份证号的导出请使用志愿者页面上的按钮") }
        if full { try req.roster.requireSensitive() }
        let list = try await req.volunteers.volunteers(campaign: campaign, university: university, withCodes: false).filter { $0.sessions > 0 }
        var fullIDs: [String: String] = [:]
        if full {
            let pairings = try await Pairing.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
            for p in pairings where fullIDs[p.volunteerIDHash] == nil { fullIDs[p.volunteerIDHash] = try req.cipher.open(p.volunteerIDCipher) }
            await req.audit("sensitive.export", target: "导出志愿服务时长（含完整身份证号）", detail: "导出\(university.name)志愿服务时长（完整身份证号）")
        }
        let recorder = try req.access.current.user.displayName
        let rows: [[WriteValue]] = list.map { v in
            [.string(v.name), .string("居民身份证"), .string(full ? fullIDs[v.key] ?? v.idMasked : v.idMasked),
             .string("“青年云支教”线上学业辅导与成长陪伴"), .string(v.firstDate ?? ""), .string(v.lastDate ?? ""),
             .number(SessionRules.serviceHours(v.minutes)), .number(Double(v.sessions)), .string(university.name), .string(recorder)]
        }
        let format = req.query[String.self, at: "format"] == "csv" ? ExportFormat.csv : .xlsx
        let header = ["志愿者姓名", "证件类型", "证件号码", "服务内容", "服务开始日期", "服务结束日期", "服务时长（小时）", "服务次数", "组织单位", "记录人"]
        if format == .csv {
            let text = rows.map { $0.map { v -> String in
                switch v {
                case .string(let s): return s
                case .number(let d): return d == d.rounded() ? String(Int(d)) : String(d)
                default: return ""
                }
            } }
            return Download.response(Download.csv([header] + text), filename: "志愿服务记录", format: .csv)
        }
        return try Self.workbook(req, name: "志愿服务记录", title: "\(university.name) \(campaign.year)年度“青年云支教”志愿服务记录",
                                 header: header, rows: rows, textColumns: [3])
    }

    /// A one-sheet list: a merged title row, a header row, the rows. The file is named `filename` (default: the sheet's name).
    static func workbook(_ req: Request, name: String, filename: String? = nil, title: String, header: [String], rows: [[WriteValue]],
                         textColumns: Set<Int>) throws -> Response {
        let data = try Download.xlsx { writer in
            let sheet = try writer.addSheet(name, options: SheetOptions(columnWidths: Dictionary(uniqueKeysWithValues: (1...header.count).map { ($0, 18.0) }),
                                                                     textColumns: textColumns, frozenRows: 2))
            try sheet.appendRow([WriteCell(.string(title), style: .title)], height: 26)
            sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: header.count))
            try sheet.appendRow(values: header.map { .string($0) }, style: .header)
            for row in rows { try sheet.appendRow(values: row) }
        }
        return Download.response(data, filename: filename ?? name, format: .xlsx)
    }

    struct Certificate: Encodable {
        let layout: Layout
        let number: String
        let name: String
        let idMasked: String
        let hours: String
        let sessions: Int
        let period: String
        let university: String
        let issued: String
        let year: Int
    }

    /// A printable certificate of service hours for credit recognition.
    func certificate(req: Request) async throws -> View {
        let (campaign, university) = try await context(req)
        return try await Self.certificate(req, campaign: campaign, university: university, key: req.parameters.get("volunteerKey"))
    }

    /// One volunteer's certificate: for the university's staff (any of its volunteers) and for the volunteer itself.
    static func certificate(_ req: Request, campaign: Campaign, university: Organization, key: String?) async throws -> View {
        guard let key, let v = try await req.volunteers.volunteers(campaign: campaign, university: university, withCodes: false)
            .first(where: { $0.key == key }) else {
            throw AppError.notFound("该志愿者")
        }
        let today = LocalDate(instant: req.now)
        return try await req.view.render("certificate", Certificate(
            layout: await Layout.build(for: req, title: "志愿服务证明"),
            number: "LBLC-\(campaign.year)-\(key.prefix(8).uppercased())", name: v.name, idMasked: v.idMasked,
            hours: SessionRules.serviceHoursText(v.minutes), sessions: v.sessions,
            period: "\(v.firstDate ?? "—") 至 \(v.lastDate ?? "—")", university: university.name,
            issued: "\(today.year)年\(today.month)月\(today.day)日", year: campaign.year))
    }

    // MARK: Activation (public)

    struct ActivatePage: Encodable {
        let layout: Layout
        let code: String
        let username: String
        let phone: String
        let error: String?
    }

    func activatePage(req: Request) async throws -> View {
        try await req.view.render("activate", ActivatePage(layout: await Layout.build(for: req, title: "激活志愿者账户"),
                                                           code: "", username: "", phone: "", error: nil))
    }

    func activate(req: Request) async throws -> Response {
        struct Form: Content { var code: String?; var username: String?; var password: String?; var confirm: String?; var phone: String? }
        let form = try req.content.decode(Form.self)
        do {
            guard form.password == form.confirm else { throw AppError.invalid("两次输入的密码不一致") }
            let user = try await req.volunteers.activate(code: form.code ?? "", username: form.username ?? "", password: form.password ?? "",
                                                         phone: form.phone ?? "")
            let (_, token, expires) = try await SessionController.signIn(req, .init(username: user.username, password: form.password ?? ""), kind: .web)
            let response = req.redirect(to: "/tutoring", flash: "success", "账户已激活，欢迎！")
            response.cookies[SessionCookie.name] = SessionCookie.make(token, expires: expires, secure: req.application.config.secureCookies)
            return response
        } catch let error as AppError where error.status.code < 500 {
            let page = ActivatePage(layout: await Layout.build(for: req, title: "激活志愿者账户"), code: form.code ?? "",
                                    username: form.username ?? "", phone: form.phone ?? "", error: error.message)
            return try await req.view.render("activate", page).encodeResponse(status: error.status, for: req)
        }
    }
}
