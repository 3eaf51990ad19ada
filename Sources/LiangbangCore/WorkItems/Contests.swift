// Work item 7 (创青春 and 青农优品): ventures, contests with weighted criteria, judges' scores and the ranking —
// with five judges or more the highest and lowest are dropped; ties go to the higher median, then to the entry
// with fewer missing scores. Scores are kept in hundredths of a point so that sums and means are exact.

public enum VentureSector: String, CaseIterable, Sendable, Codable {
    case planting, breeding, processing, ecommerce, tourism, other
    public var label: String {
        [.planting: "种植", .breeding: "养殖", .processing: "农产品加工", .ecommerce: "电商", .tourism: "乡村旅游", .other: "其他"][self]!
    }
    public init?(text: String) {
        let t = TextNormaliser.clean(text)
        if let code = Self(rawValue: t) { self = code; return }
        guard let found = Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = found
    }
}

public enum ContestKind: String, CaseIterable, Sendable, Codable {
    case chuangqingchun, qingnongyoupin
    public var label: String { self == .chuangqingchun ? "创青春涉农创业大赛" : "青农优品评选" }
}

public enum ContestLevel: String, CaseIterable, Sendable, Codable {
    case county, city, province
    public var label: String { [.county: "县级", .city: "市级", .province: "省级"][self]! }
}

public struct Criterion: Sendable, Equatable, Codable {
    public let name: String
    public let weight: Int
    public init(name: String, weight: Int) { self.name = name; self.weight = weight }
}

/// One judge's scores of one entry, by criterion name.
public struct JudgeScores: Sendable, Equatable {
    public let judge: String
    public let scores: [String: Int]
    public init(judge: String, scores: [String: Int]) { self.judge = judge; self.scores = scores }
}

public struct RankedEntry: Sendable, Equatable {
    public let entry: String
    /// The entry's score in hundredths of a point (trimmed mean of the judges' weighted scores).
    public let score: Int
    /// The judges' weighted scores in hundredths, in the order given.
    public let judgeScores: [Int]
    public let median: Int
    public let missing: Int
    public let rank: Int
    public var allScored: Bool { missing == 0 }
}

public enum ContestRules {
    public static let trimFrom = 5
    public static let criteriaLimit = 10

    /// Names unique and short, weights whole numbers from 1 that add up to 100.
    public static func criteriaProblems(_ criteria: [Criterion]) -> [String] {
        var out: [String] = []
        if criteria.isEmpty { out.append("请设置至少一项评分标准") }
        if criteria.count > criteriaLimit { out.append("评分标准不能超过\(criteriaLimit)项") }
        var seen = Set<String>()
        for c in criteria {
            let name = TextNormaliser.trim(c.name)
            if name.isEmpty { out.append("评分标准的名称不能为空") }
            else if name.count > 20 { out.append("评分标准“\(name)”名称过长（最多20个字）") }
            if !seen.insert(name).inserted { out.append("评分标准“\(name)”重复") }
            if !(1...100).contains(c.weight) { out.append("评分标准“\(name)”的权重应为1至100的整数") }
        }
        let sum = criteria.reduce(0) { $0 + min(max($1.weight, 0), 100) }
        if !criteria.isEmpty && sum != 100 { out.append("各项权重之和应为100（现为\(sum)）") }
        return out
    }

    /// A judge's scores: every criterion, each a whole number 0–100, nothing else.
    public static func scoreProblems(_ scores: [String: Int], criteria: [Criterion]) -> [String] {
        var out: [String] = []
        let names = Set(criteria.map(\.name))
        for name in scores.keys.sorted() where !names.contains(name) { out.append("“\(name)”不是本次评审的评分标准") }
        for c in criteria {
            guard let s = scores[c.name] else { out.append("请为“\(c.name)”打分"); continue }
            if !(0...100).contains(s) { out.append("“\(c.name)”的分数应为0至100的整数") }
        }
        return out
    }

    /// Σ score × weight: a judge's weighted score in hundredths (weights add up to 100).
    public static func weighted(_ scores: [String: Int], criteria: [Criterion]) -> Int {
        criteria.reduce(0) { $0 + (scores[$1.name] ?? 0) * $1.weight }
    }

    /// Median in hundredths (the mean of the middle two, rounded half up); 0 for none.
    public static func median(_ values: [Int]) -> Int {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2] + 1) / 2
    }

    /// Mean in hundredths, rounded half up; with `trimFrom` scores or more the highest and lowest are dropped.
    public static func trimmedMean(_ values: [Int]) -> Int {
        var s = values.sorted()
        guard !s.isEmpty else { return 0 }
        if s.count >= trimFrom { s.removeFirst(); s.removeLast() }
        return (s.reduce(0, +) * 2 + s.count) / (2 * s.count)
    }

    /// The ranking of `entries` by the scores their judges gave (`judges` is how many judges the contest has):
    /// score, then median, then fewer missing scores; entries equal on all three share a rank (1, 2, 2, 4).
    public static func rank(entries: [(entry: String, scores: [JudgeScores])], criteria: [Criterion], judges: Int) -> [RankedEntry] {
        let rows = entries.map { e -> (String, [Int], Int, Int, Int) in
            let each = e.scores.map { Self.weighted($0.scores, criteria: criteria) }
            return (e.entry, each, trimmedMean(each), median(each), max(0, judges - e.scores.count))
        }
        func before(_ a: (String, [Int], Int, Int, Int), _ b: (String, [Int], Int, Int, Int)) -> Bool {
            if a.2 != b.2 { return a.2 > b.2 }
            if a.3 != b.3 { return a.3 > b.3 }
            return a.4 < b.4
        }
        let sorted: [(String, [Int], Int, Int, Int)] = rows.enumerated().sorted { x, y in
            before(x.element, y.element) || (!before(y.element, x.element) && x.offset < y.offset)
        }.map { $0.element }
        var out: [RankedEntry] = []
        for (i, r) in sorted.enumerated() {
            let tiedWithPrevious = i > 0 && !before(sorted[i - 1], r) && !before(r, sorted[i - 1])
            out.append(RankedEntry(entry: r.0, score: r.2, judgeScores: r.1, median: r.3, missing: r.4,
                                   rank: tiedWithPrevious ? out[i - 1].rank : i + 1))
        }
        return out
    }

    /// A judge from the venture's own organisation or county (or a unit inside that county) cannot score it. The
    /// unit that recorded the venture is its own organisation unless it is a city or the province's league office,
    /// which record ventures on others' behalf (and whose staff judge their contests).
    public static func conflict(judgeOrgPath: String, ventureOrgPath: String, ventureOrgKind: OrgKind, ventureCountyPath: String) -> Bool {
        (judgeOrgPath == ventureOrgPath && ventureOrgKind != .province && ventureOrgKind != .city) || judgeOrgPath.hasPrefix(ventureCountyPath)
    }

    /// Hundredths as a score with two decimals ("87.35").
    public static func points(_ hundredths: Int) -> String {
        let sign = hundredths < 0 ? "-" : "", v = abs(hundredths)
        return sign + "\(v / 100)." + (v % 100 < 10 ? "0" : "") + "\(v % 100)"
    }
}
