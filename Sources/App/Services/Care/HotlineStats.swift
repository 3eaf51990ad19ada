// What everyone but the counsellors sees of 12355: counts of the caller's subtree by city, category and risk,
// each below five shown as "<5" (`SmallCount`). No total is given: with one city suppressed, a total would let
// anyone work its number out.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct HotlineStats: Content {
    struct CityRow: Content { let cityId: UUID; let cityName: String; let cases: SmallCount; let needsOffline: SmallCount; let overdue: SmallCount }
    struct Tally: Content { let code: String; let label: String; let cases: SmallCount }

    let campaign: Int
    let byCity: [CityRow]
    let byCategory: [Tally]
    let byRisk: [Tally]

    /// Counts only: cases are read here as (city, category, risk, offline, due, closed), never their content.
    static func build(_ req: Request, campaign: Campaign, org: Organization) async throws -> HotlineStats {
        let visible = try await Organization.query(on: req.db).filter(\.$path =~ org.path).all()
        var cities = visible.filter { $0.kind == .city }
        // A county's office sees its own city's line (its own cases only).
        if cities.isEmpty, let parent = org.parentID, org.kind == .county, let city = try await Organization.find(parent, on: req.db) { cities = [city] }
        let ids = visible.map { $0.id! }
        let rows = try await HotlineCase.query(on: req.db).filter(\.$campaignID == campaign.id!)
            .group(.or) { $0.filter(\.$orgID ~~ ids).filter(\.$countyID ~~ ids) }.all()
        let now = req.now
        let byCity = Dictionary(grouping: rows, by: \.cityID)
        let cityRows = cities.sorted { ($0.code ?? "") < ($1.code ?? "") }.map { city in
            let mine = byCity[city.id!] ?? []
            return CityRow(cityId: city.id!, cityName: city.name, cases: SmallCount(mine.count), needsOffline: SmallCount(mine.filter(\.needsOffline).count),
                           overdue: SmallCount(mine.filter { CaseKernel.isOverdue($0.dueAt, asOf: now) }.count))
        }
        let categories = Dictionary(grouping: rows, by: \.category).mapValues(\.count)
        let risks = Dictionary(grouping: rows, by: \.risk).mapValues(\.count)
        return HotlineStats(campaign: campaign.year, byCity: cityRows,
                            byCategory: HotlineCategory.allCases.map { Tally(code: $0.rawValue, label: $0.label, cases: SmallCount(categories[$0.rawValue] ?? 0)) },
                            byRisk: HotlineRisk.allCases.map { Tally(code: $0.rawValue, label: $0.label, cases: SmallCount(risks[$0.rawValue] ?? 0)) })
    }
}
