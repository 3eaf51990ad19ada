// Recognises what an upload really is from its first bytes (the extension is only a hint).

import Foundation

public enum FileKind: Sendable, Hashable {
    case xlsx, csv, legacyExcel, pdf, empty, unknown

    /// Content first: zip → xlsx, OLE2 → legacy (.xls/.et/encrypted), %PDF → pdf; text → csv.
    public static func detect(_ data: Data, filename: String? = nil) -> FileKind {
        let head = [UInt8](data.prefix(8))
        if head.isEmpty { return .empty }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .xlsx }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return .legacyExcel }
        if head.starts(with: Array("%PDF".utf8)) { return .pdf }
        let ext = filename.map { ($0 as NSString).pathExtension.lowercased() } ?? ""
        if ["xls", "et", "ett", "xlsb", "ods", "numbers", "pdf", "doc", "docx", "wps"].contains(ext) { return .unknown }
        if ext == "csv" || ext == "txt" || looksLikeText(data) { return .csv }
        return .unknown
    }

    static func looksLikeText(_ data: Data) -> Bool {
        let sample = data.prefix(4096)
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]) { return true }
        return !sample.contains(0) && sample.contains(where: { $0 == 0x2C || $0 == 0x0A || $0 == 0x09 })
    }

    static func requireXLSX(_ data: Data) throws {
        switch detect(data) {
        case .xlsx: return
        case .legacyExcel: throw SpreadsheetError.legacyExcel
        case .pdf: throw SpreadsheetError.pdf
        case .empty: throw SpreadsheetError.emptyFile
        case .csv: throw SpreadsheetError.unsupportedFormat("文本/CSV，不是 .xlsx")
        case .unknown: throw SpreadsheetError.unsupportedFormat("无法识别")
        }
    }
}

/// One entry point for uploads: .xlsx or .csv by content, everything else refused with a save-as hint.
public enum SpreadsheetReader {
    public static func readSheet(data: Data, filename: String, sheet: SheetSelector = .index(0),
                                 limits: ReadLimits = .default) throws -> Sheet {
        switch FileKind.detect(data, filename: filename) {
        case .xlsx: return try Workbook(data: data, limits: limits).readSheet(sheet)
        case .csv:
            guard data.count <= limits.maxTotalBytes else { throw SpreadsheetError.tooLarge("文本文件过大") }
            return try CSV.readSheet(data: data, name: (filename as NSString).deletingPathExtension, maxCells: limits.maxCells)
        case .legacyExcel: throw SpreadsheetError.legacyExcel
        case .pdf: throw SpreadsheetError.pdf
        case .empty: throw SpreadsheetError.emptyFile
        case .unknown:
            let ext = (filename as NSString).pathExtension.lowercased()
            if ext == "xls" || ext == "et" { throw SpreadsheetError.legacyExcel }
            throw SpreadsheetError.unsupportedFormat(ext.isEmpty ? "无法识别" : "." + ext)
        }
    }
}
