// Shared helpers for the spreadsheet tests: building workbooks and timing refusals.

import Foundation
import Testing
@testable import Spreadsheet

let sstHeader = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

func workbook(_ sheetData: String, sst: String? = nil, styles: String? = nil, workbookPr: String = "") throws -> Workbook {
    try Workbook(data: ZipFixture.workbook(sheetXML: sheetData, sharedStrings: sst.map { sstHeader + $0 + "</sst>" },
                                           styles: styles, workbookPr: workbookPr))
}

func stylesXML(numFmts: [(Int, String)] = [], xfs: [Int]) -> String {
    var s = "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    if !numFmts.isEmpty {
        s += "<numFmts>" + numFmts.map { "<numFmt numFmtId=\"\($0.0)\" formatCode=\"\($0.1.xmlEscaped)\"/>" }.joined() + "</numFmts>"
    }
    s += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\"/></cellStyleXfs><cellXfs>"
    s += xfs.map { "<xf numFmtId=\"\($0)\" fontId=\"0\"><alignment/></xf>" }.joined()
    return s + "</cellXfs></styleSheet>"
}

/// Runs `body`, expecting a SpreadsheetError matching `check`, within `seconds`.
func expectRefused(within seconds: Double = 2, _ body: () throws -> Void, _ check: (SpreadsheetError) -> Bool,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    let start = Date()
    do {
        try body()
        Issue.record("expected a refusal", sourceLocation: sourceLocation)
    } catch let e as SpreadsheetError {
        #expect(check(e), "unexpected error \(e)", sourceLocation: sourceLocation)
        #expect(!e.message.isEmpty, sourceLocation: sourceLocation)
    } catch {
        Issue.record("untyped error \(error)", sourceLocation: sourceLocation)
    }
    let elapsed = Date().timeIntervalSince(start)
    #expect(elapsed < seconds, "took \(elapsed) s", sourceLocation: sourceLocation)
}

func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sstests-" + UUID().uuidString)
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}
