// Single activities from the page and the API: whose table, the rules, and the one place lines are written.
import Fluent
import Foundation
import LiangbangCore
import Vapor

/// An activity as the page and the API send it; every value as typed, so the same rules as the import apply.
struct ActivityForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var title: String?
    var category: String?
    var workItem: String?
    var startDate: String?
    var endDate: String?
    var coHosts: String?
    var coHostIds: [UUID]?
    var summary: String?
    var peopleCovered: LooseText?
    var reportLinks: [String]?
    /// The page's textarea: one link per line.
    var reportLinksText: String?
    var keyPublicity: LooseText?
    var demonstration: LooseText?
    var status: String?

    /// A date or a range, as the 开展时间 column would hold it.
    var input: ActivityInput {
        let start = TextNormaliser.trim(startDate ?? ""), end = TextNormaliser.trim(endDate ?? "")
        let time = end.isEmpty || end == start ? start : start + "至" + end
        return ActivityInput(coHosts: coHosts ?? "", time: time, category: category ?? "", title: title ?? "", summary: summary ?? "",
                             peopleCovered: peopleCovered?.text ?? "", reportLinks: ((reportLinks ?? []) + [reportLinksText ?? ""]).joined(separator: "\n"),
                             keyPublicity: keyPublicity?.text ?? "", workItem: workItem ?? "",
                             demonstration: demonstration?.text ?? "", status: status ?? "")
    }
}

/// A JSON value taken as the text a cell would hold (1200, 12.5, "1200人", true, "on"), so the rules name the problem.
struct LooseText: Codable, Sendable {
    let text: String

    /// As a page form typed it.
    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { text = "" }
        else if let i = try? c.decode(Int.self) { text = String(i) }
        else if let d = try? c.decode(Double.self) { text = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d) }
        else if let b = try? c.decode(Bool.self) { text = b ? "是" : "" }
        else {
            let s = try c.decode(String.self)
            text = s == "on" ? "是" : s      // an HTML checkbox
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }
}

struct ActivityLines {
    let request: Request
    var db: any Database { request.db }

    /// The unit whose table the caller reads: the one it names (in its subtree), else its own.
    func unit(_ orgID: UUID?) async throws -> Organization {
        let org = try await orgID.asyncMap { try await request.access.organization($0) } ?? (try request.access.current.org)
        guard org.kind != .province else { throw AppError.invalid("团省委不填报活动汇总表，请选择地市、县区、高校或省有关单位") }
        return org
    }

    /// The unit whose table the caller may change: staff or admin of it or of a unit above it.
    func writableUnit(_ orgID: UUID?) async throws -> Organization {
        let org = try await unit(orgID)
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: org.path))
        return org
    }

    /// An activity the caller may change, with its unit; 404 outside the caller's subtree.
    func writableActivity(_ id: UUID?) async throws -> (Activity, Organization) {
        guard let id, let activity = try await Activity.find(id, on: db),
              let unit = try await Organization.find(activity.orgID, on: db),
              try request.access.current.actor.reaches(unit.path) else { throw AppError.notFound("该活动") }
        try request.access.enforce(AccessPolicy.write(by: try request.access.current.actor, orgPath: unit.path))
        return (activity, unit)
    }

    /// The rules of 附件3 for one line; 422 with every problem in Chinese.
    func validate(_ input: ActivityInput, campaign: Campaign) throws -> ActivityEntry {
        let (entry, problems) = ActivityRules.validate(input, campaignYear: campaign.year, today: LocalDate(instant: request.now))
        let errors = problems.filter { !$0.warning }
        guard let entry, errors.isEmpty else {
            throw AppError.invalid(errors.map(\.message).joined(separator: "；"),
                                   problems: errors.map { AppError.Problem(field: $0.column, message: $0.message) })
        }
        return entry
    }

    /// Linked co-hosts must be organisations of the platform; they need not be in the caller's subtree.
    private func coHostIDs(_ ids: [UUID]?) async throws -> String {
        let ids = Array(Set(ids ?? [])).prefix(20)
        guard !ids.isEmpty else { return "" }
        let found = try await Organization.query(on: db).filter(\.$id ~~ Array(ids)).all(\.$id)
        guard found.count == ids.count else { throw AppError.invalid("联合开展单位中有不存在的单位") }
        return found.map(\.uuidString).sorted().joined(separator: ",")
    }

    func create(_ form: ActivityForm) async throws -> Activity {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        let entry = try validate(form.input, campaign: campaign)
        let last = try await Activity.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
            .sort(\.$position, .descending).first()?.position ?? 0
        let activity = Activity()
        activity.campaignID = campaign.id!
        activity.orgID = unit.id!
        activity.position = last + 1
        activity.fill(entry, unitName: unit.name)
        activity.coHostIDs = try await coHostIDs(form.coHostIds)
        try await activity.create(on: db)
        request.auditDetail = "\(unit.name)添加活动“\(entry.title)”"
        return activity
    }

    func update(_ id: UUID?, _ form: ActivityForm) async throws -> Activity {
        let (activity, unit) = try await writableActivity(id)
        guard let campaign = try await Campaign.find(activity.campaignID, on: db) else { throw AppError.notFound("活动年度") }
        let entry = try validate(form.input, campaign: campaign)
        activity.fill(entry, unitName: unit.name)
        if let ids = form.coHostIds { activity.coHostIDs = try await coHostIDs(ids) }
        try await activity.update(on: db)
        request.auditDetail = "\(unit.name)修改活动“\(entry.title)”"
        return activity
    }

    func delete(_ id: UUID?) async throws {
        let (activity, unit) = try await writableActivity(id)
        try await activity.delete(on: db)
        request.auditDetail = "\(unit.name)删除活动“\(activity.title)”"
    }

    /// A unit's table in its order.
    func table(campaign: Campaign, unit: Organization) async throws -> [Activity] {
        try await Activity.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
            .sort(\.$position).sort(\.$createdAt).all()
    }

    struct DTO: Content {
        let id: UUID
        let orgId: UUID
        let title, category, categoryLabel: String
        let workItem: String?
        let startDate, endDate, coHosts: String
        let coHostIds: [UUID]
        let host, summary: String
        let peopleCovered: Int
        let reportLinks: [String]
        let keyPublicity, demonstration: Bool
        let status: String

        init(_ a: Activity) {
            let e = a.entry
            id = a.id!; orgId = a.orgID; title = a.title; category = a.category; categoryLabel = e.category.label
            workItem = a.workItem; startDate = a.startDate; endDate = a.endDate; coHosts = a.coHosts; coHostIds = a.coHostIDList
            host = a.host; summary = a.summary; peopleCovered = a.peopleCovered; reportLinks = e.reportLinks
            keyPublicity = a.keyPublicity; demonstration = a.demonstration; status = a.status
        }
    }
}

extension Request {
    var activityLines: ActivityLines { ActivityLines(request: self) }
}
