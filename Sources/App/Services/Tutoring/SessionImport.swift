// Bulk import of tutoring sessions (e.g. an export of the 结对卡 mini-program) through the same steps as the
// roster: read → header → row rules → cross-row and database rules → all-or-nothing commit → one report.
import Fluent
import LiangbangCore
import Vapor

enum SessionColumn {
    static let pupilID = "学生身份证号"
    static let volunteerID = "志愿者身份证号"
    static let date = "日期"
    static let startTime = "开始时间"
    static let minutes = "时长（分钟）"
    static let content = "辅导内容"
    static let mode = "辅导方式"
    static let note = "备注"

    static let specs: [ColumnSpec] = [
        ColumnSpec(pupilID, aliases: ["身份证号", "学生身份证号码", "帮扶学生身份证号"]),
        ColumnSpec(volunteerID, aliases: ["结对志愿者身份证号", "志愿者身份证号码"]),
        ColumnSpec(date, aliases: ["支教日期", "辅导日期", "服务日期"]),
        ColumnSpec(startTime, aliases: ["时间", "辅导开始时间"]),
        ColumnSpec(minutes, aliases: ["时长", "辅导时长", "时长(分钟)", "服务时长", "分钟"]),
        ColumnSpec(content, aliases: ["内容", "服务内容", "辅导内容摘要"]),
        ColumnSpec(mode, aliases: ["方式", "形式", "辅导形式"]),
        ColumnSpec(note, aliases: ["说明"], required: false),
    ]
}

struct SessionImport {
    let request: Request
    let campaign: Campaign
    let university: Organization

    func run(data: Data, filename: String, commit: Bool) async throws -> ImportReport {
        let db = request.db
        let rows = try UploadedTable.rows(data: data, filename: filename, columns: SessionColumn.specs)
        let existingCount = try await TutoringSession.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).count()
        var report = ImportReport(stored: existingCount)
        let layout: TableLayout
        switch TableLayout.locate(in: rows, columns: SessionColumn.specs) {
        case .success(let found): layout = found
        case .failure(let problem):
            report.refuse(row: rows.first?.number ?? 1, column: "表头", message: problem.message)
            return report
        }
        let pairings = try await Pairing.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!).all()
        let byPair = Dictionary(pairings.map { ($0.pairHash, $0) }, uniquingKeysWith: { a, _ in a })
        let today = LocalDate(instant: request.now)
        var problems: [RowProblem] = []
        var sessions: [TutoringSession] = []
        var seen: [String: Int] = [:]
        for row in layout.rows {
            func cell(_ column: String) -> String { TextNormaliser.clean(row.cell(layout.columns[column])) }
            func error(_ column: String, _ message: String) { problems.append(RowProblem(row: row.number, column: column, message: message)) }
            let pupil = IDNumber.parse(cell(SessionColumn.pupilID))
            let volunteer = IDNumber.parse(cell(SessionColumn.volunteerID))
            if case .failure(let p) = pupil { error(SessionColumn.pupilID, "学生" + p.message) }
            if case .failure(let p) = volunteer { error(SessionColumn.volunteerID, "志愿者" + p.message) }
            var pairing: Pairing?
            if case .success(let p) = pupil, case .success(let v) = volunteer {
                pairing = byPair[request.cipher.lookupHash(p.value) + "|" + request.cipher.lookupHash(v.value)]
                if pairing == nil { error(SessionColumn.pupilID, "\(university.name)的结对名单中没有这名学生与这名志愿者的结对，请先在结对名单中添加") }
            }
            let date = DateText.parse(cell(SessionColumn.date), defaultYear: campaign.year)
            if date == nil { error(SessionColumn.date, "日期“\(cell(SessionColumn.date))”无法识别，请写成 2022-07-18") }
            let minutes = SessionRules.duration(cell(SessionColumn.minutes))
            if minutes == nil { error(SessionColumn.minutes, "时长“\(cell(SessionColumn.minutes))”无法识别，请填写分钟数，如 60") }
            let mode = SessionMode.parse(cell(SessionColumn.mode))
            if mode == nil { error(SessionColumn.mode, "辅导方式应为\(SessionMode.choices)之一") }
            let content = TextNormaliser.trim(row.cell(layout.columns[SessionColumn.content]))
            if content.isEmpty { error(SessionColumn.content, "请填写辅导内容") } else if content.count > 200 { error(SessionColumn.content, "辅导内容最多200字") }
            if let date, let minutes {
                for p in SessionRules.validate(date: date, startTime: cell(SessionColumn.startTime), minutes: minutes, today: today,
                                               period: campaign.tutoringPeriod, pairingStart: pairing?.startDate.flatMap(LocalDate.init(iso:))) {
                    switch p.field {
                    case .date: error(SessionColumn.date, p.message)
                    case .startTime: error(SessionColumn.startTime, p.message)
                    case .minutes: error(SessionColumn.minutes, p.message)
                    }
                }
            }
            guard let pairing, let date, let minutes, let mode, let start = SessionRules.startMinute(cell(SessionColumn.startTime)),
                  !problems.contains(where: { $0.row == row.number }) else { continue }
            let key = "\(pairing.id!)|\(date.iso)|\(SessionRules.timeText(start))"
            if let first = seen[key] {
                error(SessionColumn.startTime, "与第\(first)行是同一结对、同一日期和开始时间的记录，请删除重复行")
                continue
            }
            seen[key] = row.number
            let s = TutoringSession()
            s.pairingID = pairing.id!; s.campaignID = campaign.id!; s.universityID = pairing.universityID; s.countyID = pairing.countyID
            s.pupilIDHash = pairing.pupilIDHash; s.volunteerIDHash = pairing.volunteerIDHash
            s.date = date.iso; s.weekStart = date.weekStart.iso; s.startTime = SessionRules.timeText(start); s.minutes = minutes
            s.content = content; s.mode = mode.rawValue
            s.note = TextNormaliser.trim(row.cell(layout.columns[SessionColumn.note])).nilIfEmpty
            s.recordedBy = try request.access.current.user.username; s.createdAt = request.now
            sessions.append(s)
            _ = row
        }
        // Already logged (same pairing, date and start time) — an import must not double them.
        let rowOf = Dictionary(uniqueKeysWithValues: seen.map { ($0.key, $0.value) })
        for chunk in sessions.chunked(into: 300) {
            let found = try await TutoringSession.query(on: db).filter(\.$pairingID ~~ Set(chunk.map(\.pairingID)))
                .filter(\.$date ~~ Set(chunk.map(\.date))).all()
            for s in found {
                if let row = rowOf["\(s.pairingID)|\(s.date)|\(s.startTime)"] {
                    problems.append(RowProblem(row: row, column: SessionColumn.startTime, message: "平台上已有同一结对在\(s.date) \(s.startTime)的记录，请删除该行"))
                }
            }
        }
        report.list(problems, position: layout.columns)
        report.added = sessions.count
        guard commit, report.errors.isEmpty else { return report }
        let toStore = sessions, campaign = campaign
        try await db.writeTransaction(lock: university.id!) { tx in
            try await TutoringWeeks.store(toStore, campaign: campaign, on: tx)
        }
        report.stored = existingCount + sessions.count
        report.committed = true
        return report
    }
}
