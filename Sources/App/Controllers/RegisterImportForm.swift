// A work-item register on the web's import pipeline: each is a `RegisterSpec` run by `RegisterImport`; the form
// says only whose register it is and where to go back to.
import Fluent
import LiangbangCore
import Vapor

/// What every register form shares: the importer is `RegisterImport` over the form's spec.
protocol RegisterImportForm: ImportForm {
    associatedtype Spec: RegisterSpec where Spec.Row.IDValue == UUID
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> Spec
    static var what: String { get }
}

extension RegisterImportForm {
    static func check(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode) async throws
        -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem]) {
        let checked = try await RegisterImport(db: req.db, spec: try await spec(req, campaign, unit)).check(data: data, filename: filename, mode: mode)
        return (checked.report, checked.layout, checked.problems)
    }

    static func run(_ req: Request, _ campaign: Campaign, _ unit: Organization, data: Data, filename: String, mode: ImportMode, commit: Bool) async throws -> ImportReport {
        try await RegisterImport(db: req.db, spec: try await spec(req, campaign, unit)).run(data: data, filename: filename, mode: mode, commit: commit)
    }

    static func committed(_ r: ImportReport, unit: Organization) -> (audit: String, flash: String) {
        ("\(unit.name)导入\(what)：新增\(r.added)，更新\(r.updated)，删除\(r.removed)",
         "导入成功：新增\(r.added)条，更新\(r.updated)条，删除\(r.removed)条，现有\(r.stored)条")
    }

    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {}
}
