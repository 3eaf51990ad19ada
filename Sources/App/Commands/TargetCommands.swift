// `liangbang targets sql --campaign YEAR`: the targets board's SQL statements with their values written in, for
// running the very same aggregate in the `sqlite3` CLI (the board's benchmark baseline, benchmarks/targets-board.sh).
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct TargetCommands: AsyncCommandGroup {
    var help: String { "三下乡、百校百号、返家乡目标进度" }
    var commands: [String: any AnyAsyncCommand] { ["sql": TargetSQLCommand()] }
}

struct TargetSQLCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign", help: "活动年度，如 2022") var campaign: Int?
    }
    var help: String { "输出目标进度看板的 SQL（已代入参数，SQLite 方言），供 sqlite3 命令行对照测速" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let sql = app.db as! any SQLDatabase
            guard sql.dialect.name == "sqlite" else { throw CommandFailure(code: 2, message: "只用于 SQLite 数据目录") }
            let since = LocalDate(instant: app.appServices.clock.now()).adding(days: -TargetProgress.paceDays).startInstant
            var out = ""
            for grouping in TargetsBoard.Grouping.allCases {
                for key in TargetKey.allCases {
                    for statement in TargetsBoard.statements(key, grouping, campaign: campaign.id!, since: since) {
                        var serializer = SQLSerializer(database: sql)
                        statement.serialize(to: &serializer)
                        out += try Self.inline(serializer.sql, serializer.binds) + ";\n"
                    }
                }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        }
    }

    /// Each placeholder (`?` or `?N`) replaced by its value as Fluent stores it in SQLite (UUIDs as text, dates as
    /// epoch seconds).
    static func inline(_ sql: String, _ binds: [any Encodable & Sendable]) throws -> String {
        var out = "", next = 0
        var chars = sql.makeIterator(), pending: Character? = nil
        while let ch = pending ?? chars.next() {
            pending = nil
            guard ch == "?" else { out.append(ch); continue }
            var digits = ""
            while let d = chars.next() {
                if d.isASCII && d.isNumber { digits.append(d) } else { pending = d; break }
            }
            let index = Int(digits).map { $0 - 1 } ?? next
            next = index + 1
            guard binds.indices.contains(index) else { throw CommandFailure(code: 2, message: "SQL 参数个数不符") }
            switch binds[index] {
            case let u as UUID: out += "'\(u.uuidString)'"
            case let d as Date: out += String(d.timeIntervalSince1970)
            case let i as Int: out += String(i)
            case let s as String: out += "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
            default: throw CommandFailure(code: 2, message: "无法代入的 SQL 参数")
            }
        }
        return out
    }
}
