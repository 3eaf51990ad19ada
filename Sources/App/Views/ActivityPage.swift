// The activity page's context: one unit's 附件3 table, its quotas, submissions and what changed since the plan.
import Fluent
import Foundation
import LiangbangCore
import Vapor

/// The add/edit form's values (empty for a new activity); shared by activities.leaf and activity-edit.leaf.
struct ActivityFormValues: Encodable {
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    var title = "", startDate = "", endDate = "", coHosts = "", summary = "", people = "", links = ""
    var keyPublicity = false, demonstration = false
    var categories: [Option]
    var workItems: [Option]
    var statuses: [Option]

    init(_ a: Activity? = nil) {
        let e = a?.entry
        title = a?.title ?? ""; startDate = a?.startDate ?? ""; endDate = a?.endDate ?? ""; coHosts = a?.coHosts ?? ""
        summary = a?.summary ?? ""; people = a.map { String($0.peopleCovered) } ?? ""; links = a?.reportLinks ?? ""
        keyPublicity = a?.keyPublicity ?? false; demonstration = a?.demonstration ?? false
        categories = ActivityCategory.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: e?.category == $0) }
        workItems = [Option(value: "", label: "（不选）", selected: e?.workItem == nil)]
            + WorkItem.allCases.map { Option(value: $0.rawValue, label: "\($0.number). \($0.label)", selected: e?.workItem == $0) }
        statuses = ActivityStatus.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: (e?.status ?? .planned) == $0) }
    }

    /// The form as it was typed, when the server refused it (`FormState`).
    init(typed v: [String: String]) {
        self.init()
        title = v["title"] ?? ""; startDate = v["startDate"] ?? ""; endDate = v["endDate"] ?? ""; coHosts = v["coHosts"] ?? ""
        summary = v["summary"] ?? ""; people = v["peopleCovered"] ?? ""; links = v["reportLinksText"] ?? ""
        keyPublicity = !(v["keyPublicity"] ?? "").isEmpty; demonstration = !(v["demonstration"] ?? "").isEmpty
        func pick(_ options: [Option], _ value: String?) -> [Option] {
            options.map { Option(value: $0.value, label: $0.label, selected: $0.value == (value ?? "")) }
        }
        categories = pick(categories, v["category"]); workItems = pick(workItems, v["workItem"]); statuses = pick(statuses, v["status"])
    }

    /// The form of `activity` (or an empty one), or what was typed when the server refused it.
    static func build(_ req: Request, _ activity: Activity? = nil) -> ActivityFormValues {
        req.formState.map { ActivityFormValues(typed: $0.values) } ?? ActivityFormValues(activity)
    }

    /// The rules name problems by 附件3 column; the form's inputs are named like the API's fields.
    static let fields: [String: String] = [
        ActivityColumns.time: "startDate", ActivityColumns.category: "category", ActivityColumns.title: "title",
        ActivityColumns.summary: "summary", ActivityColumns.peopleCovered: "peopleCovered", ActivityColumns.reportLinks: "reportLinksText",
        ActivityColumns.keyPublicity: "keyPublicity", ActivityColumns.workItem: "workItem", ActivityColumns.demonstration: "demonstration",
        ActivityColumns.status: "status", ActivityColumns.coHosts: "coHosts",
    ]
}

struct ActivityPage: Encodable {
    struct Row: Encodable {
        let id: UUID; let number: Int
        let time, category, title, summary, host, coHosts, status: String
        let people: Int
        let links: [String]
        let keyPublicity, demonstration: Bool
    }
    struct Quota: Encodable { let wording: String; let met: Bool; let have: Int; let need: Int }
    struct Submission: Encodable {
        let id: UUID; let stage, version, at, timing, status: String; let reason: String?; let activities: Int; let canReturn: Bool
    }
    struct Change: Encodable { let kind: String; let title: String; let detail: String }

    var layout: Layout
    var year: Int
    var years: [Int]
    var unit: String
    var orgID: UUID
    var query: String
    var canWrite: Bool
    var planDue: String
    var updateDue: String
    var activities: Int
    var demonstrations: Int
    var keyPublicity: Int
    var people: Int
    var rows: [Row]
    var quotas: [Quota]
    var submissions: [Submission]
    var changes: [Change]
    var changesAgainst: String?
    var form: ActivityFormValues
    var summaryLimit: Int
}

