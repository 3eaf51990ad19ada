// A small, hardened, streaming XML tokenizer over bytes: no DTDs, no entity expansion, no String per token.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One token of the XML stream; all positions are offsets into the scanner's current buffer.
struct XMLToken {
    enum Kind { case start, end, empty, text, cdata }
    var kind: Kind
    /// Local name (namespace prefix stripped) for tags; text range for text/cdata.
    var start: Int
    var end: Int
    /// Attribute bytes of a start/empty tag (between the name and `>` or `/>`).
    var attrStart: Int = 0
    var attrEnd: Int = 0
}

/// Receives tokens; the buffer is only valid during the call, so copy what you keep.
protocol XMLHandler {
    mutating func handle(_ token: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws
}

enum XMLBytes {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&")
    static let slash = UInt8(ascii: "/"), quote = UInt8(ascii: "\""), apos = UInt8(ascii: "'")
    static let bang = UInt8(ascii: "!"), question = UInt8(ascii: "?"), colon = UInt8(ascii: ":")
    static let eq = UInt8(ascii: "="), semi = UInt8(ascii: ";"), hash = UInt8(ascii: "#")
    static let cr = UInt8(0x0D), lf = UInt8(0x0A)

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}

/// Pull scanner over one buffer. `next()` returns nil when the buffer holds no complete token
/// (then `pos` is the start of the incomplete token) or at the end of a final buffer.
struct XMLScanner {
    let buf: UnsafeBufferPointer<UInt8>
    var pos: Int
    let isFinal: Bool
    let part: String
    /// Largest single token we accept; bounds re-scanning work on incomplete tokens.
    static let maxTokenBytes = 8 << 20

    init(_ buf: UnsafeBufferPointer<UInt8>, isFinal: Bool, part: String) {
        self.buf = buf; self.pos = 0; self.isFinal = isFinal; self.part = part
    }

    func malformed(_ detail: String) -> SpreadsheetError { .malformedXML(part: part, detail: detail) }

    @inline(__always) func find(_ byte: UInt8, from: Int) -> Int? {
        guard from < buf.count, let base = buf.baseAddress else { return nil }
        guard let p = memchr(base + from, Int32(byte), buf.count - from) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    func find(_ seq: StaticString, from: Int) -> Int? {
        let n = seq.utf8CodeUnitCount
        let s = seq.utf8Start
        var i = from
        while let j = find(s[0], from: i) {
            if j + n > buf.count { return nil }
            var ok = true
            for k in 1..<n where buf[j + k] != s[k] { ok = false; break }
            if ok { return j }
            i = j + 1
        }
        return nil
    }

    /// Incomplete token at `start`: nil to wait for more bytes, or an error at the end of input.
    func incomplete(_ start: Int, _ what: String) throws -> XMLToken? {
        if isFinal { throw malformed("\(what)未结束") }
        if buf.count - start > Self.maxTokenBytes { throw malformed("\(what)过长") }
        return nil
    }

    mutating func next() throws -> XMLToken? {
        while pos < buf.count {
            let start = pos
            if buf[start] != XMLBytes.lt {
                if let lt = find(XMLBytes.lt, from: start) {
                    pos = lt
                    return XMLToken(kind: .text, start: start, end: lt)
                }
                if isFinal {
                    pos = buf.count
                    return XMLToken(kind: .text, start: start, end: buf.count)
                }
                return try incomplete(start, "文本")
            }
            guard start + 1 < buf.count else { return try incomplete(start, "标签") }
            let b1 = buf[start + 1]
            if b1 == XMLBytes.question {
                guard let e = find("?>", from: start + 2) else { return try incomplete(start, "处理指令") }
                pos = e + 2
                continue
            }
            if b1 == XMLBytes.bang {
                if start + 4 > buf.count { return try incomplete(start, "标签") }
                if buf[start + 2] == UInt8(ascii: "-") && buf[start + 3] == UInt8(ascii: "-") {
                    guard let e = find("-->", from: start + 4) else { return try incomplete(start, "注释") }
                    pos = e + 3
                    continue
                }
                if start + 9 > buf.count { return try incomplete(start, "标签") }
                if matches(start + 2, "[CDATA[") {
                    guard let e = find("]]>", from: start + 9) else { return try incomplete(start, "CDATA") }
                    pos = e + 3
                    return XMLToken(kind: .cdata, start: start + 9, end: e)
                }
                throw SpreadsheetError.forbiddenXML("DTD/实体声明 <!…>")
            }
            if b1 == XMLBytes.slash {
                guard let gt = find(XMLBytes.gt, from: start + 2) else { return try incomplete(start, "结束标签") }
                var ne = start + 2
                while ne < gt && !XMLBytes.isSpace(buf[ne]) { ne += 1 }
                pos = gt + 1
                let ls = localStart(start + 2, ne)
                if ls >= ne { throw malformed("空的结束标签") }
                return XMLToken(kind: .end, start: ls, end: ne)
            }
            // Start or empty tag: scan the name, then attributes quote-aware up to '>'.
            var i = start + 1
            while i < buf.count {
                let c = buf[i]
                if XMLBytes.isSpace(c) || c == XMLBytes.gt || c == XMLBytes.slash { break }
                if c == XMLBytes.lt { throw malformed("标签中出现 <") }
                i += 1
            }
            let nameEnd = i
            var gt = -1
            while i < buf.count {
                let c = buf[i]
                if c == XMLBytes.gt { gt = i; break }
                if c == XMLBytes.quote || c == XMLBytes.apos {
                    guard let q = find(c, from: i + 1) else { i = buf.count; break }
                    i = q + 1
                    continue
                }
                if c == XMLBytes.lt { throw malformed("属性中出现 <") }
                i += 1
            }
            if gt < 0 { return try incomplete(start, "标签") }
            let ls = localStart(start + 1, nameEnd)
            if ls >= nameEnd { throw malformed("空的标签名") }
            pos = gt + 1
            let isEmpty = gt > nameEnd && buf[gt - 1] == XMLBytes.slash
            return XMLToken(kind: isEmpty ? .empty : .start, start: ls, end: nameEnd,
                            attrStart: nameEnd, attrEnd: isEmpty ? gt - 1 : gt)
        }
        return nil
    }

    @inline(__always) func matches(_ at: Int, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        if at + n > buf.count { return false }
        for k in 0..<n where buf[at + k] != s.utf8Start[k] { return false }
        return true
    }

    @inline(__always) func localStart(_ s: Int, _ e: Int) -> Int {
        var i = s
        while i < e {
            if buf[i] == XMLBytes.colon { return i + 1 }
            i += 1
        }
        return s
    }
}

/// Helpers over a buffer shared by all handlers.
enum XML {
    @inline(__always)
    static func nameIs(_ buf: UnsafeBufferPointer<UInt8>, _ t: XMLToken, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        if t.end - t.start != n { return false }
        let p = name.utf8Start
        for k in 0..<n where buf[t.start + k] != p[k] { return false }
        return true
    }

