// What every import reports (CLI `--json`, API, preview page), how it counts and lists problems, and the modes.
import Foundation
import LiangbangCore
import Vapor

struct ImportProblem: Content, Equatable {
    let row: Int
    let column: String
    let message: String
    /// Whom or what the row is about (the pupil's name, the activity's title), so the list names it.
    var subject: String? = nil
}

/// One row an import would add, update or delete, by name (ID numbers masked), for the preview.
struct ImportChange: Content, Equatable {
    /// added, updated or removed
    let kind: String
    let name: String
    let detail: String
}

struct ImportReport: Content {
    var stored: Int
    var added: Int
    var updated: Int
    var removed: Int
    /// The first `listLimit` errors, row by row, left to right; `errorCount` counts them all.
    var errors: [ImportProblem]
    var warnings: [ImportProblem]
    var errorCount: Int
    var warningCount: Int
    /// True when the changes were written (no errors and not a dry run).
    var committed: Bool
    /// The rows to be added, updated and deleted by name, the first `changeLimit` of each kind (the counts are above).
    var changes: [ImportChange] = []
    static let changeLimit = 500

    /// Notes one change for the preview (beyond `changeLimit` of its kind only the count grows).
    mutating func note(_ kind: String, _ name: String, _ detail: String) {
        guard changes.lazy.filter({ $0.kind == kind }).count < Self.changeLimit else { return }
        changes.append(ImportChange(kind: kind, name: name, detail: detail))
    }

    /// Problems listed in a report. A sheet of 100,000 wrong lines has 800,000 problems: listing them all made
    /// reports of hundreds of megabytes that nobody reads. The rest are counted, and the error workbook still
    /// marks every one of them on the sheet.
    static let listLimit = 5000

    init(stored: Int, added: Int = 0, updated: Int = 0, removed: Int = 0) {
        self.stored = stored; self.added = added; self.updated = updated; self.removed = removed
        errors = []; warnings = []; errorCount = 0; warningCount = 0; committed = false
    }

    /// A file refused before its lines were read (no header, …): one problem.
    mutating func refuse(row: Int, column: String, message: String) {
        errors = [ImportProblem(row: row, column: column, message: message)]
        errorCount = 1
    }

    /// Lists `problems` row by row and, within a row, in the order of the sheet's columns (`position`), as the
    /// office reads its sheet; at most `listLimit` of each kind.
    /// `subjectColumn`: the column naming each row (学生姓名, 活动主题, 用户名); the listed problems carry its text.
    mutating func list(_ problems: [RowProblem], position: [String: Int], layout: TableLayout? = nil, subjectColumn: String? = nil) {
        let subjectIndex = subjectColumn.flatMap { position[$0] }
        let rowsByNumber = subjectIndex == nil ? [:] : Dictionary((layout?.rows ?? []).map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        func subject(_ row: Int) -> String? {
            guard let subjectIndex, let text = rowsByNumber[row]?.cell(subjectIndex) else { return nil }
            let name = TextNormaliser.trim(text)
            return name.isEmpty ? nil : String(name.prefix(40))
        }
        // Sort keys computed once: the comparator of 800,000 problems must not look columns up.
        let keyed = problems.indices.map { (problems[$0].row, position[problems[$0].column] ?? Int.max, $0) }
            .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        errors = []; warnings = []; errorCount = 0; warningCount = 0
        for (_, _, index) in keyed {
            let p = problems[index]
            if p.warning {
                warningCount += 1
                if warnings.count < Self.listLimit { warnings.append(ImportProblem(row: p.row, column: p.column, message: p.message, subject: subject(p.row))) }
            } else {
                errorCount += 1
                if errors.count < Self.listLimit { errors.append(ImportProblem(row: p.row, column: p.column, message: p.message, subject: subject(p.row))) }
            }
        }
    }
}

/// What a commit really changed, counted inside its transaction (the preview may be stale by then).
struct ImportChanges: Sendable {
    var added = 0
    var updated = 0
    var removed = 0
}

extension ImportReport {
    mutating func record(_ changes: ImportChanges) {
        added = changes.added; updated = changes.updated; removed = changes.removed
    }
}

enum ImportMode: String, Codable, Sendable {
    /// Add new pairs and update the ones in the file; keep the others.
    case merge
    /// Make the roster exactly the file: pairs not in the file are removed.
    case replace
}
