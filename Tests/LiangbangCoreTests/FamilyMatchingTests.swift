// 南粤会亲's 建议配对 on the exact solver: most children, then most with a family of their own county, then of their
// own city; a family's places (capacity less the children it has); the families' list lines; the same input, the
// same answer.
import Testing
@testable import LiangbangCore

@Suite struct FamilyMatchingTests {
    static let lechang = CountyRef(key: "lc", code: "440281", name: "乐昌市", cityName: "韶关市")
    static let ruyuan = CountyRef(key: "ry", code: "440232", name: "乳源瑶族自治县", cityName: "韶关市")
    static let nanxiong = CountyRef(key: "nx", code: "440282", name: "南雄市", cityName: "韶关市")
    static let tianhe = CountyRef(key: "th", code: "440106", name: "天河区", cityName: "广州市")

    static func child(_ key: String, _ county: CountyRef?, city: String = "") -> WaitingChild {
        WaitingChild(key: key, name: "儿童" + key, county: county, city: city)
    }

    /// Greedy (each child in turn takes its best free family) sends 乳源's child to 乐昌's only family (same city) and
    /// leaves 乐昌's child a 广州 family; the optimum keeps 乐昌's family for 乐昌's child.
    @Test func sameCountyIsMaximisedNotTakenFirstCome() {
        let children = [Self.child("A", Self.ruyuan), Self.child("B", Self.lechang)]
        let families = [CaringFamily(row: 2, name: "乐昌陈家", county: Self.lechang, capacity: 1),
                        CaringFamily(row: 3, name: "天河黄家", county: Self.tianhe, capacity: 1)]
        let s = FamilyMatching.suggest(children: children, families: families)
        #expect(s.pairs.count == 2 && s.sameCounty == 1 && s.sameCity == 0)
        #expect(Dictionary(uniqueKeysWithValues: s.pairs.map { ($0.childKey, $0.family) }) == ["A": "天河黄家", "B": "乐昌陈家"])
        let a = s.pairs.first { $0.childKey == "A" }!
        #expect(a.reasons == ["跨市：家庭在广州市天河区", "名单中没有乳源瑶族自治县的家庭", "天河黄家可结对1名，本次安排1名"])
        #expect(s.pairs.first { $0.childKey == "B" }!.reasons.first == "同县：韶关市乐昌市 ✓")
    }

    /// Same city counts after same county: 南雄's family goes to a 韶关 child before a 广州 family does.
    @Test func sameCityComesNextAndPlacesAreCapacityLessTaken() {
        let children = [Self.child("A", Self.lechang), Self.child("B", Self.lechang), Self.child("C", nil, city: "韶关市")]
        let families = [CaringFamily(row: 2, name: "乐昌陈家", county: Self.lechang, capacity: 3, taken: 2),
                        CaringFamily(row: 3, name: "南雄李家", county: Self.nanxiong, capacity: 1),
                        CaringFamily(row: 4, name: "天河黄家", county: Self.tianhe, capacity: 2, taken: 2)]
        let s = FamilyMatching.suggest(children: children, families: families)
        #expect(s.places == 2 && s.pairs.count == 2 && s.sameCounty == 1 && s.sameCity == 1)
        #expect(s.unmatched.count == 1 && s.unmatched[0].reason == "家庭名额已用完（共2个空余名额，待结对儿童3名）")
        let chen = s.pairs.first { $0.family == "乐昌陈家" }!
        #expect(chen.reasons.last == "乐昌陈家可结对3名，已有2名，本次安排1名")
        let li = s.pairs.first { $0.family == "南雄李家" }!
        #expect(li.reasons.first == "同市：韶关市 ✓（家庭在南雄市）")
        // Whoever of A, B is left: its county has a family, now full.
        if li.childKey != "C" { #expect(li.reasons.contains("乐昌市的家庭名额已用完")) }
    }

    @Test func theSameInputGivesTheSameAnswer() {
        let children = (0..<40).map { Self.child("c\($0)", [Self.lechang, Self.ruyuan, Self.nanxiong][$0 % 3]) }
        let families = (0..<12).map { CaringFamily(row: $0 + 2, name: "家庭\($0)", county: [Self.lechang, Self.tianhe, Self.nanxiong, Self.ruyuan][$0 % 4], capacity: 1 + $0 % 3) }
        let first = FamilyMatching.suggest(children: children, families: families)
        #expect(first == FamilyMatching.suggest(children: children, families: families))
        // 24 places for 40 children: 6 in each of 乐昌, 南雄, 乳源 and 天河; each of the first three has ≥ 13 children,
        // so all 18 of their places go to their own county's children and 天河's 6 to others.
        #expect(first.pairs.count == 24 && first.sameCounty == 18 && first.sameCity == 0 && first.unmatched.count == 16)
    }

    @Test func readsTheFamiliesList() {
        let counties = CountyMatcher([Self.lechang, Self.ruyuan, Self.nanxiong, Self.tianhe])
        func line(_ row: Int, _ family: String, _ county: String, _ capacity: String) -> (CaringFamily?, [RowProblem]) {
            FamilyMatching.family(RegisterInput(row: row, values: [FamilyListColumn.family: family, FamilyListColumn.county: county, FamilyListColumn.capacity: capacity]), counties: counties)
        }
        #expect(line(2, "陈家", "韶关乐昌", "2").0 == CaringFamily(row: 2, name: "陈家", county: Self.lechang, capacity: 2))
        #expect(line(3, "李家", "南雄市", "").0?.capacity == 1)
        #expect(line(4, "王家", "乐昌市", "4").1.map(\.column) == [FamilyListColumn.capacity])
        #expect(line(5, "王家", "乐昌市", "两").1.map(\.column) == [FamilyListColumn.capacity])
        #expect(line(6, "", "火星市", "1").1.map(\.column) == [FamilyListColumn.family, FamilyListColumn.county])
        let twice = [line(2, "陈家", "乐昌市", "1").0!, line(7, "陈家", "南雄市", "1").0!]
        #expect(FamilyMatching.repeated(twice).map(\.row) == [7])
    }
}