    @inline(__always)
    static func bytesEqual(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        if e - s != n { return false }
        for k in 0..<n where buf[s + k] != lit.utf8Start[k] { return false }
        return true
    }

    /// Calls `body(localNameStart, nameEnd, valueStart, valueEnd)` for each attribute (value still escaped).
    @inline(__always)
    static func forEachAttribute(_ buf: UnsafeBufferPointer<UInt8>, _ t: XMLToken,
                                 _ body: (Int, Int, Int, Int) throws -> Void) throws {
        var i = t.attrStart
        let e = t.attrEnd
        while i < e {
            while i < e && XMLBytes.isSpace(buf[i]) { i += 1 }
            if i >= e { break }
            let ns = i
            var ls = i
            while i < e && buf[i] != XMLBytes.eq && !XMLBytes.isSpace(buf[i]) {
                if buf[i] == XMLBytes.colon { ls = i + 1 }
                i += 1
            }
            let ne = i
            while i < e && XMLBytes.isSpace(buf[i]) { i += 1 }
            guard i < e, buf[i] == XMLBytes.eq, ne > ns else { throw SpreadsheetError.malformedXML(part: "xml", detail: "属性格式错误") }
            i += 1
            while i < e && XMLBytes.isSpace(buf[i]) { i += 1 }
            guard i < e, buf[i] == XMLBytes.quote || buf[i] == XMLBytes.apos else {
                throw SpreadsheetError.malformedXML(part: "xml", detail: "属性值缺少引号")
            }
            let q = buf[i]
            let vs = i + 1
            var j = vs
            while j < e && buf[j] != q { j += 1 }
            guard j < e else { throw SpreadsheetError.malformedXML(part: "xml", detail: "属性值未结束") }
            try body(ls, ne, vs, j)
            i = j + 1
        }
    }

