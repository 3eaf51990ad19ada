// 附件3 out: one unit's table in the notice's layout, the province's consolidation (a sheet per city with its
// counties, one for universities, one for provincial units, a summary) and the key publicity list.
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import SQLKit
import Vapor

struct ActivityExport {
    /// The official columns, then ours (they re-import: the importer reads columns by name).
    static let header = ["序号", "主办单位", "联合开展单位", "开展时间", "活动类别", "活动主题", "活动概况和特色亮点", "覆盖人数",
                         "报道链接", "重点宣传项目", "工作事项", "示范活动", "状态"]
    static let widths: [Double] = [6, 20, 20, 22, 14, 28, 48, 10, 36, 10, 18, 10, 8]

    /// One stored line, read straight from SQL (20,000 of them must not cost 20,000 models).
    struct Line: Decodable, Sendable {
        let orgId: UUID
        let host, coHosts, startDate, endDate, category, title, summary, reportLinks, status: String
        let workItem: String?
        let peopleCovered: Int
        let keyPublicity, demonstration: Bool

        var time: String { startDate == endDate ? startDate : startDate + "至" + endDate }
        var categoryLabel: String { ActivityCategory(rawValue: category)?.label ?? category }

        func cells(_ number: Int) -> [WriteValue] {
            [.number(Double(number)), .string(host), .string(coHosts), .string(time), .string(categoryLabel), .string(title),
             .string(summary), .number(Double(peopleCovered)), .string(reportLinks), .string(keyPublicity ? "√" : ""),
             .string(workItem.flatMap(WorkItem.init(rawValue:))?.label ?? ""), .string(demonstration ? "√" : ""),
             .string(ActivityStatus(rawValue: status)?.label ?? status)]
        }
    }

    let db: any Database

    func lines(campaign: Campaign, orgIDs: [UUID]? = nil) async throws -> [Line] {
        let sql = db as! any SQLDatabase
        let scope: SQLQueryString = orgIDs.map { $0.isEmpty ? " AND 1 = 0" : " AND org_id IN (\(binds: $0))" } ?? ""
        return try await sql.raw("""
            SELECT org_id, host, co_hosts, start_date, end_date, category, title, summary, report_links, status, work_item,
                   people_covered, key_publicity, demonstration
            FROM activities WHERE campaign_id = \(bind: campaign.id!)\(scope) ORDER BY org_id, position
            """).all(decoding: Line.self, keyDecodingStrategy: .convertFromSnakeCase)
    }

    // MARK: One unit

    func unitWorkbook(campaign: Campaign, unit: Organization) async throws -> Data {
        let lines = try await lines(campaign: campaign, orgIDs: [unit.id!])
        return try Download.xlsx { writer in
            try Self.form(writer, sheet: "活动汇总表", year: campaign.year, unitLine: "单位：\(unit.name)", groups: [(nil, lines)])
        }
    }

    /// A sheet in the notice's layout: 附件3, the title, 单位：…, the header, the lines (with 填报单位 when several units share it).
    static func form(_ writer: XLSXWriter, sheet name: String, year: Int, unitLine: String, groups: [(unit: String?, lines: [Line])]) throws {
        let withUnit = groups.contains { $0.unit != nil }
        let columns = withUnit ? [header[0], "填报单位"] + header.dropFirst() : header
        let widths = withUnit ? [Self.widths[0], 20] + Self.widths.dropFirst() : Self.widths
        let sheet = try writer.addSheet(name, options: SheetOptions(
            columnWidths: Dictionary(uniqueKeysWithValues: widths.enumerated().map { ($0.offset + 1, $0.element) }), frozenRows: 4))
        try sheet.appendRow(values: ["附件3"])
        try sheet.appendRow([WriteCell(.string("\(year)年“两帮两促”集中行动月活动汇总表"), style: .title)], height: 28)
        sheet.merge(CellRange(firstRow: 2, firstColumn: 1, lastRow: 2, lastColumn: columns.count))
        try sheet.appendRow(values: [.string(unitLine)])
        try sheet.appendRow(values: columns.map { .string($0) }, style: .header)
        var number = 0
        for group in groups {
            for line in group.lines {
                number += 1
                var cells = line.cells(number)
                if withUnit { cells.insert(.string(group.unit ?? ""), at: 1) }
                try sheet.appendRow(values: cells)
            }
        }
    }

