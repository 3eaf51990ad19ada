// The province map as inline SVG, drawn on the server: one tile per city at its place in `ProvinceTiles.grid`,
// coloured by the chosen measure, with the value on the tile and a legend; each tile links to that city's board.
import LiangbangCore
import Vapor

enum ProvinceMap {
    static let tile = (width: 96, height: 72, gap: 6)

    struct Tile {
        let name: String
        let percent: Int?
        let counts: String
        let href: String
    }

    static func svg(_ tiles: [Tile], measure: ProvinceOverview.Measure, year: Int) -> String {
        let step = (x: tile.width + tile.gap, y: tile.height + tile.gap)
        let width = ProvinceTiles.columns * step.x, mapHeight = ProvinceTiles.rows * step.y
        let legendHeight = 56
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"province-map\" id=\"province-map\" viewBox=\"0 0 \(width) \(mapHeight + legendHeight)\""
            + " role=\"group\" aria-label=\"\(esc("\(year)年各地市\(measure.label)地图"))\" font-family=\"Noto Sans CJK SC, sans-serif\">"
        for t in tiles {
            guard let place = ProvinceTiles.tile(for: t.name) else { continue }
            let band = ProvinceTiles.band(t.percent)
            let x = place.column * step.x, y = place.row * step.y
            let short = t.name.hasSuffix("市") ? String(t.name.dropLast()) : t.name
            let value = t.percent.map { "\($0)%" } ?? "—"
            let label = "\(t.name)：\(measure.label)\(value)（\(t.counts)），查看该市看板"
            s += "<a href=\"\(esc(t.href))\" class=\"map-tile\" data-city=\"\(esc(t.name))\" data-value=\"\(t.percent.map(String.init) ?? "")\" aria-label=\"\(esc(label))\">"
            s += "<title>\(esc(label))</title>"
            s += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(tile.width)\" height=\"\(tile.height)\" rx=\"6\" fill=\"\(band.fill)\"/>"
            s += "<text x=\"\(x + tile.width / 2)\" y=\"\(y + 30)\" text-anchor=\"middle\" font-size=\"19\" fill=\"\(band.text)\">\(esc(short))</text>"
            s += "<text x=\"\(x + tile.width / 2)\" y=\"\(y + 58)\" text-anchor=\"middle\" font-size=\"22\" font-weight=\"700\" fill=\"\(band.text)\">\(value)</text>"
            s += "</a>"
        }
        // The legend: every band, worst first, then no data.
        let bands = ProvinceTiles.bands + [ProvinceTiles.noData]
        let slot = width / bands.count
        s += "<g class=\"map-legend\" role=\"group\" aria-label=\"图例\">"
        for (i, band) in bands.enumerated() {
            let x = i * slot, y = mapHeight + 14
            s += "<rect x=\"\(x + 4)\" y=\"\(y)\" width=\"26\" height=\"20\" rx=\"3\" fill=\"\(band.fill)\" stroke=\"#999\" stroke-width=\"0.5\"/>"
            s += "<text x=\"\(x + 36)\" y=\"\(y + 16)\" font-size=\"16\" fill=\"#222\">\(esc(band.label))</text>"
        }
        return s + "</g></svg>"
    }

    static func esc(_ text: String) -> String { FieldErrorTag.escape(text) }
}
