// The province home page's map card: measure tabs, the tile map, the figures city by city, and this year beside
// the last when an earlier campaign exists.
import LiangbangCore
import Vapor

struct ProvinceMapSection: Encodable {
    struct MeasureLink: Encodable { let label: String; let href: String; let current: Bool }
    struct CityRow: Encodable { let name: String; let href: String; let value: String; let counts: String; let previous: String? }
    struct Compare: Encodable { let label: String; let current: String; let previous: String; let change: String }

    let year: Int
    let previousYear: Int?
    let measure: String
    let explanation: String
    let measures: [MeasureLink]
    let svg: String
    let week: String?
    let provinceValue: String
    let rows: [CityRow]
    let compare: [Compare]

    static func build(_ req: Request, campaign: Campaign) async throws -> ProvinceMapSection {
        let measure = req.query[String.self, at: "measure"].flatMap(ProvinceOverview.Measure.init(rawValue:)) ?? .reporting
        let (cities, current, previous) = try await ProvinceOverview(request: req).load(campaign)
        func text(_ p: Int?) -> String { p.map { "\($0)%" } ?? "—" }
        func board(_ city: Organization) -> String {
            Layout.link(measure == .compliance ? "/compliance" : "/completeness", campaign: campaign.year, orgID: city.id)
        }
        let ordered = cities.sorted { ($0.code ?? $0.name) < ($1.code ?? $1.name) }
        let tiles = ordered.map { city in
            let f = current.cities[city.id!] ?? .init()
            return ProvinceMap.Tile(name: city.name, percent: f.percent(measure), counts: f.counts(measure), href: board(city))
        }
        let rows = ordered.map { city in
            let f = current.cities[city.id!] ?? .init()
            return CityRow(name: city.name, href: board(city), value: text(f.percent(measure)), counts: f.counts(measure),
                           previous: previous.map { text(($0.cities[city.id!] ?? .init()).percent(measure)) })
        }
        let compare: [Compare] = previous.map { last in
            ProvinceOverview.Measure.allCases.map { m in
                let now = current.province.percent(m), then = last.province.percent(m)
                let change = if let now, let then { now == then ? "持平" : now > then ? "上升\(now - then)个百分点" : "下降\(then - now)个百分点" } else { "—" }
                return Compare(label: m.label, current: "\(text(now))（\(current.province.counts(m))）",
                               previous: "\(text(then))（\(last.province.counts(m))）", change: change)
            }
        } ?? []
        return ProvinceMapSection(
            year: campaign.year, previousYear: previous?.year, measure: measure.label, explanation: measure.explanation,
            measures: ProvinceOverview.Measure.allCases.map {
                MeasureLink(label: $0.label, href: "/?campaign=\(campaign.year)&measure=\($0.rawValue)#province", current: $0 == measure)
            },
            svg: ProvinceMap.svg(tiles, measure: measure, year: campaign.year),
            week: measure == .compliance ? "\(current.week.start.iso)至\(current.week.end.iso)" : nil,
            provinceValue: "\(text(current.province.percent(measure)))（\(current.province.counts(measure))）",
            rows: rows, compare: compare)
    }
}
