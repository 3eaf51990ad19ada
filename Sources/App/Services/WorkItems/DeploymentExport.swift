// The 希望乡村教师 register out as xlsx: the blank template and the export share one layout, and the importer reads
// it back by column name (an export with full ID numbers re-imports as it is).
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Vapor

enum DeploymentExport {
    static let header = ["序号"] + DeploymentColumn.specs.map(\.title) + ["登记单位"]
    static let widths: [Double] = [6, 12, 6, 22, 12, 20, 24, 18, 10, 12, 12, 12, 18, 20]

    struct Line {
        let deployment: Deployment
        let idNumber: String
        let university, county, recorder: String
        /// The recording unit's path: who may change the line.
        let recorderPath: String
    }

    /// The lines `org` is concerned with, names resolved; ID numbers masked unless `fullIDs` (the caller checks
    /// the permission and audits).
    static func lines(_ req: Request, _ postings: [Deployment], fullIDs: Bool) async throws -> [Line] {
        let ids = Set(postings.flatMap { [$0.countyID, $0.orgID] + ($0.universityID.map { [$0] } ?? []) })
        let orgs = try await Organization.query(on: req.db).filter(\.$id ~~ Array(ids)).all()
        let cityIDs = Set(orgs.filter { $0.kind == .county }.compactMap(\.parentID))
        let cities = try await Organization.query(on: req.db).filter(\.$id ~~ Array(cityIDs)).all()
        let name = Dictionary((orgs + cities).map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })
        let byID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) })
        let cipher = req.appServices.cipher
        return try postings.map { d in
            let county = byID[d.countyID]
            return Line(deployment: d, idNumber: fullIDs ? try cipher.open(d.volunteerIDCipher) : d.volunteerIDMasked,
                        university: d.universityID.flatMap { name[$0] } ?? "",
                        county: (county?.parentID.flatMap { name[$0] } ?? "") + (county?.name ?? ""), recorder: name[d.orgID] ?? "",
                        recorderPath: byID[d.orgID]?.path ?? "-")
        }
    }

    static func workbook(year: Int, unitName: String, lines: [Line]) throws -> Data {
        try Download.xlsx { writer in
            let sheet = try writer.addSheet("希望乡村教师派驻", options: SheetOptions(
                columnWidths: Dictionary(uniqueKeysWithValues: widths.enumerated().map { ($0.offset + 1, $0.element) }), frozenRows: 3))
            try sheet.appendRow([WriteCell(.string("\(year)年希望乡村教师计划派驻登记表"), style: .title)], height: 28)
            sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: header.count))
            try sheet.appendRow(values: [.string("单位：\(unitName)　项目类别填“山区计划”或“研究生支教团”；日期如 2026-09-01；任期1至3年，派驻粤东西北地区")])
            try sheet.appendRow(values: header.map { .string($0) }, style: .header)
            for (n, l) in lines.enumerated() {
                let d = l.deployment
                try sheet.appendRow(values: [.number(Double(n + 1)), .string(d.volunteerName), .string(d.sex), .string(l.idNumber),
                                             .string(d.programmeLabel), .string(l.university), .string(d.school), .string(l.county),
                                             .string(d.subject), .string(d.startDate), .string(d.endDate), .string(d.endedOn ?? ""),
                                             .string(d.endReason ?? ""), .string(l.recorder)])
            }
        }
    }
}