    /// Appends text with the 5 predefined entities and numeric character references decoded,
    /// and literal line ends normalised as XML 1.0 §2.11 requires (CR LF and lone CR → LF; `&#13;` stays CR).
    static func appendDecoded(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, into out: inout [UInt8]) throws {
        var i = s
        while i < e {
            var j = i
            while j < e && buf[j] != XMLBytes.amp && buf[j] != XMLBytes.cr { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j])) }
            if j >= e { return }
            if buf[j] == XMLBytes.cr {
                if j + 1 >= e || buf[j + 1] != XMLBytes.lf { out.append(XMLBytes.lf) }
                i = j + 1
                continue
            }
            var k = j + 1
            while k < e && k - j < 12 && buf[k] != XMLBytes.semi { k += 1 }
            guard k < e, buf[k] == XMLBytes.semi else {
                throw SpreadsheetError.malformedXML(part: "xml", detail: "实体引用未结束")
            }
            let n0 = j + 1
            if bytesEqual(buf, n0, k, "lt") { out.append(XMLBytes.lt) }
            else if bytesEqual(buf, n0, k, "gt") { out.append(XMLBytes.gt) }
            else if bytesEqual(buf, n0, k, "amp") { out.append(XMLBytes.amp) }
            else if bytesEqual(buf, n0, k, "quot") { out.append(XMLBytes.quote) }
            else if bytesEqual(buf, n0, k, "apos") { out.append(XMLBytes.apos) }
            else if n0 < k && buf[n0] == XMLBytes.hash {
                var v: UInt32 = 0
                var p = n0 + 1
                let hex = p < k && (buf[p] == UInt8(ascii: "x") || buf[p] == UInt8(ascii: "X"))
                if hex { p += 1 }
                if p >= k { throw SpreadsheetError.malformedXML(part: "xml", detail: "字符引用为空") }
                while p < k {
                    let c = buf[p]
                    let d: UInt32
                    switch c {
                    case 0x30...0x39: d = UInt32(c - 0x30)
                    case 0x61...0x66 where hex: d = UInt32(c - 0x61 + 10)
                    case 0x41...0x46 where hex: d = UInt32(c - 0x41 + 10)
                    default: throw SpreadsheetError.malformedXML(part: "xml", detail: "字符引用无效")
                    }
                    v = v &* (hex ? 16 : 10) &+ d
                    if v > 0x10FFFF { throw SpreadsheetError.malformedXML(part: "xml", detail: "字符引用越界") }
                    p += 1
                }
                guard v != 0, let scalar = Unicode.Scalar(v) else {
                    throw SpreadsheetError.malformedXML(part: "xml", detail: "字符引用无效")
                }
                appendUTF8(scalar, into: &out)
            } else {
                throw SpreadsheetError.forbiddenXML("未定义的实体引用")
            }
            i = k + 1
        }
    }

    /// Appends CDATA content as is, but for line ends (normalised like any other text).
    static func appendCDATA(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, into out: inout [UInt8]) {
        var i = s
        while i < e {
            var j = i
            while j < e && buf[j] != XMLBytes.cr { j += 1 }
            if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j])) }
            if j >= e { return }
            if j + 1 >= e || buf[j + 1] != XMLBytes.lf { out.append(XMLBytes.lf) }
            i = j + 1
        }
    }

    @inline(__always) static func appendUTF8(_ s: Unicode.Scalar, into out: inout [UInt8]) {
        for b in UTF8.encode(s)! { out.append(b) }
    }

    /// Decoded attribute or text as a String (for cold paths: workbook, rels, styles).
    static func string(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        try appendDecoded(buf, s, e, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a non-negative decimal integer attribute; nil if absent/invalid/huge.
    @inline(__always) static func int(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        if s >= e || e - s > 12 { return nil }
        var v = 0
        for i in s..<e {
            let c = buf[i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
}

/// Feeds chunks of a part into a scanner, keeping the incomplete tail between chunks.
struct XMLStream {
    private var pending: [UInt8] = []
    let part: String

    init(part: String) { self.part = part }

    mutating func feed<H: XMLHandler>(_ chunk: UnsafeRawBufferPointer, isFinal: Bool, _ handler: inout H) throws {
        pending.append(contentsOf: chunk)
        let part = self.part
        let consumed = try pending.withUnsafeBufferPointer { buf -> Int in
            var sc = XMLScanner(buf, isFinal: isFinal, part: part)
            while let tok = try sc.next() { try handler.handle(tok, buf) }
            return sc.pos
        }
        if consumed >= pending.count { pending.removeAll(keepingCapacity: true) }
        else if consumed > 0 { pending.removeFirst(consumed) }
    }

    /// Parses a whole in-memory document.
    static func parse<H: XMLHandler>(_ bytes: [UInt8], part: String, _ handler: inout H) throws {
        try bytes.withUnsafeBufferPointer { buf in
            var sc = XMLScanner(buf, isFinal: true, part: part)
            while let tok = try sc.next() { try handler.handle(tok, buf) }
        }
    }
}
