// `liangbang demo-data --activities N`: synthetic 附件3 tables for every city, county, university and provincial
// unit, and plan / update submissions for most of them, for trying the board and for the benchmark.
import Fluent
import Foundation
import LiangbangCore
import SQLKit

struct DemoActivities {
    let db: any Database
    let campaign: Campaign
    let seed: UInt64

    static let themes = ["暑期学业辅导营", "乡村少年宫科学课", "就业技能培训班", "青年创业沙龙", "健康义诊进乡村", "体育夏令营",
                         "心理健康讲座", "亲子阅读陪伴", "助残志愿服务", "红领巾科技直通车", "书信陪伴成长", "返家乡社会实践"]

    /// Spreads `count` activities round-robin over the reporting units; returns how many units got some.
    func generate(count: Int, now: Date = Date()) async throws -> (activities: Int, units: Int, submissions: Int) {
        var rng = DemoData.Random(state: seed ^ 0xA11CE)
        let units = try await Organization.query(on: db).filter(\.$kind ~~ [.city, .county, .university, .provincialUnit]).all()
            .map(OrgNode.init).sorted(by: OrgNode.order)
        guard !units.isEmpty, count > 0 else { return (0, 0, 0) }
        let year = campaign.year
        var rows: [[SQLValue]] = []
        var perUnit: [UUID: [ActivitySnapshot]] = [:]
        for i in 0..<count {
            let unit = units[i % units.count]
            let position = i / units.count + 1
            let category = ActivityCategory.allCases[rng.int(0..<4)]
            let item = WorkItem.allCases.filter { $0.category == category }[0]
            let start = LocalDate(year: year, month: 7, day: 1)!.adding(days: rng.int(0..<60))
            let end = rng.chance(0.3) ? start.adding(days: rng.int(1..<6)) : start
            let theme = Self.themes[rng.int(0..<Self.themes.count)]
            // Cities run their demonstration first; one line in ten is recommended for publicity.
            let demonstration = unit.kind == .city && position == 1
            let key = (position == 1 && unit.kind != .county) || rng.chance(0.1)
            let entry = ActivityEntry(row: position, host: unit.name, coHosts: rng.chance(0.3) ? "当地教育局" : "", startDate: start, endDate: end,
                                      category: category, workItem: item, title: "\(unit.name)\(theme)（第\(position)场）",
                                      summary: "组织志愿者开展\(theme)，围绕\(category.label)设计课程与陪伴活动，服务乡村青少年。",
                                      peopleCovered: 20 + rng.int(0..<500), reportLinks: rng.chance(0.5) ? ["https://example.org/news/\(i)"] : [],
                                      keyPublicity: key, demonstration: demonstration, status: end.year == year && rng.chance(0.6) ? .held : .planned)
            let id = UUID()
            perUnit[unit.id, default: []].append(ActivitySnapshot(id: id.uuidString, activity: entry))
            rows.append([.uuid(id), .uuid(campaign.id!), .uuid(unit.id), .int(position), .text(entry.host), .text(entry.coHosts), .text(""),
                         .text(start.iso), .text(end.iso), .text(category.rawValue), .text(item.rawValue), .text(entry.title),
                         .text(entry.summary), .int(entry.peopleCovered), .text(entry.reportLinks.joined(separator: "\n")),
                         .bool(key), .bool(demonstration), .text(entry.status.rawValue), .date(now), .date(now)])
        }
        let columns = ["id", "campaign_id", "org_id", "position", "host", "co_hosts", "co_host_ids", "start_date", "end_date", "category",
                       "work_item", "title", "summary", "people_covered", "report_links", "key_publicity", "demonstration", "status",
                       "created_at", "updated_at"]
        // Most units submit the plan (some late), fewer the update.
        var submissions: [ActivitySubmission] = []
        for unit in units {
            guard let snapshot = perUnit[unit.id] else { continue }
            for stage in ActivityStage.allCases where rng.chance(stage == .plan ? 0.85 : 0.6) {
                let s = ActivitySubmission()
                s.campaignID = campaign.id!; s.orgID = unit.id; s.stage = stage; s.version = 1
                // Believable dates: an on-time one a few days before its deadline, a late one some days after (never
                // after now), and "按时" decided from that date by the one rule that decides it for real submissions.
                let due = stage.due(campaign.calendar)
                let day = rng.chance(0.8) ? due.adding(days: -rng.int(0..<10)) : due.adding(days: 1 + rng.int(0..<20))
                let at = min(day.startInstant.addingTimeInterval(TimeInterval(9 * 3600 + rng.int(0..<(8 * 3600)))), now)
                s.submittedAt = at; s.submittedBy = "demo"; s.status = .submitted
                s.onTime = CampaignCalendar.isOnTime(submittedOn: LocalDate(instant: at), due: due)
                s.activities = snapshot.count; s.snapshot = try JSONEncoder().encode(snapshot)
                submissions.append(s)
            }
        }
        let lines = rows, made = submissions
        try await db.writeTransaction { tx in
            try await BulkInsert.run(tx as! any SQLDatabase, table: Activity.schema, columns: columns, rows: lines)
            for s in made { try await s.create(on: tx) }
        }
        return (count, min(count, units.count), submissions.count)
    }
}
