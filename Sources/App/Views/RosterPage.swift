// The roster page's context: one university's list, or an overview for the province, a city or a county.
import Fluent
import LiangbangCore
import Vapor

struct RosterPage: Encodable {
    struct Row: Encodable {
        let id: UUID; let number: Int
        let pupilName, sex, pupilID, school, gradeClass, county, volunteerName, volunteerID: String
        let consent: String
        let needsConsent: Bool
    }
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct UniversityRow: Encodable {
        let id: UUID; let name: String; let pairings: Int; let pupils: Int; let volunteers: Int
        let status: String; let submissionID: UUID?; let canReview: Bool
    }
    struct CoverageRow: Encodable { let name: String; let pupils: Int; let volunteers: Int; let universities: String }
    struct SubmissionRow: Encodable { let version: Int; let at: String; let timing: String; let status: String; let reason: String? }

    var layout: Layout
    var year: Int
    var years: [Int]
    var mode: String                 // "university" | "overview" | "territory"
    var title: String
    var orgID: UUID?
    var canWrite: Bool
    var canReveal: Bool
    var rosterDue: String
    // university view
    var pairings: Int
    var pupils: Int
    var volunteers: Int
    var missingConsent: Int
    var rows: [Row]
    var counties: [Option]
    var filterSchool: String
    var filterMissingConsent: Bool
    var query: String
    /// The list filtered to pupils still without a guardian's consent (the tile's link; never the filter twice).
    var consentLink: String = ""
    var submissions: [SubmissionRow]
    var canSubmit: Bool
    // overview and territory
    var universities: [UniversityRow]
    var coverage: [CoverageRow]
}

struct RosterPageBuilder {
    let request: Request

    func build() async throws -> RosterPage {
        let me = try request.access.current
        let campaign = try await request.roster.campaign()
        let years = try await Campaign.query(on: request.db).sort(\.$year, .descending).all(\.$year)
        let orgID = request.query[UUID.self, at: "orgId"]
        let target = try await orgID.asyncMap { try await request.access.organization($0) } ?? me.org

        var page = RosterPage(layout: await Layout.build(for: request, title: "结对名单"), year: campaign.year, years: years,
                              mode: "overview", title: target.name, orgID: orgID, canWrite: false, canReveal: me.user.sensitiveData,
                              rosterDue: campaign.calendar.rosterDue.iso, pairings: 0, pupils: 0, volunteers: 0, missingConsent: 0, rows: [], counties: [],
                              filterSchool: "", filterMissingConsent: false, query: "", submissions: [],
                              canSubmit: false, universities: [], coverage: [])
        let all = try await request.roster.readable(campaign, orgID: orgID).all()
        let exporter = RosterExport(db: request.db, cipher: request.cipher)
        let countyNames = try await exporter.orgNames(Set(all.map(\.countyID)))
        page.pairings = all.count
        page.pupils = Set(all.map(\.pupilIDHash)).count
        page.volunteers = Set(all.map(\.volunteerIDHash)).count

        switch target.kind {
        case .university:
            try await universityView(&page, campaign: campaign, university: target, all: all, countyNames: countyNames)
        case .province:
            try await overview(&page, campaign: campaign, all: all)
            let cityOf = try await cityNames(of: Set(all.map(\.countyID)))
            page.coverage = coverage(all) { cityOf[$0.countyID] ?? "" }
        default:
            page.mode = "territory"
            page.canReveal = false
            let universityNames = try await exporter.orgNames(Set(all.map(\.universityID)))
            page.rows = try tableRows(all, countyNames: countyNames) { "（\(universityNames[$0.universityID] ?? "")）" }
            page.coverage = coverage(all) { countyNames[$0.countyID] ?? "" }
        }
        return page
    }

    /// The list in the table component: by county, school and pupil unless a column is chosen; searchable by the
    /// pupil's or volunteer's name, school or class; 50 a page, numbered through the pages.
    private func tableRows(_ list: [Pairing], countyNames: [UUID: String], volunteerSuffix: (Pairing) -> String = { _ in "" }) throws -> [RosterPage.Row] {
        let table = try TableQuery(request, sorts: ["default", "pupil", "school", "county", "volunteer"])
        let ordered = list.sorted { (countyNames[$0.countyID] ?? "", $0.school, $0.pupilName) < (countyNames[$1.countyID] ?? "", $1.school, $1.pupilName) }
            .enumerated().filter { table.matches($0.element.pupilName, $0.element.volunteerName, $0.element.school, $0.element.gradeClass) }
        let shown = table.page(Array(ordered), request: request) { p, key in
            switch key {
            case "pupil": p.element.pupilName
            case "school": p.element.school + " " + p.element.gradeClass
            case "county": countyNames[p.element.countyID] ?? ""
            case "volunteer": p.element.volunteerName
            default: String(p.offset)
            }
        }
        let first = ((request.tablePager?.page ?? 1) - 1) * TableQuery.pageSize
        return shown.enumerated().map { i, p in
            row(p.element, number: first + i + 1, county: countyNames[p.element.countyID] ?? "", volunteerSuffix: volunteerSuffix(p.element))
        }
    }

    private func row(_ p: Pairing, number: Int, county: String, volunteerSuffix: String = "") -> RosterPage.Row {
        RosterPage.Row(id: p.id!, number: number, pupilName: p.pupilName, sex: p.pupilSex, pupilID: p.pupilIDMasked, school: p.school,
                       gradeClass: p.gradeClass, county: county, volunteerName: p.volunteerName + volunteerSuffix, volunteerID: p.volunteerIDMasked,
                       consent: p.guardianConsent == true ? "已同意" + (p.consentDate.map { "（\($0)）" } ?? "") : p.guardianConsent == false ? "未同意" : "—",
                       needsConsent: RosterRules.lacksConsent(age: p.pupilAge, consent: p.guardianConsent, on: LocalDate(iso: p.consentDate ?? "")))
    }

