// The tile map keeps Guangdong's shape: every city of the divisions has one tile, 粤北 on top, 粤西 left, 粤东 right.
import Foundation
import LiangbangCore
import Testing

@Suite struct ProvinceTilesTests {
    /// City name → region, from the reference divisions the app seeds.
    func cities() throws -> [(name: String, region: String)] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/Seed/guangdong-divisions.csv")
        var out: [(name: String, region: String)] = []
        for line in try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5, fields[2] == "city" else { continue }
            out.append((fields[1], fields[4].trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return out
    }

    @Test func everyCityHasItsOwnTileInsideTheGrid() throws {
        let cities = try cities()
        #expect(cities.count == 21)
        let tiles = try cities.map { try #require(ProvinceTiles.tile(for: $0.name), "\($0.name)") }
        #expect(Set(tiles.map { "\($0.column),\($0.row)" }).count == 21)
        #expect(tiles.allSatisfy { (0..<ProvinceTiles.columns).contains($0.column) && (0..<ProvinceTiles.rows).contains($0.row) })
        #expect(ProvinceTiles.tile(for: "广州") != nil && ProvinceTiles.tile(for: "香港") == nil)
    }

    @Test func theTilesKeepTheRegionsWhereTheyLie() throws {
        let placed = try cities().map { (region: $0.region, tile: try #require(ProvinceTiles.tile(for: $0.name))) }
        func tiles(_ region: String) -> [(column: Int, row: Int)] { placed.filter { $0.region == region }.map(\.tile) }
        let north = tiles("粤北"), delta = tiles("珠三角"), east = tiles("粤东"), west = tiles("粤西")
        #expect(north.count == 5 && delta.count == 9 && east.count == 4 && west.count == 3)
        #expect(north.allSatisfy { $0.row == 0 } && delta.allSatisfy { $0.row > 0 })
        #expect(west.map(\.column).max()! < delta.map(\.column).min()!)
        #expect(east.map(\.column).min()! > delta.map(\.column).max()!)
    }

    @Test func onlyAllIsAHundredAndOnlyNoneIsZero() {
        #expect(ProvinceTiles.percent(299, of: 300) == 99 && ProvinceTiles.percent(300, of: 300) == 100)
        #expect(ProvinceTiles.percent(1, of: 300) == 1 && ProvinceTiles.percent(0, of: 300) == 0)
        #expect(ProvinceTiles.percent(1, of: 3) == 33 && ProvinceTiles.percent(2, of: 3) == 67 && ProvinceTiles.percent(0, of: 0) == nil)
        #expect(ProvinceTiles.band(nil) == ProvinceTiles.noData && ProvinceTiles.band(100).label == "100%")
        #expect(ProvinceTiles.band(49).label == "低于50%" && ProvinceTiles.band(50).label == "50%–69%" && ProvinceTiles.band(99).label == "85%–99%")
    }
}
