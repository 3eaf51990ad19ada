// Resolves 所在县（市、区） written short (化州), long (茂名市化州市) or as a code (440982).

public struct CountyRef: Sendable, Hashable {
    public let key: String      // the caller's id for it
    public let code: String
    public let name: String
    public let cityName: String
    public init(key: String, code: String, name: String, cityName: String) {
        self.key = key; self.code = code; self.name = name; self.cityName = cityName
    }
    public var fullName: String { cityName + name }
}

public struct CountyMatcher: Sendable {
    public enum Match: Equatable, Sendable {
        case found(CountyRef)
        case unknown
        case ambiguous([String])
    }

    private let byCode: [String: CountyRef]
    private let byFull: [String: CountyRef]
    private let byName: [String: [CountyRef]]
    private let byShort: [String: [CountyRef]]

    public init(_ counties: [CountyRef]) {
        byCode = Dictionary(counties.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        byFull = Dictionary(counties.map { ($0.fullName, $0) }, uniquingKeysWith: { a, _ in a })
        byName = Dictionary(grouping: counties, by: \.name)
        byShort = Dictionary(grouping: counties, by: { Self.short($0.name) })
    }

    static func short(_ name: String) -> String {
        // 化州市 → 化州, 连山壮族瑶族自治县 → 连山壮族瑶族自治 → also try without 自治; keep two-character names whole.
        guard name.count > 2, let last = name.last, "市区县".contains(last) else { return name }
        return String(name.dropLast())
    }

    public func match(_ raw: String) -> Match {
        var text = TextNormaliser.clean(raw)
        if text.utf8.contains(0x20) { text.removeAll { $0 == " " } }
        if text.isEmpty { return .unknown }
        if let hit = byCode[text] { return .found(hit) }
        if text.hasPrefix("广东省") { text.removeFirst(3) }
        if let hit = byFull[text] { return .found(hit) }
        if let hits = byName[text], hits.count == 1 { return .found(hits[0]) }
        // 茂名化州 / 茂名市化州: a city prefix followed by a short or full county name.
        for (full, ref) in byFull where text.utf8.count > ref.name.utf8.count {
            let cityShort = Self.short(ref.cityName)
            for prefix in [ref.cityName, cityShort] where text.hasPrefix(prefix) {
                let rest = String(text.dropFirst(prefix.count))
                if rest == ref.name || rest == Self.short(ref.name) { return .found(byFull[full]!) }
            }
        }
        for candidates in [byName[text], byShort[text], byShort[Self.short(text)]] {
            guard let candidates, !candidates.isEmpty else { continue }
            if candidates.count == 1 { return .found(candidates[0]) }
            return .ambiguous(candidates.map(\.fullName).sorted())
        }
        return .unknown
    }
}
