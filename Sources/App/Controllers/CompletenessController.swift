// The completeness board (what the province opens every morning of the focus month), its export, the chase
// reminders, and the province's consolidated 附件3 and key publicity list.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct CompletenessController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        pages.get("completeness", use: page)
        pages.get("completeness", "export.xlsx", use: export)
        pages.get("activities", "key-publicity.xlsx", use: keyPublicity)
        pages.grouped(RequireRole(.admin, .staff)).post("completeness", "chase", use: chase)
        pages.grouped(RequireProvince()).get("activities", "consolidation.xlsx", use: consolidation)
    }

    /// The board for `?orgId=` (in the caller's subtree) or the caller's own organisation.
    static func board(_ req: Request) async throws -> (CompletenessBoard, Organization) {
        let campaign = try await req.access.campaign()
        let orgID = req.query[UUID.self, at: "orgId"]
        let target = try await orgID.asyncMap { try await req.access.organization($0) } ?? (try req.access.current.org)
        let board = try await CompletenessBoard.load(db: req.db, beside: req.besideDatabase, campaign: campaign, root: target, today: LocalDate(instant: req.now))
        return (board, target)
    }

    func page(req: Request) async throws -> View {
        let (board, target) = try await Self.board(req)
        return try await req.view.render("completeness", try await CompletenessPage.build(
            req, board: board, target: target, missingOnly: req.query[String.self, at: "missingOnly"] == "1"))
    }

    func export(req: Request) async throws -> Response {
        let (board, target) = try await Self.board(req)
        let page = try await CompletenessPage.build(req, board: board, target: target, missingOnly: false, forExport: true)
        let data = try Download.xlsx { writer in
            let header = ["单位", "类型", "状态", "应报", "已报", "按时", "逾期", "缺报", "报送率", "及时率", "指标达标"]
                + ["活动数"] + page.categories + ["示范活动", "重点宣传项目", "覆盖人数", "培训班", "单期最多人次", "单期最多学员", "缺项"]
            let sheet = try writer.addSheet("完成情况", options: SheetOptions(columnWidths: [1: 24, 2: 16, header.count: 60], frozenRows: 3))
            try sheet.appendRow([WriteCell(.string("\(page.year)年“两帮两促”活动汇总表完成情况（\(page.title)，截至\(page.today)）"), style: .title)], height: 26)
            sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: header.count))
            try sheet.appendRow(values: [.string("计划截止 \(page.planDue)，更新截止 \(page.updateDue)")])
            try sheet.appendRow(values: header.map { .string($0) }, style: .header)
            for r in page.rows + [page.total] {
                let counts: [Int] = [r.expected, r.submitted, r.onTime, r.late, r.missingSubmissions]
                try sheet.appendRow(values: [.string(r.name), .string(r.kind), .string(r.colourLabel)] + counts.map { .number(Double($0)) }
                    + [.string(r.reportingRate), .string(r.timeliness), .string(r.quota), .number(Double(r.activities))]
                    + r.byCategory.map { .number(Double($0)) }
                    + [.number(Double(r.demonstrations)), .number(Double(r.keyPublicity)), .number(Double(r.people)),
                       .number(Double(r.trainingClasses)), .number(Double(r.trainingPersonTimes)), .number(Double(r.trainingTrainees)), .string(r.missing)])
            }
            let chase = try writer.addSheet("待催报", options: SheetOptions(columnWidths: [1: 24, 2: 14, 3: 14, 4: 80], frozenRows: 1))
            try chase.appendRow(values: ["单位", "所属地市", "状态", "缺项"], style: .header)
            for c in page.chase {
                try chase.appendRow(values: [.string(c.name), .string(c.area), .string(BoardColour(rawValue: c.colour)?.label ?? ""), .string(c.missing)])
            }
        }
        return Download.response(data, filename: "\(page.year)年活动汇总表完成情况-\(page.title)", format: .xlsx)
    }

    /// Sends each unit on the chase list a reminder naming what it owes, to its admin and staff accounts.
    func chase(req: Request) async throws -> Response {
        struct Form: Content { var campaign: Int?; var orgId: UUID? }
        let form = try req.content.decode(Form.self)
        let back = Layout.link("/completeness", campaign: form.campaign, orgID: form.orgId)
        let campaign = try await req.access.campaign(form.campaign)
        let target = try await form.orgId.asyncMap { try await req.access.organization($0) } ?? (try req.access.current.org)
        let board = try await CompletenessBoard.load(db: req.db, beside: req.besideDatabase, campaign: campaign, root: target, today: LocalDate(instant: req.now))
        let owing = board.chase(under: board.root)
        let notices = owing.map { unit in
            Notice(orgID: unit.org.id, orgName: unit.org.name, kind: .chase,
                   title: "\(campaign.year)年“两帮两促”活动汇总表待办：\(unit.org.name)",
                   body: "\(target.name)提醒：请尽快完成" + unit.status.missing.joined(separator: "；") + "。",
                   url: Layout.link("/activities", campaign: campaign.year, orgID: unit.org.id))
        }
        // A double click, or two clerks of the unit at once, sends one reminder: under the unit's write lock, units
        // this unit reminded in the last ten minutes are not reminded again.
        let since = req.now.addingTimeInterval(-600), app = req.application, sender = "\(target.name)提醒："
        let (outcome, sent) = try await req.db.writeTransaction(lock: target.id!) { tx in
            let recent = Set(try await Notification.query(on: tx).filter(\.$kind == .chase).filter(\.$createdAt >= since)
                .filter(\.$orgID ~~ notices.map(\.orgID)).filter(\.$body =~ sender).all(\.$orgID))
            let fresh = notices.filter { !recent.contains($0.orgID) }
            return (try await Inbox(db: tx, application: app).notify(fresh), fresh.count)
        }
        let repeated = notices.count - sent
        let unreachable = outcome.unreachable
        let reached = sent - unreachable.count
        req.auditDetail = "向\(reached)个单位发送活动汇总表催报提醒（站内\(outcome.messages)条，群机器人\(outcome.robots)个）"
        var message = owing.isEmpty ? "没有需要催报的单位" : sent == 0 ? "" : "已向\(reached)个单位发送提醒（\(outcome.messages)个账号的消息提醒"
            + (outcome.robots > 0 ? "，\(outcome.robots)个单位的工作群" : "") + "）"
        if repeated > 0 { message += (message.isEmpty ? "" : "；") + "\(repeated)个单位在10分钟内已提醒过，未重复发送" }
        if !unreachable.isEmpty {
            message += "；\(unreachable.count)个单位还没有管理员或工作人员账号，也没有设置群机器人，无法提醒：" + unreachable.prefix(10).joined(separator: "、")
                + (unreachable.count > 10 ? "等" : "")
        }
        return req.redirect(to: back, flash: unreachable.isEmpty && repeated == 0 ? "success" : "info", message)
    }

    func consolidation(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let data = try await ActivityExport(db: req.db).consolidation(campaign: campaign)
        return Download.response(data, filename: "\(campaign.year)年“两帮两促”集中行动月活动汇总表（全省）", format: .xlsx)
    }

    func keyPublicity(req: Request) async throws -> Response {
        let campaign = try await req.access.campaign()
        let root = try await req.query[UUID.self, at: "orgId"].asyncMap { try await req.access.organization($0) } ?? (try req.access.current.org)
        let data = try await ActivityExport(db: req.db).keyPublicityWorkbook(campaign: campaign, under: root)
        return Download.response(data, filename: "\(campaign.year)年重点宣传项目清单-\(root.name)", format: .xlsx)
    }
}

extension Request {
    /// The database on another event loop of the group (each loop has its own connections), for a read that can
    /// run beside this request's own queries; nil on a single-loop group.
    var besideDatabase: (any Database)? {
        guard let loop = application.eventLoopGroup.makeIterator().first(where: { $0 !== eventLoop }) else { return nil }
        return application.databases.database(logger: logger, on: loop)
    }
}
