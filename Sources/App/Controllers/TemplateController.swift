// Blank forms next to each upload (issue 11 §7): 附件2 and 附件3 in the notice's layout, and the session sheet,
// written by the same code as the exports so that a filled template imports as it is. No data in them.
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct TemplateController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.grouped(RequireLogin(), RequireRole(.admin, .staff))
        staff.get("roster", "template.xlsx", use: roster)
        staff.get("activities", "template.xlsx", use: activities)
        staff.get("tutoring", "template.xlsx", use: sessions)
    }

    func roster(req: Request) async throws -> Response {
        let me = try req.access.current
        let campaign = try await req.access.campaign()
        let name = me.org.kind == .university ? me.org.name : ""
        let data = try RosterExport.write([RosterExport.Roster(university: name, lines: [])], format: .xlsx)
        return Download.response(data, filename: "附件2-结对名单-空白模板-\(campaign.year)", format: .xlsx)
    }

    func activities(req: Request) async throws -> Response {
        let me = try req.access.current
        let campaign = try await req.access.campaign()
        let data = try Download.xlsx { writer in
            try ActivityExport.form(writer, sheet: "活动汇总表", year: campaign.year, unitLine: "单位：\(me.org.kind == .province ? "" : me.org.name)",
                                    groups: [(nil, [])])
        }
        return Download.response(data, filename: "附件3-活动汇总表-空白模板-\(campaign.year)", format: .xlsx)
    }

    func sessions(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "支教记录", filename: "支教记录-批量导入模板",
            title: "支教记录批量导入（辅导方式填：线上视频、线上语音或线下；日期如 2022-07-18，开始时间如 19:30）",
            header: SessionColumn.specs.map(\.title), rows: [], textColumns: Set(1...SessionColumn.specs.count))
    }
}
