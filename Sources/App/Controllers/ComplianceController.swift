// The weekly compliance boards: this week's rate, whole-period rate, breakdowns, trend chart, pupils to chase.
import Fluent
import LiangbangCore
import SQLKit
import Spreadsheet
import Vapor

struct ComplianceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let readers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        readers.get("compliance", use: page)
        readers.get("compliance", "trend.svg", use: trend)
        readers.get("compliance", "chase", use: chaseExport)
        readers.get("api", "v1", "compliance", use: api)
    }

    /// What the caller may see, narrowed to `orgId`: a university's pupils, a city's or county's resident pupils.
    static func scope(_ req: Request, orgID: UUID?) async throws -> (BoardScope, Organization) {
        let me = try req.access.current
        var target = me.org
        if let orgID { target = try await req.access.organization(orgID) }
        switch target.kind {
        case .province: return (.everything, target)
        case .university: return (BoardScope(universityIDs: [target.id!], countyIDs: nil), target)
        case .city, .county:
            let counties = try await Organization.query(on: req.db).filter(\.$path =~ target.path).filter(\.$kind == .county).all(\.$id)
            return (BoardScope(universityIDs: nil, countyIDs: counties), target)
        case .town, .provincialUnit: throw AppError.forbidden("\(target.kind.label)没有结对学生")
        }
    }

    static func week(_ req: Request, _ campaign: Campaign) -> TutoringWeek {
        let given = req.query[String.self, at: "week"].flatMap { LocalDate(iso: $0) }
        let today = LocalDate(instant: req.now)
        let period = campaign.tutoringPeriod
        // Default: this week inside the tutoring period, else its first or last week.
        return given.map { TutoringWeek(containing: $0) } ?? period.boardWeek(today: today)
    }

    // MARK: API

    struct MissingPupil: Content {
        struct Pupil: Content { let name: String; let idMasked: String; let county: String }
        let pupil: Pupil
        let sessions: Int
        let minutes: Int
    }

    struct APIResult: Content {
        let weekStart: String
        let pupils: Int
        let compliant: Int
        let missing: [MissingPupil]
    }

    /// The encoded answer is cached with the board: at 50,000 pupils it lists ~10,000 pupils (1 MB of JSON), and
    /// encoding it again for every office that opens the board would cost more than the statements saved.
    func api(req: Request) async throws -> Response {
        let campaign = try await req.roster.campaign()
        let (scope, _) = try await Self.scope(req, orgID: req.query[UUID.self, at: "orgId"])
        let week = Self.week(req, campaign)
        let board = try await ComplianceBoard.cached(req, campaign: campaign)
        let db = req.db, cipher = req.cipher
        let body = try await board.memo("api|\(week.start.iso)|\(scope.key)") {
            let groups = try await board.week(week.start, scope: scope)
            let missing = try await board.missing(week.start, scope: scope)
            let result = APIResult(weekStart: week.start.iso, pupils: groups.reduce(0) { $0 + $1.pupils }, compliant: groups.reduce(0) { $0 + $1.compliant },
                                   missing: try await Self.describe(db: db, cipher: cipher, missing))
            return ByteBuffer(data: try JSONEncoder().encode(result))
        }
        let response = Response(status: .ok, body: .init(buffer: body))
        response.headers.contentType = .json
        return response
    }

    /// Masked, with county names (a handful of counties: one lookup).
    static func describe(db: any Database, cipher: PersonalDataCipher, _ rows: [ComplianceBoard.PupilWeek]) async throws -> [MissingPupil] {
        let counties = try await RosterExport(db: db, cipher: cipher).orgNames(Set(rows.map(\.countyId)))
        return rows.map {
            MissingPupil(pupil: .init(name: $0.name, idMasked: $0.idMasked, county: counties[$0.countyId] ?? ""), sessions: $0.sessions, minutes: $0.minutes)
        }
    }

    // MARK: Page

    struct Page: Encodable {
        struct Row: Encodable { let id: UUID?; let name: String; let pupils: Int; let compliant: Int; let rate: String; let level: String }
        struct Chase: Encodable {
            let volunteer: String; let pupil: String; let county: String; let sessions: Int; let minutes: Int; let missing: Int
            let university: String
            /// How to reach the volunteer: the mobile number given at activation, else whether it has an account.
            let contact: String
        }
        let layout: Layout
        let title: String
        let crumbs: [Crumb]
        let year: Int
        let orgID: UUID?
        let week: String
        let weekEnd: String
        let prevWeek: String
        let nextWeek: String?
        let pupils: Int
        let compliant: Int
        let rate: String
        let periodRate: String
        let periodWeeks: Int
        let byUniversity: [Row]
        let byVolunteer: [Row]
        let byArea: [Row]
        let areaLabel: String
        let chase: [Chase]
        /// Pupils short this week (`chase` lists this page's, one row per pairing).
        let chaseTotal: Int
        let trendQuery: String
    }

    /// Lowest rate first, so whoever needs chasing is at the top.
    static func worstFirst(_ a: Page.Row, _ b: Page.Row) -> Bool {
        (a.compliant * 1000 / max(a.pupils, 1), a.name) < (b.compliant * 1000 / max(b.pupils, 1), b.name)
    }

    static func percent(_ n: Int, _ d: Int) -> String { d == 0 ? "—" : String(format: "%.1f%%", Double(n) * 100 / Double(d)) }
    static func level(_ n: Int, _ d: Int) -> String { d == 0 ? "none" : Double(n) / Double(d) >= 0.9 ? "green" : Double(n) / Double(d) >= 0.7 ? "amber" : "red" }

    func page(req: Request) async throws -> View {
        let campaign = try await req.roster.campaign()
        let orgID = req.query[UUID.self, at: "orgId"]
        let (scope, target) = try await Self.scope(req, orgID: orgID)
        let week = Self.week(req, campaign)
        let board = try await ComplianceBoard.cached(req, campaign: campaign)
        let groups = try await board.week(week.start, scope: scope)
        // Whole period: closed weeks only (WeeklyRule.summary), so a running week does not drag the rate down every Monday.
        let today = LocalDate(instant: req.now)
        let period = try await board.summary(asOf: today, scope: scope)
        let names = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(groups.flatMap { [$0.universityId, $0.countyId] }))

        func rows(_ key: (ComplianceBoard.Group) -> UUID, name: (UUID) -> String) -> [Page.Row] {
            Dictionary(grouping: groups, by: key).map { id, g in
                let p = g.reduce(0) { $0 + $1.pupils }, c = g.reduce(0) { $0 + $1.compliant }
                return Page.Row(id: id, name: name(id), pupils: p, compliant: c, rate: Self.percent(c, p), level: Self.level(c, p))
            }.sorted(by: Self.worstFirst)
        }
        // Areas: cities for the province, counties below.
        var areaLabel = "县（市、区）"
        var byArea = rows({ $0.countyId }, name: { names[$0] ?? "" })
        if target.kind == .province {
            areaLabel = "地市"
            let counties = try await Organization.query(on: req.db).filter(\.$id ~~ Set(groups.map(\.countyId))).all()
            let cityOf = Dictionary(uniqueKeysWithValues: counties.map { ($0.id!, $0.parentID!) })
            let cityNames = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(cityOf.values))
            byArea = rows({ cityOf[$0.countyId]! }, name: { cityNames[$0] ?? "" })
        }
        // The chase list in the table component: every short pupil, searchable by pupil or county, 50 a page.
        let missing = try await board.missing(week.start, scope: scope)
        let missingCounties = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(missing.map(\.countyId)))
        let table = try TableQuery(req, sorts: ["pupil", "county", "minutes"])
        let pageOfMissing = table.page(missing.filter { table.matches($0.name, missingCounties[$0.countyId]) }, request: req) { m, key in
            switch key {
            case "county": missingCounties[m.countyId] ?? ""
            case "minutes": String(m.minutes)
            default: m.name
            }
        }
        let chase = try await Self.chaseRows(req, campaign, pageOfMissing)
        // University → volunteer: who is behind, worst first (the chase list below names their pupils).
        let byVolunteer = target.kind != .university ? [] : try await board.volunteers(week.start, scope: scope).map {
            Page.Row(id: nil, name: $0.name, pupils: $0.pupils, compliant: $0.compliant, rate: Self.percent($0.compliant, $0.pupils),
                     level: Self.level($0.compliant, $0.pupils))
        }.sorted(by: Self.worstFirst)
        let pupils = groups.reduce(0) { $0 + $1.pupils }, compliant = groups.reduce(0) { $0 + $1.compliant }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "campaign", value: String(campaign.year))] + (orgID.map { [URLQueryItem(name: "orgId", value: $0.uuidString)] } ?? [])
        let next = week.next
        return try await req.view.render("compliance", Page(
            layout: await Layout.build(for: req, title: "每周达标"), title: target.name,
            crumbs: try await Layout.crumbs(req, board: "/compliance", campaign: campaign.year, target: target), year: campaign.year, orgID: orgID,
            week: week.start.iso, weekEnd: week.end.iso, prevWeek: week.start.adding(days: -7).iso,
            nextWeek: next.start <= today ? next.start.iso : nil, pupils: pupils, compliant: compliant, rate: Self.percent(compliant, pupils),
            periodRate: Self.percent(period.compliantPupilWeeks, period.pupilWeeks), periodWeeks: period.weeks.filter(\.closed).count,
            byUniversity: target.kind == .university ? [] : rows({ $0.universityId }, name: { names[$0] ?? "" }), byVolunteer: byVolunteer,
            byArea: byArea, areaLabel: areaLabel, chase: chase, chaseTotal: missing.count, trendQuery: query.percentEncodedQuery ?? ""))
    }

    /// The pairings of pupils still short this week: each volunteer with what its pupil is missing, in the order given.
    static func chaseRows(_ req: Request, _ campaign: Campaign, _ shown: [ComplianceBoard.PupilWeek]) async throws -> [Page.Chase] {
        var rows: [Page.Chase] = []
        let pairings = try await shown.map(\.pupilHash).chunked(into: 500).asyncFlatMap { chunk in
            try await Pairing.query(on: req.db).filter(\.$campaignID == campaign.id!).filter(\.$pupilIDHash ~~ Array(chunk)).all()
        }
        let byPupil = Dictionary(grouping: pairings, by: \.pupilIDHash)
        let names = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(pairings.flatMap { [$0.countyID, $0.universityID] }))
        let counties = names
        let accounts = try await Array(Set(pairings.map(\.volunteerIDHash))).chunked(into: 500).asyncFlatMap { chunk in
            try await User.query(on: req.db).filter(\.$role == .volunteer).filter(\.$volunteerIDHash ~~ Array(chunk)).all()
        }
        let contactOf = Dictionary(accounts.compactMap { u in u.volunteerIDHash.map { ($0, u.phone ?? "已激活，未留手机号") } },
                                   uniquingKeysWith: { a, _ in a })
        for m in shown {
            for p in byPupil[m.pupilHash] ?? [] {
                rows.append(Page.Chase(volunteer: p.volunteerName, pupil: p.pupilName, county: counties[p.countyID] ?? "",
                                       sessions: m.sessions, minutes: m.minutes, missing: max(0, WeeklyRule.minimumMinutes - m.minutes),
                                       university: names[p.universityID] ?? "", contact: contactOf[p.volunteerIDHash] ?? "未激活账户"))
            }
        }
        return rows
    }

    func chaseExport(req: Request) async throws -> Response {
        let campaign = try await req.roster.campaign()
        let (scope, target) = try await Self.scope(req, orgID: req.query[UUID.self, at: "orgId"])
        let week = Self.week(req, campaign)
        let missing = try await ComplianceBoard.cached(req, campaign: campaign).missing(week.start, scope: scope)
        let chase = try await Self.chaseRows(req, campaign, missing).sorted { ($0.volunteer, $0.pupil) < ($1.volunteer, $1.pupil) }
        // Titled and named with the real week: 待督促-2022-08-01至08-07.xlsx.
        let span = "\(week.start.iso)至\(week.end.iso.dropFirst(5))"
        return try VolunteerController.workbook(req, name: "待督促", filename: "待督促-\(span)",
                                                title: "\(target.name) \(span)未达标学生（每周至少1次、合计60分钟）",
            header: ["结对志愿者", "所在高校", "联系方式", "学生", "所在县（市、区）", "本周次数", "本周分钟", "还差分钟"],
            rows: chase.map { [.string($0.volunteer), .string($0.university), .string($0.contact), .string($0.pupil), .string($0.county),
                               .number(Double($0.sessions)), .number(Double($0.minutes)), .number(Double($0.missing))] },
            textColumns: [3])
    }

    /// The weekly trend as a small SVG drawn on the server (no script, no CDN).
    func trend(req: Request) async throws -> Response {
        let campaign = try await req.roster.campaign()
        let (scope, _) = try await Self.scope(req, orgID: req.query[UUID.self, at: "orgId"])
        let summary = try await ComplianceBoard.cached(req, campaign: campaign).summary(asOf: LocalDate(instant: req.now), scope: scope)
        let response = Response(status: .ok, body: .init(string: TrendChart.svg(summary.weeks.map { ($0.week.start.iso, $0.rate ?? 0, $0.pupils) })))
        response.headers.replaceOrAdd(name: .contentType, value: "image/svg+xml; charset=utf-8")
        return response
    }
}

