// Work item 4's registers on the web's import pipeline (upload → preview → commit, error workbook): a unit's teams,
// a team's member list, 百校百号 pairs, 返家乡 students and the targets' shares.
import Fluent
import LiangbangCore
import Vapor

enum TeamImportForm: RegisterImportForm {
    static let name = "practice-teams"
    static let title = "导入三下乡实践团队"
    static let backLabel = "三下乡实践团队"
    static let what = "三下乡实践团队"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { PracticeTeamColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/practice-teams", campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.practiceTeams.writableUnit(orgID) }
    static func spec(_ req: Request, _ campaign: Campaign, unit: Organization, counties: [CountyRef]) -> TeamSpec {
        TeamSpec(campaign: campaign, unit: unit, counties: CountyMatcher(counties))
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> TeamSpec {
        spec(req, campaign, unit: unit, counties: try await RosterPolicyLoader.counties(db: req.db))
    }
}

/// A team's member list: the upload's target is the team.
enum MemberImportForm: RegisterImportForm {
    static let name = "practice-members"
    static let title = "导入实践团队成员名单"
    static let backLabel = "实践团队"
    static let what = "实践团队成员名单"
    static let defaultMode = ImportMode.replace
    static var columns: [ColumnSpec] { PracticeMemberColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/practice-teams", campaign: campaign, orgID: orgID) }
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String {
        target.map { "/practice-teams/\($0)" } ?? back(campaign: campaign, orgID: orgID)
    }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { throw AppError.invalid("请从实践团队页面上传成员名单") }
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization {
        try await req.practiceTeams.writableTeam(target).1
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> MemberSpec {
        try await MemberSpec.of(try await req.practiceTeams.writableTeam(req.importTarget).0, db: req.db)
    }
}

enum PairImportForm: RegisterImportForm {
    static let name = "civility-pairs"
    static let title = "导入百校百号结对"
    static let backLabel = "百校百号"
    static let what = "百校百号结对"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { CivilityPairColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/civility-pairs", campaign: campaign, orgID: nil) }
    /// The province keeps every pair; a university its own.
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization {
        let me = try req.access.current
        guard [.province, .university].contains(me.org.kind), me.user.role.canWrite else { throw AppError.forbidden("百校百号结对由团省委或高校团委登记") }
        return me.org
    }
    static func spec(_ req: Request, _ campaign: Campaign) async throws -> PairSpec {
        let unit = try await writableUnit(req, nil)
        return PairSpec(campaign: campaign, universities: PracticeRules.universityIndex(try await PracticeRecords.universities(req.db)),
                        only: unit.kind == .university ? unit.id : nil)
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> PairSpec { try await spec(req, campaign) }
}

enum ReturnHomeImportForm: RegisterImportForm {
    static let name = "return-home"
    static let title = "导入返家乡学生"
    static let backLabel = "返家乡"
    static let what = "返家乡学生"
    static let defaultMode = ImportMode.merge
    static var columns: [ColumnSpec] { ReturnHomeColumn.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/return-home", campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { try await req.practiceTeams.writableUnit(orgID) }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> ReturnHomeSpec {
        try await req.practiceRecords.returnHomeSpec(campaign, unit)
    }
    /// The error workbook holds the ID numbers as uploaded.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的返家乡学生名单）")
    }
}

enum SharesImportForm: RegisterImportForm {
    static let name = "targets"
    static let title = "导入目标分解表"
    static let backLabel = "目标进度"
    static let what = "目标分解表"
    static let defaultMode = ImportMode.replace
    static var columns: [ColumnSpec] { TargetShareSpec.specs }
    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/targets", campaign: campaign, orgID: nil) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization {
        try req.targetSettings.requireProvince()
        return try req.access.current.org
    }
    static func spec(_ req: Request, _ campaign: Campaign) async throws -> TargetShareSpec {
        let units = try await Organization.query(on: req.db).filter(\.$kind ~~ [.city, .university]).all()
        return TargetShareSpec(campaign: campaign, units: Dictionary(units.map { (TextNormaliser.headerKey($0.name), $0) }, uniquingKeysWith: { a, _ in a }))
    }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> TargetShareSpec { try await spec(req, campaign) }
}