    // MARK: Province consolidation

    /// Every unit's lines: a sheet per city (the city, then its counties and towns), 高校, 省有关单位, 汇总 first,
    /// and the key publicity list last.
    func consolidation(campaign: Campaign) async throws -> Data {
        let orgs = try await OrgNode.subtree("/", db: db as! any SQLDatabase)
        let byID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id, $0) })
        let lines = try await lines(campaign: campaign)
        let byUnit = Dictionary(grouping: lines, by: \.orgId)
        func cityOf(_ id: UUID) -> OrgNode? { OrgNode.city(of: id, in: byID) }
        let ordered = orgs.filter { byUnit[$0.id] != nil }.sorted(by: OrgNode.order)
        let cities = orgs.filter { $0.kind == .city }.sorted(by: OrgNode.order)
        var perCity: [UUID: [(unit: String?, lines: [Line])]] = [:]
        var universities: [(unit: String?, lines: [Line])] = [], provincial: [(unit: String?, lines: [Line])] = []
        for org in ordered {
            let group = (unit: Optional(org.name), lines: byUnit[org.id]!)
            switch org.kind {
            case .university: universities.append(group)
            case .provincialUnit: provincial.append(group)
            default: if let city = cityOf(org.id) { perCity[city.id, default: []].append(group) }
            }
        }
        let summary = Summary(lines: lines, kindOf: { byID[$0]?.kind }, cityOf: { cityOf($0)?.name })
        let year = campaign.year
        return try Download.xlsx { writer in
            try summary.write(writer, year: year, cities: cities.map(\.name))
            for city in cities {
                try Self.form(writer, sheet: String(city.name.prefix(31)), year: year, unitLine: "单位：\(city.name)（含所辖县区）",
                              groups: perCity[city.id] ?? [])
            }
            try Self.form(writer, sheet: "高校", year: year, unitLine: "单位：各相关高校团委", groups: universities)
            try Self.form(writer, sheet: "省有关单位", year: year, unitLine: "单位：省有关单位团（工）委", groups: provincial)
            try Self.keyPublicity(writer, year: year, lines: lines, unitName: { byID[$0]?.name ?? "" },
                                  cityName: { cityOf($0)?.name ?? (byID[$0]?.kind.label ?? "") })
        }
    }

    /// Counts by level (地市、县区、镇街、高校、省有关单位) and by city, each split by category.
    struct Summary {
        var byKind: [OrgKind: ActivityTally] = [:]
        var byCity: [String: ActivityTally] = [:]

        init(lines: [Line], kindOf: (UUID) -> OrgKind?, cityOf: (UUID) -> String?) {
            for line in lines {
                let kind = kindOf(line.orgId) ?? .province
                let category = ActivityCategory(rawValue: line.category) ?? .academic
                let one = ActivityTally(counts: ActivityCounts(activities: 1, demonstrations: line.demonstration ? 1 : 0,
                                                               keyPublicity: line.keyPublicity ? 1 : 0),
                                        people: line.peopleCovered, byCategory: [category: 1])
                byKind[kind] = (byKind[kind] ?? ActivityTally()) + one
                if let city = cityOf(line.orgId) { byCity[city] = (byCity[city] ?? ActivityTally()) + one }
            }
        }

        static let columns = ["活动数"] + ActivityCategory.allCases.map(\.label) + ["示范活动", "重点宣传项目", "覆盖人数"]

        static func cells(_ label: String, _ t: ActivityTally) -> [WriteValue] {
            [.string(label), .number(Double(t.counts.activities))]
                + ActivityCategory.allCases.map { .number(Double(t.byCategory[$0] ?? 0)) }
                + [.number(Double(t.counts.demonstrations)), .number(Double(t.counts.keyPublicity)), .number(Double(t.people))]
        }

        func write(_ writer: XLSXWriter, year: Int, cities: [String]) throws {
            let sheet = try writer.addSheet("汇总", options: SheetOptions(columnWidths: [1: 22], frozenRows: 3))
            try sheet.appendRow([WriteCell(.string("\(year)年“两帮两促”集中行动月活动汇总（全省）"), style: .title)], height: 28)
            sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: Self.columns.count + 1))
            try sheet.appendRow(values: [])
            try sheet.appendRow(values: (["层级"] + Self.columns).map { .string($0) }, style: .header)
            let levels: [(OrgKind, String)] = [(.city, "地市团委本级"), (.county, "县（市、区）团委"), (.town, "镇街团委"),
                                               (.university, "高校团委"), (.provincialUnit, "省有关单位团（工）委")]
            for (kind, label) in levels { try sheet.appendRow(values: Self.cells(label, byKind[kind] ?? ActivityTally())) }
            try sheet.appendRow(values: Self.cells("合计", byKind.values.reduce(ActivityTally(), +)), style: CellStyle(bold: true))
            try sheet.appendRow(values: [])
            try sheet.appendRow(values: (["地市（含所辖县区、镇街）"] + Self.columns).map { .string($0) }, style: .header)
            for city in cities { try sheet.appendRow(values: Self.cells(city, byCity[city] ?? ActivityTally())) }
        }
    }

    static let keyHeader = ["序号", "地市/类别", "填报单位", "主办单位", "活动主题", "活动类别", "开展时间", "活动概况和特色亮点", "覆盖人数", "报道链接", "示范活动"]

    /// 重点宣传项目 for the publicity team: where, who, what, and the links to follow up.
    static func keyPublicity(_ writer: XLSXWriter, year: Int, lines: [Line], unitName: (UUID) -> String, cityName: (UUID) -> String) throws {
        let sheet = try writer.addSheet("重点宣传项目", options: SheetOptions(
            columnWidths: [1: 6, 2: 14, 3: 20, 4: 20, 5: 28, 6: 14, 7: 22, 8: 48, 9: 10, 10: 36, 11: 10], frozenRows: 2))
        try sheet.appendRow([WriteCell(.string("\(year)年“两帮两促”重点宣传项目清单"), style: .title)], height: 28)
        sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: keyHeader.count))
        try sheet.appendRow(values: keyHeader.map { .string($0) }, style: .header)
        let keys = lines.filter(\.keyPublicity).map { (city: cityName($0.orgId), unit: unitName($0.orgId), line: $0) }
            .sorted { ($0.city, $0.unit) < ($1.city, $1.unit) }
        for (i, k) in keys.enumerated() {
            try sheet.appendRow(values: [.number(Double(i + 1)), .string(k.city), .string(k.unit), .string(k.line.host), .string(k.line.title),
                                         .string(k.line.categoryLabel), .string(k.line.time), .string(k.line.summary),
                                         .number(Double(k.line.peopleCovered)), .string(k.line.reportLinks),
                                         .string(k.line.demonstration ? "√" : "")])
        }
    }

    /// The key publicity list alone, as its own workbook (what the publicity team is sent).
    func keyPublicityWorkbook(campaign: Campaign, under root: Organization) async throws -> Data {
        // Cities too, so a county's lines are listed under its city even when the caller is the county.
        let all = try await OrgNode.subtree("/", db: db as! any SQLDatabase)
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        let lines = try await lines(campaign: campaign, orgIDs: all.filter { $0.path.hasPrefix(root.path) }.map(\.id))
        func city(_ id: UUID) -> String { OrgNode.city(of: id, in: byID)?.name ?? byID[id]?.kind.label ?? "" }
        return try Download.xlsx { writer in
            try Self.keyPublicity(writer, year: campaign.year, lines: lines, unitName: { byID[$0]?.name ?? "" }, cityName: city)
        }
    }
}
