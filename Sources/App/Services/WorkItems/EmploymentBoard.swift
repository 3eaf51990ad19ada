// The employment board: per university and rolled up over the caller's subtree — cadres (and how many meet 3–5),
// graduates, the share with two recommendations, offers and jobs, those still waiting — and each cadre's chase
// list. The sums are `EmploymentTally`'s, the rules `EmploymentRules`'.
import Fluent
import LiangbangCore
import Vapor

enum EmploymentBoard {
    struct Summary: Content, Equatable {
        let cadres, cadresMeetingRule, graduates, graduatesWithTwoJobs, offered, hired, waiting, twoJobsPercent: Int
        init(_ t: EmploymentTally) {
            cadres = t.cadres; cadresMeetingRule = t.cadresMeetingRule; graduates = t.graduates; graduatesWithTwoJobs = t.graduatesWithTwoJobs
            offered = t.offered; hired = t.hired; waiting = t.waiting; twoJobsPercent = t.twoJobsPercent
        }
    }

    struct CadreRow: Content {
        let id: UUID
        let name, position: String
        let universityId: UUID
        let university: String
        let graduates: Int
        let meetsRule: Bool
        let status: String
        /// What the cadre still has to do: graduates to take on, positions to recommend, offers to chase.
        let chase: [String]
    }

    struct GraduateRow: Content {
        let id: UUID
        let name, idMasked, major, graduation: String
        let cadreId: UUID
        let cadre: String
        let universityId: UUID
        let jobs: Int
        let meetsRule: Bool
        let waiting: Bool
        let progress: String
    }

    struct UniversityRow: Content {
        let orgId: UUID
        let name: String
        let summary: Summary
    }

    struct DTO: Content {
        let campaign: Int
        let orgId: UUID
        let cadres: [CadreRow]
        let graduates: [GraduateRow]
        let summary: Summary
        let byUniversity: [UniversityRow]
    }

    static func build(_ req: Request, campaign: Campaign, org: Organization) async throws -> DTO {
        let register = req.employment
        let universities = try await register.universities(under: org)
        let ids = universities.map { $0.id! }
        let cadres = try await register.cadres(campaign: campaign, in: ids)
        let graduates = try await register.graduates(campaign: campaign, in: ids)
        let outcomes = Dictionary(grouping: try await register.jobs(campaign: campaign, in: ids), by: \.graduateID).mapValues { $0.map(\.jobOutcome) }
        let byCadre = Dictionary(grouping: graduates, by: \.cadreID)
        let names = Dictionary(uniqueKeysWithValues: universities.map { ($0.id!, $0.name) })
        let cadreNames = Dictionary(cadres.map { ($0.id!, $0.name) }, uniquingKeysWith: { a, _ in a })

        var tallies: [UUID: EmploymentTally] = [:]
        for c in cadres { tallies[c.orgID, default: EmploymentTally()].add(cadreWith: byCadre[c.id!]?.count ?? 0) }
        for g in graduates { tallies[g.orgID, default: EmploymentTally()].add(graduateWith: outcomes[g.id!] ?? []) }

        let graduateRows = graduates.map { g in
            let o = outcomes[g.id!] ?? []
            return GraduateRow(id: g.id!, name: g.name, idMasked: g.idMasked, major: g.major, graduation: g.graduation, cadreId: g.cadreID,
                               cadre: cadreNames[g.cadreID] ?? "", universityId: g.orgID, jobs: o.count,
                               meetsRule: EmploymentRules.graduateMeetsRule(recommendations: o.count), waiting: EmploymentRules.waiting(o),
                               progress: o.max().map { best in o.contains(.hired) ? JobOutcome.hired.label : (o.contains(.offered) ? JobOutcome.offered.label : best.label) } ?? "尚未推荐")
        }
        let rowsByCadre = Dictionary(grouping: graduateRows, by: \.cadreId)
        let cadreRows = cadres.map { c in
            let mine = rowsByCadre[c.id!] ?? []
            let load = EmploymentRules.load(graduates: mine.count)
            var chase: [String] = []
            if case .tooFew(let missing) = load { chase.append("还需结对\(missing)名毕业生") }
            if mine.count > EmploymentRules.graduatesPerCadre.upperBound { chase.append("结对超过\(EmploymentRules.graduatesPerCadre.upperBound)名，请调整") }
            for g in mine where !g.meetsRule {
                chase.append("\(g.name)：还需推荐\(EmploymentRules.recommendationsPerGraduate - g.jobs)个岗位")
            }
            for g in mine where g.meetsRule && g.waiting { chase.append("\(g.name)：已推荐\(g.jobs)个岗位，尚未录用，请跟进") }
            let status: String = switch load {
            case .tooFew(let missing): "少\(missing)名"
            case .meets: "达标"
            case .full: mine.count > EmploymentRules.graduatesPerCadre.upperBound ? "超额" : "达标（已满5名）"
            }
            return CadreRow(id: c.id!, name: c.name, position: c.position, universityId: c.orgID, university: names[c.orgID] ?? "",
                            graduates: mine.count, meetsRule: EmploymentRules.cadreMeetsRule(graduates: mine.count), status: status, chase: chase)
        }
        let total = tallies.values.reduce(EmploymentTally(), +)
        return DTO(campaign: campaign.year, orgId: org.id!, cadres: cadreRows, graduates: graduateRows, summary: Summary(total),
                   byUniversity: universities.map { UniversityRow(orgId: $0.id!, name: $0.name, summary: Summary(tallies[$0.id!] ?? EmploymentTally())) })
    }
}
