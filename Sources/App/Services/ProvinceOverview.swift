// The province home page's map (issue 11 §9): for each of the 21 cities, the share of its units that reported what
// was due (报送率), met their quotas (工作指标达标率) and of its pupils served enough this week (每周达标率); and the
// same figures for the previous campaign year, when there is one.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

struct ProvinceOverview {
    enum Measure: String, CaseIterable, Sendable {
        case reporting, quota, compliance
        var label: String {
            switch self {
            case .reporting: "报送率"
            case .quota: "工作指标达标率"
            case .compliance: "每周达标率"
            }
        }
        var explanation: String {
            switch self {
            case .reporting: "已到截止日期的报送中已报送的比例（地市、县区本级）"
            case .quota: "有工作指标的单位中已达标的比例"
            case .compliance: "本周（活动结束后为最后一周）应辅导学生中达到“每周至少1次、1小时”的比例"
            }
        }
    }

    /// One city's figures: counts, so a percentage and its "x/y" are never computed twice.
    struct Figure: Sendable {
        var reported = 0, due = 0, quotasMet = 0, withQuota = 0, compliant = 0, pupils = 0

        func percent(_ m: Measure) -> Int? {
            switch m {
            case .reporting: ProvinceTiles.percent(reported, of: due)
            case .quota: ProvinceTiles.percent(quotasMet, of: withQuota)
            case .compliance: ProvinceTiles.percent(compliant, of: pupils)
            }
        }

        func counts(_ m: Measure) -> String {
            switch m {
            case .reporting: "\(reported)/\(due)"
            case .quota: "\(quotasMet)/\(withQuota)"
            case .compliance: "\(compliant)/\(pupils)"
            }
        }

        static func + (a: Figure, b: Figure) -> Figure {
            Figure(reported: a.reported + b.reported, due: a.due + b.due, quotasMet: a.quotasMet + b.quotasMet,
                   withQuota: a.withQuota + b.withQuota, compliant: a.compliant + b.compliant, pupils: a.pupils + b.pupils)
        }
    }

    struct Year: Sendable {
        let year: Int
        /// City id → figures.
        let cities: [UUID: Figure]
        let province: Figure
        /// The week the compliance figures are for.
        let week: TutoringWeek
    }

    let request: Request

    /// The figures of `campaign` as they stand today (a past campaign: as it ended).
    func year(_ campaign: Campaign, cities: [Organization]) async throws -> Year {
        let today = LocalDate(instant: request.now)
        let province = try request.access.current.org
        let board = try await CompletenessBoard.load(db: request.db, beside: request.besideDatabase, campaign: campaign, root: province, today: today)
        var figures: [UUID: Figure] = [:]
        for city in cities {
            let totals = CompletenessTotals(board.units(under: OrgNode(city)).map(\.status))
            figures[city.id!] = Figure(reported: totals.submitted, due: totals.expected, quotasMet: totals.unitsMeetingQuota,
                                       withQuota: totals.unitsWithQuota)
        }
        // Pupils by their county's city.
        let week = campaign.tutoringPeriod.boardWeek(today: today)
        let compliance = try await ComplianceBoard.cached(request, campaign: campaign)
        let groups = try await compliance.week(week.start, scope: BoardScope(universityIDs: nil, countyIDs: nil))
        let cityOfCounty = Dictionary(try await Organization.query(on: request.db).filter(\.$kind == .county).all()
            .compactMap { c in c.parentID.map { (c.id!, $0) } }, uniquingKeysWith: { a, _ in a })
        for group in groups {
            guard let city = cityOfCounty[group.countyId], figures[city] != nil else { continue }
            figures[city]!.compliant += group.compliant
            figures[city]!.pupils += group.pupils
        }
        return Year(year: campaign.year, cities: figures, province: figures.values.reduce(Figure(), +), week: week)
    }

    /// This year and, when the campaigns hold an earlier year, the one before it.
    func load(_ campaign: Campaign) async throws -> (cities: [Organization], current: Year, previous: Year?) {
        let province = try request.access.current.org
        let cities = try await Organization.query(on: request.db).filter(\.$parentID == province.id!).filter(\.$kind == .city).all()
            .filter { ProvinceTiles.tile(for: $0.name) != nil }
        let current = try await year(campaign, cities: cities)
        let earlier = try await Campaign.query(on: request.db).filter(\.$year < campaign.year).sort(\.$year, .descending).first()
        let previous = try await earlier.asyncMap { try await year($0, cities: cities) }
        return (cities, current, previous)
    }
}
