// What a logged tutoring session must satisfy before it is stored, from the phone page, the API or an import.
import Foundation

/// How a session was held; the raw value is the API code.
public enum SessionMode: String, Sendable, Codable, CaseIterable {
    case onlineVideo = "online-video"
    case onlineVoice = "online-voice"
    case offline = "offline"

    public var label: String {
        switch self {
        case .onlineVideo: return "线上视频"
        case .onlineVoice: return "线上语音"
        case .offline: return "线下"
        }
    }

    /// Parses the API code, the Chinese label, or what a 结对卡 export or an office writes instead.
    /// A bare 线上 is refused: video or voice matters for the record and cannot be guessed.
    public static func parse(_ text: String) -> SessionMode? {
        let t = TextNormaliser.headerKey(text).lowercased()
        if let mode = SessionMode(rawValue: t) { return mode }
        switch t {
        case "线上视频", "视频", "视频辅导", "视频通话", "在线视频", "video": return .onlineVideo
        case "线上语音", "语音", "语音通话", "电话", "电话辅导", "在线语音", "voice", "phone": return .onlineVoice
        case "线下", "面授", "线下面授", "上门", "现场", "offline": return .offline
        default: return nil
        }
    }

    /// The accepted labels, for messages.
    public static let choices = allCases.map(\.label).joined(separator: "、")
}

public enum SessionRules {
    public static let maximumMinutes = 480

    /// Service hours as every page, certificate and export shows them: minutes in hours, to one decimal
    /// (90 minutes → 1.5, 100 → 1.7), the way i志愿 records them.
    public static func serviceHours(_ minutes: Int) -> Double { (Double(minutes) / 6).rounded() / 10 }

    public static func serviceHoursText(_ minutes: Int) -> String {
        let tenths = Int((Double(minutes) / 6).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
    /// How long a volunteer may still edit or delete its own session after logging it.
    public static let amendWindow: TimeInterval = 7 * 86_400

    /// Problems with a session, in Chinese; empty when it may be stored. Checks only what the session itself
    /// says: the caller checks the pairing (who may log it) and duplicates (same pairing, date and start time).
    /// `today` is the Shanghai date of now; `pairingStart`, when given, refuses sessions before the pairing began.
    /// Which part of a session a problem is about: the form puts the message next to that field, an import in
    /// that column.
    public enum Field: String, Sendable, Equatable { case date, startTime, minutes }

    public struct Problem: Sendable, Equatable {
        public let field: Field
        public let message: String
    }

    public static func validate(date: LocalDate, startTime: String, minutes: Int, today: LocalDate,
                                period: TutoringPeriod, pairingStart: LocalDate? = nil) -> [Problem] {
        var out: [Problem] = []
        if date > today {
            out.append(Problem(field: .date, message: "支教日期\(date.iso)晚于今天（\(today.iso)），不能登记尚未发生的支教"))
        } else if !period.contains(date) {
            out.append(Problem(field: .date, message: "支教日期\(date.iso)不在支教期（\(period.start.iso)至\(period.end.iso)）内"))
        } else if let pairingStart, date < pairingStart {
            out.append(Problem(field: .date, message: "支教日期\(date.iso)早于结对开始日期\(pairingStart.iso)"))
        }
        if TextNormaliser.clean(startTime).isEmpty {
            out.append(Problem(field: .startTime, message: "请填写开始时间，如 19:30"))
        } else if startMinute(startTime) == nil {
            out.append(Problem(field: .startTime, message: "开始时间“\(TextNormaliser.clean(startTime))”无法识别，请按24小时制写成 19:30"))
        }
        if minutes <= 0 {
            out.append(Problem(field: .minutes, message: "时长须大于0分钟"))
        } else if minutes > maximumMinutes {
            out.append(Problem(field: .minutes, message: "单次时长\(minutes)分钟超过上限\(maximumMinutes)分钟（8小时），请核对，或分多次登记"))
        }
        return out
    }

    /// `HH:mm` (also `H:mm`, a full-width colon, or `HH:mm:ss` as spreadsheets render times) → minutes after midnight.
    public static func startMinute(_ text: String) -> Int? {
        let parts = TextNormaliser.clean(text).split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        if parts.count == 3 { guard parts[2].count == 2, let s = Int(parts[2]), s < 60 else { return nil } }
        return h * 60 + m
    }

    /// Minutes after midnight → `HH:mm`.
    public static func timeText(_ minute: Int) -> String { Formatting.padded(minute / 60, 2) + ":" + Formatting.padded(minute % 60, 2) }

    /// A duration as imports type it: `60`, `60分钟`, `1小时`, `1.5小时`, `1小时30分`, `1h30`. Whole minutes only.
    public static func duration(_ text: String) -> Int? {
        let t = TextNormaliser.clean(text).lowercased().replacingOccurrences(of: " ", with: "")
        if let n = Int(t) { return n }
        var rest = Substring(t)
        var total = 0.0
        var hadHours = false
        if let r = rest.range(of: "小时") ?? rest.range(of: "h") {
            guard let h = Double(rest[..<r.lowerBound]), h.isFinite, h >= 0 else { return nil }
            total = h * 60; hadHours = true
            rest = rest[r.upperBound...]
        }
        if !rest.isEmpty {
            let unit = ["分钟", "分", "min"].first { rest.hasSuffix($0) }
            guard unit != nil || hadHours, let m = Int(rest.dropLast(unit?.count ?? 0)), m >= 0 else { return nil }
            total += Double(m)
        }
        guard total == total.rounded(), total < 100_000 else { return nil }
        return Int(total)
    }

    /// A volunteer may edit or delete its own session for 7 × 24 hours after logging it; staff are not limited.
    public static func canAmend(loggedAt: Date, now: Date) -> Bool { now.timeIntervalSince(loggedAt) <= amendWindow }
}
