// `liangbang deployments import`: a unit's 希望乡村教师 register from the command line, through the web's pipeline.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct DeploymentCommands: AsyncCommandGroup {
    var help: String { "希望乡村教师计划派驻登记表的导入" }
    var commands: [String: any AnyAsyncCommand] { ["import": DeploymentImportCommand()] }
}

struct DeploymentImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "org", help: "登记单位名称：团省委、地市团委（如 清远市）、县级团委（如 连州市）或派出高校") var org: String?
        @Option(name: "campaign", help: "活动年度，如 2026") var campaign: Int?
        @Flag(name: "dry-run", help: "只检查，不保存") var dryRun: Bool
        @Option(name: "mode", help: "merge（默认，保留文件中没有的记录）或 replace（以文件为准）") var mode: String?
        @Flag(name: "json", help: "以 JSON 输出报告") var json: Bool
        @Argument(name: "file", help: ".xlsx 或 .csv 文件") var file: String
    }
    var help: String { "导入希望乡村教师派驻登记表：有任何错误时不保存任何数据。退出码 0 已保存，1 有错误，2 文件无法读取" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let mode = try ImportMode.option(signature.mode, default: .merge)
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let unit = try await CommandLookup.organisation(signature.org, kinds: Array(DeploymentRegister.recordingKinds), option: "org", on: app.db)
            let importer = RegisterImport(db: app.db, spec: try await DeploymentSpec.of(db: app.db, campaign: campaign, unit: unit,
                                                                                       today: LocalDate(instant: app.appServices.clock.now()), cipher: app.appServices.cipher))
            try await app.runImport(file: signature.file, json: signature.json, dryRun: signature.dryRun, target: "deployments import") { data in
                try await importer.run(data: data, filename: signature.file, mode: mode, commit: !signature.dryRun)
            } describe: { r in
                ("\(unit.name) \(campaign.year)年度希望乡村教师派驻导入：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
                 "\(unit.name)现有派驻\(r.stored)条")
            }
        }
    }
}
