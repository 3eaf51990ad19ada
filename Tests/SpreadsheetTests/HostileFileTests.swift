// Hostile uploads: each refused quickly with the right typed error, never a crash or a hang.

import Foundation
import Testing
@testable import Spreadsheet
import ZIPFoundation

@Suite struct HostileFileTests {
    /// A zip holding one deflated entry of `size` zero bytes, its headers optionally lying about the size.
    static func zeroBomb(size: Int, declare: Int? = nil) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let chunk = Data(count: 1 << 20)
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: Int64(size),
                             compressionMethod: .deflate, bufferSize: 1 << 20) { _, n in
            n == chunk.count ? chunk : Data(count: n)
        }
        var data = archive.data!
        if let declare {
            // Patch the uncompressed size in the local header (+22) and the central directory (+24).
            let bytes = [UInt8](data)
            for i in 0..<(bytes.count - 4) {
                let sig = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                let off = sig == 0x0403_4B50 ? 22 : sig == 0x0201_4B50 ? 24 : -1
                if off > 0 {
                    for k in 0..<4 { data[i + off + k] = UInt8((declare >> (8 * k)) & 0xFF) }
                }
            }
        }
        return data
    }

    static func isTooLarge(_ e: SpreadsheetError) -> Bool { if case .tooLarge = e { true } else { false } }

    @Test func zipBombOf1GBZerosIsRefused() throws {
        let bomb = try Self.zeroBomb(size: 1 << 30)
        expectRefused({ _ = try ZipFixture.unzip(bomb) }, Self.isTooLarge)
    }

    @Test func zipBombWithLyingHeadersIsStoppedWhileStreaming() throws {
        let bomb = try Self.zeroBomb(size: 300 << 20, declare: 1000)
        expectRefused({ _ = try ZipFixture.unzip(bomb) }, Self.isTooLarge)
        // Also the ratio limit alone, with a generous total limit.
        let limits = ReadLimits(maxTotalBytes: 1 << 40)
        expectRefused({ _ = try ZipFixture.unzip(bomb, limits: limits) }, Self.isTooLarge)
    }

    @Test func tooManyEntriesIsRefused() throws {
        let parts = (0..<50).map { (name: "f\($0).xml", bytes: [UInt8]("x".utf8)) }
        let data = try ZipFixture.zip(parts)
        expectRefused({ _ = try Workbook(data: data, limits: ReadLimits(maxEntries: 20)) }) { $0 == .tooManyEntries(20) }
    }

    @Test func xxeIsRefused() throws {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>"
        let wb = try Workbook(data: ZipFixture.workbook(sheetXML: xxe))
        expectRefused({ _ = try wb.readSheet() }) { if case .forbiddenXML = $0 { true } else { false } }
    }

    @Test func billionLaughsIsRefused() throws {
        var dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        dtd += "]>"
        let sst = "<?xml version=\"1.0\"?>" + dtd + "<sst><si><t>&lol9;</t></si></sst>"
        expectRefused({ _ = try Workbook(data: ZipFixture.workbook(sheetXML: "<sheetData/>", sharedStrings: sst)) }) {
            if case .forbiddenXML = $0 { true } else { false }
        }
    }

    @Test func truncatedZipIsRefused() throws {
        let good = try ZipFixture.workbook(sheetXML: "<sheetData><row><c><v>1</v></c></row></sheetData>")
        for cut in [10, good.count / 2, good.count - 30] {
            expectRefused({ _ = try Workbook(data: good.prefix(cut)).readSheet() }) {
                if case .corruptArchive = $0 { true } else { false }
            }
        }
    }

    @Test func corruptDeflateDataIsRefused() throws {
        var data = try ZipFixture.workbook(sheetXML: "<sheetData>" + String(repeating: "<row><c><v>1</v></c></row>", count: 500) + "</sheetData>")
        // Overwrite the middle of the archive (compressed sheet data) with garbage.
        for i in (data.count / 3)..<(data.count / 3 + 40) { data[i] = 0xFF }
        do { _ = try Workbook(data: data).readSheet() } catch is SpreadsheetError {} catch { Issue.record("untyped \(error)") }
    }

    @Test func pdfRenamedXlsxIsRefused() {
        let pdf = Data("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF".utf8)
        expectRefused({ _ = try Workbook(data: pdf) }) { $0 == .pdf }
        expectRefused({ _ = try SpreadsheetReader.readSheet(data: pdf, filename: "名单.xlsx") }) { $0 == .pdf }
    }

    @Test func xlsMagicIsRefusedWithSaveAsHint() {
        let xls = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
        expectRefused({ _ = try SpreadsheetReader.readSheet(data: xls, filename: "名单.xls") }) { $0 == .legacyExcel }
        #expect(SpreadsheetError.legacyExcel.message.contains("另存为"))
        #expect(SpreadsheetError.legacyExcel.message.contains("*.xlsx"))
    }

    @Test func emptyWorkbookIsRefused() throws {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        let data = try ZipFixture.zip([("xl/workbook.xml", Array("<workbook \(ns)><sheets/></workbook>".utf8))])
        expectRefused({ _ = try Workbook(data: data) }) { $0 == .emptyWorkbook }
        expectRefused({ _ = try Workbook(data: ZipFixture.zip([])) }) { $0 == .emptyWorkbook }
    }

    @Test func aZeroByteFileIsCalledEmpty() {
        expectRefused({ _ = try Workbook(data: Data()) }) { $0 == .emptyFile }
        expectRefused({ _ = try SpreadsheetReader.readSheet(data: Data(), filename: "名单.csv") }) { $0 == .emptyFile }
        #expect(SpreadsheetError.emptyFile.message.hasPrefix("文件是空的"))
    }

    @Test func cellsAtXFDStaySparseAndWholeRowMergesFillOnlyUsedColumns() throws {
        let far = try Workbook(data: ZipFixture.farColumnRows(20_000)).readSheet()
        #expect(far.rows.count == 20_000 && far.rows.allSatisfy { $0.cells.map(\.column) == [CellRef.maxColumn] })
        // A1:XFD6, A7:XFD12, …: the sheet uses column A only, so the fill stops at column 64.
        let merged = try Workbook(data: ZipFixture.sheetWideMerges(4)).readSheet().fillingMergedCells()
        #expect(merged.rows.count == 24 && merged.rows.allSatisfy { $0.cells.count == 64 })
    }

    @Test func fillingMergesStopsAtAMillionCells() throws {
        // Twenty ranges of 1,500 rows × 64 columns (96,000 cells each, under the per-range bound).
        let tops = (0..<20).map { $0 * 1_500 + 1 }
        let rows = tops.map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let refs = tops.map { "<mergeCell ref=\"A\($0):BL\($0 + 1_499)\"/>" }.joined()
        let sheet = try workbook("<sheetData>\(rows)</sheetData><mergeCells>\(refs)</mergeCells>").readSheet()
        let cells = sheet.fillingMergedCells().rows.reduce(0) { $0 + $1.cells.count }
        #expect(cells > 900_000 && cells <= 1_000_000 + tops.count)
    }

    @Test func aCSVLineOfMillionsOfFieldsKeepsTheFirstColumnsOnly() throws {
        var rows: [Row] = []
        try CSV.forEachRow(data: Data(String(repeating: "x,", count: 1_000_000).utf8), maxColumns: 64) { rows.append($0) }
        #expect(rows.count == 1 && rows[0].cells.count == 64)
        let limits = ReadLimits(maxCells: 3)
        expectRefused({ _ = try SpreadsheetReader.readSheet(data: Data("a,b\nc,d\n".utf8), filename: "x.csv", limits: limits) }) {
            $0 == .tooManyCells(3)
        }
    }

    @Test func pathTraversalTargetsOnlyNameMissingParts() throws {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        let rels = "<Relationships><Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"../../../../etc/passwd\"/></Relationships>"
        let data = try ZipFixture.zip([("xl/workbook.xml", Array("<workbook \(ns)><sheets><sheet name=\"a\" r:id=\"rId1\"/></sheets></workbook>".utf8)),
                                       ("xl/_rels/workbook.xml.rels", Array(rels.utf8))])
        let wb = try Workbook(data: data)
        #expect(wb.sheets[0].part == "etc/passwd")
        expectRefused({ _ = try wb.readSheet() }) { if case .corruptArchive = $0 { true } else { false } }
    }

    @Test func hugeRowAndColumnNumbersAreRefused() throws {
        let wb = try workbook("<sheetData><row r=\"99999999\"><c><v>1</v></c></row></sheetData>")
        expectRefused({ _ = try wb.readSheet() }) { if case .malformedXML = $0 { true } else { false } }
        let wb2 = try workbook("<sheetData><row r=\"1\"><c r=\"ZZZZ1\"><v>1</v></c></row></sheetData>")
        expectRefused({ _ = try wb2.readSheet() }) { if case .malformedXML = $0 { true } else { false } }
    }

    @Test func cellLimitBoundsMemory() throws {
        let data = try ZipFixture.workbook(sheetXML: "<sheetData>" + String(repeating: "<row><c><v>1</v></c><c><v>2</v></c></row>", count: 100) + "</sheetData>")
        let wb = try Workbook(data: data, limits: ReadLimits(maxCells: 50))
        expectRefused({ _ = try wb.readSheet() }) { $0 == .tooManyCells(50) }
    }
}
