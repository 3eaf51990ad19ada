// The campaign's settings for work item 4, kept by the province: the four targets, their shares by city and
// university (an imported table), and the 返家乡 key counties.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct TargetSettings {
    let request: Request
    var db: any Database { request.db }

    /// Only the province's staff and admins change these.
    func requireProvince() throws {
        let me = try request.access.current
        guard me.org.kind == .province, me.user.role.canWrite else { throw AppError.forbidden("工作目标和重点县名单由团省委设置") }
    }

    static let limit = 10_000_000

    /// Sets the province's targets (those given); 0…10,000,000 each.
    func setTargets(campaign: Campaign, _ figures: [TargetKey: Int]) async throws {
        try requireProvince()
        for (key, value) in figures { try NumberInput.check(value, in: 0...Self.limit, field: key.rawValue, label: key.label + "目标") }
        try await db.writeTransaction(lock: try request.access.current.org.id) { tx in
            let row = try await CampaignTarget.query(on: tx).filter(\.$campaignID == campaign.id!).filter(\.$orgID == nil).first() ?? {
                let t = CampaignTarget(); t.campaignID = campaign.id!; return t
            }()
            for (key, value) in figures { row[key] = value }
            try await row.save(on: tx)
        }
        request.auditDetail = "修改\(campaign.year)年度工作目标：" + TargetKey.allCases.compactMap { k in figures[k].map { "\(k.label)\($0)" } }.joined(separator: "，")
    }

    func keyCounties(campaign: Campaign) async throws -> [UUID] {
        try await KeyCounty.query(on: db).filter(\.$campaignID == campaign.id!).all(\.$countyID)
    }

    /// Replaces the key county list; every id must be a county.
    func setKeyCounties(campaign: Campaign, _ ids: [UUID]) async throws -> [UUID] {
        try requireProvince()
        let wanted = Array(Set(ids))
        guard wanted.count <= 200 else { throw AppError.invalid("重点县最多200个") }
        let found = try await Organization.query(on: db).filter(\.$id ~~ wanted).filter(\.$kind == .county).all(\.$id)
        guard found.count == wanted.count else {
            throw AppError.invalid("countyIds 中有不是县（市、区）的编号", problems: [.init(field: "countyIds", message: "请只选择县（市、区）")])
        }
        try await db.writeTransaction(lock: try request.access.current.org.id) { tx in
            try await KeyCounty.query(on: tx).filter(\.$campaignID == campaign.id!).delete()
            try await found.map { KeyCounty(campaignID: campaign.id!, countyID: $0) }.create(on: tx)
        }
        request.auditDetail = "设置\(campaign.year)年度返家乡重点县：\(found.count)个"
        return found
    }
}

extension Request {
    var targetSettings: TargetSettings { TargetSettings(request: self) }
}

/// One line of the shares table: a city or university and its figures.
struct TargetShareEntry: Sendable {
    let row: Int
    let org: Organization
    let figures: [TargetKey: Int]
}

/// The shares of the targets by city and university, imported as one table (the file is the whole table).
struct TargetShareSpec: RegisterSpec {
    static let unitColumn = "单位"
    let campaign: Campaign
    let units: [String: Organization]

    var columns: [ColumnSpec] { Self.specs }
    static var specs: [ColumnSpec] {
        [ColumnSpec(Self.unitColumn, aliases: ["单位名称", "地市或高校", "地市", "高校"])]
            + TargetKey.allCases.map { ColumnSpec($0.label, aliases: [$0.label + "目标", $0.label + "（个）", $0.label + "（人）"], required: false) }
    }
    var subjectColumn: String { Self.unitColumn }
    var lock: UUID? { nil }

    func validate(_ input: RegisterInput) -> (TargetShareEntry?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.plain(Self.unitColumn)
        let org = units[TextNormaliser.headerKey(name)]
        if org == nil {
            problems.append(RowProblem(row: input.row, column: Self.unitColumn, message: name.isEmpty ? "“单位”不能为空" : "“\(name)”不是地市或高校，请填写全称，如“清远市”“华南师范大学”"))
        }
        var figures: [TargetKey: Int] = [:]
        for key in TargetKey.allCases {
            let text = input[key.label]
            guard !text.isEmpty else { continue }
            if let n = Int(text), (0...TargetSettings.limit).contains(n) { figures[key] = n }
            else { problems.append(RowProblem(row: input.row, column: key.label, message: "“\(key.label)”应为0至\(TargetSettings.limit)之间的整数")) }
        }
        guard problems.isEmpty, let org else { return (nil, problems) }
        return (TargetShareEntry(row: input.row, org: org, figures: figures), problems)
    }

    func crossCheck(_ entries: [TargetShareEntry], replacing: Set<UUID>, db: any Database) async throws -> [RowProblem] {
        var first: [UUID: Int] = [:]
        return entries.compactMap { e in
            if let row = first[e.org.id!] { return RowProblem(row: e.row, column: Self.unitColumn, message: "与第\(row)行是同一单位") }
            first[e.org.id!] = e.row
            return nil
        }
    }
    func stored(_ db: any Database) async throws -> [CampaignTarget] {
        try await CampaignTarget.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID != nil).all()
    }
    func key(_ e: TargetShareEntry) -> String { e.org.id!.uuidString }
    func key(_ t: CampaignTarget) -> String { t.orgID?.uuidString ?? "" }
    func describe(_ e: TargetShareEntry) -> (name: String, detail: String) {
        (e.org.name, TargetKey.allCases.compactMap { k in e.figures[k].map { "\(k.label)\($0)" } }.joined(separator: "，"))
    }
    func describe(_ t: CampaignTarget) -> (name: String, detail: String) {
        (units.values.first { $0.id == t.orgID }?.name ?? "", "")
    }
    func changes(_ t: CampaignTarget, _ e: TargetShareEntry) -> [String] { TargetKey.allCases.filter { t[$0] != e.figures[$0] }.map(\.label) }
    func fill(_ row: CampaignTarget?, _ e: TargetShareEntry) throws -> CampaignTarget {
        let t = row ?? CampaignTarget()
        if row == nil { t.campaignID = campaign.id!; t.orgID = e.org.id }
        for key in TargetKey.allCases { t[key] = e.figures[key] }
        return t
    }
}
