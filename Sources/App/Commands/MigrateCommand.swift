// `liangbang migrate`: brings the database up to date and seeds it (configure already does; this reports it).
import Fluent
import Vapor

struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "创建或升级数据库结构并写入初始数据（可重复执行）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.autoMigrate()
        let orgs = try await Organization.query(on: context.application.db).count()
        let campaigns = try await Campaign.query(on: context.application.db).count()
        context.console.print("数据库已是最新：\(orgs) 个组织，\(campaigns) 个活动年度。")
    }
}
