// Submitting a unit's 附件3 for a stage, returning it from the level above, and what changed between plan and update.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct ActivitySubmissions {
    let request: Request
    var db: any Database { request.db }

    struct DTO: Content {
        let id: UUID
        let orgId: UUID
        let stage: ActivityStage
        let version: Int
        let submittedAt: Date
        let submittedBy: String
        let onTime: Bool
        let status: ActivitySubmission.Status
        let returnReason: String?
        let activities: Int

        init(_ s: ActivitySubmission) {
            id = s.id!; orgId = s.orgID; stage = s.stage; version = s.version; submittedAt = s.submittedAt
            submittedBy = s.submittedBy; onTime = s.onTime; status = s.status; returnReason = s.returnReason; activities = s.activities
        }
    }

    /// The unit's table as it stands becomes a new version of the stage, on time or late by the campaign calendar.
    func submit(campaign: Campaign, unit: Organization, stage: ActivityStage) async throws -> ActivitySubmission {
        let now = request.now, username = try request.access.current.user.username
        // Read the table and number the version under the unit's write lock: parallel clicks queue and get 1, 2, 3…
        let s = try await db.writeTransaction(lock: unit.id!) { tx in
            let table = try await Activity.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
                .sort(\.$position).sort(\.$createdAt).all()
            guard !table.isEmpty else { throw AppError.invalid("\(unit.name)的活动汇总表还没有活动，请先添加或导入活动再报送") }
            let latest = try await ActivitySubmission.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
                .filter(\.$stage == stage).sort(\.$version, .descending).first()
            let s = ActivitySubmission()
            s.campaignID = campaign.id!
            s.orgID = unit.id!
            s.stage = stage
            s.version = (latest?.version ?? 0) + 1
            s.submittedAt = now
            s.submittedBy = username
            s.onTime = CampaignCalendar.isOnTime(submittedOn: LocalDate(instant: now), due: stage.due(campaign.calendar))
            s.status = .submitted
            s.activities = table.count
            s.snapshot = try JSONEncoder().encode(table.map { ActivitySnapshot(id: $0.id!.uuidString, activity: $0.entry) })
            try await s.create(on: tx)
            return s
        }
        request.auditDetail = "\(unit.name)报送\(campaign.year)年度\(stage.label)第\(s.version)版（\(s.onTime ? "按时" : "逾期")，\(s.activities)项活动）"
        return s
    }

    /// The level above (any unit whose subtree holds the submitter, not the submitter itself) returns a version with a reason.
    func returnSubmission(_ id: UUID?, reason: String?) async throws -> (ActivitySubmission, Organization) {
        let me = try request.access.current
        guard let id, let found = try await ActivitySubmission.find(id, on: db), let unit = try await Organization.find(found.orgID, on: db),
              me.actor.reaches(unit.path) else { throw AppError.notFound("该报送") }
        guard unit.id != me.org.id else { throw AppError.forbidden("本单位的报送由上级团委审核退回，不能自行退回") }
        try request.access.enforce(AccessPolicy.write(by: me.actor, orgPath: unit.path))
        let reason = TextNormaliser.trim(reason ?? "")
        guard !reason.isEmpty else { throw AppError.invalid("退回时请填写理由，告诉报送单位需要修改什么") }
        let s = try await db.writeTransaction(lock: unit.id!) { tx in
            // Re-read under the lock: a parallel return or a newer version may have come first.
            guard let s = try await ActivitySubmission.find(id, on: tx) else { throw AppError.notFound("该报送") }
            guard s.status == .submitted else { throw AppError.conflict("该版本已退回") }
            let latest = try await ActivitySubmission.query(on: tx).filter(\.$campaignID == s.campaignID).filter(\.$orgID == s.orgID)
                .filter(\.$stage == s.stage).sort(\.$version, .descending).first()
            guard latest?.id == s.id else { throw AppError.conflict("只能退回最新一版，该单位已报送第\(latest?.version ?? s.version)版") }
            s.status = .returned
            s.returnReason = String(reason.prefix(500))
            s.returnedBy = me.user.username
            try await s.update(on: tx)
            return s
        }
        request.auditDetail = "退回\(unit.name)的\(s.stage.label)第\(s.version)版：\(s.returnReason ?? "")"
        let year = try await Campaign.find(s.campaignID, on: db)?.year
        try await request.inbox.notify([Notice(
            orgID: unit.id!, orgName: unit.name, kind: .returned, title: "\(unit.name)的\(s.stage.label)第\(s.version)版被退回",
            body: "\(me.org.name)退回了\(unit.name)报送的\(year.map { "\($0)年度" } ?? "")\(s.stage.label)第\(s.version)版。理由：\(s.returnReason ?? "")。请修改后重新报送。",
            url: Layout.link("/activities", campaign: year, orgID: unit.id))])
        return (s, unit)
    }

    func history(campaign: Campaign, unit: Organization) async throws -> [ActivitySubmission] {
        try await ActivitySubmission.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!)
            .sort(\.$submittedAt, .descending).sort(\.$version, .descending).all()
    }

    /// Plan against update: the latest standing (or latest) version of each; before an update is submitted,
    /// the plan against the table as it stands now. nil when there is no plan to compare with.
    func changes(campaign: Campaign, unit: Organization, history: [ActivitySubmission]) async throws -> (diff: ActivityDiff, against: String)? {
        func latest(_ stage: ActivityStage) -> ActivitySubmission? {
            let versions = history.filter { $0.stage == stage }.sorted { $0.version > $1.version }
            return versions.first { $0.status == .submitted } ?? versions.first
        }
        guard let plan = latest(.plan) else { return nil }
        if let update = latest(.update) {
            return (ActivityDiff.diff(plan: plan.snapshots(), update: update.snapshots()), "更新（第\(update.version)版）")
        }
        let current = try await request.activityLines.table(campaign: campaign, unit: unit)
            .map { ActivitySnapshot(id: $0.id!.uuidString, activity: $0.entry) }
        return (ActivityDiff.diff(plan: plan.snapshots(), update: current), "当前活动表（尚未报送更新）")
    }
}

extension Request {
    var activitySubmissions: ActivitySubmissions { ActivitySubmissions(request: self) }
}
