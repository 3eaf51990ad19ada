// The province admin's page for a person's data on request (PIPL): find every record of an ID number, export it,
// erase it — the same `PersonalData` as `liangbang subject-access`. The ID number travels only in POST bodies,
// never in a URL; every export and erasure is audited by its masked number.
import Fluent
import LiangbangCore
import Vapor

struct PrivacyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin), RequireProvince()).grouped("privacy")
        pages.get(use: index)
        pages.post("search", use: search)
        pages.post("export", use: export)
        pages.post("erase", use: erase)
    }

    struct Row: Encodable { let label: String; let year: String; let unit: String; let count: Int }
    struct Page: Encodable { let layout: Layout; let searched: Bool; let masked: String; let idNumber: String; let rows: [Row]; let total: Int; let open: [Int] }

    struct Form: Content { var idNumber: String?; var force: String? }

    /// The permission is needed to look a person up at all (what is found is theirs in full).
    private func person(_ req: Request) throws -> IDNumber {
        try req.roster.requireSensitive()
        let form = try req.content.decode(Form.self)
        guard case .success(let id) = IDNumber.parse(String((form.idNumber ?? "").prefix(40)), today: LocalDate(instant: req.now)) else {
            throw AppError.invalid("请输入有效的18位身份证号", problems: [.init(field: "idNumber", message: "请输入有效的18位身份证号")])
        }
        return id
    }

    func index(req: Request) async throws -> View {
        try await req.view.render("privacy", Page(layout: await Layout.build(for: req, title: "个人信息查询与删除"), searched: false, masked: "",
                                                  idNumber: "", rows: [], total: 0, open: []))
    }

    /// The result is the page itself (a POST answer, so the number stays out of URLs and history); a refused
    /// number comes back typed, with the message at the field.
    func search(req: Request) async throws -> Response {
        do {
            return try await render(req, try person(req)).encodeResponse(for: req)
        } catch let error as AppError where error.status.code < 500 {
            req.formState = FormState(values: req.submittedValues(), error: error)
            let response = try await index(req: req).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    func render(_ req: Request, _ id: IDNumber) async throws -> View {
        let data = PersonalData(db: req.db, cipher: req.appServices.cipher)
        let found = try await data.find(idNumber: id.value)
        let campaigns = Dictionary(uniqueKeysWithValues: try await Campaign.query(on: req.db).all().map { ($0.id!, $0.year) })
        let units = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ found.compactMap(\.unitID)).all().map { ($0.id!, $0.name) })
        let grouped = Dictionary(grouping: found) { f in
            "\(f.source.label)|\(f.campaignID.flatMap { campaigns[$0] }.map(String.init) ?? "")|\(f.unitID.flatMap { units[$0] } ?? "")"
        }
        let rows = grouped.map { key, value in
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return Row(label: parts[0], year: parts[1], unit: parts[2], count: value.count)
        }.sorted { ($0.label, $0.year) < ($1.label, $1.year) }
        await req.audit("sensitive.read", target: "个人信息查询", detail: "查询个人信息（\(id.masked)，\(found.count)条记录）")
        return try await req.view.render("privacy", Page(layout: await Layout.build(for: req, title: "个人信息查询与删除"), searched: true, masked: id.masked,
                                                         idNumber: id.value, rows: rows, total: found.count,
                                                         open: try await data.openCampaigns(found, today: LocalDate(instant: req.now))))
    }

    func export(req: Request) async throws -> Response {
        let id = try person(req)
        let data = PersonalData(db: req.db, cipher: req.appServices.cipher)
        let found = try await data.find(idNumber: id.value)
        await req.audit("sensitive.export", target: "个人信息查询", detail: "导出个人信息（\(id.masked)，\(found.count)条记录）")
        return Download.response(try await data.workbook(found, idMasked: id.masked), filename: "个人信息-\(id.masked)", format: .xlsx)
    }

    func erase(req: Request) async throws -> Response {
        let id = try person(req)
        let force = try req.content.decode(Form.self).force == "1"
        let data = PersonalData(db: req.db, cipher: req.appServices.cipher)
        let found = try await data.find(idNumber: id.value)
        let open = try await data.openCampaigns(found, today: LocalDate(instant: req.now))
        if !open.isEmpty && !force {
            return req.redirect(to: "/privacy", flash: "error", "未删除：\(open.map(String.init).joined(separator: "、"))年度尚未结束，这些记录仍在使用；确需删除请勾选“年度未结束也删除”")
        }
        let changed = try await data.erase(PersonSource.all.map { s in (s, found.filter { $0.source.table == s.table && $0.source.hash == s.hash }.map { ($0.id, $0.hash) }) })
        req.auditDetail = "匿名化个人信息（\(id.masked)，\(changed)条记录）"
        return req.redirect(to: "/privacy", flash: "success", "已匿名化\(changed)条记录（\(id.masked)）：姓名、身份证号和敏感内容已删除，统计数保留")
    }
}
