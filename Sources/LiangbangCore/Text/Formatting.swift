// Small formatters for hot paths: Foundation's String(format:) costs microseconds per call on Linux,
// which adds up to seconds over a 50,000-line import.

public enum Formatting {
    /// Zero-padded decimal: `padded(7, 2)` → "07".
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lower-case hex of bytes (digests, keyed hashes).
    /// Lower-case hex of raw bytes, written straight into the string's storage (look-up hashes: 110,000 per roster).
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = hexDigits[Int(b >> 4)]
                out[2 * i + 1] = hexDigits[Int(b & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    public static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