struct ActivityPageBuilder {
    let request: Request

    func build(campaign: Campaign, unit: Organization) async throws -> ActivityPage {
        let me = try request.access.current
        let years = try await Campaign.query(on: request.db).sort(\.$year, .descending).all(\.$year)
        let table = try await request.activityLines.table(campaign: campaign, unit: unit)
        let entries = table.map(\.entry)
        let counts = ActivityCounts(entries)
        let rules = try await CampaignQuota.query(on: request.db).filter(\.$campaignID == campaign.id!).all().map(\.rule)
        let quotas = QuotaEvaluator.applicable(kind: unit.kind, rules: rules).map {
            ActivityPage.Quota(wording: $0.wording, met: counts[$0.metric] >= $0.minimum, have: counts[$0.metric], need: $0.minimum)
        }
        let history = try await request.activitySubmissions.history(campaign: campaign, unit: unit)
        let latestStanding = Dictionary(grouping: history, by: \.stage).compactMapValues { $0.max { $0.version < $1.version } }
        let canReturn = me.org.id != unit.id && me.user.role.canWrite
        let submissions = history.map { s in
            ActivityPage.Submission(id: s.id!, stage: s.stage.label, version: "第\(s.version)版", at: Layout.time(s.submittedAt),
                                    timing: s.onTime ? "按时" : "逾期", status: s.status == .returned ? "已退回" : "已报送",
                                    reason: s.returnReason, activities: s.activities,
                                    canReturn: canReturn && s.status == .submitted && latestStanding[s.stage]?.id == s.id)
        }
        var changes: [ActivityPage.Change] = []
        let diff = try await request.activitySubmissions.changes(campaign: campaign, unit: unit, history: history)
        if let diff = diff?.diff {
            changes += diff.added.map { .init(kind: "新增", title: $0.activity.title, detail: Self.when($0.activity)) }
            changes += diff.removed.map { .init(kind: "删除", title: $0.activity.title, detail: Self.when($0.activity)) }
            changes += diff.edited.map { .init(kind: "修改", title: $0.after.activity.title, detail: "改动：" + $0.fields.joined(separator: "、")) }
        }
        // The list in the table component: in the table's order unless a column is chosen; searchable; 50 a page.
        let list = try TableQuery(request, sorts: ["number", "time", "category", "title", "people"])
        let shown = list.page(table.enumerated().filter { list.matches($0.element.title, $0.element.summary, $0.element.coHosts, $0.element.entry.category.label) },
                              request: request) { a, key in
            switch key {
            case "time": a.element.entry.startDate.iso
            case "category": a.element.entry.category.label
            case "title": a.element.title
            case "people": String(a.element.peopleCovered)
            default: String(a.offset)
            }
        }
        return ActivityPage(
            layout: await Layout.build(for: request, title: "活动汇总表"), year: campaign.year, years: years, unit: unit.name, orgID: unit.id!,
            query: Layout.query(campaign: campaign.year, orgID: me.org.id == unit.id ? nil : unit.id), canWrite: me.user.role.canWrite,
            planDue: campaign.calendar.planDue.iso, updateDue: campaign.calendar.updateDue.iso,
            activities: counts.activities, demonstrations: counts.demonstrations, keyPublicity: counts.keyPublicity,
            people: entries.reduce(0) { $0 + $1.peopleCovered },
            rows: shown.map { i, a in
                let e = a.entry
                return ActivityPage.Row(id: a.id!, number: i + 1, time: Self.when(e), category: e.category.label, title: a.title,
                                        summary: a.summary, host: a.host, coHosts: a.coHosts, status: e.status.label, people: a.peopleCovered,
                                        links: e.reportLinks, keyPublicity: a.keyPublicity, demonstration: a.demonstration)
            },
            quotas: quotas, submissions: submissions, changes: changes, changesAgainst: diff?.against,
            form: ActivityFormValues.build(request), summaryLimit: ActivityRules.summaryLimit)
    }

    static func when(_ e: ActivityEntry) -> String { e.startDate == e.endDate ? e.startDate.iso : e.startDate.iso + " 至 " + e.endDate.iso }
}
