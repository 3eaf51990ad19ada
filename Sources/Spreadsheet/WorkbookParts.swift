// Parsers for the small workbook parts: relationships, workbook.xml, styles.xml, sharedStrings.xml.

/// Shared strings kept as one byte buffer with offsets: no String per entry until asked.
struct SharedStrings: Sendable {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]

    var count: Int { offsets.count - 1 }

    @inline(__always) func range(_ i: Int) -> Range<Int>? {
        guard i >= 0, i < offsets.count - 1 else { return nil }
        return offsets[i]..<offsets[i + 1]
    }

    func string(_ i: Int) -> String? {
        guard let r = range(i) else { return nil }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }
}

/// Number format per cell style index (`s` attribute = index into cellXfs).
struct Styles: Sendable {
    var formatCodes: [String] = []
    var dateKinds: [DateKind] = []

    @inline(__always) func dateKind(_ s: Int) -> DateKind { s >= 0 && s < dateKinds.count ? dateKinds[s] : .none }
    func formatCode(_ s: Int) -> String { s >= 0 && s < formatCodes.count ? formatCodes[s] : "General" }
}

struct Relationship { var id: String; var type: String; var target: String; var external: Bool }

struct RelsHandler: XMLHandler {
    var rels: [Relationship] = []
    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        guard t.kind == .start || t.kind == .empty, XML.nameIs(buf, t, "Relationship") else { return }
        var r = Relationship(id: "", type: "", target: "", external: false)
        try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
            if XML.bytesEqual(buf, ns, ne, "Id") { r.id = try XML.string(buf, vs, ve) }
            else if XML.bytesEqual(buf, ns, ne, "Type") { r.type = try XML.string(buf, vs, ve) }
            else if XML.bytesEqual(buf, ns, ne, "Target") { r.target = try XML.string(buf, vs, ve) }
            else if XML.bytesEqual(buf, ns, ne, "TargetMode") { r.external = try XML.string(buf, vs, ve) == "External" }
        }
        if rels.count < 100_000 { rels.append(r) }
    }
}

struct WorkbookHandler: XMLHandler {
    struct SheetEntry { var name: String; var relId: String; var hidden: Bool }
    var sheets: [SheetEntry] = []
    var date1904 = false

    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        guard t.kind == .start || t.kind == .empty else { return }
        if XML.nameIs(buf, t, "sheet") {
            var s = SheetEntry(name: "", relId: "", hidden: false)
            try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                if XML.bytesEqual(buf, ns, ne, "name") { s.name = try XML.string(buf, vs, ve) }
                else if XML.bytesEqual(buf, ns, ne, "id") { s.relId = try XML.string(buf, vs, ve) }
                else if XML.bytesEqual(buf, ns, ne, "state") { s.hidden = try XML.string(buf, vs, ve) != "visible" }
            }
            if sheets.count < 10_000 { sheets.append(s) }
        } else if XML.nameIs(buf, t, "workbookPr") {
            try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                if XML.bytesEqual(buf, ns, ne, "date1904") {
                    let v = try XML.string(buf, vs, ve)
                    date1904 = v == "1" || v.lowercased() == "true"
                }
            }
        }
    }
}

struct StylesHandler: XMLHandler {
    var custom: [Int: String] = [:]
    var xfFormatIds: [Int] = []
    var inCellXfs = false

    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        switch t.kind {
        case .start, .empty:
            if XML.nameIs(buf, t, "numFmt") {
                var id: Int?, code = ""
                try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                    if XML.bytesEqual(buf, ns, ne, "numFmtId") { id = XML.int(buf, vs, ve) }
                    else if XML.bytesEqual(buf, ns, ne, "formatCode") { code = try XML.string(buf, vs, ve) }
                }
                if let id, custom.count < 10_000 { custom[id] = code }
            } else if XML.nameIs(buf, t, "cellXfs") {
                inCellXfs = t.kind == .start
            } else if inCellXfs && XML.nameIs(buf, t, "xf") {
                var id = 0
                try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                    if XML.bytesEqual(buf, ns, ne, "numFmtId") { id = XML.int(buf, vs, ve) ?? 0 }
                }
                if xfFormatIds.count < 100_000 { xfFormatIds.append(id) }
            }
        case .end:
            if XML.nameIs(buf, t, "cellXfs") { inCellXfs = false }
        default: break
        }
    }

    func styles() -> Styles {
        var s = Styles()
        var kindCache: [Int: (String, DateKind)] = [:]
        for id in xfFormatIds {
            if let cached = kindCache[id] {
                s.formatCodes.append(cached.0); s.dateKinds.append(cached.1); continue
            }
            let code = custom[id] ?? NumberFormat.builtin(id) ?? "General"
            var kind = NumberFormat.classify(code)
            if custom[id] == nil {
                switch id {
                case 14...17, 22, 27...31, 36, 50...54, 57, 58: kind = kind == .none ? .date : kind
                case 18...21, 32...35, 45...47, 55, 56: kind = .time
                default: break
                }
            }
            kindCache[id] = (code, kind)
            s.formatCodes.append(code); s.dateKinds.append(kind)
        }
        return s
    }
}

