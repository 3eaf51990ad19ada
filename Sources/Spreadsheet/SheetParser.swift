// The streaming worksheet parser: sheet XML bytes in, raw cells out to a sink (CSV writer or typed rows).

enum RawType: UInt8 { case number, shared, inline, formulaString, bool, error, isoDate }

/// One cell as parsed; `text` is the decoded `<v>` or inline-string content, valid only during the call.
struct RawCell {
    var column: Int
    var type: RawType
    var style: Int
    var isFormula: Bool
    var hasValue: Bool
}

protocol RawRowSink {
    mutating func beginRow(_ number: Int) throws
    mutating func cell(_ cell: RawCell, _ text: UnsafeBufferPointer<UInt8>) throws
    mutating func endRow() throws
}

struct SheetHandler<Sink: RawRowSink>: XMLHandler {
    var sink: Sink
    var merges: [CellRange] = []

    private var inSheetData = false
    private var inRow = false
    private var rowNumber = 0
    private var lastColumn = 0
    private var inCell = false
    private var cell = RawCell(column: 0, type: .number, style: 0, isFormula: false, hasValue: false)
    private var inV = false, inIS = false, inT = false
    private var rPh = 0
    private var text: [UInt8] = []

    init(sink: Sink) { self.sink = sink; text.reserveCapacity(256) }

    static func bad(_ d: String) -> SpreadsheetError { .malformedXML(part: "worksheet", detail: d) }

    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        let n = t.end - t.start
        switch t.kind {
        case .text:
            if inV || (inIS && inT && rPh == 0) { try XML.appendDecoded(buf, t.start, t.end, into: &text) }
        case .cdata:
            if inV || (inIS && inT && rPh == 0) { XML.appendCDATA(buf, t.start, t.end, into: &text) }
        case .start, .empty:
            let first = buf[t.start]
            if n == 1 && first == UInt8(ascii: "c") {
                guard inRow else { return }
                try beginCell(t, buf)
                if t.kind == .empty { try endCell() }
            } else if n == 1 && first == UInt8(ascii: "v") {
                if inCell && t.kind == .start { inV = true; cell.hasValue = true }
            } else if n == 1 && first == UInt8(ascii: "f") {
                if inCell { cell.isFormula = true }
            } else if n == 1 && first == UInt8(ascii: "t") {
                if inIS && t.kind == .start { inT = true }
            } else if n == 2 && first == UInt8(ascii: "i") && buf[t.start + 1] == UInt8(ascii: "s") {
                if inCell { cell.hasValue = true; if t.kind == .start { inIS = true } }
            } else if n == 3 && XML.nameIs(buf, t, "row") {
                guard inSheetData else { return }
                if inRow { try sink.endRow() }
                var r = rowNumber + 1
                try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                    if ne - ns == 1 && buf[ns] == UInt8(ascii: "r") {
                        guard let v = XML.int(buf, vs, ve), v >= 1, v <= CellRef.maxRow else { throw Self.bad("行号无效") }
                        r = v
                    }
                }
                guard r <= CellRef.maxRow else { throw Self.bad("行号超出范围") }
                rowNumber = r
                lastColumn = 0
                if t.kind == .start {
                    inRow = true
                    try sink.beginRow(r)
                } else {
                    inRow = false
                }
            } else if n == 3 && XML.nameIs(buf, t, "rPh") {
                if t.kind == .start { rPh += 1 }
            } else if XML.nameIs(buf, t, "sheetData") {
                inSheetData = t.kind == .start
            } else if XML.nameIs(buf, t, "mergeCell") {
                try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                    if XML.bytesEqual(buf, ns, ne, "ref"), merges.count < 100_000,
                       let r = CellRange(try XML.string(buf, vs, ve)) {
                        merges.append(r)
                    }
                }
            }
        case .end:
            let first = buf[t.start]
            if n == 1 && first == UInt8(ascii: "c") {
                if inCell { try endCell() }
            } else if n == 1 && first == UInt8(ascii: "v") {
                inV = false
            } else if n == 1 && first == UInt8(ascii: "t") {
                inT = false
            } else if n == 2 && first == UInt8(ascii: "i") && buf[t.start + 1] == UInt8(ascii: "s") {
                inIS = false; inT = false
            } else if n == 3 && XML.nameIs(buf, t, "row") {
                if inRow { inRow = false; try sink.endRow() }
            } else if n == 3 && XML.nameIs(buf, t, "rPh") {
                rPh = max(0, rPh - 1)
            } else if XML.nameIs(buf, t, "sheetData") {
                if inRow { inRow = false; try sink.endRow() }
                inSheetData = false
            }
        }
    }

    private mutating func beginCell(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        if inCell { try endCell() }
        var col = lastColumn + 1
        var type = RawType.number
        var style = 0
        try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
            guard ne - ns == 1 else { return }
            switch buf[ns] {
            case UInt8(ascii: "r"):
                var c = 0
                var i = vs
                while i < ve {
                    let b = buf[i] | 0x20
                    guard b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") else { break }
                    c = c * 26 + Int(b - 0x60)
                    if c > CellRef.maxColumn { throw Self.bad("列号超出范围") }
                    i += 1
                }
                if c > 0 { col = c }
            case UInt8(ascii: "s"):
                style = XML.int(buf, vs, ve) ?? 0
            case UInt8(ascii: "t"):
                let len = ve - vs
                if len == 1 {
                    switch buf[vs] {
                    case UInt8(ascii: "s"): type = .shared
                    case UInt8(ascii: "b"): type = .bool
                    case UInt8(ascii: "e"): type = .error
                    case UInt8(ascii: "d"): type = .isoDate
                    default: type = .number
                    }
                } else if XML.bytesEqual(buf, vs, ve, "str") {
                    type = .formulaString
                } else if XML.bytesEqual(buf, vs, ve, "inlineStr") {
                    type = .inline
                }
            default: break
            }
        }
        guard col <= CellRef.maxColumn else { throw Self.bad("列号超出范围") }
        inCell = true
        cell = RawCell(column: col, type: type, style: style, isFormula: false, hasValue: false)
        text.removeAll(keepingCapacity: true)
        inV = false; inIS = false; inT = false; rPh = 0
    }

    private mutating func endCell() throws {
        inCell = false; inV = false; inIS = false; inT = false
        lastColumn = cell.column
        if cell.type == .inline || cell.type == .formulaString { OOXMLEscape.unescapeInPlace(&text, from: 0) }
        try text.withUnsafeBufferPointer { try sink.cell(cell, $0) }
    }

    mutating func finish() throws {
        if inRow { inRow = false; try sink.endRow() }
    }
}
