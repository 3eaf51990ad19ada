// The completeness board's context: one line per unit (or per city with its counties), the totals, the chase list.
import Foundation
import LiangbangCore
import Vapor

struct CompletenessPage: Encodable {
    struct Row: Encodable {
        let name, kind, colour, colourLabel: String
        let drill: String?
        let table: String?
        let units, expected, submitted, onTime, late, missingSubmissions: Int
        let reportingRate, timeliness: String
        let quota: String
        let activities, demonstrations, keyPublicity, people: Int
        /// Training classes, and the best class's person-times and trainees (work item 6).
        let trainingClasses, trainingPersonTimes, trainingTrainees: Int
        let byCategory: [Int]
        let missing: String
        /// `missing` item by item, drawn as compact chips.
        let missingItems: [String]
    }
    struct Chase: Encodable { let name, area, colour, missing: String; let table: String; let reachable: Bool }

    var layout: Layout
    var year: Int
    var years: [Int]
    var title: String
    /// Back up the drill-down: the caller's unit down to the one shown.
    var crumbs: [Crumb]
    var orgID: UUID?
    var query: String
    var today: String
    var planDue, updateDue: String
    var categories: [String]
    var rows: [Row]
    var total: Row
    var chase: [Chase]
    /// Units on the chase list (this page of them is `chase`; all of them are in the export).
    var chaseTotal: Int
    var missingOnly: Bool
    var isProvince: Bool
    var canChase: Bool
}

extension CompletenessPage {
    static func percent(_ value: Int?) -> String { value.map { "\($0)%" } ?? "—" }

    static func row(_ r: CompletenessBoard.Row, year: Int, name: String? = nil) -> Row {
        let t = r.totals
        return Row(name: name ?? r.org.name, kind: r.rolledUp ? "\(r.org.kind.label)（含下级）" : r.org.kind.label,
                   colour: t.colour.rawValue, colourLabel: t.colour.label,
                   drill: r.rolledUp ? Layout.link("/completeness", campaign: year, orgID: r.org.id) : nil,
                   table: r.rolledUp || r.org.kind == .province ? nil : Layout.link("/activities", campaign: year, orgID: r.org.id),
                   units: t.reportingUnits, expected: t.expected, submitted: t.submitted, onTime: t.onTime, late: t.late,
                   missingSubmissions: t.missingSubmissions, reportingRate: percent(t.reportingRate), timeliness: percent(t.timeliness),
                   quota: t.unitsWithQuota == 0 ? "—" : "\(t.unitsMeetingQuota)/\(t.unitsWithQuota)",
                   activities: t.tally.counts.activities, demonstrations: t.tally.counts.demonstrations,
                   keyPublicity: t.tally.counts.keyPublicity, people: t.tally.people,
                   trainingClasses: t.tally.counts.trainingClasses, trainingPersonTimes: t.tally.counts.trainingPersonTimes,
                   trainingTrainees: t.tally.counts.trainingTrainees,
                   byCategory: ActivityCategory.allCases.map { t.tally.byCategory[$0] ?? 0 },
                   missing: r.rolledUp ? (t.unitsMissingSomething == 0 ? "" : "\(t.unitsMissingSomething)个单位有缺项") : r.missing.joined(separator: "；"),
                   missingItems: r.rolledUp ? (t.unitsMissingSomething == 0 ? [] : ["\(t.unitsMissingSomething)个单位有缺项"]) : r.missing)
    }

    /// The page (the chase list cut at 50 units, worst first) or, `forExport`, everything for the workbook.
    static func build(_ req: Request, board: CompletenessBoard, target: Organization, missingOnly: Bool, forExport: Bool = false) async throws -> CompletenessPage {
        let me = try req.access.current
        let year = board.campaign.year
        let years = try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year)
        let lines = board.rows(for: board.root).filter { !missingOnly || $0.totals.colour > .green }
        let all = board.units(under: board.root).map(\.status)
        let total = CompletenessBoard.Row(org: board.root, totals: CompletenessTotals(all), missing: [], rolledUp: true)
        let ownBoard = target.id == me.org.id
        let owing = board.chase(under: board.root)
        // The chase list in the table component: worst first by default, searchable by name, code or city, 50 a page.
        let table = try TableQuery(req, sorts: ["status", "name", "area"])
        let numbered = Array(owing.enumerated())
        let shown = forExport ? owing : table.page(numbered.filter { table.matches($0.element.org.name, $0.element.org.code, board.city(of: $0.element.org)?.name) },
                                                   request: req) { u, key in
            switch key {
            case "name": u.element.org.code ?? u.element.org.name
            case "area": board.city(of: u.element.org)?.name ?? u.element.org.kind.label
            default: String(u.offset)
            }
        }.map(\.element)
        let reachable = try await Inbox.reachable(shown.map(\.org.id), on: req.db)
        let chase = shown.map { u in
            Chase(name: u.org.name, area: board.city(of: u.org)?.name ?? u.org.kind.label, colour: u.status.colour.rawValue,
                  missing: u.status.missing.joined(separator: "；"), table: Layout.link("/activities", campaign: year, orgID: u.org.id),
                  reachable: reachable.contains(u.org.id))
        }
        return CompletenessPage(
            layout: await Layout.build(for: req, title: "完成情况"), year: year, years: years,
            // A county or town is named with its city (乐昌市（韶关市）).
            title: target.name + (board.city(of: board.root).map { $0.id == target.id! ? "" : "（\($0.name)）" } ?? ""),
            crumbs: forExport ? [] : try await Layout.crumbs(req, board: "/completeness", campaign: year, target: target),
            orgID: ownBoard ? nil : target.id, query: Layout.query(campaign: year, orgID: ownBoard ? nil : target.id), today: board.today.iso,
            planDue: board.campaign.calendar.planDue.iso, updateDue: board.campaign.calendar.updateDue.iso,
            categories: ActivityCategory.allCases.map(\.label), rows: lines.map { row($0, year: year) },
            total: row(total, year: year, name: "合计"), chase: Array(chase), chaseTotal: owing.count, missingOnly: missingOnly,
            isProvince: me.org.kind == .province, canChase: me.user.role.canWrite)
    }
}
