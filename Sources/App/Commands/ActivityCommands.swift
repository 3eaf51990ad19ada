// `liangbang activities import|export`: a unit's 附件3 from the command line (same pipeline as the web), and the
// province consolidation.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct ActivityCommands: AsyncCommandGroup {
    var help: String { "集中行动月活动汇总表（附件3）的导入与导出" }
    var commands: [String: any AnyAsyncCommand] { ["import": ActivityImportCommand(), "export": ActivityExportCommand()] }
}

/// The kinds of organisation that keep an activity table.
private let reportingKinds: [OrgKind] = [.city, .county, .town, .university, .provincialUnit]

struct ActivityImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "org", help: "填报单位名称，如 韶关市、乐昌市、韶关学院") var org: String?
        @Option(name: "campaign", help: "活动年度，如 2022") var campaign: Int?
        @Flag(name: "dry-run", help: "只检查，不保存") var dryRun: Bool
        @Option(name: "mode", help: "replace（默认，以文件为准）或 merge（保留文件中没有的活动）") var mode: String?
        @Flag(name: "json", help: "以 JSON 输出报告") var json: Bool
        @Argument(name: "file", help: ".xlsx 或 .csv 文件") var file: String
    }
    var help: String { "导入单位的活动汇总表（附件3）：有任何错误时不保存任何数据。退出码 0 已保存，1 有错误，2 文件无法读取" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let mode = try ImportMode.option(signature.mode, default: .replace)
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let unit = try await CommandLookup.organisation(signature.org, kinds: reportingKinds, option: "org", on: app.db)
            let importer = ActivityImport(db: app.db, campaign: campaign, unit: unit, today: LocalDate(instant: app.appServices.clock.now()))
            try await app.runImport(file: signature.file, json: signature.json, dryRun: signature.dryRun, target: "activities import") { data in
                try await importer.run(data: data, filename: signature.file, mode: mode, commit: !signature.dryRun)
            } describe: { r in
                ("\(unit.name) \(campaign.year)年度活动汇总表导入：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
                 "\(unit.name)现有活动\(r.stored)项")
            }
        }
    }
}

struct ActivityExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign", help: "活动年度") var campaign: Int?
        @Option(name: "org", help: "单位名称；不填则导出全省汇总（按地市分表，另有高校、省有关单位、汇总和重点宣传项目）") var org: String?
        @Option(name: "out", help: "输出文件（.xlsx）") var out: String?
    }
    var help: String { "导出活动汇总表（附件3格式）；不指定 --org 时导出全省汇总" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            guard let out = signature.out else { throw CommandFailure(code: 64, message: "请用 --out 指定输出文件") }
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let exporter = ActivityExport(db: app.db)
            let data: Data
            if signature.org != nil {
                let unit = try await CommandLookup.organisation(signature.org, kinds: reportingKinds, option: "org", on: app.db)
                data = try await exporter.unitWorkbook(campaign: campaign, unit: unit)
            } else {
                data = try await exporter.consolidation(campaign: campaign)
            }
            guard FileManager.default.createFile(atPath: out, contents: data) else {
                throw CommandFailure(code: 2, message: "无法写入 \(out)")
            }
            FileHandle.standardError.write(Data("已导出到 \(out)\n".utf8))
        }
    }
}
