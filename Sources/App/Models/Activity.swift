// One line of a unit's 附件3 活动汇总表, and the unit's submissions of its table (07-08 plan, 09-15 update).
import Fluent
import Foundation
import LiangbangCore
import Vapor

final class Activity: Model, @unchecked Sendable {
    static let schema = "activities"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    /// The reporting unit: the table this line belongs to.
    @Field(key: "org_id") var orgID: UUID
    /// The line's place in the unit's table (the order the office typed it in).
    @Field(key: "position") var position: Int
    @Field(key: "host") var host: String
    @Field(key: "co_hosts") var coHosts: String
    /// Organisations of the platform named as co-hosts, comma-separated ids (optional beside the free text).
    @Field(key: "co_host_ids") var coHostIDs: String
    /// yyyy-MM-dd text, as every date in the schema.
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @Field(key: "category") var category: String
    @OptionalField(key: "work_item") var workItem: String?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "people_covered") var peopleCovered: Int
    /// One URL per line.
    @Field(key: "report_links") var reportLinks: String
    @Field(key: "key_publicity") var keyPublicity: Bool
    @Field(key: "demonstration") var demonstration: Bool
    @Field(key: "status") var status: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Sets every column from a validated entry; the host defaults to the unit's own name.
    func fill(_ e: ActivityEntry, unitName: String) {
        host = e.host.isEmpty ? unitName : e.host
        coHosts = e.coHosts
        startDate = e.startDate.iso
        endDate = e.endDate.iso
        category = e.category.rawValue
        workItem = e.workItem?.rawValue
        title = e.title
        summary = e.summary
        peopleCovered = e.peopleCovered
        reportLinks = e.reportLinks.joined(separator: "\n")
        keyPublicity = e.keyPublicity
        demonstration = e.demonstration
        status = e.status.rawValue
    }

    /// The line as the domain rules see it (for diffs, quotas and exports).
    var entry: ActivityEntry {
        ActivityEntry(row: position, host: host, coHosts: coHosts,
                      startDate: LocalDate(iso: startDate) ?? LocalDate(year: 2000, month: 1, day: 1)!,
                      endDate: LocalDate(iso: endDate) ?? LocalDate(iso: startDate) ?? LocalDate(year: 2000, month: 1, day: 1)!,
                      category: ActivityCategory(rawValue: category) ?? .academic, workItem: workItem.flatMap(WorkItem.init(rawValue:)),
                      title: title, summary: summary, peopleCovered: peopleCovered,
                      reportLinks: reportLinks.split(separator: "\n").map(String.init), keyPublicity: keyPublicity,
                      demonstration: demonstration, status: ActivityStatus(rawValue: status) ?? .planned)
    }

    var coHostIDList: [UUID] { coHostIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) } }
}

/// A unit's table as submitted for a stage; every version is kept, with the lines as they stood.
final class ActivitySubmission: Model, @unchecked Sendable {
    static let schema = "activity_submissions"

    enum Status: String, Codable, Sendable { case submitted, returned }

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "org_id") var orgID: UUID
    @Field(key: "stage") var stage: ActivityStage
    @Field(key: "version") var version: Int
    @Field(key: "submitted_at") var submittedAt: Date
    @Field(key: "submitted_by") var submittedBy: String
    @Field(key: "on_time") var onTime: Bool
    @Field(key: "status") var status: Status
    @OptionalField(key: "return_reason") var returnReason: String?
    @OptionalField(key: "returned_by") var returnedBy: String?
    @Field(key: "activities") var activities: Int
    /// `[ActivitySnapshot]` as JSON: no personal data, so not encrypted.
    @Field(key: "snapshot") var snapshot: Data

    init() {}

    func snapshots() -> [ActivitySnapshot] { (try? JSONDecoder().decode([ActivitySnapshot].self, from: snapshot)) ?? [] }
}