    private func universityView(_ page: inout RosterPage, campaign: Campaign, university: Organization, all: [Pairing],
                                countyNames: [UUID: String]) async throws {
        let me = try request.access.current
        let countyFilter = request.query[UUID.self, at: "county"]
        let school = (request.query[String.self, at: "school"] ?? "").trimmingCharacters(in: .whitespaces)
        let missing = request.query[String.self, at: "consent"] == "missing"
        let lacking: (Pairing) -> Bool = { RosterRules.lacksConsent(age: $0.pupilAge, consent: $0.guardianConsent, on: LocalDate(iso: $0.consentDate ?? "")) }
        let filtered = all.filter {
            (countyFilter == nil || $0.countyID == countyFilter) && (school.isEmpty || $0.school.contains(school)) && (!missing || lacking($0))
        }
        page.rows = try tableRows(filtered, countyNames: countyNames)
        let assigned = try await TutoringAssignment.query(on: request.db).filter(\.$campaignID == campaign.id!)
            .filter(\.$universityID == university.id!).all(\.$countyID)
        let assignedNames = try await RosterExport(db: request.db, cipher: request.cipher).orgNames(Set(assigned))
        let submissions = try await RosterSubmission.query(on: request.db).filter(\.$campaignID == campaign.id!)
            .filter(\.$universityID == university.id!).sort(\.$version, .descending).all()
        var items = URLComponents()
        items.queryItems = [("campaign", String(campaign.year)), ("orgId", page.orgID?.uuidString), ("county", countyFilter?.uuidString),
                            ("school", school), ("consent", missing ? "missing" : nil)]
            .compactMap { k, v in v.flatMap { $0.isEmpty ? nil : URLQueryItem(name: k, value: $0) } }
        page.mode = "university"
        page.title = university.name
        page.canWrite = me.actor.reaches(university.path) && me.user.role.canWrite
        page.missingConsent = Set(all.filter(lacking).map(\.pupilIDHash)).count
        page.counties = assignedNames.sorted { $0.value < $1.value }.map {
            RosterPage.Option(value: $0.key.uuidString, label: $0.value, selected: $0.key == countyFilter)
        }
        page.filterSchool = school
        page.filterMissingConsent = missing
        page.query = items.percentEncodedQuery ?? ""
        var consent = items
        consent.queryItems = (items.queryItems ?? []).filter { $0.name != "consent" } + [URLQueryItem(name: "consent", value: "missing")]
        page.consentLink = "/roster?" + (consent.percentEncodedQuery ?? "")
        page.submissions = submissions.map(Self.submissionRow)
        page.canSubmit = page.canWrite && !all.isEmpty && submissions.first?.status != .submitted
    }

    static func submissionRow(_ s: RosterSubmission) -> RosterPage.SubmissionRow {
        let status: String
        switch s.status {
        case .submitted: status = "已报送，待审核"
        case .returned: status = "已退回"
        case .accepted: status = "审核通过"
        }
        return RosterPage.SubmissionRow(version: s.version, at: Layout.time(s.submittedAt), timing: s.onTime ? "按时" : "逾期",
                                        status: status, reason: s.returnReason)
    }

    private func overview(_ page: inout RosterPage, campaign: Campaign, all: [Pairing]) async throws {
        let universities = try await request.access.visibleOrganizations().filter(\.$kind == .university).sort(\.$name).all()
        let latest = Dictionary(grouping: try await RosterSubmission.query(on: request.db).filter(\.$campaignID == campaign.id!).all(),
                                by: \.universityID).mapValues { $0.max { $0.version < $1.version }! }
        let byUniversity = Dictionary(grouping: all, by: \.universityID)
        page.universities = universities.map { u in
            let mine = byUniversity[u.id!] ?? []
            let s = latest[u.id!]
            return RosterPage.UniversityRow(id: u.id!, name: u.name, pairings: mine.count, pupils: Set(mine.map(\.pupilIDHash)).count,
                                            volunteers: Set(mine.map(\.volunteerIDHash)).count,
                                            status: s.map { "第\($0.version)版 " + Self.submissionRow($0).status + "（\($0.onTime ? "按时" : "逾期")）" } ?? "未报送",
                                            submissionID: s?.status == .submitted ? s?.id : nil, canReview: true)
        }
    }

    /// Pupils, volunteers and universities per group (city for the province, county below it).
    private func coverage(_ all: [Pairing], by group: (Pairing) -> String) -> [RosterPage.CoverageRow] {
        let groups = Dictionary(grouping: all, by: group)
        return groups.keys.sorted().map { key in
            let g = groups[key]!
            return RosterPage.CoverageRow(name: key, pupils: Set(g.map(\.pupilIDHash)).count, volunteers: Set(g.map(\.volunteerIDHash)).count,
                                          universities: "\(Set(g.map(\.universityID)).count)所")
        }
    }

    private func cityNames(of counties: Set<UUID>) async throws -> [UUID: String] {
        let countyOrgs = try await Organization.query(on: request.db).filter(\.$id ~~ counties).all()
        let cities = try await RosterExport(db: request.db, cipher: request.cipher).orgNames(Set(countyOrgs.compactMap(\.parentID)))
        return Dictionary(uniqueKeysWithValues: countyOrgs.map { ($0.id!, cities[$0.parentID ?? UUID()] ?? "") })
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): return try await transform(value)
        case .none: return nil
        }
    }
}
