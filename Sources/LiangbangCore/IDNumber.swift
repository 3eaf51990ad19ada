// Resident ID numbers (GB 11643-1999): validation, the facts they reveal, and masking.

public enum Sex: String, Sendable, Codable, CaseIterable {
    case male = "男"
    case female = "女"
}

public struct IDNumber: Hashable, Sendable {
    /// The 18 normalised characters (upper-case X).
    public let value: String
    public let birthDate: LocalDate
    public let sex: Sex
    /// The six-digit division code of the place of first registration.
    public var divisionCode: String { String(value.prefix(6)) }

    public enum Problem: Error, Equatable, Sendable {
        case empty
        case scientificNotation          // typed into a number cell: digits lost
        case fifteenDigitAfter2000
        case wrongLength(Int)
        case invalidCharacters
        case invalidBirthDate
        case birthDateInFuture
        case checkDigit(expected: Character)

        /// What to tell the person who typed it, in Chinese; never echoes the number itself.
        public var message: String {
            switch self {
            case .empty: return "身份证号为空，请填写18位身份证号"
            case .scientificNotation:
                return "身份证号被 Excel 存成了数字（如 4.40982E+17），后几位已丢失：请把该列设置为“文本”格式后重新录入完整的18位号码"
            case .fifteenDigitAfter2000: return "15位旧身份证号不适用于2000年以后出生的人，请填写18位身份证号"
            case .wrongLength(let n): return "身份证号应为18位，现在是\(n)位"
            case .invalidCharacters: return "身份证号只能包含数字，最后一位可以是数字或X"
            case .invalidBirthDate: return "身份证号中的出生日期不存在，请核对第7至14位"
            case .birthDateInFuture: return "身份证号中的出生日期晚于今天，请核对"
            case .checkDigit: return "身份证号校验位不正确，请逐位核对"
            }
        }
    }

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkChars: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The check character for the first 17 digits.
    public static func checkCharacter(for first17: some Collection<Int>) -> Character {
        let sum = zip(first17, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkChars[sum % 11]
    }

    /// Normalises what a person typed (full-width digits, spaces, lower-case x) without validating.
    public static func normalise(_ raw: String) -> String {
        // Fast path: already 18 plain ASCII digits (or X) — what nearly every line holds.
        if raw.utf8.count == 18, raw.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x58 }) { return raw }
        var out = ""
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: out.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
            case 0xFF38, 0xFF58, 0x78: out.append("X")           // Ｘ ｘ x
            case 0x20, 0x09, 0x3000, 0xA0, 0x0A, 0x0D: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Validates a typed ID; `today` bounds the birth date. Works on UTF-8 bytes: it runs for every line of an import.
    public static func parse(_ raw: String, today: LocalDate? = nil) -> Result<IDNumber, Problem> {
        let text = normalise(raw)
        if text.isEmpty { return .failure(.empty) }
        let bytes = Array(text.utf8)
        let isDigit: (UInt8) -> Bool = { $0 >= 0x30 && $0 <= 0x39 }
        if bytes.contains(where: { $0 == 0x45 || $0 == 0x65 }) && (bytes.contains(0x2B) || bytes.contains(0x2D))   // E+ / E-
            || (bytes.contains(0x2E) && bytes.count < 18) {
            return .failure(.scientificNotation)
        }
        let count = text.count
        if count == 15 {
            guard bytes.allSatisfy(isDigit) else { return .failure(.invalidCharacters) }
            // 15-digit IDs encode a 19yy birth date, so they cannot belong to anyone born after 2000.
            return .failure(.fifteenDigitAfter2000)
        }
        guard count == 18 else { return .failure(.wrongLength(count)) }
        guard bytes.count == 18, bytes[0..<17].allSatisfy(isDigit), isDigit(bytes[17]) || bytes[17] == 0x58 else {
            return .failure(.invalidCharacters)
        }
        let digits = bytes[0..<17].map { Int($0 - 0x30) }
        let y = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let m = digits[10] * 10 + digits[11]
        let d = digits[12] * 10 + digits[13]
        guard y >= 1900, let birth = LocalDate(year: y, month: m, day: d) else { return .failure(.invalidBirthDate) }
        if let today, birth > today { return .failure(.birthDateInFuture) }
        let expected = checkCharacter(for: digits)
        guard Character(Unicode.Scalar(bytes[17])) == expected else { return .failure(.checkDigit(expected: expected)) }
        return .success(IDNumber(value: text, birthDate: birth, sex: digits[16] % 2 == 1 ? .male : .female))
    }

    /// `440923********1234`: division code and last four only.
    public var masked: String { Self.mask(value) }

    public static func mask(_ value: String) -> String {
        let count = value.count
        guard count > 10 else { return String(repeating: "*", count: count) }
        return String(value.prefix(6)) + String(repeating: "*", count: count - 10) + String(value.suffix(4))
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { (0x30...0x39).contains($0) } ?? false }
}
