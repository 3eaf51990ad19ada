// Cell styles for the writer: a registry of unique styles turned into styles.xml.

/// How a written cell looks. Combine freely; each distinct combination becomes one cell format.
public struct CellStyle: Hashable, Sendable {
    public enum Alignment: String, Sendable { case left, center, right }

    public var bold: Bool
    public var wrap: Bool
    /// Font size in points (nil = 11).
    public var fontSize: Double?
    /// Solid background as RGB hex, e.g. `FFC7CE` (nil = none).
    public var fill: String?
    /// Number format code: `@` text, `yyyy-mm-dd`, `0.00`, … (nil = General).
    public var numberFormat: String?
    public var alignment: Alignment?
    /// Thin border on all sides.
    public var border: Bool

    public init(bold: Bool = false, wrap: Bool = false, fontSize: Double? = nil, fill: String? = nil,
                numberFormat: String? = nil, alignment: Alignment? = nil, border: Bool = false) {
        self.bold = bold; self.wrap = wrap; self.fontSize = fontSize; self.fill = fill
        self.numberFormat = numberFormat; self.alignment = alignment; self.border = border
    }

    public static let plain = CellStyle()
    /// Bold, wrapped, centred, light grey, bordered: a table header.
    public static let header = CellStyle(bold: true, wrap: true, fill: "D9D9D9", alignment: .center, border: true)
    /// A merged title row.
    public static let title = CellStyle(bold: true, fontSize: 16, alignment: .center)
    /// Text format `@`: ID numbers stay text when the workbook is edited.
    public static let text = CellStyle(numberFormat: "@")
    public static let date = CellStyle(numberFormat: "yyyy-mm-dd")
    /// Light red background for cells an error report points at.
    public static let highlight = CellStyle(fill: "FFC7CE")
}

final class StyleRegistry {
    private(set) var styles: [CellStyle] = [.plain]
    private var index: [CellStyle: Int] = [.plain: 0]

    func id(_ s: CellStyle) -> Int {
        if let i = index[s] { return i }
        styles.append(s)
        index[s] = styles.count - 1
        return styles.count - 1
    }

    func xml() -> String {
        var numFmts: [String: Int] = [:]
        var fonts: [String] = ["<font><sz val=\"11\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"]
        var fills: [String] = ["<fill><patternFill patternType=\"none\"/></fill>", "<fill><patternFill patternType=\"gray125\"/></fill>"]
        var borders: [String] = ["<border><left/><right/><top/><bottom/><diagonal/></border>"]
        func idx(_ list: inout [String], _ item: String) -> Int {
            if let i = list.firstIndex(of: item) { return i }
            list.append(item); return list.count - 1
        }
        var xfs: [String] = []
        for s in styles {
            var fmtId = 0
            if let code = s.numberFormat {
                switch code {
                case "General": fmtId = 0
                case "0": fmtId = 1
                case "0.00": fmtId = 2
                case "@": fmtId = 49
                default:
                    if let i = numFmts[code] { fmtId = i } else { fmtId = 164 + numFmts.count; numFmts[code] = fmtId }
                }
            }
            var font = "<font>"
            if s.bold { font += "<b/>" }
            font += "<sz val=\"\(NumberText.shortest(s.fontSize ?? 11))\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
            let fontId = idx(&fonts, font)
            let fillId = s.fill.map { idx(&fills, "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF\($0.xmlEscaped)\"/><bgColor indexed=\"64\"/></patternFill></fill>") } ?? 0
            let thin = "<left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right><top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/>"
            let borderId = s.border ? idx(&borders, "<border>\(thin)</border>") : 0
            var xf = "<xf numFmtId=\"\(fmtId)\" fontId=\"\(fontId)\" fillId=\"\(fillId)\" borderId=\"\(borderId)\" xfId=\"0\""
            if fmtId != 0 { xf += " applyNumberFormat=\"1\"" }
            if fontId != 0 { xf += " applyFont=\"1\"" }
            if fillId != 0 { xf += " applyFill=\"1\"" }
            if borderId != 0 { xf += " applyBorder=\"1\"" }
            if s.wrap || s.alignment != nil {
                xf += " applyAlignment=\"1\"><alignment"
                if let a = s.alignment { xf += " horizontal=\"\(a.rawValue)\"" }
                xf += " vertical=\"center\""
                if s.wrap { xf += " wrapText=\"1\"" }
                xf += "/></xf>"
            } else {
                xf += "/>"
            }
            xfs.append(xf)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        out += "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        if !numFmts.isEmpty {
            out += "<numFmts count=\"\(numFmts.count)\">"
            for (code, id) in numFmts.sorted(by: { $0.value < $1.value }) {
                out += "<numFmt numFmtId=\"\(id)\" formatCode=\"\(code.xmlEscaped)\"/>"
            }
            out += "</numFmts>"
        }
        out += "<fonts count=\"\(fonts.count)\">\(fonts.joined())</fonts>"
        out += "<fills count=\"\(fills.count)\">\(fills.joined())</fills>"
        out += "<borders count=\"\(borders.count)\">\(borders.joined())</borders>"
        out += "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
        out += "<cellXfs count=\"\(xfs.count)\">\(xfs.joined())</cellXfs>"
        out += "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
        out += "</styleSheet>"
        return out
    }
}
