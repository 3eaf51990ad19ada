// What the two 希望乡村教师 pages show: the coverage board (schools' timelines, gaps and relays due by city and
// county) and a unit's register (its postings, the form to add one, import and export).
import Fluent
import LiangbangCore
import Vapor

struct DeploymentCoveragePage: Encodable {
    struct Timeline: Encodable { let school, county, svg: String; let relayDue: Bool; let gaps: Int; let staffed: Bool }
    struct Area: Encodable { let name: String; let schools, staffed, gaps, relaysDue: Int }
    struct Relay: Encodable { let school, county, volunteer, ends: String }
    struct GapRow: Encodable { let school, county, from, to: String; let days: Int }

    let layout: Layout
    let year: Int
    let years: [Int]
    let orgID: UUID
    let unit: String
    let asOf: String
    let query: String
    let canRecord: Bool
    let postings, schools, staffed, gapCount, relayCount: Int
    let cities: [Area]
    let counties: [Area]
    let relays: [Relay]
    let gaps: [GapRow]
    let timelines: [Timeline]

    static func build(_ req: Request, campaign: Campaign, org: Organization, asOf: LocalDate) async throws -> DeploymentCoveragePage {
        let coverage = try await DeploymentCoverage.build(req, campaign: campaign, org: org, asOf: asOf)
        let inCampaign = try await req.deployments.scoped(org).filter(\.$campaignID == campaign.id!).count()
        func areas(_ list: [DeploymentCoverage.Area]) -> [Area] {
            list.map { Area(name: $0.name, schools: $0.schools, staffed: $0.staffed, gaps: $0.gaps, relaysDue: $0.relaysDue) }
        }
        let table = try TableQuery(req, sorts: ["place", "school", "gaps"])
        let schools = coverage.schools.filter { table.matches($0.name, $0.county.name, $0.cityName) }
        let shown = table.page(schools, request: req) { s, key in
            switch key {
            case "school": return s.name
            case "gaps": return String(format: "%06d", s.coverage.gaps.count)
            default: return s.cityName + s.county.name + s.name
            }
        }
        let me = try req.access.current
        return DeploymentCoveragePage(
            layout: await Layout.build(for: req, title: "希望乡村教师"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org.id!, unit: org.name,
            asOf: asOf.iso, query: Layout.query(campaign: campaign.year, orgID: me.org.id == org.id ? nil : org.id),
            canRecord: me.user.role.canWrite && DeploymentRegister.recordingKinds.contains(org.kind),
            postings: inCampaign, schools: coverage.schools.count, staffed: coverage.schools.filter(\.staffed).count,
            gapCount: coverage.schools.reduce(0) { $0 + $1.coverage.gaps.count },
            relayCount: coverage.schools.filter(\.coverage.relayDue).count,
            cities: areas(coverage.areas { $0.cityName }), counties: areas(coverage.areas { $0.cityName + $0.county.name }),
            relays: coverage.schools.filter(\.coverage.relayDue).map { s in
                let last = s.deployments.max { $0.term.upperBound < $1.term.upperBound }!
                return Relay(school: s.name, county: s.cityName + s.county.name, volunteer: last.volunteerName, ends: last.term.upperBound.iso)
            },
            gaps: coverage.schools.flatMap { s in
                s.coverage.gaps.map { GapRow(school: s.name, county: s.cityName + s.county.name, from: $0.from.iso, to: $0.to.iso, days: $0.days) }
            },
            timelines: shown.map { s in
                Timeline(school: s.name, county: s.cityName + s.county.name, svg: CoverageTimeline.svg(s, asOf: asOf),
                         relayDue: s.coverage.relayDue, gaps: s.coverage.gaps.count, staffed: s.staffed)
            })
    }
}

struct DeploymentRegisterPage: Encodable {
    struct Row: Encodable {
        let id: UUID
        let name, sex, idMasked, programme, university, school, county, subject, start, end: String
        let endedOn, endReason: String?
        let recorder: String
        let canChange: Bool
    }
    struct Option: Encodable { let value, label: String; let selected: Bool }

    let layout: Layout
    let year: Int
    let years: [Int]
    let orgID: UUID
    let unit: String
    let query: String
    let canWrite: Bool
    let canSeeFull: Bool
    let total: Int
    let rows: [Row]
    let fixedUniversity: String?
    let counties: [String]
    let universities: [String]
    let programmes: [Option]
    let sexes: [Option]

    static func build(_ req: Request, campaign: Campaign, org: Organization) async throws -> DeploymentRegisterPage {
        let me = try req.access.current
        let postings = try await req.deployments.list(campaign: campaign, org: org)
        let lines = try await DeploymentExport.lines(req, postings, fullIDs: false)
        let table = try TableQuery(req, sorts: ["start", "name", "school", "county"])
        let found = lines.filter { table.matches($0.deployment.volunteerName, $0.deployment.school, $0.county, $0.deployment.subject, $0.university) }
        let shown = table.page(found, request: req) { l, key in
            switch key {
            case "name": return l.deployment.volunteerName
            case "school": return l.deployment.school
            case "county": return l.county
            default: return l.deployment.startDate
            }
        }
        let recordable = me.user.role.canWrite && DeploymentRegister.recordingKinds.contains(org.kind)
        // The counties the form offers: 粤东西北, and for a city or county its own territory.
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).filter(\.$region ~~ Array(DeploymentRules.regions)).all()
            .filter { [.city, .county].contains(org.kind) ? $0.path.hasPrefix(org.path) : true }
        let cityNames = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$kind == .city).all().map { ($0.id!, $0.name) })
        let typed = req.formState?.values
        return DeploymentRegisterPage(
            layout: await Layout.build(for: req, title: "希望乡村教师派驻登记"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org.id!, unit: org.name,
            query: Layout.query(campaign: campaign.year, orgID: me.org.id == org.id ? nil : org.id), canWrite: recordable,
            canSeeFull: me.user.sensitiveData, total: lines.count,
            rows: shown.map { l in
                let d = l.deployment
                return Row(id: d.id!, name: d.volunteerName, sex: d.sex, idMasked: d.volunteerIDMasked, programme: d.programmeLabel,
                           university: l.university, school: d.school, county: l.county, subject: d.subject, start: d.startDate, end: d.endDate,
                           endedOn: d.endedOn, endReason: d.endReason, recorder: l.recorder,
                           canChange: me.user.role.canWrite && me.actor.reaches(l.recorderPath))
            },
            fixedUniversity: org.kind == .university ? org.name : nil,
            counties: counties.map { (cityNames[$0.parentID ?? UUID()] ?? "") + $0.name }.sorted(),
            universities: try await Organization.query(on: req.db).filter(\.$kind == .university).sort(\.$name).all(\.$name),
            programmes: DeploymentProgramme.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: (typed?["programme"] ?? "mountain") == $0.rawValue) },
            sexes: Sex.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: typed?["sex"] == $0.rawValue) })
    }
}
