// Writes .xlsx in constant memory: rows stream to a sheet file on disk, the package is zipped at the end.

import Foundation
import ZIPFoundation

/// A value to write.
public enum WriteValue: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    case string(String)
    case number(Double)
    case date(year: Int, month: Int, day: Int)
    case bool(Bool)
    case empty

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
}

/// One written cell: a value, an optional style, an optional comment (note) shown on hover.
public struct WriteCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public var value: WriteValue
    public var style: CellStyle?
    public var comment: String?

    public init(_ value: WriteValue, style: CellStyle? = nil, comment: String? = nil) {
        self.value = value; self.style = style; self.comment = comment
    }
    public init(stringLiteral value: String) { self.init(.string(value)) }
}

/// Layout decided before the first row (the sheet XML puts it before the data).
public struct SheetOptions: Sendable {
    /// Column widths in characters by 1-based column (e.g. `[1: 8, 3: 22]`).
    public var columnWidths: [Int: Double]
    /// 1-based columns stored as text with format `@` (ID numbers, phone numbers).
    public var textColumns: Set<Int>
    /// Rows frozen at the top (header) and columns frozen at the left.
    public var frozenRows: Int
    public var frozenColumns: Int

    public init(columnWidths: [Int: Double] = [:], textColumns: Set<Int> = [], frozenRows: Int = 0, frozenColumns: Int = 0) {
        self.columnWidths = columnWidths; self.textColumns = textColumns
        self.frozenRows = frozenRows; self.frozenColumns = frozenColumns
    }
}

/// Writes a workbook to `path`. Add sheets, append rows, then `close()`.
public final class XLSXWriter {
    let path: String
    let tempDir: URL
    let useSharedStrings: Bool
    let styles = StyleRegistry()
    var sheets: [SheetWriter] = []
    var sst: [String: Int] = [:]
    var sstList: [String] = []
    var closed = false

    /// - Parameter sharedStrings: store strings in a shared table (smaller files, memory grows with distinct strings);
    ///   the default writes inline strings, keeping memory constant.
    public init(path: String, sharedStrings: Bool = false) throws {
        self.path = path
        self.useSharedStrings = sharedStrings
        tempDir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsxw-" + UUID().uuidString)
        do { try FileManager.default.createDirectory(at: tempDir, withIntermediateDirectories: true) }
        catch { throw SpreadsheetError.io("无法创建临时目录") }
    }

    deinit { try? FileManager.default.removeItem(at: tempDir) }

    /// Adds a sheet; names lose the characters Excel forbids and are trimmed to its 31 characters. Two names
    /// that end up equal (`华南师范大学:` and `华南师范大学`) get `（2）`, `（3）`… rather than failing the export.
    public func addSheet(_ name: String, options: SheetOptions = SheetOptions()) throws -> SheetWriter {
        guard !closed else { throw SpreadsheetError.invalidArgument("工作簿已关闭") }
        let bad: Set<Character> = ["/", "\\", "?", "*", "[", "]", ":"]
        var base = String(name.filter { !bad.contains($0) }.prefix(31))
        if base.isEmpty { base = "Sheet\(sheets.count + 1)" }
        var clean = base
        var n = 1
        while sheets.contains(where: { $0.name.lowercased() == clean.lowercased() }) {
            n += 1
            let suffix = "（\(n)）"
            clean = String(base.prefix(31 - suffix.count)) + suffix
        }
        let sheet = try SheetWriter(workbook: self, index: sheets.count + 1, name: clean, options: options)
        sheets.append(sheet)
        return sheet
    }

    func sharedIndex(_ s: String) -> Int {
        if let i = sst[s] { return i }
        sstList.append(s); sst[s] = sstList.count - 1
        return sstList.count - 1
    }

