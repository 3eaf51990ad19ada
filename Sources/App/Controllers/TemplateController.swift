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
        staff.get("roster", "matching", "pupils-template.xlsx", use: matchingPupils)
        staff.get("roster", "matching", "volunteers-template.xlsx", use: matchingVolunteers)
    }

    /// 智能结对's two lists: the header the reader looks for, and how to write the cells.
    func matchingPupils(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "待结对学生名单", filename: "智能结对-待结对学生名单-空白模板",
            title: "待结对学生名单（科目、方言、时间用顿号分隔；时间如 周三晚、周六上午；需要志愿者人数不填为1，多对一填2）",
            header: PupilListColumn.specs.map(\.title), rows: [], textColumns: Set(1...PupilListColumn.specs.count))
    }

    func matchingVolunteers(req: Request) async throws -> Response {
        try VolunteerController.workbook(req, name: "可结对志愿者名单", filename: "智能结对-可结对志愿者名单-空白模板",
            title: "可结对志愿者名单（科目、方言、时间用顿号分隔；最多结对人数为1到3，不填为1）",
            header: VolunteerListColumn.specs.map(\.title), rows: [], textColumns: Set(1...VolunteerListColumn.specs.count))
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
