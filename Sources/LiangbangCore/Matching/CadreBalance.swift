// 就业帮扶's 建议配对, on the same exact solver as 智能结对: each cadre guides 3–5 graduates. The suggestion brings as
// many cadres as the graduates allow into that range, moving as few graduates as possible, and among equal moves
// prefers graduates whose major fits the cadre's post.

public struct CadreSeat: Sendable {
    public let key: String
    public let name: String
    /// 职务 (校团委副书记, 计算机学院团委书记…): its words tell which majors it fits.
    public let position: String
    public init(key: String, name: String, position: String) { self.key = key; self.name = name; self.position = position }
}

public struct GraduateSeat: Sendable {
    public let key: String
    public let name: String
    public let major: String
    public let cadreKey: String
    public init(key: String, name: String, major: String, cadreKey: String) {
        self.key = key; self.name = name; self.major = major; self.cadreKey = cadreKey
    }
}

public struct CadreMove: Sendable, Equatable {
    public let graduateKey: String
    public let graduate: String
    public let from: String
    public let toKey: String
    public let to: String
    public let reasons: [String]
}

public struct CadreSuggestion: Sendable, Equatable {
    public let moves: [CadreMove]
    /// Cadres guiding 3–5 graduates now, and after the moves.
    public let meetingBefore: Int
    public let meetingAfter: Int
    public let cadres: Int
}

public enum CadreBalance {
    /// A major fits a post that names the same field (计算机学院团委书记 ↔ 软件工程), read with 智能结对's major words.
    public static func fits(major: String, position: String) -> Bool {
        MatchVocabulary.subjects(ofMajor: major).overlaps(MatchVocabulary.subjects(ofMajor: position))
    }

    public static func suggest(cadres: [CadreSeat], graduates: [GraduateSeat],
                               range: ClosedRange<Int> = EmploymentRules.graduatesPerCadre) -> CadreSuggestion {
        let index = Dictionary(cadres.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        var before = [Int](repeating: 0, count: cadres.count)
        for g in graduates { if let c = index[g.cadreKey] { before[c] += 1 } }
        // At most ⌊graduates / 3⌋ cadres can reach 3; choosing those that already have the most needs the fewest moves.
        let reach = min(cadres.count, graduates.count / max(1, range.lowerBound))
        let chosen = Set(cadres.indices.sorted { (before[$0], -$0) > (before[$1], -$1) }.prefix(reach))
        // Right nodes: per cadre its first places (3, only for the chosen) and the rest. A first place is worth more
        // than any number of graduates left in place, staying more than any number of fits.
        let n = Int64(graduates.count)
        let stay = n + 1, first = stay * n + n + 1
        var capacity: [Int] = []
        for c in cadres.indices {
            let firsts = chosen.contains(c) ? range.lowerBound : 0
            capacity += [firsts, range.upperBound - firsts]
        }
        var edges: [Assignment.Edge] = []
        for (g, graduate) in graduates.enumerated() {
            for (c, cadre) in cadres.enumerated() {
                let value = (graduate.cadreKey == cadre.key ? stay : 0) + (fits(major: graduate.major, position: cadre.position) ? 1 : 0)
                if capacity[2 * c] > 0 { edges.append(Assignment.Edge(left: g, right: 2 * c, value: value + first)) }
                edges.append(Assignment.Edge(left: g, right: 2 * c + 1, value: value))
            }
        }
        let result = Assignment.solve(demand: graduates.map { _ in 1 }, capacity: capacity, edges: edges)
        var after = [Int](repeating: 0, count: cadres.count)
        var target: [Int: Int] = [:]
        for i in result.chosen { let c = Int(edges[i].right) / 2; after[c] += 1; target[Int(edges[i].left)] = c }
        var moves: [CadreMove] = []
        for (g, graduate) in graduates.enumerated() {
            guard let c = target[g], cadres[c].key != graduate.cadreKey else { continue }
            let to = cadres[c], from = index[graduate.cadreKey]
            var reasons = ["\(to.name)现有\(before[c])名，需\(range.lowerBound)至\(range.upperBound)名"]
            if let from { reasons.append("\(cadres[from].name)调出后仍有\(after[from])名") }
            if fits(major: graduate.major, position: to.position) { reasons.append("专业对口 ✓（\(graduate.major)）") }
            moves.append(CadreMove(graduateKey: graduate.key, graduate: graduate.name, from: from.map { cadres[$0].name } ?? "",
                                   toKey: to.key, to: to.name, reasons: reasons))
        }
        return CadreSuggestion(moves: moves, meetingBefore: before.filter { range.contains($0) }.count,
                               meetingAfter: after.filter { range.contains($0) }.count, cadres: cadres.count)
    }
}
