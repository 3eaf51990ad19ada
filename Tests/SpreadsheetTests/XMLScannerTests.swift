// The byte-level XML tokenizer: tokens, entities, chunk boundaries and refusals.

import Testing
@testable import Spreadsheet

struct Collect: XMLHandler {
    var events: [String] = []
    mutating func handle(_ t: XMLToken, _ buf: UnsafeBufferPointer<UInt8>) throws {
        let name = String(decoding: UnsafeBufferPointer(rebasing: buf[t.start..<t.end]), as: UTF8.self)
        switch t.kind {
        case .start, .empty:
            var attrs: [String] = []
            try XML.forEachAttribute(buf, t) { ns, ne, vs, ve in
                attrs.append(String(decoding: UnsafeBufferPointer(rebasing: buf[ns..<ne]), as: UTF8.self) + "=" + (try XML.string(buf, vs, ve)))
            }
            events.append((t.kind == .start ? "<" : "<>") + name + (attrs.isEmpty ? "" : " " + attrs.joined(separator: " ")))
        case .end: events.append("/" + name)
        case .text: events.append("'" + (try XML.string(buf, t.start, t.end)))
        case .cdata: events.append("C" + name)
        }
    }
}

func scan(_ xml: String, chunk: Int? = nil) throws -> [String] {
    var h = Collect()
    let bytes = Array(xml.utf8)
    if let chunk {
        var s = XMLStream(part: "test")
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + chunk)])
            try piece.withUnsafeBytes { try s.feed($0, isFinal: false, &h) }
            i += chunk
        }
        try s.feed(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true, &h)
    } else {
        try XMLStream.parse(bytes, part: "test", &h)
    }
    return h.events
}

@Suite struct XMLScannerTests {
    @Test func tokensAttributesAndPrefixes() throws {
        let ev = try scan("<?xml version=\"1.0\"?><x:a k='1' m = \"a>b\"><!-- c --><b/>hi</x:a>")
        #expect(ev == ["<a k=1 m=a>b", "<>b", "'hi", "/a"])
    }

    @Test func predefinedAndNumericEntitiesOnly() throws {
        #expect(try scan("<t>&lt;&gt;&amp;&quot;&apos;&#20013;&#x6587;</t>") == ["<t", "'<>&\"'中文", "/t"])
        #expect(throws: SpreadsheetError.self) { try scan("<t>&nbsp;</t>") }
        #expect(throws: SpreadsheetError.self) { try scan("<t>&#0;</t>") }
        #expect(throws: SpreadsheetError.self) { try scan("<t>&#x110000;</t>") }
    }

    @Test func cdataIsLiteral() throws {
        #expect(try scan("<t><![CDATA[a<b&c]]></t>") == ["<t", "Ca<b&c", "/t"])
    }

    @Test func literalLineEndsBecomeLFButCharacterReferencesStay() throws {
        // XML 1.0 §2.11: CR LF and a lone CR are read as LF; `&#13;` is a CR on purpose.
        #expect(try scan("<t a=\"x\r\ny\rz\">a\r\nb\rc&#13;\r\nd\r</t>") == ["<t a=x\ny\nz", "'a\nb\nc\r\nd\n", "/t"])
    }

    @Test func doctypeAndEntityDeclarationsAreRefused() {
        for xml in ["<!DOCTYPE x [<!ENTITY a \"b\">]><x>&a;</x>", "<x><!ENTITY a SYSTEM \"file:///etc/passwd\"></x>"] {
            #expect {
                try scan(xml)
            } throws: { ($0 as? SpreadsheetError).map { if case .forbiddenXML = $0 { true } else { false } } ?? false }
        }
    }

    @Test func chunkBoundariesDoNotChangeTokens() throws {
        let xml = "<?xml version=\"1.0\"?><r a=\"1\"><c r=\"A1\" t=\"s\"><v>12</v></c><!-- x --><t xml:space=\"preserve\"> 中 &amp; 文 </t><![CDATA[z]]></r>"
        let whole = try scan(xml)
        for size in [1, 2, 3, 7, 64] { #expect(try scan(xml, chunk: size) == whole) }
    }

    @Test func unterminatedMarkupIsAnError() {
        #expect(throws: SpreadsheetError.self) { try scan("<a><b") }
        #expect(throws: SpreadsheetError.self) { try scan("<a><!-- x") }
        #expect(throws: SpreadsheetError.self) { try scan("<a x=\"1></a>") }
    }
}
