// One person across the product (PIPL): every register that holds an ID number, found by its keyed hash
// (`PersonSource`); a subject-access export of everything held about an ID number, its erasure on request, and
// the retention run that anonymises campaigns ended long ago. Erasing keeps every row (and so every count the
// boards make): names and masked numbers become "（已删除）", sealed fields are sealed empty, free text is
// cleared, and each person's hash is replaced by one no ID number leads back to (the same person keeps one
// replacement within a run, so distinct counts hold).
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import SQLKit
import Vapor

struct PersonSource: Sendable {
    let table: String
    let label: String
    let hash: String
    /// The hash of an ID number as this register keys it (training keys people as `id:…`).
    var key: @Sendable (String, PersonalDataCipher) -> String = { id, cipher in cipher.lookupHash(id) }
    var names: [String] = []
    var masked: [String] = []
    /// Sealed columns; the first is the ID number.
    var sealed: [String] = []
    var texts: [String] = []
    /// SQL for the record's campaign and unit.
    var campaign = "campaign_id"
    var unit = "org_id"
    /// Rows of other tables that belong to a record: (table, foreign key, sealed, texts).
    var children: [(table: String, fk: String, sealed: [String], texts: [String])] = []

    static let all: [PersonSource] = [
        PersonSource(table: "pairings", label: "结对名单（学生）", hash: "pupil_id_hash", names: ["pupil_name"], masked: ["pupil_id_masked"],
                     sealed: ["pupil_id_cipher"], unit: "university_id"),
        PersonSource(table: "pairings", label: "结对名单（志愿者）", hash: "volunteer_id_hash", names: ["volunteer_name"], masked: ["volunteer_id_masked"],
                     sealed: ["volunteer_id_cipher", "student_no_cipher"], unit: "university_id"),
        PersonSource(table: "tutoring_sessions", label: "支教记录（学生）", hash: "pupil_id_hash", texts: ["note"], unit: "university_id"),
        PersonSource(table: "tutoring_sessions", label: "支教记录（志愿者）", hash: "volunteer_id_hash", texts: ["note"], unit: "university_id"),
        PersonSource(table: "pairing_conflicts", label: "结对冲突", hash: "pupil_id_hash", names: ["pupil_name"], masked: ["pupil_id_masked"], unit: "owner_university_id"),
        PersonSource(table: "deployments", label: "希望乡村教师派驻", hash: "volunteer_id_hash", names: ["volunteer_name"], masked: ["volunteer_id_masked"],
                     sealed: ["volunteer_id_cipher"], texts: ["end_reason"]),
        PersonSource(table: "return_home_students", label: "返家乡学生", hash: "id_hash", names: ["name"], masked: ["id_masked"], sealed: ["id_cipher"]),
        PersonSource(table: "employment_graduates", label: "就业帮扶毕业生", hash: "id_hash", names: ["name"], masked: ["id_masked"],
                     sealed: ["id_cipher", "hardship_cipher"], children: [("employment_guidance", "graduate_id", [], ["note"])]),
        PersonSource(table: "training_attendees", label: "培训学员", hash: "person_hash", key: { id, cipher in cipher.lookupHash("id:" + id) },
                     names: ["name"], masked: ["id_masked", "phone_masked"], sealed: ["id_cipher", "phone_cipher"]),
        PersonSource(table: "health_checks", label: "健康直通车检查", hash: "id_hash", names: ["name"], masked: ["id_masked"],
                     sealed: ["id_cipher", "measurements_cipher", "finding_cipher", "referral_cipher"],
                     children: [("health_follow_ups", "check_id", ["note_cipher"], [])]),
        PersonSource(table: "disability_pairs", label: "阳光助残结对", hash: "id_hash", names: ["name", "guardian"], masked: ["id_masked", "guardian_phone_masked"],
                     sealed: ["id_cipher", "disability_cipher", "guardian_phone_cipher", "plan_cipher"],
                     children: [("disability_reviews", "pair_id", ["content_cipher"], [])]),
        PersonSource(table: "camp_participants", label: "成长陪伴营员", hash: "id_hash", names: ["name"], masked: ["id_masked"], sealed: ["id_cipher"],
                     campaign: "(SELECT c.campaign_id FROM camps c WHERE c.id = camp_participants.camp_id)"),
        PersonSource(table: "companion_matches", label: "成长陪伴结对", hash: "subject_id_hash", names: ["subject"], masked: ["subject_id_masked"],
                     sealed: ["subject_id_cipher"], children: [("companion_contacts", "match_id", ["note_cipher"], [])]),
    ]
}

