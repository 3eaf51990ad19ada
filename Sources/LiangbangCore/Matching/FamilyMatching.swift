// 南粤会亲's 建议配对, on the same exact solver as 智能结对: children waiting (the unit's camp children not yet
// matched) and the caring families of an uploaded list, each taking up to its number. As many children as the
// families' places allow are matched; among those, as many as possible with a family of their own county, then of
// their own city — the maximum, not a first-come choice.

public enum FamilyListColumn {
    public static let family = "家庭"
    public static let county = "所在县（市、区）"
    public static let capacity = "最多结对儿童数"

    public static let specs: [ColumnSpec] = [
        ColumnSpec(family, aliases: ["爱心家庭", "家庭名称", "家庭（联系人）"]),
        ColumnSpec(county, aliases: ["所在县", "县（市、区）", "所在县区", "家庭所在县（市、区）"]),
        ColumnSpec(capacity, aliases: ["可结对儿童数", "结对儿童数", "最多结对人数"], required: false),
    ]
}

/// A child of the unit's camps with no 南粤会亲 family this campaign. `county` is the camp's county (nil when a
/// city office ran the camp: `city` is then all that is known).
public struct WaitingChild: Sendable, Equatable {
    public let key: String
    public let name: String
    public let county: CountyRef?
    public let city: String
    public init(key: String, name: String, county: CountyRef?, city: String) {
        self.key = key; self.name = name; self.county = county; self.city = county?.cityName ?? city
    }
}

/// A line of the families' list; `taken` is how many children it already has this campaign.
public struct CaringFamily: Sendable, Equatable {
    public let row: Int
    public let name: String
    public let county: CountyRef
    public let capacity: Int
    public var taken: Int
    public init(row: Int, name: String, county: CountyRef, capacity: Int, taken: Int = 0) {
        self.row = row; self.name = name; self.county = county; self.capacity = capacity; self.taken = taken
    }
    public var places: Int { max(0, capacity - taken) }
}

public struct FamilyPair: Sendable, Equatable, Codable {
    public let childKey: String
    public let child: String
    public let familyRow: Int
    public let family: String
    public let sameCounty: Bool
    public let reasons: [String]
}

public struct UnmatchedChild: Sendable, Equatable, Codable {
    public let childKey: String
    public let child: String
    public let reason: String
}

public struct FamilySuggestion: Sendable, Equatable {
    public let pairs: [FamilyPair]
    public let unmatched: [UnmatchedChild]
    /// Free places of the list (capacity less the children each family already has).
    public let places: Int
    public let sameCounty: Int
    public let sameCity: Int
}

public enum FamilyMatching {
    public static let capacityRange = 1...3
    /// A unit's camps hold hundreds of children and a list a few hundred families; every child may go to every
    /// family, so the pairs are capped to keep one run within memory and seconds.
    public static let maxFamilies = 2_000
    public static let maxPairs = 3_000_000

    /// One line of the families' list.
    public static func family(_ input: RegisterInput, counties: CountyMatcher) -> (CaringFamily?, [RowProblem]) {
        var problems: [RowProblem] = []
        let name = input.text(FamilyListColumn.family, limit: 60, into: &problems)
        let county = PracticeRules.county(input, FamilyListColumn.county, counties, into: &problems)
        var capacity = 1
        let text = input[FamilyListColumn.capacity]
        if !text.isEmpty {
            if let n = Int(text), capacityRange.contains(n) { capacity = n }
            else { problems.append(RowProblem(row: input.row, column: FamilyListColumn.capacity, message: "“最多结对儿童数”应为1至3的整数（空白按1名）")) }
        }
        guard problems.isEmpty, let county else { return (nil, problems) }
        return (CaringFamily(row: input.row, name: name, county: county, capacity: capacity), [])
    }

    /// The same family twice in one list (its places would count twice).
    public static func repeated(_ families: [CaringFamily]) -> [RowProblem] {
        var first: [String: Int] = [:], out: [RowProblem] = []
        for f in families {
            if let row = first[f.name] { out.append(RowProblem(row: f.row, column: FamilyListColumn.family, message: "与第\(row)行是同一家庭，请合并为一行")) }
            else { first[f.name] = f.row }
        }
        return out
    }

    public static func suggest(children: [WaitingChild], families: [CaringFamily]) -> FamilySuggestion {
        // Every child may go to every family with a place. A same-county pair is worth more than all same-city pairs
        // together, so the solver's maximum (most children, then most value) is most same-county, then most same-city.
        let n = Int64(children.count)
        let city: Int64 = 1, county = n + 2
        var edges: [Assignment.Edge] = []
        edges.reserveCapacity(children.count * families.count)
        for (c, child) in children.enumerated() {
            for (f, family) in families.enumerated() where family.places > 0 {
                let value = sameCounty(child, family) ? county : sameCity(child, family) ? city : 0
                edges.append(Assignment.Edge(left: c, right: f, value: value))
            }
        }
        let result = Assignment.solve(demand: children.map { _ in 1 }, capacity: families.map(\.places), edges: edges)
        var familyOf: [Int: Int] = [:]
        var placed = [Int](repeating: 0, count: families.count)
        for i in result.chosen { familyOf[Int(edges[i].left)] = Int(edges[i].right); placed[Int(edges[i].right)] += 1 }
        // Counties with a family on the list: a child placed elsewhere found its county's families full.
        let listed = Set(families.map(\.county.key))
        var pairs: [FamilyPair] = [], unmatched: [UnmatchedChild] = []
        var cityOnly = 0
        let places = families.reduce(0) { $0 + $1.places }
        for (c, child) in children.enumerated() {
            guard let f = familyOf[c] else {
                unmatched.append(UnmatchedChild(childKey: child.key, child: child.name,
                                                reason: places == 0 ? "名单中的家庭都已结满，没有空余名额" : "家庭名额已用完（共\(places)个空余名额，待结对儿童\(children.count)名）"))
                continue
            }
            let family = families[f]
            var reasons: [String] = []
            if sameCounty(child, family) { reasons.append("同县：\(family.county.fullName) ✓") }
            else {
                if sameCity(child, family) { cityOnly += 1; reasons.append("同市：\(child.city) ✓（家庭在\(family.county.name)）") }
                else { reasons.append("跨市：家庭在\(family.county.fullName)") }
                if let home = child.county {
                    reasons.append(listed.contains(home.key) ? "\(home.name)的家庭名额已用完" : "名单中没有\(home.name)的家庭")
                }
            }
            reasons.append("\(family.name)可结对\(family.capacity)名" + (family.taken > 0 ? "，已有\(family.taken)名" : "") + "，本次安排\(placed[f])名")
            pairs.append(FamilyPair(childKey: child.key, child: child.name, familyRow: family.row, family: family.name,
                                    sameCounty: sameCounty(child, family), reasons: reasons))
        }
        return FamilySuggestion(pairs: pairs, unmatched: unmatched, places: places, sameCounty: pairs.filter(\.sameCounty).count, sameCity: cityOnly)
    }

    static func sameCounty(_ child: WaitingChild, _ family: CaringFamily) -> Bool { child.county?.key == family.county.key }
    static func sameCity(_ child: WaitingChild, _ family: CaringFamily) -> Bool { !child.city.isEmpty && child.city == family.county.cityName }
}
