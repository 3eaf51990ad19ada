// Each school's coverage by its 希望乡村教师 postings as of a day: the timeline, the gaps (over 31 school days
// without a teacher) and whether a relay is due; and the same counted by county and city for the page.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct DeploymentCoverage {
    struct School {
        let name: String
        let county: Organization
        let cityName: String
        let deployments: [Deployment]
        let coverage: SchoolCoverage
        /// Someone is posted there on the as-of day.
        let staffed: Bool
    }

    struct Area {
        let name: String
        var schools = 0, staffed = 0, gaps = 0, relaysDue = 0
    }

    let asOf: LocalDate
    let schools: [School]

    /// The schools in `org`'s view, from the postings of this campaign and the campaigns before it (a school's
    /// history runs across years: last year's teacher is relayed by this year's).
    static func build(_ req: Request, campaign: Campaign, org: Organization, asOf: LocalDate) async throws -> DeploymentCoverage {
        let years = try await Campaign.query(on: req.db).filter(\.$year <= campaign.year).all(\.$id)
        let postings = try await req.deployments.scoped(org).filter(\.$campaignID ~~ years).all()
        let countyIDs = Set(postings.map(\.countyID))
        let counties = try await Organization.query(on: req.db).filter(\.$id ~~ Array(countyIDs)).all()
        let cityIDs = Set(counties.compactMap(\.parentID))
        let cities = try await Organization.query(on: req.db).filter(\.$id ~~ Array(cityIDs)).all()
        let countyByID = Dictionary(uniqueKeysWithValues: counties.map { ($0.id!, $0) })
        let cityName = Dictionary(uniqueKeysWithValues: cities.map { ($0.id!, $0.name) })

        struct Key: Hashable { let county: UUID; let school: String }
        let grouped = Dictionary(grouping: postings) { Key(county: $0.countyID, school: TextNormaliser.headerKey($0.school)) }
        let schools: [School] = grouped.compactMap { key, list in
            guard let county = countyByID[key.county] else { return nil }
            let sorted = list.sorted { ($0.startDate, $0.createdAt ?? .distantPast) < ($1.startDate, $1.createdAt ?? .distantPast) }
            return School(name: sorted[0].school, county: county, cityName: cityName[county.parentID ?? UUID()] ?? "", deployments: sorted,
                          coverage: SchoolCoverage(terms: sorted.map(\.term), asOf: asOf),
                          staffed: sorted.contains { $0.term.contains(asOf) })
        }.sorted { ($0.cityName, $0.county.name, $0.name) < ($1.cityName, $1.county.name, $1.name) }
        return DeploymentCoverage(asOf: asOf, schools: schools)
    }

    /// Schools, gaps and relays due by city, then by county (in the order the schools are listed).
    func areas(_ name: (School) -> String) -> [Area] {
        var order: [String] = [], byName: [String: Area] = [:]
        for s in schools {
            let n = name(s)
            if byName[n] == nil { order.append(n); byName[n] = Area(name: n) }
            byName[n]!.schools += 1
            if s.staffed { byName[n]!.staffed += 1 }
            byName[n]!.gaps += s.coverage.gaps.count
            if s.coverage.relayDue { byName[n]!.relaysDue += 1 }
        }
        return order.map { byName[$0]! }
    }

    /// The API's shape.
    struct DTO: Content {
        struct Gap: Content { let from, to: String; let days: Int }
        struct Posting: Content {
            let id: UUID
            let volunteerName, subject, programme, startDate, endDate: String
            let endedOn: String?
        }
        struct SchoolItem: Content {
            let school: String
            let countyId: UUID
            let county, city: String
            let deployments: [Posting]
            let gaps: [Gap]
            let relayDue: Bool
            let staffed: Bool
        }
        let asOf: String
        let schools: [SchoolItem]
    }

    var dto: DTO {
        DTO(asOf: asOf.iso, schools: schools.map { s in
            DTO.SchoolItem(school: s.name, countyId: s.county.id!, county: s.county.name, city: s.cityName,
                           deployments: s.deployments.map { .init(id: $0.id!, volunteerName: $0.volunteerName, subject: $0.subject,
                                                                  programme: $0.programme, startDate: $0.startDate, endDate: $0.endDate, endedOn: $0.endedOn) },
                           gaps: s.coverage.gaps.map { .init(from: $0.from.iso, to: $0.to.iso, days: $0.days) },
                           relayDue: s.coverage.relayDue, staffed: s.staffed)
        })
    }
}