struct PersonalData {
    let db: any Database
    let cipher: PersonalDataCipher
    var sql: any SQLDatabase { db as! any SQLDatabase }

    struct Found: Sendable {
        let source: PersonSource
        let id: UUID
        let campaignID: UUID?
        let unitID: UUID?
        let hash: String
        /// Column → value as held (sealed columns opened).
        let values: [(String, String)]
    }

    /// Every record of `idNumber` in every register.
    func find(idNumber: String) async throws -> [Found] {
        var out: [Found] = []
        for source in PersonSource.all {
            let columns = source.names + source.masked + source.sealed + source.texts
            let select = (["id", "\(source.campaign) AS campaign_ref", "\(source.unit) AS unit_ref", source.hash] + columns).joined(separator: ", ")
            let rows = try await sql.raw("SELECT \(unsafeRaw: select) FROM \(unsafeRaw: source.table) WHERE \(unsafeRaw: source.hash) = \(bind: source.key(idNumber, cipher))").all()
            for row in rows {
                var values: [(String, String)] = []
                for column in columns {
                    let raw = (try? row.decode(column: column, as: String?.self)) ?? nil
                    values.append((column, source.sealed.contains(column) ? ((try? cipher.open(raw ?? "")) ?? "") : (raw ?? "")))
                }
                out.append(Found(source: source, id: try row.decode(column: "id", as: UUID.self),
                                 campaignID: try? row.decode(column: "campaign_ref", as: UUID?.self), unitID: try? row.decode(column: "unit_ref", as: UUID?.self),
                                 hash: try row.decode(column: source.hash, as: String.self), values: values))
            }
        }
        return out
    }

