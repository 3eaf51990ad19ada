// The case kernel the care items (健康直通车, 阳光助残, 12355, 成长陪伴) share: a case opened at a moment, the
// dated steps recorded on it, a rule for the next required step, and whether that step is overdue. Each item says
// only its rule (`RequiredStep`); the kernel answers when the next step is due.
import Foundation

/// What a case requires next: a step within `within` seconds of the case's opening (`once`) or of its latest step
/// (`repeating`: a review every 90 days, a letter every 60).
public struct RequiredStep: Sendable, Equatable {
    public enum Cadence: Sendable, Equatable { case once, repeating }
    public let within: TimeInterval
    public let cadence: Cadence
    public init(within: TimeInterval, cadence: Cadence) { self.within = within; self.cadence = cadence }

    public static func days(_ n: Int, _ cadence: Cadence) -> RequiredStep { RequiredStep(within: TimeInterval(n) * 86_400, cadence: cadence) }
    public static func hours(_ n: Int, _ cadence: Cadence) -> RequiredStep { RequiredStep(within: TimeInterval(n) * 3_600, cadence: cadence) }
}

public enum CaseKernel {
    /// When the next step is due: nil when the case is closed, when nothing is required, or when a `once` step
    /// has been taken. Steps recorded before the opening count from the opening.
    public static func nextDue(opened: Date, steps: [Date], rule: RequiredStep?, closed: Bool) -> Date? {
        guard !closed, let rule else { return nil }
        switch rule.cadence {
        case .once: return steps.isEmpty ? opened.addingTimeInterval(rule.within) : nil
        case .repeating: return max(opened, steps.max() ?? opened).addingTimeInterval(rule.within)
        }
    }

    /// Overdue once the due moment has passed.
    public static func isOverdue(_ due: Date?, asOf: Date) -> Bool { due.map { $0 < asOf } ?? false }

    /// Whole days past due (0 when not overdue).
    public static func daysOverdue(_ due: Date?, asOf: Date) -> Int {
        guard let due, due < asOf else { return 0 }
        return Int(asOf.timeIntervalSince(due) / 86_400)
    }
}

/// Small counts in what everyone else may see of sensitive cases: below `threshold` is shown as "<5" so that a
/// small county's cases cannot be singled out.
public enum SmallCount: Sendable, Equatable, Codable {
    case exact(Int)
    case suppressed

    public static let threshold = 5

    public init(_ n: Int) { self = n < Self.threshold ? .suppressed : .exact(n) }

    public var text: String { if case .exact(let n) = self { return String(n) } else { return "<\(Self.threshold)" } }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .exact(n) } else { _ = try c.decode(String.self); self = .suppressed }
    }

    /// A number when shown, the string "<5" when suppressed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .exact(let n): try c.encode(n)
        case .suppressed: try c.encode(text)
        }
    }
}