struct SharedStringsHandler: XMLHandler {
    var table = SharedStrings()
    var inT = false, inRPh = 0, inSI = false
    var itemStart = 0
    let maxItems: Int

    init(maxItems: Int) { self.maxItems = maxItems }

    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        switch t.kind {
        case .text, .cdata:
            if inT && inRPh == 0 && inSI {
                if t.kind == .cdata { XML.appendCDATA(buf, t.start, t.end, into: &table.bytes) }
                else { try XML.appendDecoded(buf, t.start, t.end, into: &table.bytes) }
            }
        case .start:
            if XML.nameIs(buf, t, "t") { inT = true }
            else if XML.nameIs(buf, t, "si") { inSI = true; itemStart = table.bytes.count }
            else if XML.nameIs(buf, t, "rPh") { inRPh += 1 }
        case .end:
            if XML.nameIs(buf, t, "t") { inT = false }
            else if XML.nameIs(buf, t, "rPh") { inRPh = max(0, inRPh - 1) }
            else if XML.nameIs(buf, t, "si") { finishItem() }
        case .empty:
            if XML.nameIs(buf, t, "si") { itemStart = table.bytes.count; finishItem() }
        }
    }

    mutating func finishItem() {
        OOXMLEscape.unescapeInPlace(&table.bytes, from: itemStart)
        inSI = false; inT = false; inRPh = 0
        if table.count < maxItems { table.offsets.append(table.bytes.count) }
    }
}

/// ST_Xstring escapes: Excel stores control characters as `_xHHHH_` (and a literal `_x` as `_x005F_x`).
enum OOXMLEscape {
    static func unescapeInPlace(_ bytes: inout [UInt8], from start: Int) {
        guard bytes.count - start >= 7 else { return }
        var hasEscape = false
        for i in start..<(bytes.count - 6) where bytes[i] == UInt8(ascii: "_") && bytes[i + 1] == UInt8(ascii: "x") {
            hasEscape = true; break
        }
        guard hasEscape else { return }
        var out: [UInt8] = []
        var i = start
        while i < bytes.count {
            if i + 6 < bytes.count, bytes[i] == UInt8(ascii: "_"), bytes[i + 1] == UInt8(ascii: "x"),
               bytes[i + 6] == UInt8(ascii: "_"), let v = hex4(bytes, i + 2), let sc = Unicode.Scalar(v) {
                XML.appendUTF8(sc, into: &out)
                i += 7
            } else {
                out.append(bytes[i]); i += 1
            }
        }
        bytes.removeSubrange(start...)
        bytes.append(contentsOf: out)
    }

    static func hex4(_ b: [UInt8], _ at: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[at + k]
            switch c {
            case 0x30...0x39: v = v << 4 | UInt32(c - 0x30)
            case 0x41...0x46: v = v << 4 | UInt32(c - 0x41 + 10)
            case 0x61...0x66: v = v << 4 | UInt32(c - 0x61 + 10)
            default: return nil
            }
        }
        return v
    }
}

/// Resolves relationship targets to part names inside the package (no file system involved).
enum PartPath {
    static func resolve(_ target: String, relativeTo sourcePart: String) -> String {
        var base: [Substring] = target.hasPrefix("/") ? [] : sourcePart.split(separator: "/").dropLast()
        for comp in target.split(separator: "/") {
            if comp == "." || comp.isEmpty { continue }
            if comp == ".." { if !base.isEmpty { base.removeLast() }; continue }
            base.append(comp)
        }
        return base.joined(separator: "/")
    }

    static func relsPath(for part: String) -> String {
        var comps = part.split(separator: "/").map(String.init)
        let file = comps.popLast() ?? ""
        return (comps + ["_rels", file + ".rels"]).joined(separator: "/")
    }
}
