// 创青春 and 青农优品: ventures, contests, entries, judges, scores, the ranking and the selection — the one place
// each is written. Ventures and contests follow the subtree rule; a judge sees only the entries of the contests it
// judges (its role for that contest alone), and never one from its own county or unit.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct ContestForm: Content {
    var campaign: Int?
    var orgId: UUID?
    var name: String?
    var kind: String?
    var level: String?
    var criteria: [CriterionInput]?

    struct CriterionInput: Content { var name: String?; var weight: LooseText? }
}

struct ContestRegister {
    let request: Request
    var db: any Database { request.db }

    func unit(_ orgID: UUID?) async throws -> Organization { try await request.access.unit(orgID) }

    func writableUnit(_ orgID: UUID?) async throws -> Organization { try await request.access.writableUnit(orgID) }

    func subtreeIDs(_ org: Organization) async throws -> [UUID] {
        try await Organization.query(on: db).filter(\.$path =~ org.path).all(\.$id)
    }

    // MARK: Contests

    func contests(campaign: Campaign, org: Organization) async throws -> [Contest] {
        try await Contest.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID ~~ (try await subtreeIDs(org))).sort(\.$name).all()
    }

    func createContest(_ form: ContestForm) async throws -> Contest {
        let campaign = try await request.access.campaign(form.campaign)
        let unit = try await writableUnit(form.orgId)
        var problems: [AppError.Problem] = []
        let name = TextNormaliser.trim(form.name ?? "")
        if name.isEmpty || name.count > 60 { problems.append(.init(field: "name", message: "请填写评审名称（最多60个字）")) }
        let kind = ContestKind(rawValue: TextNormaliser.clean(form.kind ?? ""))
        if kind == nil { problems.append(.init(field: "kind", message: "评审类别应为 chuangqingchun（创青春）或 qingnongyoupin（青农优品）")) }
        let level = ContestLevel(rawValue: TextNormaliser.clean(form.level ?? ""))
        if level == nil { problems.append(.init(field: "level", message: "评审级别应为 county、city 或 province")) }
        var criteria: [Criterion] = []
        for c in (form.criteria ?? []).prefix(ContestRules.criteriaLimit + 1) {
            let w = Int(c.weight?.text ?? "") ?? -1
            criteria.append(Criterion(name: TextNormaliser.trim(c.name ?? ""), weight: (-1...1000).contains(w) ? w : -1))
        }
        problems += ContestRules.criteriaProblems(criteria).map { .init(field: "criteria", message: $0) }
        guard problems.isEmpty, let kind, let level else { throw AppError.invalid(problems.first?.message ?? "评审信息不完整", problems: problems) }
        let c = Contest()
        c.campaignID = campaign.id!; c.orgID = unit.id!; c.name = name; c.kind = kind.rawValue; c.level = level.rawValue
        c.criteriaJSON = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
        try await db.writeTransaction(lock: unit.id) { tx in
            if try await Contest.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).filter(\.$name == name).first() != nil {
                throw AppError.conflict("本单位已有评审“\(name)”")
            }
            try await c.create(on: tx)
        }
        request.auditDetail = "\(unit.name)创建评审：\(name)"
        return c
    }

    /// A contest its organiser's subtree reads; a judge of it reads it too (`asJudge`).
    func contest(_ id: UUID?) async throws -> (Contest, Organization, canWrite: Bool, asJudge: Bool) {
        guard let id, let c = try await Contest.find(id, on: db), let organiser = try await Organization.find(c.orgID, on: db) else {
            throw AppError.notFound("该评审")
        }
        let me = try request.access.current
        if me.actor.reaches(organiser.path) {
            return (c, organiser, me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: organiser.path) == .allowed, false)
        }
        guard try await ContestJudge.query(on: db).filter(\.$contestID == id).filter(\.$userID == me.user.id!).first() != nil else {
            throw AppError.notFound("该评审")
        }
        return (c, organiser, false, true)
    }

    func writableContest(_ id: UUID?) async throws -> (Contest, Organization) {
        let (c, organiser, canWrite, _) = try await contest(id)
        guard canWrite else { throw AppError.forbidden("只有评审组织单位可以修改评审") }
        return (c, organiser)
    }

    func addEntry(_ contestID: UUID?, ventureID: UUID?) async throws -> ContestEntry {
        let (c, organiser) = try await writableContest(contestID)
        guard let ventureID, let v = try await Venture.find(ventureID, on: db), v.campaignID == c.campaignID,
              try await ventureVisible(v, to: organiser) else {
            throw AppError.invalid("该项目不在本单位辖区内或不属于本年度", problems: [.init(field: "ventureId", message: "请选择本辖区本年度的创业项目")])
        }
        let e = ContestEntry()
        e.contestID = c.id!; e.ventureID = v.id!; e.selected = false
        try await db.writeTransaction(lock: organiser.id) { tx in
            if try await ContestEntry.query(on: tx).filter(\.$contestID == c.id!).filter(\.$ventureID == v.id!).first() != nil {
                throw AppError.conflict("项目“\(v.name)”已参加本次评审")
            }
            try await e.create(on: tx)
        }
        request.auditDetail = "\(organiser.name)评审“\(c.name)”加入项目：\(v.name)"
        return e
    }

    private func ventureVisible(_ v: Venture, to org: Organization) async throws -> Bool {
        let ids = Set(try await subtreeIDs(org))
        return ids.contains(v.orgID) || ids.contains(v.countyID)
    }

    func addJudge(_ contestID: UUID?, userID: UUID?) async throws -> ContestJudge {
        let (c, organiser) = try await writableContest(contestID)
        // Judges are accounts the organiser can see (its own subtree): experts are given accounts there first.
        guard let userID, let user = try await request.access.visibleUsers().filter(\.$id == userID).first() else {
            throw AppError.invalid("请选择本单位或下级单位的用户账户作为评委", problems: [.init(field: "userId", message: "请选择用户账户")])
        }
        let j = ContestJudge()
        j.contestID = c.id!; j.userID = user.id!
        try await db.writeTransaction(lock: organiser.id) { tx in
            if try await ContestJudge.query(on: tx).filter(\.$contestID == c.id!).filter(\.$userID == user.id!).first() != nil {
                throw AppError.conflict("\(user.displayName)已是本次评审的评委")
            }
            try await j.create(on: tx)
        }
        request.auditDetail = "\(organiser.name)评审“\(c.name)”添加评委：\(user.displayName)"
        return j
    }

    /// A judge's scores of one entry: only the contest's judges, never on their own county's or unit's venture,
    /// each criterion 0–100; scoring again replaces the sheet (one per judge and entry).
    func score(_ contestID: UUID?, entryID: UUID?, scores raw: [String: LooseText]?) async throws -> ContestScore {
        let me = try request.access.current
        guard let contestID, let c = try await Contest.find(contestID, on: db) else { throw AppError.notFound("该评审") }
        guard try await ContestJudge.query(on: db).filter(\.$contestID == contestID).filter(\.$userID == me.user.id!).first() != nil else {
            throw AppError.forbidden("您不是本次评审的评委")
        }
        guard let entryID, let entry = try await ContestEntry.find(entryID, on: db), entry.contestID == contestID,
              let venture = try await Venture.find(entry.ventureID, on: db) else { throw AppError.notFound("该参评项目") }
        if try await conflicts([venture], judge: me.org)[venture.id!] ?? true {
            throw AppError.forbidden("您与该项目同属一个县（市、区）或单位，需回避，不能为其评分")
        }
        var scores: [String: Int] = [:]
        var unreadable: [String] = []
        for (name, value) in raw ?? [:] {
            if let n = Int(value.text), (-1_000...1_000).contains(n) { scores[String(name.prefix(40))] = n } else { unreadable.append(String(name.prefix(40))) }
        }
        let criteria = c.criteria
        let problems = unreadable.sorted().map { "“\($0)”的分数应为0至100的整数" } + ContestRules.scoreProblems(scores, criteria: criteria)
        guard problems.isEmpty else {
            throw AppError.invalid(problems[0], problems: problems.map { .init(field: "scores", message: $0) })
        }
        let json = String(decoding: try JSONEncoder().encode(scores), as: UTF8.self)
        let weighted = ContestRules.weighted(scores, criteria: criteria)
        let sheet = try await db.writeTransaction(lock: c.orgID) { tx in
            let sheet = try await ContestScore.query(on: tx).filter(\.$entryID == entryID).filter(\.$judgeID == me.user.id!).first() ?? {
                let s = ContestScore(); s.contestID = contestID; s.entryID = entryID; s.judgeID = me.user.id!; return s
            }()
            sheet.scoresJSON = json; sheet.weighted = weighted
            try await sheet.save(on: tx)
            return sheet
        }
        request.auditDetail = "评委为“\(venture.name)”评分（\(c.name)）"
        return sheet
    }

    /// Which of `ventures` the judge (its unit) must stay out of, by `ContestRules.conflict`.
    func conflicts(_ ventures: [Venture], judge: Organization) async throws -> [UUID: Bool] {
        let ids = Array(Set(ventures.flatMap { [$0.orgID, $0.countyID] }))
        let orgs = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return Dictionary(uniqueKeysWithValues: ventures.map { v in
            (v.id!, ContestRules.conflict(judgeOrgPath: judge.path, ventureOrgPath: orgs[v.orgID]?.path ?? "-",
                                          ventureOrgKind: orgs[v.orgID]?.kind ?? .town, ventureCountyPath: orgs[v.countyID]?.path ?? "-"))
        })
    }

    struct RankingRow: Content {
        let entryId: UUID
        let ventureId: UUID
        let ventureName: String
        let score: Double
        let judgesScored: Int
        let judges: Int
        let allScored: Bool
        let median: Double
        let rank: Int
        let scores: [Double]
        let selected: Bool
    }

    /// The ranking by `ContestRules.rank`, for the organiser's subtree.
    func ranking(_ contestID: UUID?) async throws -> (Contest, [RankingRow]) {
        let (c, _, _, asJudge) = try await contest(contestID)
        if asJudge { throw AppError.forbidden("评委只能查看和评分自己负责的项目，排名由评审组织单位查看") }
        let entries = try await ContestEntry.query(on: db).filter(\.$contestID == c.id!).all()
        let ventures = Dictionary(uniqueKeysWithValues: try await Venture.query(on: db).filter(\.$id ~~ entries.map(\.ventureID)).all().map { ($0.id!, $0) })
        let sheets = Dictionary(grouping: try await ContestScore.query(on: db).filter(\.$contestID == c.id!).sort(\.$judgeID).all(), by: \.entryID)
        let judges = try await ContestJudge.query(on: db).filter(\.$contestID == c.id!).count()
        let ranked = ContestRules.rank(entries: entries.map { e in
            (e.id!.uuidString, (sheets[e.id!] ?? []).map { JudgeScores(judge: $0.judgeID.uuidString, scores: $0.scores) })
        }, criteria: c.criteria, judges: judges)
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id!.uuidString, $0) })
        return (c, ranked.compactMap { r in
            guard let e = byID[r.entry] else { return nil }
            return RankingRow(entryId: e.id!, ventureId: e.ventureID, ventureName: ventures[e.ventureID]?.name ?? "", score: Double(r.score) / 100,
                              judgesScored: r.judgeScores.count, judges: judges, allScored: r.allScored, median: Double(r.median) / 100,
                              rank: r.rank, scores: r.judgeScores.map { Double($0) / 100 }, selected: e.selected)
        })
    }

    /// The organiser's selection (those that advance, or the 青农优品 brands): exactly the entries named, published
    /// to the units whose ventures were selected.
    func select(_ contestID: UUID?, entryIDs: [UUID]?) async throws -> [ContestEntry] {
        let (c, organiser) = try await writableContest(contestID)
        let wanted = Set((entryIDs ?? []).prefix(1_000))
        let entries = try await ContestEntry.query(on: db).filter(\.$contestID == c.id!).all()
        let unknown = wanted.subtracting(entries.compactMap(\.id))
        guard unknown.isEmpty else { throw AppError.invalid("所选项目中有不属于本次评审的项目", problems: [.init(field: "entryIds", message: "请只选择本次评审的参评项目")]) }
        let ventures = Dictionary(uniqueKeysWithValues: try await Venture.query(on: db).filter(\.$id ~~ entries.map(\.ventureID)).all().map { ($0.id!, $0) })
        let app = request.application
        let now = request.now
        let chosen = try await db.writeTransaction(lock: organiser.id) { tx in
            for e in entries where e.selected != wanted.contains(e.id!) {
                e.selected = wanted.contains(e.id!)
                try await e.update(on: tx)
            }
            c.publishedAt = now
            try await c.update(on: tx)
            let chosen = entries.filter(\.selected)
            let what = c.contestKind == .qingnongyoupin ? "青农优品" : "晋级"
            let notices = chosen.compactMap { e -> Notice? in
                guard let v = ventures[e.ventureID] else { return nil }
                return Notice(orgID: v.orgID, orgName: "", kind: .accepted, title: "“\(v.name)”入选\(c.name)\(what)名单",
                              body: "\(organiser.name)公布了\(c.name)的\(what)名单，贵单位登记的项目“\(v.name)”入选。", url: "/contests/\(c.id!)/selected")
            }
            try await Inbox(db: tx, application: app).notify(notices)
            return chosen
        }
        request.auditDetail = "\(organiser.name)公布评审“\(c.name)”入选名单：\(chosen.count)个项目"
        return chosen
    }
}
