// How offices really type: full-width digits and letters, ideographic spaces, stray line breaks.
import Foundation

public enum TextNormaliser {
    /// Trims, folds full-width ASCII (Ａ１ → A1) and the ideographic space, keeps Chinese as is.
    public static func clean(_ text: String) -> String {
        let text = InvisibleCharacters.strip(text)
        // Fast path: nothing to fold (no full-width ASCII, no odd spaces) and nothing to trim.
        if !text.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 || $0.value == 0xA0 }) {
            return trimmed(text)
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            case 0x3000, 0xA0: out.append(" ")
            default: out.append(s)
            }
        }
        return trimmed(String(out))
    }

    /// Strips surrounding whitespace (ASCII, ideographic, no-break) without bridging to NSString.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        // Most cells need nothing: look at the two ends before walking anything.
        if let a = scalars.first, let b = scalars.last, !isSpace(a), !isSpace(b) { return text }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return text }
        return String(scalars[first...last])
    }

    /// Unicode whitespace, with ASCII answered without the (slow) Unicode property tables: this runs for every
    /// character of every cell of a 55,000-line roster.
    @inline(__always)
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20: return true
        case 0..<0x80: return false
        // Unicode's White_Space property beyond ASCII, spelled out: the property tables cost more than the rule
        // they apply to (a tenth of validating a roster, for its Chinese names).
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Free text (names, schools, classes): surrounding spaces go, the characters stay as typed.
    public static func trim(_ text: String) -> String { trimmed(InvisibleCharacters.strip(text)) }

    /// A header cell reduced for matching: no whitespace at all, no brackets or their content markers,
    /// so `学生\n姓名`, `学生 姓名` and `学生姓名` compare equal, as do `所在县(市、区)` and `所在县（市、区）`.
    public static func headerKey(_ text: String) -> String {
        String(clean(text).unicodeScalars.filter { s in
            !(isSpace(s) || "()（）[]【】*:：".unicodeScalars.contains(s))
        }.map(Character.init))
    }

    /// The header key without bracketed notes: `报道链接（如有）`, `覆盖人数(人次)`, `开展时间【具体日期】` → the column's name.
    /// A second chance only, after the full header did not match.
    public static func headerKeyWithoutNotes(_ text: String) -> String {
        var out = ""
        var depth = 0
        for ch in clean(text) {
            if "(（[【".contains(ch) { depth += 1; continue }
            if ")）]】".contains(ch) { depth = max(0, depth - 1); continue }
            if depth == 0 { out.append(ch) }
        }
        return headerKey(out)
    }
}
