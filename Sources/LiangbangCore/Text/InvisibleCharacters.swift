// Characters nobody types on purpose into a name or a title: bidi overrides that make `exe.txt` read as
// `txt.exe`, zero-width characters that make two names look equal, and control characters.
public enum InvisibleCharacters {
    /// Removed from every text a user sends (forms, JSON, query strings, spreadsheet cells).
    /// Tab, line feed and carriage return stay: multi-line fields keep their lines.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F: return true   // C0 controls but \t \n \r, DEL
        case 0x80...0x9F: return true                                  // C1 controls
        case 0x200B...0x200F: return true                              // zero-width space/joiners, LRM, RLM
        case 0x202A...0x202E: return true                              // bidi embeddings and overrides
        case 0x2060...0x2064, 0x2066...0x2069: return true             // word joiner, invisible operators, bidi isolates
        case 0xFEFF: return true                                       // byte-order mark inside text
        default: return false
        }
    }

    public static func strip(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisible) else { return text }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.lazy.filter { !isInvisible($0) })
        return String(out)
    }
}
