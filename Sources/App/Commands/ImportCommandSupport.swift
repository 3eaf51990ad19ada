// What every `… import` command shares once it has found its unit: the file, the run, the audit, the report.
import Foundation
import LiangbangCore
import Vapor

extension Application {
    /// What `roster import` and `activities import` share after finding their unit: read the file, run the
    /// importer, audit a commit, print the report, exit 1 when anything is wrong.
    func runImport(file: String, json: Bool, dryRun: Bool, target: String, run: (Data) async throws -> ImportReport,
                   describe: (ImportReport) -> (audit: String, summary: String)) async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure(code: 2, message: "无法读取文件 \(file)")
        }
        let report = try await run(data)
        let said = describe(report)
        if report.committed {
            await AuditLog.record(on: db, logger: logger, at: Date(), user: nil, username: "命令行", ip: "local",
                                  action: "write", target: target, detail: said.audit)
        }
        ImportReport.print(report, json: json, dryRun: dryRun, summary: said.summary)
        if !report.errors.isEmpty { exitCode = 1 }
    }
}

extension ImportMode {
    /// `--mode`, or the form's default; anything else is a usage error.
    static func option(_ text: String?, default fallback: ImportMode) throws -> ImportMode {
        guard let text else { return fallback }
        guard let mode = ImportMode(rawValue: text) else { throw CommandFailure(code: 64, message: "--mode 只能是 merge 或 replace") }
        return mode
    }
}

extension ImportReport {
    /// The CLI's report: one JSON object, or one line per problem and a closing line, in Chinese.
    static func print(_ report: ImportReport, json: Bool, dryRun: Bool, summary: String) {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            struct Output: Encodable { let stored, added, updated, removed, errorCount, warningCount: Int; let errors, warnings: [ImportProblem] }
            let output = Output(stored: report.stored, added: report.added, updated: report.updated, removed: report.removed,
                                errorCount: report.errorCount, warningCount: report.warningCount, errors: report.errors, warnings: report.warnings)
            Swift.print(String(decoding: (try? encoder.encode(output)) ?? Data("{}".utf8), as: UTF8.self))
            return
        }
        for p in report.errors { Swift.print("第\(p.row)行［\(p.column)］\(p.message)") }
        for p in report.warnings { Swift.print("提示：第\(p.row)行［\(p.column)］\(p.message)") }
        if report.errors.isEmpty {
            Swift.print("\(dryRun ? "检查通过（未保存）" : "已保存")：新增\(report.added)，更新\(report.updated)，删除\(report.removed)；\(summary)")
        } else {
            let unlisted = report.errorCount - report.errors.count
            Swift.print("共\(report.errorCount)处错误\(unlisted > 0 ? "（以上列出前\(report.errors.count)处）" : "")，未保存任何数据。")
        }
    }
}
