// `liangbang roster import|export`: the 附件2 roster from the command line, same pipeline as the web.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct RosterCommands: AsyncCommandGroup {
    var help: String { "“青年云支教”结对名单（附件2）的导入与导出" }
    var commands: [String: any AnyAsyncCommand] { ["import": RosterImportCommand(), "export": RosterExportCommand()] }
}

/// Finds the campaign and university a command names, or explains what exists.
enum CommandLookup {
    static func campaign(_ year: Int?, on db: any Database) async throws -> Campaign {
        guard let year else { throw CommandFailure(code: 64, message: "请用 --campaign 指定活动年度，如 --campaign 2022") }
        guard let campaign = try await Campaign.query(on: db).filter(\.$year == year).first() else {
            throw CommandFailure(code: 2, message: "没有\(year)年度")
        }
        return campaign
    }

    static func organisation(_ name: String?, kinds: [OrgKind], option: String, on db: any Database) async throws -> Organization {
        guard let name, !name.isEmpty else { throw CommandFailure(code: 64, message: "请用 --\(option) 指定单位名称") }
        guard let org = try await Organization.query(on: db).filter(\.$name == name).filter(\.$kind ~~ kinds).first() else {
            throw CommandFailure(code: 2, message: "找不到单位“\(name)”")
        }
        return org
    }
}

/// A command's failure: a one-line reason on stderr and an exit code.
struct CommandFailure: Error {
    let code: Int32
    let message: String
}

extension Application {
    private struct ExitCodeKey: StorageKey { typealias Value = Int32 }
    /// What the process exits with after a command (0 unless a command says otherwise).
    public var exitCode: Int32 {
        get { storage[ExitCodeKey.self] ?? 0 }
        set { storage[ExitCodeKey.self] = newValue }
    }

    /// Runs a command body, turning `CommandFailure` into stderr + exit code.
    func runCommand(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            exitCode = failure.code
        } catch let failure as UnreadableUpload {
            FileHandle.standardError.write(Data((failure.message + "\n").utf8))
            exitCode = 2
        }
    }
}

struct RosterImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "university", help: "高校名称") var university: String?
        @Option(name: "campaign", help: "活动年度，如 2022") var campaign: Int?
        @Flag(name: "dry-run", help: "只检查，不保存") var dryRun: Bool
        @Option(name: "mode", help: "merge（默认，合并）或 replace（以文件为准，删除文件中没有的结对）") var mode: String?
        @Flag(name: "json", help: "以 JSON 输出报告") var json: Bool
        @Argument(name: "file", help: ".xlsx 或 .csv 文件") var file: String
    }
    var help: String { "导入高校的结对名单（附件2）：有任何错误时不保存任何数据。退出码 0 已保存，1 有错误，2 文件无法读取" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let mode = try ImportMode.option(signature.mode, default: .merge)
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let university = try await CommandLookup.organisation(signature.university, kinds: [.university], option: "university", on: app.db)
            let importer = RosterImport(db: app.db, cipher: app.appServices.cipher, campaign: campaign, university: university,
                                        today: LocalDate(instant: app.appServices.clock.now()))
            try await app.runImport(file: signature.file, json: signature.json, dryRun: signature.dryRun, target: "roster import") { data in
                try await importer.run(data: data, filename: signature.file, mode: mode, commit: !signature.dryRun)
            } describe: { r in
                ("\(university.name) \(campaign.year)年度结对名单导入：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
                 "\(university.name)现有结对\(r.stored)条")
            }
        }
    }
}

struct RosterExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "university", help: "高校名称") var university: String?
        @Option(name: "campaign", help: "活动年度") var campaign: Int?
        @Option(name: "format", help: "xlsx、docx 或 csv") var format: String?
        @Flag(name: "full-id", help: "导出完整身份证号（记入审计日志）") var fullID: Bool
        @Option(name: "out", help: "输出文件") var out: String?
    }
    var help: String { "按官方格式导出结对名单（附件2）；身份证号默认打码" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            guard let format = ExportFormat(rawValue: signature.format ?? "xlsx") else {
                throw CommandFailure(code: 64, message: "--format 只能是 xlsx、docx 或 csv")
            }
            guard let out = signature.out else { throw CommandFailure(code: 64, message: "请用 --out 指定输出文件") }
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let university = try await CommandLookup.organisation(signature.university, kinds: [.university], option: "university", on: app.db)
            let roster = try await RosterExport(db: app.db, cipher: app.appServices.cipher)
                .roster(campaign: campaign, university: university, fullIDs: signature.fullID)
            let data = try RosterExport.write([roster], format: format)
            guard FileManager.default.createFile(atPath: out, contents: data) else {
                throw CommandFailure(code: 2, message: "无法写入 \(out)")
            }
            if signature.fullID {
                await AuditLog.record(on: app.db, logger: app.logger, at: Date(), user: nil, username: "命令行", ip: "local",
                                      action: "sensitive.export", target: "roster export",
                                      detail: "\(university.name) \(campaign.year)年度结对名单（完整身份证号，\(format.rawValue)）")
            }
            FileHandle.standardError.write(Data("已导出\(roster.lines.count)条结对到 \(out)\n".utf8))
        }
    }
}