    /// Finishes all sheets and writes the package.
    public func close() throws {
        guard !closed else { return }
        closed = true
        if sheets.isEmpty { _ = try addSheetUnchecked() }
        for s in sheets { try s.finish() }
        let out = URL(fileURLWithPath: path)
        let tmp = URL(fileURLWithPath: path + ".part")
        try? FileManager.default.removeItem(at: tmp)
        do {
            let archive = try Archive(url: tmp, accessMode: .create)
            func add(_ name: String, _ text: String) throws {
                let data = Data(text.utf8)
                try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: .deflate) { pos, size in
                    data.subdata(in: Int(pos)..<(Int(pos) + size))
                }
            }
            try add("[Content_Types].xml", contentTypes())
            try add("_rels/.rels", OOXML.rootRels)
            try add("docProps/app.xml", OOXML.appXML)
            try add("docProps/core.xml", OOXML.coreXML)
            try add("xl/workbook.xml", workbookXML())
            try add("xl/_rels/workbook.xml.rels", workbookRels())
            try add("xl/styles.xml", styles.xml())
            if useSharedStrings { try add("xl/sharedStrings.xml", sharedStringsXML()) }
            for s in sheets {
                try archive.addEntry(with: "xl/worksheets/sheet\(s.index).xml", fileURL: s.fileURL,
                                     compressionMethod: .deflate, bufferSize: 1 << 18)
                if !s.comments.isEmpty {
                    try add("xl/worksheets/_rels/sheet\(s.index).xml.rels", s.relsXML())
                    try add("xl/comments\(s.index).xml", s.commentsXML())
                    try add("xl/drawings/vmlDrawing\(s.index).vml", s.vmlXML())
                }
            }
        } catch let e as SpreadsheetError {
            throw e
        } catch {
            throw SpreadsheetError.io("无法写入 \(path)：\(error)")
        }
        try? FileManager.default.removeItem(at: out)
        do { try FileManager.default.moveItem(at: tmp, to: out) }
        catch { throw SpreadsheetError.io("无法写入 \(path)") }
        try? FileManager.default.removeItem(at: tempDir)
    }

    private func addSheetUnchecked() throws -> SheetWriter {
        let s = try SheetWriter(workbook: self, index: 1, name: "Sheet1", options: SheetOptions())
        sheets.append(s)
        return s
    }

    func contentTypes() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        s += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        s += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        s += "<Default Extension=\"vml\" ContentType=\"application/vnd.openxmlformats-officedocument.vmlDrawing\"/>"
        s += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        s += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        if useSharedStrings {
            s += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        }
        for sh in sheets {
            s += "<Override PartName=\"/xl/worksheets/sheet\(sh.index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            if !sh.comments.isEmpty {
                s += "<Override PartName=\"/xl/comments\(sh.index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml\"/>"
            }
        }
        s += "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
        s += "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
        return s + "</Types>"
    }

    func workbookXML() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        s += "<workbookPr/><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for sh in sheets { s += "<sheet name=\"\(sh.name.xmlEscaped)\" sheetId=\"\(sh.index)\" r:id=\"rId\(sh.index)\"/>" }
        return s + "</sheets></workbook>"
    }

    func workbookRels() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for sh in sheets {
            s += "<Relationship Id=\"rId\(sh.index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(sh.index).xml\"/>"
        }
        let n = sheets.count
        s += "<Relationship Id=\"rId\(n + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        if useSharedStrings {
            s += "<Relationship Id=\"rId\(n + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        }
        return s + "</Relationships>"
    }

    func sharedStringsXML() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(sstList.count)\" uniqueCount=\"\(sstList.count)\">"
        let b = ByteSink(fd: -1, threshold: Int.max)
        for str in sstList {
            b.append("<si><t xml:space=\"preserve\">"); b.appendEscaped(str); b.append("</t></si>")
        }
        s += String(decoding: b.buf, as: UTF8.self)
        return s + "</sst>"
    }
}

/// Streams the rows of one sheet. Merges, validations and comments may be added at any time before `close()`.
public final class SheetWriter {
    public let name: String
    let index: Int
    let options: SheetOptions
    unowned let workbook: XLSXWriter
    let fileURL: URL
    let out: ByteSink
    /// The 1-based number of the last row written (0 before the first).
    public private(set) var rowCount = 0
    var merges: [CellRange] = []
    var validations: [(CellRange, String, String?)] = []
    var comments: [(row: Int, column: Int, text: String)] = []
    var columnNames: [[UInt8]] = []
    var finished = false
    private var textStyleCache: [CellStyle?: Int] = [:]
    private var styleCache: [CellStyle: Int] = [:]

    init(workbook: XLSXWriter, index: Int, name: String, options: SheetOptions) throws {
        self.workbook = workbook; self.index = index; self.name = name; self.options = options
        fileURL = workbook.tempDir.appendingPathComponent("sheet\(index).xml")
        out = try ByteSink(path: fileURL.path)
        writeHeader()
    }

