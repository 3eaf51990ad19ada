// Reading an .xlsx: open the package, list sheets, stream or load a sheet as typed rows.

import Foundation

/// Which sheet to read.
public enum SheetSelector: Sendable, Hashable {
    /// 0-based position in the workbook's sheet order.
    case index(Int)
    case name(String)
}

/// An opened .xlsx workbook (metadata, shared strings and styles loaded; sheets read on demand).
public struct Workbook: Sendable {
    public struct SheetInfo: Sendable, Hashable {
        public var name: String
        /// 0-based position.
        public var index: Int
        public var isHidden: Bool
        /// Part name inside the package, e.g. `xl/worksheets/sheet1.xml`.
        public var part: String
    }

    public let sheets: [SheetInfo]
    /// True for the 1904 date system (old Mac Excel).
    public let uses1904: Bool
    public let limits: ReadLimits

    let archive: ZipArchive
    let sharedStrings: SharedStrings
    let styles: Styles

    /// Opens a workbook held in memory (e.g. an upload).
    public init(data: Data, limits: ReadLimits = .default) throws {
        try FileKind.requireXLSX(data)
        let archive = try ZipArchive(data: data, limits: limits)
        let budget = DecompressionBudget(limit: limits.maxTotalBytes)

        func part(_ name: String) -> ZipEntry? { archive.entry(name) }
        func parse<H: XMLHandler>(_ name: String, _ h: inout H) throws {
            guard let e = part(name) else { return }
            var stream = XMLStream(part: name)
            try archive.read(e, budget: budget) { try stream.feed($0, isFinal: false, &h) }
            try stream.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, &h)
        }

        var root = RelsHandler()
        try parse("_rels/.rels", &root)
        var workbookPart = root.rels.first { $0.type.hasSuffix("/officeDocument") && !$0.external }
            .map { PartPath.resolve($0.target, relativeTo: "") } ?? "xl/workbook.xml"
        if part(workbookPart) == nil { workbookPart = "xl/workbook.xml" }
        guard part(workbookPart) != nil else {
            if part("word/document.xml") != nil { throw SpreadsheetError.unsupportedFormat("Word 文档 .docx") }
            if part("mimetype") != nil || part("content.xml") != nil { throw SpreadsheetError.unsupportedFormat("OpenDocument .ods") }
            if archive.entries.isEmpty { throw SpreadsheetError.emptyWorkbook }
            throw SpreadsheetError.unsupportedFormat("不是 Excel 工作簿的 zip 文件")
        }
        var wb = WorkbookHandler()
        try parse(workbookPart, &wb)
        var rels = RelsHandler()
        try parse(PartPath.relsPath(for: workbookPart), &rels)

        var infos: [SheetInfo] = []
        for s in wb.sheets {
            guard let rel = rels.rels.first(where: { $0.id == s.relId }), !rel.external,
                  !rel.type.hasSuffix("/chartsheet") else { continue }
            var p = PartPath.resolve(rel.target, relativeTo: workbookPart)
            if part(p) == nil, part("xl/" + p) != nil { p = "xl/" + p }
            infos.append(SheetInfo(name: s.name, index: infos.count, isHidden: s.hidden, part: p))
        }
        guard !infos.isEmpty else { throw SpreadsheetError.emptyWorkbook }

        var sst = SharedStringsHandler(maxItems: limits.maxCells)
        var stylesH = StylesHandler()
        let sstRel = rels.rels.first { $0.type.hasSuffix("/sharedStrings") }
        let stylesRel = rels.rels.first { $0.type.hasSuffix("/styles") }
        try parse(sstRel.map { PartPath.resolve($0.target, relativeTo: workbookPart) } ?? "xl/sharedStrings.xml", &sst)
        try parse(stylesRel.map { PartPath.resolve($0.target, relativeTo: workbookPart) } ?? "xl/styles.xml", &stylesH)

