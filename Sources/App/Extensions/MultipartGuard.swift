// MultipartKit (4.7.1, and its main branch) traps with "Index out of range" on a part header whose name holds a
// byte ≥ 0x80: one 100-byte request took the whole server down. Every multipart body is decoded through
// `CleanInput.Multipart` (routes, and the CSRF check that reads a form before any route runs), which refuses such
// a body first.
import Vapor

enum MultipartGuard {
    /// Whether a part's header name (the bytes before `:` on a line between a delimiter and the empty line) is not ASCII.
    static func hasUnsafeHeaderName(_ body: ByteBuffer, boundary: String) -> Bool {
        let delimiter = Array(("--" + boundary).utf8)
        guard let first = delimiter.first else { return false }
        return body.withUnsafeReadableBytes { bytes -> Bool in
            let n = bytes.count, m = delimiter.count
            var i = 0
            while i + m <= n {
                // Skip quickly to the next byte that can start a delimiter: file contents are most of a body.
                guard bytes[i] == first else { i += 1; continue }
                var k = 0
                while k < m, bytes[i + k] == delimiter[k] { k += 1 }
                guard k == m else { i += 1; continue }
                var j = i + m
                if j + 1 < n, bytes[j] == 0x0D, bytes[j + 1] == 0x0A {
                    j += 2
                    while j < n, bytes[j] != 0x0D {
                        while j < n, bytes[j] != 0x3A, bytes[j] != 0x0D {
                            if bytes[j] >= 0x80 { return true }
                            j += 1
                        }
                        while j < n, bytes[j] != 0x0A { j += 1 }
                        j += 1
                    }
                }
                i = max(j, i + 1)
            }
            return false
        }
    }
}

extension CleanInput {
    /// The multipart decoder, behind `MultipartGuard`.
    struct Multipart: ContentDecoder {
        let base = FormDataDecoder()
        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try decode(decodable, from: body, headers: headers, userInfo: [:])
        }
        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
                                  userInfo: [CodingUserInfoKey: Sendable]) throws -> D {
            if let boundary = headers.contentType?.parameters["boundary"], MultipartGuard.hasUnsafeHeaderName(body, boundary: boundary) {
                throw AppError.invalid("上传内容的格式不正确，请以 multipart/form-data 重新上传文件")
            }
            return try base.decode(decodable, from: body, headers: headers, userInfo: userInfo)
        }
    }
}
