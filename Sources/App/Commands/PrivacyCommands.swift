// `liangbang subject-access --id 44… [--out FILE] [--erase [--force]]` and `liangbang retention [--apply]`: PIPL
// operations for the province's data officer, run on the server. Both are audited; neither prints an ID number.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct SubjectAccessCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "id", help: "身份证号（18位）") var id: String?
        @Option(name: "out", help: "导出文件（.xlsx），默认 个人信息-<打码身份证号>.xlsx") var out: String?
        @Flag(name: "erase", help: "删除（匿名化）此人的所有记录，保留统计数") var erase: Bool
        @Flag(name: "force", help: "即使有记录所在的活动年度尚未结束也删除") var force: Bool
    }
    var help: String { "个人信息查询：按身份证号找出各登记册中的全部记录并导出；--erase 匿名化这些记录" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let now = app.appServices.clock.now()
            guard case .success(let id) = IDNumber.parse(signature.id ?? "", today: LocalDate(instant: now)) else {
                throw CommandFailure(code: 2, message: "请用 --id 给出有效的18位身份证号")
            }
            let data = PersonalData(db: app.db, cipher: app.appServices.cipher)
            let found = try await data.find(idNumber: id.value)
            let path = signature.out ?? "个人信息-\(id.masked).xlsx"
            try await data.workbook(found, idMasked: id.masked).write(to: URL(fileURLWithPath: path))
            await AuditLog.record(on: app.db, logger: app.logger, at: now, user: nil, username: "命令行", ip: "-", action: "sensitive.export",
                                  target: "个人信息查询", detail: "导出个人信息（\(id.masked)，\(found.count)条记录）")
            var lines = ["已导出 \(found.count) 条记录到 \(path)"]
            for (label, n) in Dictionary(grouping: found, by: \.source.label).mapValues(\.count).sorted(by: { $0.key < $1.key }) { lines.append("  \(label)：\(n)条") }
            if signature.erase && !found.isEmpty {
                let open = try await data.openCampaigns(found, today: LocalDate(instant: now))
                if !open.isEmpty && !signature.force {
                    throw CommandFailure(code: 3, message: lines.joined(separator: "\n") + "\n未删除：\(open.map(String.init).joined(separator: "、"))年度尚未结束，这些记录仍在使用；确需删除请加 --force")
                }
                let rows = PersonSource.all.map { source in (source, found.filter { $0.source.table == source.table && $0.source.hash == source.hash }.map { ($0.id, $0.hash) }) }
                let changed = try await data.erase(rows)
                await AuditLog.record(on: app.db, logger: app.logger, at: app.appServices.clock.now(), user: nil, username: "命令行", ip: "-", action: "sensitive.erase",
                                      target: "个人信息删除", detail: "匿名化个人信息（\(id.masked)，\(changed)条记录\(open.isEmpty ? "" : "，含未结束年度")）")
                lines.append("已匿名化 \(changed) 条记录（姓名、身份证号、敏感内容已删除，统计数保留）")
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}

struct RetentionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "apply", help: "执行匿名化（不加时只报告将处理的记录）") var apply: Bool
        @Option(name: "years", help: "保存年限（默认取 LIANGBANG_RETENTION_YEARS，未设置为3）") var years: Int?
    }
    var help: String { "个人信息保存期限：活动年度结束超过保存年限的，匿名化其中的个人信息，保留统计数" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let years = signature.years ?? Environment.get("LIANGBANG_RETENTION_YEARS").flatMap(Int.init) ?? Retention.defaultYears
            guard (1...100).contains(years) else { throw CommandFailure(code: 2, message: "保存年限应为1至100之间的整数") }
            let now = app.appServices.clock.now()
            let data = PersonalData(db: app.db, cipher: app.appServices.cipher)
            let (campaigns, rows) = try await data.expired(years: years, today: LocalDate(instant: now))
            let total = rows.reduce(0) { $0 + $1.1.count }
            var lines = [campaigns.isEmpty ? "没有超过保存年限（\(years)年）的活动年度" :
                "超过保存年限（\(years)年）的活动年度：\(campaigns.map(String.init).joined(separator: "、"))，待匿名化记录 \(total) 条"]
            for (source, records) in rows where !records.isEmpty { lines.append("  \(source.label)：\(records.count)条") }
            if signature.apply && total > 0 {
                let changed = try await data.erase(rows)
                await AuditLog.record(on: app.db, logger: app.logger, at: now, user: nil, username: "命令行", ip: "-", action: "sensitive.erase",
                                      target: "个人信息到期匿名化", detail: "匿名化\(campaigns.map(String.init).joined(separator: "、"))年度的个人信息（\(changed)条记录）")
                lines.append("已匿名化 \(changed) 条记录")
            } else if total > 0 {
                lines.append("（未执行；加 --apply 执行）")
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}
