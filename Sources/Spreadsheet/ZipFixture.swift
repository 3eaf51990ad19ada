// Builds small zip packages from named parts: for tests and the fuzzer (hand-made or mutated workbooks).

import Foundation
import ZIPFoundation

public enum ZipFixture {
    /// A zip with the given parts in order; `deflate` compresses them.
    public static func zip(_ parts: [(name: String, bytes: [UInt8])], deflate: Bool = true) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (name, bytes) in parts {
            let d = Data(bytes)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(d.count),
                                 compressionMethod: deflate ? .deflate : .none) { pos, size in
                d.subdata(in: Int(pos)..<(Int(pos) + size))
            }
        }
        return archive.data ?? Data()
    }

    /// A minimal workbook around one sheet's XML (`<sheetData>…` body or a whole worksheet document),
    /// with optional shared strings, styles and workbook properties.
    public static func workbook(sheetXML: String, sharedStrings: String? = nil, styles: String? = nil,
                                workbookPr: String = "", sheetName: String = "Sheet1") throws -> Data {
        try workbook(sheets: [(sheetName, sheetXML)], sharedStrings: sharedStrings, styles: styles, workbookPr: workbookPr)
    }

    /// The same with several sheets, in order (`xl/worksheets/sheet1.xml`, `sheet2.xml`, …).
    public static func workbook(sheets: [(name: String, xml: String)], sharedStrings: String? = nil, styles: String? = nil,
                                workbookPr: String = "") throws -> Data {
        let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        var rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        var entries = ""
        var parts: [(String, [UInt8])] = []
        for (i, sheet) in sheets.enumerated() {
            let xml = sheet.xml.hasPrefix("<?xml") || sheet.xml.hasPrefix("<worksheet") ? sheet.xml
                : "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet \(ns)>\(sheet.xml)</worksheet>"
            rels += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
            entries += "<sheet name=\"\(sheet.name.xmlEscaped)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            parts.append(("xl/worksheets/sheet\(i + 1).xml", Array(xml.utf8)))
        }
        if let s = sharedStrings {
            rels += "<Relationship Id=\"rIdStrings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
            parts.append(("xl/sharedStrings.xml", Array(s.utf8)))
        }
        if let s = styles {
            rels += "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
            parts.append(("xl/styles.xml", Array(s.utf8)))
        }
        rels += "</Relationships>"
        let wb = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook \(ns)>\(workbookPr)<sheets>\(entries)</sheets></workbook>"
        let ct = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>"
        return try zip([("[Content_Types].xml", Array(ct.utf8)),
                        ("_rels/.rels", Array(OOXML.rootRels.utf8)),
                        ("xl/workbook.xml", Array(wb.utf8)),
                        ("xl/_rels/workbook.xml.rels", Array(rels.utf8))] + parts)
    }

    /// The parts of a zip (for mutation); refuses hostile input like the reader does.
    public static func unzip(_ data: Data, limits: ReadLimits = .default) throws -> [(name: String, bytes: [UInt8])] {
        let archive = try ZipArchive(data: data, limits: limits)
        let budget = DecompressionBudget(limit: limits.maxTotalBytes)
        return try archive.entries.values.sorted { $0.localHeaderOffset < $1.localHeaderOffset }.map {
            ($0.name, try archive.readAll($0, budget: budget))
        }
    }
}
