// Byte buffers and XML escaping shared by the xlsx and docx writers.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends to a byte buffer and flushes to a file descriptor past a threshold: constant memory.
final class ByteSink {
    var buf: [UInt8] = []
    private let fd: Int32
    private let threshold: Int

    init(fd: Int32, threshold: Int = 1 << 18) {
        self.fd = fd; self.threshold = threshold
        buf.reserveCapacity(min(threshold, 1 << 20) + 4096)
    }

    /// Opens (truncating) a file for writing.
    convenience init(path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SpreadsheetError.io("无法写入 \(path)") }
        self.init(fd: fd)
    }

    @inline(__always) func flushIfNeeded() throws { if buf.count >= threshold { try flush() } }

    func flush() throws {
        var off = 0
        try buf.withUnsafeBytes { raw in
            while off < raw.count {
                let n = write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SpreadsheetError.io("写入失败 (errno \(errno))")
                }
                off += n
            }
        }
        buf.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if fd > 2 { _ = closeFD(fd) }
    }

    @inline(__always) func append(_ s: StaticString) {
        buf.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inline(__always) func append(_ s: String) {
        var s = s
        s.withUTF8 { buf.append(contentsOf: $0) }
    }

    @inline(__always) func append(int v: Int) {
        if v < 0 { buf.append(UInt8(ascii: "-")); append(int: -v); return }
        if v < 10 { buf.append(UInt8(48 + v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = v, len = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            while n > 0 { p[19 - len] = UInt8(48 + n % 10); n /= 10; len += 1 }
            buf.append(contentsOf: p[(20 - len)...])
        }
    }

    /// XML text/attribute escaping; control characters XML 1.0 cannot carry become OOXML `_xHHHH_`.
    @inline(__always) func appendEscaped(_ s: String) {
        var s = s
        s.withUTF8 { appendEscaped($0) }
    }

    func appendEscaped(_ u: UnsafeBufferPointer<UInt8>) {
        var clean = true
        for c in u where c < 0x20 || c == 0x26 || c == 0x3C || c == 0x3E || c == 0x22 || c == 0x5F { clean = false; break }
        if clean { buf.append(contentsOf: u); return }
        var i = 0
        while i < u.count {
            let c = u[i]
            switch c {
            case 0x26: append("&amp;")
            case 0x3C: append("&lt;")
            case 0x3E: append("&gt;")
            case 0x22: append("&quot;")
            case 0x09, 0x0A: buf.append(c)
            case 0x0D: append("_x000D_")
            case 0x5F:
                // A literal "_xHHHH_" would be read back as an escape: escape its underscore.
                if i + 6 < u.count, u[i + 1] == UInt8(ascii: "x"), u[i + 6] == 0x5F,
                   (2...5).allSatisfy({ isHex(u[i + $0]) }) { append("_x005F_") } else { buf.append(c) }
            case 0..<0x20:
                append("_x00")
                let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
                buf.append(hex[Int(c >> 4)]); buf.append(hex[Int(c & 15)]); buf.append(0x5F)
            default: buf.append(c)
            }
            i += 1
        }
    }

    @inline(__always) private func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }
}

extension String {
    /// Escapes for XML text and attributes (cold paths).
    var xmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            case "\r": out += "&#13;"
            default: if ch.value >= 0x20 { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}

@inline(__always) private func closeFD(_ fd: Int32) -> Int32 { close(fd) }