extension Array {
    func asyncFlatMap<T>(_ transform: (Element) async throws -> [T]) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out += try await transform(e) }
        return out
    }
}

enum TrendChart {
    /// A line of weekly compliance rates (0–100%) with the 90% line; labels in Chinese.
    static func svg(_ points: [(week: String, rate: Double, pupils: Int)]) -> String {
        let w = 720.0, h = 284.0, left = 44.0, right = 12.0, top = 16.0, bottom = 64.0
        let plotW = w - left - right, plotH = h - top - bottom
        let n = max(points.count - 1, 1)
        func x(_ i: Int) -> Double { left + plotW * Double(i) / Double(n) }
        func y(_ r: Double) -> Double { top + plotH * (1 - r) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"img\" aria-label=\"每周达标率趋势\" font-family=\"sans-serif\" font-size=\"11\">"
        for r in stride(from: 0.0, through: 1.0, by: 0.25) {
            s += "<line x1=\"\(left)\" y1=\"\(y(r))\" x2=\"\(w - right)\" y2=\"\(y(r))\" stroke=\"#e3e3e3\"/><text x=\"\(left - 6)\" y=\"\(y(r) + 4)\" text-anchor=\"end\" fill=\"#666\">\(Int(r * 100))%</text>"
        }
        s += "<line x1=\"\(left)\" y1=\"\(y(0.9))\" x2=\"\(w - right)\" y2=\"\(y(0.9))\" stroke=\"#1f7a3a\" stroke-dasharray=\"4 3\"/>"
        if points.isEmpty {
            s += "<text x=\"\(w / 2)\" y=\"\(h / 2)\" text-anchor=\"middle\" fill=\"#666\">暂无数据</text>"
        } else {
            let path = points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(String(format: "%.1f", x($0.offset))),\(String(format: "%.1f", y($0.element.rate)))" }.joined()
            s += "<path d=\"\(path)\" fill=\"none\" stroke=\"#c8161d\" stroke-width=\"2\"/>"
            for (i, p) in points.enumerated() {
                s += "<circle cx=\"\(String(format: "%.1f", x(i)))\" cy=\"\(String(format: "%.1f", y(p.rate)))\" r=\"3\" fill=\"#c8161d\"><title>\(p.week) 周：\(String(format: "%.1f", p.rate * 100))%（\(p.pupils)名学生）</title></circle>"
                if points.count <= 12 || i % max(1, points.count / 8) == 0 {
                    s += "<text x=\"\(String(format: "%.1f", x(i)))\" y=\"\(h - bottom + 16)\" text-anchor=\"middle\" fill=\"#666\">\(p.week.dropFirst(5))</text>"
                }
            }
        }
        // The legend: what each line is.
        let ly = h - 14
        s += "<g class=\"legend\"><line x1=\"\(left)\" y1=\"\(ly - 4)\" x2=\"\(left + 28)\" y2=\"\(ly - 4)\" stroke=\"#c8161d\" stroke-width=\"2\"/>"
            + "<text x=\"\(left + 34)\" y=\"\(ly)\" fill=\"#222\">每周达标率（学生达标人数 ÷ 应达标人数）</text>"
            + "<line x1=\"\(left + 330)\" y1=\"\(ly - 4)\" x2=\"\(left + 358)\" y2=\"\(ly - 4)\" stroke=\"#1f7a3a\" stroke-dasharray=\"4 3\"/>"
            + "<text x=\"\(left + 364)\" y=\"\(ly)\" fill=\"#222\">90% 参考线</text></g>"
        return s + "</svg>"
    }
}