        self.archive = archive
        self.sheets = infos
        self.uses1904 = wb.date1904
        self.limits = limits
        self.sharedStrings = sst.table
        self.styles = stylesH.styles()
    }

    /// Opens a workbook file (memory-mapped).
    public init(contentsOfFile path: String, limits: ReadLimits = .default) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw SpreadsheetError.io("无法打开 \(path)")
        }
        try self.init(data: data, limits: limits)
    }

    /// The sheet for a selector; `.name` matches exactly, then ignoring surrounding spaces.
    public func sheetInfo(_ selector: SheetSelector) throws -> SheetInfo {
        switch selector {
        case .index(let i):
            guard i >= 0, i < sheets.count else { throw SpreadsheetError.sheetNotFound("第 \(i + 1) 个") }
            return sheets[i]
        case .name(let n):
            if let s = sheets.first(where: { $0.name == n }) { return s }
            let t = n.trimmingCharacters(in: .whitespaces)
            if let s = sheets.first(where: { $0.name.trimmingCharacters(in: .whitespaces) == t }) { return s }
            throw SpreadsheetError.sheetNotFound(n)
        }
    }

    /// Streams the rows of a sheet in file order (only rows with at least one value) and returns its merged ranges.
    @discardableResult
    public func forEachRow(in selector: SheetSelector = .index(0), _ body: (Row) throws -> Void) throws -> [CellRange] {
        let info = try sheetInfo(selector)
        return try withoutActuallyEscaping(body) { body in
            var sink = TypedRowSink(workbook: self, maxCells: Int.max, body: body)
            return try stream(info, into: &sink)
        }
    }

    /// Reads a whole sheet into memory (bounded by `limits.maxCells`).
    public func readSheet(_ selector: SheetSelector = .index(0)) throws -> Sheet {
        let info = try sheetInfo(selector)
        var rows: [Row] = []
        var sink = TypedRowSink(workbook: self, maxCells: limits.maxCells) { rows.append($0) }
        let merges = try stream(info, into: &sink)
        if zip(rows, rows.dropFirst()).contains(where: { $0.number >= $1.number }) {
            rows.sort { $0.number < $1.number }
        }
        return Sheet(name: info.name, rows: rows, mergedRanges: merges)
    }

    func stream<S: RawRowSink>(_ info: SheetInfo, into sink: inout S) throws -> [CellRange] {
        guard let entry = archive.entry(info.part) else {
            throw SpreadsheetError.corruptArchive("缺少工作表 \(info.part)")
        }
        let budget = DecompressionBudget(limit: limits.maxTotalBytes)
        var handler = SheetHandler(sink: sink)
        var xml = XMLStream(part: info.part)
        try archive.read(entry, budget: budget, chunkSize: 1 << 18) { try xml.feed($0, isFinal: false, &handler) }
        try xml.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, &handler)
        try handler.finish()
        sink = handler.sink
        return handler.merges
    }

    /// Turns a raw cell into a typed one; nil for cells without a value.
    func typedCell(_ c: RawCell, _ text: UnsafeBufferPointer<UInt8>) throws -> Cell? {
        guard c.hasValue else { return nil }
        let raw = String(decoding: text, as: UTF8.self)
        let format = styles.formatCode(c.style)
        let value: CellValue
        switch c.type {
        case .shared:
            guard let i = XML.int(text, 0, text.count), let s = sharedStrings.string(i) else {
                throw SpreadsheetError.malformedXML(part: "worksheet", detail: "共享字符串索引无效")
            }
            return Cell(column: c.column, value: .string(s), raw: s, isFormula: c.isFormula, numberFormat: format)
        case .inline, .formulaString:
            value = .string(raw)
        case .bool:
            value = .bool(raw == "1" || raw.lowercased() == "true")
        case .error:
            value = .error(raw)
        case .isoDate:
            value = ISODate.parse(raw).map(CellValue.date) ?? .string(raw)
        case .number:
            if raw.isEmpty { return nil }
            // Trimming bridges to NSString on Linux (half the time of a number-heavy sheet): only when parsing failed.
            guard let d = Double(raw) ?? Double(raw.trimmingCharacters(in: .whitespaces)) else { value = .string(raw); break }
            let kind = styles.dateKind(c.style)
            if kind != .none, let date = NumberFormat.date(serial: d, date1904: uses1904, kind: kind) {
                value = .date(date)
            } else {
                value = .number(d)
            }
        }
        return Cell(column: c.column, value: value, raw: raw, isFormula: c.isFormula, numberFormat: format)
    }
}

struct TypedRowSink: RawRowSink {
    let workbook: Workbook
    let maxCells: Int
    let body: (Row) throws -> Void
    var current = Row(number: 0, cells: [])
    var total = 0

    init(workbook: Workbook, maxCells: Int, body: @escaping (Row) throws -> Void) {
        self.workbook = workbook; self.maxCells = maxCells; self.body = body
    }

    mutating func beginRow(_ number: Int) throws {
        current.number = number
        current.cells.removeAll(keepingCapacity: true)
    }

    mutating func cell(_ c: RawCell, _ text: UnsafeBufferPointer<UInt8>) throws {
        guard let cell = try workbook.typedCell(c, text) else { return }
        total += 1
        if total > maxCells { throw SpreadsheetError.tooManyCells(maxCells) }
        if let last = current.cells.last, last.column >= cell.column {
            // Out-of-order or duplicate columns: keep the later one, keep the order.
            current.cells.removeAll { $0.column == cell.column }
            current.cells.append(cell)
            current.cells.sort { $0.column < $1.column }
        } else {
            current.cells.append(cell)
        }
    }

    mutating func endRow() throws {
        if !current.cells.isEmpty { try body(current) }
        current.cells.removeAll(keepingCapacity: true)
    }
}

/// `t="d"` cells: ISO 8601 `yyyy-mm-dd[Thh:mm:ss[.fff]]`.
enum ISODate {
    static func parse(_ s: String) -> DateTimeValue? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), b.count >= 10, b[4] == 0x2D, b[7] == 0x2D, let m = num(5, 2), let d = num(8, 2),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        var h = 0, mi = 0, sec = 0
        if b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == 0x20 {
            h = num(11, 2) ?? 0; mi = num(14, 2) ?? 0; sec = num(17, 2) ?? 0
        }
        return DateTimeValue(year: y, month: m, day: d, hour: h, minute: mi, second: sec)
    }
}