    private func writeHeader() {
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
        out.append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">")
        out.append("<sheetViews><sheetView workbookViewId=\"0\"")
        if index == 1 { out.append(" tabSelected=\"1\"") }
        let fr = max(0, options.frozenRows), fc = max(0, options.frozenColumns)
        if fr > 0 || fc > 0 {
            out.append("><pane")
            if fc > 0 { out.append(" xSplit=\""); out.append(int: fc); out.append("\"") }
            if fr > 0 { out.append(" ySplit=\""); out.append(int: fr); out.append("\"") }
            out.append(" topLeftCell=\""); out.append(CellRef.columnName(fc + 1) + String(fr + 1))
            let pane = fr > 0 && fc > 0 ? "bottomRight" : (fr > 0 ? "bottomLeft" : "topRight")
            out.append("\" activePane=\""); out.append(pane); out.append("\" state=\"frozen\"/>")
            out.append("<selection pane=\""); out.append(pane); out.append("\"/></sheetView>")
        } else {
            out.append("/>")
        }
        out.append("</sheetViews><sheetFormatPr defaultRowHeight=\"14.25\"/>")
        let cols = Set(options.columnWidths.keys).union(options.textColumns).filter { $0 >= 1 && $0 <= CellRef.maxColumn }.sorted()
        if !cols.isEmpty {
            out.append("<cols>")
            for c in cols {
                out.append("<col min=\""); out.append(int: c); out.append("\" max=\""); out.append(int: c)
                out.append("\" width=\""); out.append(NumberText.shortest(options.columnWidths[c] ?? 12)); out.append("\"")
                if options.columnWidths[c] != nil { out.append(" customWidth=\"1\"") }
                if options.textColumns.contains(c) {
                    out.append(" style=\""); out.append(int: workbook.styles.id(.text)); out.append("\"")
                }
                out.append("/>")
            }
            out.append("</cols>")
        }
        out.append("<sheetData>")
    }

    private func columnName(_ c: Int) -> [UInt8] {
        while columnNames.count <= c { columnNames.append(Array(CellRef.columnName(columnNames.count).utf8)) }
        return columnNames[c]
    }

    private func styleID(_ style: CellStyle?, text: Bool, date: Bool) -> Int {
        var s = style ?? .plain
        if text { s.numberFormat = "@" } else if date && s.numberFormat == nil { s.numberFormat = "yyyy-mm-dd" }
        if s == .plain { return 0 }
        if let i = styleCache[s] { return i }
        let i = workbook.styles.id(s)
        styleCache[s] = i
        return i
    }

    /// Appends the next row (cells from column A). Text columns store every value as text.
    public func appendRow(_ cells: [WriteCell], height: Double? = nil) throws {
        guard !finished else { throw SpreadsheetError.invalidArgument("工作表已完成") }
        guard rowCount < CellRef.maxRow, cells.count <= CellRef.maxColumn else {
            throw SpreadsheetError.invalidArgument("超出 Excel 的行列上限")
        }
        rowCount += 1
        let r = rowCount
        out.append("<row r=\""); out.append(int: r); out.append("\"")
        if let h = height { out.append(" ht=\""); out.append(NumberText.shortest(h)); out.append("\" customHeight=\"1\"") }
        out.append(">")
        for (i, cell) in cells.enumerated() {
            let col = i + 1
            if let c = cell.comment { comments.append((r, col, c)) }
            let isText = options.textColumns.contains(col)
            var value = cell.value
            if isText {
                switch value {
                case .number(let d): value = .string(NumberText.shortest(d))
                case .bool(let b): value = .string(b ? "TRUE" : "FALSE")
                case .date(let y, let m, let d): value = .string(DateTimeValue(year: y, month: m, day: d).isoDate)
                default: break
                }
            }
            var isDate = false
            if case .date = value { isDate = true }
            let sid = styleID(cell.style, text: isText, date: isDate)
            if case .empty = value, sid == 0 { continue }
            out.buf.append(contentsOf: [UInt8]("<c r=\"".utf8))
            out.buf.append(contentsOf: columnName(col)); out.append(int: r); out.append("\"")
            if sid != 0 { out.append(" s=\""); out.append(int: sid); out.append("\"") }
            switch value {
            case .string(let s):
                if workbook.useSharedStrings {
                    out.append(" t=\"s\"><v>"); out.append(int: workbook.sharedIndex(s)); out.append("</v></c>")
                } else {
                    out.append(" t=\"inlineStr\"><is><t xml:space=\"preserve\">"); out.appendEscaped(s); out.append("</t></is></c>")
                }
            case .number(let d):
                if d.isFinite { out.append("><v>"); out.append(NumberText.shortest(d)); out.append("</v></c>") }
                else { out.append(" t=\"e\"><v>#NUM!</v></c>") }
            case .date(let y, let m, let d):
                out.append("><v>"); out.append(int: NumberFormat.serial(year: y, month: m, day: d)); out.append("</v></c>")
            case .bool(let b):
                out.append(b ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
            case .empty:
                out.append("/>")
            }
        }
        out.append("</row>")
        try out.flushIfNeeded()
    }

    /// Convenience: plain values with one style for the whole row.
    public func appendRow(values: [WriteValue], style: CellStyle? = nil, height: Double? = nil) throws {
        try appendRow(values.map { WriteCell($0, style: style) }, height: height)
    }

    /// Merges a range (e.g. a title across the table's width). Write the value into its top-left cell.
    public func merge(_ range: CellRange) { merges.append(range) }

    /// A drop-down list on a range (e.g. 性别 男/女). Lists longer than Excel's 255 characters
    /// need `formula` pointing at a range instead, e.g. `'选项'!$A$1:$A$40`.
    public func addDropDown(_ range: CellRange, options: [String], prompt: String? = nil) {
        let list = "\"" + options.map { $0.replacingOccurrences(of: "\"", with: "\"\"") }.joined(separator: ",") + "\""
        validations.append((range, list, prompt))
    }

    /// A drop-down list whose options come from a formula or range reference.
    public func addDropDown(_ range: CellRange, formula: String, prompt: String? = nil) {
        validations.append((range, formula, prompt))
    }

    /// A comment (note) on a cell, shown when the mouse is over it. Combine with `CellStyle.highlight`.
    public func addComment(row: Int, column: Int, text: String) { comments.append((row, column, text)) }

    func finish() throws {
        guard !finished else { return }
        finished = true
        out.append("</sheetData>")
        if !merges.isEmpty {
            out.append("<mergeCells count=\""); out.append(int: merges.count); out.append("\">")
            for m in merges { out.append("<mergeCell ref=\""); out.append(m.description); out.append("\"/>") }
            out.append("</mergeCells>")
        }
        if !validations.isEmpty {
            out.append("<dataValidations count=\""); out.append(int: validations.count); out.append("\">")
            for (range, formula, prompt) in validations {
                out.append("<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\"")
                if let p = prompt { out.append(" prompt=\""); out.appendEscaped(p); out.append("\"") }
                out.append(" sqref=\""); out.append(range.description); out.append("\"><formula1>")
                out.appendEscaped(formula); out.append("</formula1></dataValidation>")
            }
            out.append("</dataValidations>")
        }
        out.append("<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>")
        if !comments.isEmpty { out.append("<legacyDrawing r:id=\"rId2\"/>") }
        out.append("</worksheet>")
        try out.close()
    }

    func relsXML() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments\" Target=\"../comments\(index).xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing\" Target=\"../drawings/vmlDrawing\(index).vml\"/>"
            + "</Relationships>"
    }

    func commentsXML() -> String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        s += "<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><authors><author>两帮两促</author></authors><commentList>"
        for c in comments {
            s += "<comment ref=\"\(CellRef.columnName(c.column))\(c.row)\" authorId=\"0\"><text><r><rPr><sz val=\"9\"/><rFont val=\"宋体\"/><charset val=\"134\"/></rPr><t xml:space=\"preserve\">\(c.text.xmlEscaped)</t></r></text></comment>"
        }
        return s + "</commentList></comments>"
    }

    /// The legacy VML shapes Excel needs to display notes.
    func vmlXML() -> String {
        var s = "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">"
        s += "<o:shapelayout v:ext=\"edit\"><o:idmap v:ext=\"edit\" data=\"\(index)\"/></o:shapelayout>"
        s += "<v:shapetype id=\"_x0000_t202\" coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>"
        for (k, c) in comments.enumerated() {
            let id = index * 1024 + 1 + k
            let r0 = c.row - 1, c0 = c.column - 1
            s += "<v:shape id=\"_x0000_s\(id)\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:80pt;margin-top:2pt;width:144pt;height:60pt;z-index:\(k + 1);visibility:hidden\" fillcolor=\"#ffffe1\" o:insetmode=\"auto\">"
            s += "<v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/>"
            s += "<v:textbox style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>"
            s += "<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>"
            s += "<x:Anchor>\(c0 + 1), 15, \(max(0, r0 - 1)), 10, \(c0 + 3), 15, \(r0 + 3), 4</x:Anchor>"
            s += "<x:AutoFill>False</x:AutoFill><x:Row>\(r0)</x:Row><x:Column>\(c0)</x:Column></x:ClientData></v:shape>"
        }
        return s + "</xml>"
    }
}

/// Fixed parts shared by the xlsx and docx writers.
enum OOXML {
    static let rootRels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
        + "</Relationships>"
    static let appXML = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>liangbang</Application></Properties>"
    static let coreXML = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:creator>liangbang</dc:creator></cp:coreProperties>"
}
