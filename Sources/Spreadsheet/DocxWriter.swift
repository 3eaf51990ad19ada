// A minimal .docx writer: a title, header lines and a bordered table, as an office prints and stamps 附件2.

import Foundation
import ZIPFoundation

/// A Word document built from a few blocks; opens in Word, WPS and LibreOffice.
public struct DocxDocument: Sendable {
    public enum Block: Sendable {
        /// Centred, bold heading (default 二号 22 pt in 方正小标宋 falling back to 宋体).
        case title(String, size: Double = 22)
        /// A paragraph line, e.g. "单位（盖章）：            填报日期：    年  月  日".
        case paragraph(String, bold: Bool = false, alignment: ParagraphAlignment = .left, size: Double = 12)
        /// A bordered table; the first `headerRows` rows are bold, centred and repeat on every page.
        case table(rows: [[String]], columnWidths: [Double]? = nil, headerRows: Int = 1, size: Double = 10.5)
        case pageBreak
    }

    public enum ParagraphAlignment: String, Sendable { case left, center, right }

    public var blocks: [Block]
    /// Landscape A4 (wide rosters), else portrait A4.
    public var landscape: Bool
    /// East Asian body font.
    public var font: String

    public init(blocks: [Block] = [], landscape: Bool = false, font: String = "仿宋") {
        self.blocks = blocks; self.landscape = landscape; self.font = font
    }

    public mutating func append(_ b: Block) { blocks.append(b) }

    /// The .docx bytes.
    public func data() throws -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            func add(_ name: String, _ text: String) throws {
                let d = Data(text.utf8)
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(d.count), compressionMethod: .deflate) { pos, size in
                    d.subdata(in: Int(pos)..<(Int(pos) + size))
                }
            }
            try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>
            """)
            try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
            """)
            try add("word/_rels/document.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """)
            try add("word/styles.xml", stylesXML())
            try add("word/document.xml", documentXML())
            guard let d = archive.data else { throw SpreadsheetError.io("docx 生成失败") }
            return d
        } catch let e as SpreadsheetError {
            throw e
        } catch {
            throw SpreadsheetError.io("docx 生成失败：\(error)")
        }
    }

    public func write(to path: String) throws {
        do { try data().write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch let e as SpreadsheetError { throw e }
        catch { throw SpreadsheetError.io("无法写入 \(path)") }
    }

    func stylesXML() -> String {
        let f = font.xmlEscaped
        return """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="\(f)" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>
        """
    }

    private func run(_ text: String, bold: Bool, size: Double, font: String? = nil) -> String {
        var rpr = ""
        if let font { rpr += "<w:rFonts w:eastAsia=\"\(font.xmlEscaped)\"/>" }
        if bold { rpr += "<w:b/>" }
        let half = Int((size * 2).rounded())
        rpr += "<w:sz w:val=\"\(half)\"/><w:szCs w:val=\"\(half)\"/>"
        // Line breaks inside a value become <w:br/>.
        let parts = text.components(separatedBy: "\n").map { "<w:t xml:space=\"preserve\">\($0.xmlEscaped)</w:t>" }
        return "<w:r><w:rPr>\(rpr)</w:rPr>\(parts.joined(separator: "<w:br/>"))</w:r>"
    }

    func documentXML() -> String {
        let (pageW, pageH) = landscape ? (16838, 11906) : (11906, 16838)
        let margin = 1134
        let textWidth = pageW - 2 * margin
        var body = ""
        for b in blocks {
            switch b {
            case .title(let t, let size):
                body += "<w:p><w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"240\"/></w:pPr>\(run(t, bold: true, size: size, font: "宋体"))</w:p>"
            case .paragraph(let t, let bold, let align, let size):
                body += "<w:p><w:pPr><w:jc w:val=\"\(align == .left ? "left" : align.rawValue)\"/><w:spacing w:after=\"120\"/></w:pPr>\(run(t, bold: bold, size: size))</w:p>"
            case .pageBreak:
                body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
            case .table(let rows, let widths, let headerRows, let size):
                let cols = rows.map(\.count).max() ?? 0
                guard cols > 0 else { continue }
                var w = widths ?? Array(repeating: 1, count: cols)
                if w.count < cols { w += Array(repeating: 1, count: cols - w.count) }
                let total = w.prefix(cols).reduce(0, +)
                let twips = w.prefix(cols).map { max(200, Int(Double(textWidth) * $0 / max(total, 0.0001))) }
                let border = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\""
                body += "<w:tbl><w:tblPr><w:tblW w:w=\"\(twips.reduce(0, +))\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
                body += "<w:tblBorders><w:top \(border)/><w:left \(border)/><w:bottom \(border)/><w:right \(border)/><w:insideH \(border)/><w:insideV \(border)/></w:tblBorders>"
                body += "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>"
                for t in twips { body += "<w:gridCol w:w=\"\(t)\"/>" }
                body += "</w:tblGrid>"
                for (ri, r) in rows.enumerated() {
                    let header = ri < headerRows
                    body += "<w:tr><w:trPr><w:cantSplit/>\(header ? "<w:tblHeader/>" : "")</w:trPr>"
                    for c in 0..<cols {
                        let text = c < r.count ? r[c] : ""
                        body += "<w:tc><w:tcPr><w:tcW w:w=\"\(twips[c])\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
                        body += "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\(run(text, bold: header, size: size))</w:p></w:tc>"
                    }
                    body += "</w:tr>"
                }
                body += "</w:tbl><w:p/>"
            }
        }
        let orient = landscape ? " w:orient=\"landscape\"" : ""
        body += "<w:sectPr><w:pgSz w:w=\"\(pageW)\" w:h=\"\(pageH)\"\(orient)/><w:pgMar w:top=\"\(margin)\" w:right=\"\(margin)\" w:bottom=\"\(margin)\" w:left=\"\(margin)\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>"
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>\(body)</w:body></w:document>"
    }
}
