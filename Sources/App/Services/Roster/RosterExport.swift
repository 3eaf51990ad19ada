// 附件2 in the notice's own layout (xlsx, docx) and as CSV; IDs masked unless a full export was allowed.
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Vapor

struct RosterExport {
    static let header = ["序号", "学生姓名", "性别", "身份证号", "学籍号", "在读学校", "年级班级", "所在县（市、区）", "结对志愿者", "结对志愿者身份证号"]
    static let widths: [Double] = [6, 10, 6, 22, 24, 22, 12, 16, 10, 22]

    struct Line: Sendable {
        let cells: [String]       // without 序号
        let pupilHash: String
        let volunteerHash: String
    }

    struct Roster: Sendable {
        let university: String
        let lines: [Line]
        var pupils: Int { Set(lines.map(\.pupilHash)).count }
        var volunteers: Int { Set(lines.map(\.volunteerHash)).count }
        var totals: String { "帮扶学生总计 \(pupils) 名，结对志愿者总计 \(volunteers) 名" }
    }

    let db: any Database
    let cipher: PersonalDataCipher

    /// One university's roster, ordered by county, school and pupil; full IDs only when `fullIDs`.
    func roster(campaign: Campaign, university: Organization, fullIDs: Bool) async throws -> Roster {
        let pairings = try await Pairing.query(on: db)
            .filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        return try await roster(university: university.name, pairings: pairings, fullIDs: fullIDs)
    }

    /// Some pairings of one university (a city's or county's share of it), in the 附件2 layout.
    func roster(university: String, pairings: [Pairing], fullIDs: Bool) async throws -> Roster {
        let counties = try await orgNames(Set(pairings.map(\.countyID)))
        let sorted = pairings.sorted {
            (counties[$0.countyID] ?? "", $0.school, $0.pupilName, $0.volunteerName) < (counties[$1.countyID] ?? "", $1.school, $1.pupilName, $1.volunteerName)
        }
        let lines = try sorted.map { p -> Line in
            let studentNo = try cipher.open(p.studentNoCipher)
            return Line(cells: [p.pupilName, p.pupilSex,
                                fullIDs ? try cipher.open(p.pupilIDCipher) : p.pupilIDMasked,
                                fullIDs ? studentNo : IDNumber.mask(studentNo),
                                p.school, p.gradeClass, counties[p.countyID] ?? "", p.volunteerName,
                                fullIDs ? try cipher.open(p.volunteerIDCipher) : p.volunteerIDMasked],
                        pupilHash: p.pupilIDHash, volunteerHash: p.volunteerIDHash)
        }
        return Roster(university: university, lines: lines)
    }

    /// Names of organisations by id (counties, cities, universities).
    func orgNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.name) })
    }

    // MARK: Writers

    /// Writes the file and returns its bytes; several rosters make one workbook with a summary sheet.
    static func write(_ rosters: [Roster], format: ExportFormat) throws -> Data {
        switch format {
        case .xlsx: return try Download.xlsx { try writeXLSX(rosters, into: $0) }
        case .docx: return try docx(rosters).data()
        case .csv: return csv(rosters)
        }
    }

    static func writeXLSX(_ rosters: [Roster], into writer: XLSXWriter) throws {
        if rosters.count > 1 {
            let summary = try writer.addSheet("汇总", options: SheetOptions(columnWidths: [1: 24, 2: 14, 3: 14, 4: 14], frozenRows: 1))
            try summary.appendRow(values: ["高校", "帮扶学生", "结对志愿者", "结对数"], style: .header)
            for r in rosters {
                try summary.appendRow(values: [.string(r.university), .number(Double(r.pupils)), .number(Double(r.volunteers)), .number(Double(r.lines.count))])
            }
        }
        var usedNames = Set<String>()
        for roster in rosters {
            var name = String(roster.university.prefix(31))
            while usedNames.contains(name) { name = String(name.prefix(28)) + "\(usedNames.count)" }
            usedNames.insert(name)
            let last = header.count
            let sheet = try writer.addSheet(rosters.count > 1 ? name : "结对名单", options: SheetOptions(
                columnWidths: Dictionary(uniqueKeysWithValues: widths.enumerated().map { ($0.offset + 1, $0.element) }),
                textColumns: [4, 5, 10], frozenRows: 5))
            try sheet.appendRow(values: ["附件2"])
            try sheet.appendRow([WriteCell(.string("“青年云支教”结对名单"), style: .title)], height: 28)
            sheet.merge(CellRange(firstRow: 2, firstColumn: 1, lastRow: 2, lastColumn: last))
            try sheet.appendRow(values: [.string("高校团委（盖章）：\(roster.university)")])
            sheet.merge(CellRange(firstRow: 3, firstColumn: 1, lastRow: 3, lastColumn: last))
            try sheet.appendRow(values: [.string(roster.totals)])
            sheet.merge(CellRange(firstRow: 4, firstColumn: 1, lastRow: 4, lastColumn: last))
            try sheet.appendRow(values: header.map { .string($0) }, style: .header)
            for (i, line) in roster.lines.enumerated() {
                try sheet.appendRow(values: [.number(Double(i + 1))] + line.cells.map { .string($0) })
            }
        }
    }

    static func docx(_ rosters: [Roster]) -> DocxDocument {
        var doc = DocxDocument(landscape: true)
        for (i, roster) in rosters.enumerated() {
            if i > 0 { doc.append(.pageBreak) }
            doc.append(.paragraph("附件2", bold: true))
            doc.append(.title("“青年云支教”结对名单"))
            doc.append(.paragraph("高校团委（盖章）：\(roster.university)"))
            doc.append(.paragraph(roster.totals))
            let rows = [header] + roster.lines.enumerated().map { [String($0.offset + 1)] + $0.element.cells }
            doc.append(.table(rows: rows, columnWidths: widths, headerRows: 1, size: 9))
        }
        return doc
    }

    static func csv(_ rosters: [Roster]) -> Data {
        Download.csv([["高校"] + header] + rosters.flatMap { roster in
            roster.lines.enumerated().map { [roster.university, String($0.offset + 1)] + $0.element.cells }
        })
    }
}