    /// The subject-access workbook: one line per record, every field held, sealed ones opened.
    func workbook(_ found: [Found], idMasked: String) async throws -> Data {
        let campaigns = Dictionary(uniqueKeysWithValues: try await Campaign.query(on: db).all().map { ($0.id!, $0.year) })
        let units = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ found.compactMap(\.unitID)).all().map { ($0.id!, $0.name) })
        return try Download.xlsx { writer in
            let sheet = try writer.addSheet("个人信息", options: SheetOptions(columnWidths: [1: 22, 2: 10, 3: 22, 4: 80], textColumns: [4], frozenRows: 2))
            try sheet.appendRow([WriteCell(.string("个人信息查询结果（身份证号 \(idMasked)，共\(found.count)条记录）"), style: .title)], height: 26)
            sheet.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: 4))
            try sheet.appendRow(values: ["登记册", "年度", "单位", "所存信息"].map { .string($0) }, style: .header)
            for f in found {
                let held = f.values.filter { !$0.1.isEmpty }.map { "\(Self.words[$0.0] ?? $0.0)：\($0.1)" }.joined(separator: "；")
                try sheet.appendRow(values: [.string(f.source.label), .string(f.campaignID.flatMap { campaigns[$0] }.map(String.init) ?? ""),
                                             .string(f.unitID.flatMap { units[$0] } ?? ""), .string(held)])
            }
        }
    }

    static let words: [String: String] = [
        "pupil_name": "学生姓名", "pupil_id_masked": "学生身份证号（打码）", "pupil_id_cipher": "学生身份证号", "volunteer_name": "志愿者姓名",
        "volunteer_id_masked": "志愿者身份证号（打码）", "volunteer_id_cipher": "志愿者身份证号", "student_no_cipher": "学号", "note": "备注",
        "end_reason": "提前结束原因", "name": "姓名", "id_masked": "身份证号（打码）", "id_cipher": "身份证号", "hardship_cipher": "家庭困难类别",
        "phone_masked": "手机号（打码）", "phone_cipher": "手机号", "measurements_cipher": "检查数据", "finding_cipher": "检查发现",
        "referral_cipher": "转诊", "guardian": "监护人", "guardian_phone_masked": "监护人手机号（打码）", "guardian_phone_cipher": "监护人手机号",
        "disability_cipher": "残疾类别与等级", "plan_cipher": "一人一策", "subject": "儿童", "subject_id_masked": "儿童身份证号（打码）",
        "subject_id_cipher": "儿童身份证号",
    ]

    /// The campaigns of `found` still open on `today` (erasing their records needs `force`).
    func openCampaigns(_ found: [Found], today: LocalDate) async throws -> [Int] {
        let ids = Set(found.compactMap(\.campaignID))
        return try await Campaign.query(on: db).filter(\.$id ~~ Array(ids)).all()
            .filter { Retention.isOpen(end: Self.end(of: $0), today: today) }.map(\.year).sorted()
    }

    static func end(of c: Campaign) -> LocalDate {
        let cal = c.calendar
        return Retention.end(year: c.year, lastDates: [cal.updateDue, cal.focusEnd] + [c.tutoringPeriod.end])
    }

    /// Anonymises the given records of each source in one transaction; returns how many rows changed.
    func erase(_ rows: [(PersonSource, [(id: UUID, hash: String)])]) async throws -> Int {
        let emptySealed = try cipher.seal("")
        // One replacement per person and run, from a salt nobody keeps: counts of distinct people hold, and no ID leads back.
        let salt = UUID().uuidString
        let cipher = cipher
        return try await db.transaction { tx in
            var changed = 0
            let sql = tx as! any SQLDatabase
            for (source, records) in rows where !records.isEmpty {
                for chunk in records.chunked(into: 500) {
                    let ids = chunk.map(\.id)
                    var sets = source.names.map { "\($0) = '\(Retention.erased)'" } + source.masked.map { "\($0) = '\(Retention.erased)'" }
                    sets += source.sealed.map { "\($0) = '\(emptySealed)'" } + source.texts.map { "\($0) = ''" }
                    if !sets.isEmpty {
                        try await sql.raw("UPDATE \(unsafeRaw: source.table) SET \(unsafeRaw: sets.joined(separator: ", ")) WHERE id IN (\(binds: ids))").run()
                    }
                    for (old, _) in Dictionary(grouping: chunk, by: \.hash) where !old.hasPrefix("erased:") {
                        let replacement = "erased:" + cipher.lookupHash(salt + old)
                        try await sql.raw("UPDATE \(unsafeRaw: source.table) SET \(unsafeRaw: source.hash) = \(bind: replacement) WHERE \(unsafeRaw: source.hash) = \(bind: old) AND id IN (\(binds: ids))").run()
                    }
                    for child in source.children {
                        let sets = child.sealed.map { "\($0) = '\(emptySealed)'" } + child.texts.map { "\($0) = ''" }
                        try await sql.raw("UPDATE \(unsafeRaw: child.table) SET \(unsafeRaw: sets.joined(separator: ", ")) WHERE \(unsafeRaw: child.fk) IN (\(binds: ids))").run()
                    }
                    changed += chunk.count
                }
            }
            return changed
        }
    }

    /// The records of campaigns past retention not yet anonymised, by source.
    func expired(years: Int, today: LocalDate) async throws -> (campaigns: [Int], rows: [(PersonSource, [(id: UUID, hash: String)])]) {
        let old = try await Campaign.query(on: db).all().filter { Retention.expired(end: Self.end(of: $0), years: years, today: today) }
        guard !old.isEmpty else { return ([], []) }
        var out: [(PersonSource, [(id: UUID, hash: String)])] = []
        for source in PersonSource.all {
            let rows = try await sql.raw("""
                SELECT id, \(unsafeRaw: source.hash) AS h FROM \(unsafeRaw: source.table)
                WHERE \(unsafeRaw: source.campaign) IN (\(binds: old.map { $0.id! })) AND \(unsafeRaw: source.hash) NOT LIKE 'erased:%'
                """).all()
            out.append((source, try rows.map { (try $0.decode(column: "id", as: UUID.self), try $0.decode(column: "h", as: String.self)) }))
        }
        return (old.map(\.year).sorted(), out)
    }
}
