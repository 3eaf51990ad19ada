// Every text a user sends as JSON, a form or a query string passes through these decoders, which drop the
// characters `InvisibleCharacters` names (bidi overrides, zero-width and control characters) before decoding:
// one place for all routes, present and future. Spreadsheet cells are cleaned by `TextNormaliser`.
import Foundation
import LiangbangCore
import Vapor

enum CleanInput {
    /// Installs the cleaning decoders for JSON, url-encoded forms and query strings, and the guarded multipart decoder.
    static func install() {
        var content = ContentConfiguration.global
        content.use(decoder: Body(base: JSONDecoder.custom(dates: .iso8601), json: true), for: .json)
        content.use(decoder: Body(base: URLEncodedFormDecoder(), json: false), for: .urlEncodedForm)
        content.use(urlDecoder: Query(base: URLEncodedFormDecoder()))
        content.use(decoder: Multipart(), for: .formData)
        ContentConfiguration.global = content
    }

    struct Body: ContentDecoder {
        let base: any ContentDecoder
        let json: Bool
        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try decode(decodable, from: body, headers: headers, userInfo: [:])
        }
        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                                  userInfo: [CodingUserInfoKey: Sendable]) throws -> D {
            let bytes = body.readableBytesView
            let cleaned = json ? CleanInput.json(bytes) : CleanInput.form(bytes)
            return try base.decode(decodable, from: cleaned.map { ByteBuffer(bytes: $0) } ?? body, headers: headers, userInfo: userInfo)
        }
    }

    struct Query: URLQueryDecoder {
        let base: URLEncodedFormDecoder
        func decode<D: Decodable>(_ decodable: D.Type, from url: URI) throws -> D {
            try decode(decodable, from: url, userInfo: [:])
        }
        func decode<D: Decodable>(_ decodable: D.Type, from url: URI, userInfo: [CodingUserInfoKey: Sendable]) throws -> D {
            var url = url
            if let query = url.query, let cleaned = CleanInput.form(Array(query.utf8)) {
                url.query = String(decoding: cleaned, as: UTF8.self)
            }
            return try base.decode(decodable, from: url, userInfo: userInfo)
        }
    }

    /// The JSON text without invisible characters, raw or escaped as `\u202E`; nil when there were none.
    static func json<C: Collection<UInt8>>(_ bytes: C) -> [UInt8]? where C.Index == Int {
        guard bytes.contains(where: { $0 == 0x5C || $0 >= 0x80 || $0 < 0x20 }) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        var changed = false
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x5C, i + 1 < bytes.endIndex {   // an escape: `\uXXXX` may name an invisible character
                if bytes[i + 1] == 0x75, i + 5 < bytes.endIndex, let v = hex(bytes, i + 2, count: 4),
                   let scalar = Unicode.Scalar(v), InvisibleCharacters.isInvisible(scalar) {
                    i += 6; changed = true; continue
                }
                out.append(b); out.append(bytes[i + 1]); i += 2; continue
            }
            if let (scalar, length) = scalarAt(bytes, i), InvisibleCharacters.isInvisible(scalar) {
                i += length; changed = true; continue
            }
            out.append(b); i += 1
        }
        return changed ? out : nil
    }

    /// A url-encoded text without invisible characters, raw or percent-encoded (`%E2%80%AE`); nil when there were none.
    static func form<C: Collection<UInt8>>(_ bytes: C) -> [UInt8]? where C.Index == Int {
        guard bytes.contains(where: { $0 == 0x25 || $0 >= 0x80 || $0 < 0x20 }) else { return nil }
        // Percent-decode into (byte, source range) so a decoded sequence can be dropped with its source text.
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        var changed = false
        func byte(at j: Int) -> (UInt8, Int)? {
            guard j < bytes.endIndex else { return nil }
            if bytes[j] == 0x25, let v = hex(bytes, j + 1, count: 2) { return (UInt8(v), 3) }
            return (bytes[j], 1)
        }
        while i < bytes.endIndex {
            // Gather up to 3 decoded bytes: enough for every scalar `InvisibleCharacters` names (≤ U+FEFF).
            var decoded: [UInt8] = []
            var widths: [Int] = []
            var j = i
            while decoded.count < 3, let (b, w) = byte(at: j) {
                decoded.append(b); widths.append(w); j += w
                if decoded.count == 1 && b < 0x80 { break }
            }
            if let (scalar, length) = scalarAt(decoded, 0), InvisibleCharacters.isInvisible(scalar) {
                i += widths.prefix(length).reduce(0, +); changed = true; continue
            }
            let w = widths.first ?? 1
            out.append(contentsOf: bytes[i..<min(i + w, bytes.endIndex)]); i += w
        }
        return changed ? out : nil
    }

    private static func hex<C: Collection<UInt8>>(_ bytes: C, _ start: Int, count: Int) -> UInt32? where C.Index == Int {
        guard start + count <= bytes.endIndex else { return nil }
        var v: UInt32 = 0
        for k in start..<start + count {
            let c = bytes[k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x37
            case 0x61...0x66: d = c - 0x57
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// The scalar whose UTF-8 starts at `i` (1–3 bytes are enough here) and its length.
    private static func scalarAt<C: Collection<UInt8>>(_ bytes: C, _ i: Int) -> (Unicode.Scalar, Int)? where C.Index == Int {
        guard i < bytes.endIndex else { return nil }
        let b0 = bytes[i]
        if b0 < 0x80 { return Unicode.Scalar(UInt32(b0)).map { ($0, 1) } }
        if b0 & 0xE0 == 0xC0, i + 1 < bytes.endIndex {
            let v = UInt32(b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
            return Unicode.Scalar(v).map { ($0, 2) }
        }
        if b0 & 0xF0 == 0xE0, i + 2 < bytes.endIndex {
            let v = UInt32(b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            return Unicode.Scalar(v).map { ($0, 3) }
        }
        return nil
    }
}
