// The home page's to-do list (issue 11 §3): what the caller's unit still has to do, each with its deadline and one
// link — submissions owed or returned, quotas not met, pupils below the weekly rule, volunteers not activated, and
// below the unit: units that still owe something, rosters waiting for review.
import Fluent
import LiangbangCore
import Vapor

struct TodoItem: Content, Equatable {
    /// submission, returned, quota, tutoring, activation, chase, review, notification
    let kind: String
    let title: String
    /// yyyy-MM-dd, when there is a deadline.
    let due: String?
    let url: String
}

struct TodoList {
    let request: Request
    var db: any Database { request.db }

    func items(campaign: Campaign) async throws -> [TodoItem] {
        let me = try request.access.current
        let today = LocalDate(instant: request.now)
        let calendar = campaign.calendar
        let year = campaign.year
        var out: [TodoItem] = []
        if me.user.role == .volunteer { return try await volunteer(campaign: campaign, today: today) }

        // The unit's own activity table (附件3): submissions owed or returned, quotas not met.
        let board = try await CompletenessBoard.load(db: db, campaign: campaign, root: me.org, today: today)
        let activities = Layout.link("/activities", campaign: year, orgID: nil)
        if let own = board.units[me.org.id!], UnitCompleteness.reports(me.org.kind) {
            let history = try await request.activitySubmissions.history(campaign: campaign, unit: me.org)
            for stage in ActivityStage.allCases {
                let record = own.status.stages[stage] ?? StageRecord()
                guard !record.submitted, record.returned || stage.isRequired(today: today, calendar: calendar) else { continue }
                let due = stage.due(calendar)
                if record.returned {
                    let reason = history.first { $0.stage == stage }?.returnReason.map { "（理由：\($0)）" } ?? ""
                    out.append(TodoItem(kind: "returned", title: "\(stage.label)已被上级退回\(reason)，请修改后重新报送", due: due.iso, url: activities))
                } else {
                    out.append(TodoItem(kind: "submission", title: "报送活动汇总表（附件3）\(stage.label)" + (today > due ? "（已逾期）" : ""),
                                        due: due.iso, url: activities))
                }
            }
            for rule in own.status.unmet {
                out.append(TodoItem(kind: "quota", title: "\(rule.wording)（已有\(own.status.tally.counts[rule.metric])，要求至少\(rule.minimum)）",
                                    due: calendar.updateDue.iso, url: activities))
            }
        }
        if me.org.kind == .university { out += try await university(campaign: campaign, today: today) }

        // Below the unit: who still owes something; for the province, rosters to review.
        let owing = board.chase(under: OrgNode(me.org))
        if !owing.isEmpty {
            out.append(TodoItem(kind: "chase", title: "下级单位中有\(owing.count)个尚未完成报送或工作指标，请督促",
                                due: nil, url: Layout.link("/completeness", campaign: year, orgID: nil) + "&missingOnly=1"))
        }
        if me.org.kind == .province {
            let waiting = try await RosterSubmission.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$status == .submitted).count()
            if waiting > 0 {
                out.append(TodoItem(kind: "review", title: "\(waiting)份高校结对名单待审核", due: nil, url: Layout.link("/roster", campaign: year, orgID: nil)))
            }
        }
        let unread = try await request.inbox.unreadCount(of: me.user.requireID())
        if unread > 0 {
            out.append(TodoItem(kind: "notification", title: "\(unread)条未读提醒", due: nil, url: "/notifications?unread=true"))
        }
        // Deadlines first, soonest first; the rest after.
        return out.enumerated().sorted { a, b in
            switch (a.element.due, b.element.due) {
            case let (x?, y?) where x != y: return x < y
            case (nil, _?): return false
            case (_?, nil): return true
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    /// A university: its roster (附件2), its pupils this week, its volunteers' accounts.
    private func university(campaign: Campaign, today: LocalDate) async throws -> [TodoItem] {
        let me = try request.access.current
        let year = campaign.year
        var out: [TodoItem] = []
        let latest = try await RosterSubmission.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == me.org.id!)
            .sort(\.$version, .descending).first()
        let roster = Layout.link("/roster", campaign: year, orgID: nil)
        let due = campaign.calendar.rosterDue
        switch latest?.status {
        case nil:
            out.append(TodoItem(kind: "submission", title: "报送“青年云支教”结对名单（附件2）" + (today > due ? "（已逾期）" : ""), due: due.iso, url: roster))
        case .returned?:
            let reason = latest?.returnReason.map { "（理由：\($0)）" } ?? ""
            out.append(TodoItem(kind: "returned", title: "结对名单已被团省委退回\(reason)，请修改后重新报送", due: due.iso, url: roster))
        default: break
        }
        let period = campaign.tutoringPeriod
        if period.contains(today) {
            let board = try await ComplianceBoard.cached(request, campaign: campaign)
            let week = TutoringWeek(containing: today)
            let short = try await board.missing(week.start, scope: BoardScope(universityIDs: [me.org.id!], countyIDs: nil)).count
            if short > 0 {
                out.append(TodoItem(kind: "tutoring", title: "本周还有\(short)名学生未达到“每周至少1次、合计60分钟”",
                                    due: min(week.end, period.end).iso, url: Layout.link("/compliance", campaign: year, orgID: nil)))
            }
        }
        let volunteers = try await request.volunteers.volunteers(campaign: campaign, university: me.org, withCodes: false)
        let waiting = volunteers.filter { $0.account == nil }.count
        if waiting > 0 {
            out.append(TodoItem(kind: "activation", title: "\(waiting)名结对志愿者尚未激活账户（请发放激活码）", due: nil,
                                url: Layout.link("/volunteers", campaign: year, orgID: nil)))
        }
        return out
    }

    /// A volunteer: its own pupils still short this week.
    private func volunteer(campaign: Campaign, today: LocalDate) async throws -> [TodoItem] {
        let period = campaign.tutoringPeriod
        guard period.contains(today) else { return [] }
        let pairings = try await request.tutoring.myPairings()
        let status = try await request.tutoring.weekStatus(pupilHashes: Array(Set(pairings.map(\.pupilIDHash))), campaign: campaign)
        var seen = Set<String>()
        let week = TutoringWeek(containing: today)
        return pairings.compactMap { p in
            guard seen.insert(p.pupilIDHash).inserted, let s = status[p.pupilIDHash], !s.compliant else { return nil }
            return TodoItem(kind: "tutoring", title: "\(p.pupilName)本周还差\(s.missingMinutes)分钟", due: min(week.end, period.end).iso,
                            url: Layout.link("/tutoring", campaign: campaign.year, orgID: nil))
        }
    }
}

extension Request {
    var todo: TodoList { TodoList(request: self) }
}
