// 领头雁 and skills training pages: a unit's classes against its quotas (new class, list), one class with its
// sign-in sheet (upload, blank sheet with the session columns, masked export).
import Fluent
import LiangbangCore
import Spreadsheet
import Vapor

struct TrainingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer)).grouped("trainings")
        pages.get(use: list)
        pages.get(":classID", use: show)
        pages.get(":classID", "attendance.xlsx", use: export)
        let writers = pages.grouped(RequireRole(.admin, .staff))
        writers.post(use: add)
        writers.post(":classID", "delete", use: delete)
        writers.get(":classID", "sign-in.xlsx", use: template)
    }

    static func back(campaign: Int?, orgID: UUID?) -> String { Layout.link("/trainings", campaign: campaign, orgID: orgID) }

    struct Option: Encodable { let value: String; let label: String }
    struct ClassRow: Encodable { let id: UUID; let title, kind, organiser, dates: String; let sessions, personTimes, trainees: Int }
    struct QuotaRow: Encodable { let wording: String; let actual: Int; let minimum: Int; let met: Bool }

    struct Page: Encodable {
        let layout: Layout
        let year: Int
        let years: [Int]
        let orgID: UUID
        let unit: String
        let canWrite: Bool
        let rows: [ClassRow]
        let quotas: [QuotaRow]
        let kinds: [Option]
        let modes: [Option]
        let counties: [Option]
    }

    func list(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let org = try await req.trainings.unit(req.query[UUID.self, at: "orgId"])
        let me = try req.access.current
        let classes = try await req.trainings.list(campaign: campaign, org: org)
        let names = Dictionary(uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Array(Set(classes.map(\.orgID)))).all().map { ($0.id!, $0.name) })
        // The unit's own classes against the campaign's training quotas for its kind: the same rule as the board.
        let own = classes.filter { $0.orgID == org.id }
        let counts = ActivityCounts(trainingClasses: own.count, trainingPersonTimes: own.map(\.personTimes).max() ?? 0,
                                    trainingTrainees: own.map(\.trainees).max() ?? 0)
        let rules = try await CampaignQuota.query(on: req.db).filter(\.$campaignID == campaign.id!).all().map(\.rule)
            .filter { [.trainingClasses, .trainingPersonTimes, .trainingTrainees].contains($0.metric) }
        let unmet = QuotaEvaluator.evaluate(kind: org.kind, counts: counts, rules: rules)
        let counties = try await Organization.query(on: req.db).filter(\.$kind == .county).filter(\.$path =~ org.path).sort(\.$code).all()
        return try await req.view.render("trainings", Page(
            layout: await Layout.build(for: req, title: "培训"), year: campaign.year,
            years: try await Campaign.query(on: req.db).sort(\.$year, .descending).all(\.$year), orgID: org.id!, unit: org.name,
            canWrite: me.user.role.canWrite && AccessPolicy.write(by: me.actor, orgPath: org.path) == .allowed,
            rows: classes.map { ClassRow(id: $0.id!, title: $0.title, kind: $0.trainingKind.label, organiser: names[$0.orgID] ?? "",
                                         dates: "\($0.startDate)至\($0.endDate)", sessions: $0.sessions.count, personTimes: $0.personTimes, trainees: $0.trainees) },
            quotas: QuotaEvaluator.applicable(kind: org.kind, rules: rules).map { r in
                QuotaRow(wording: r.wording, actual: counts[r.metric], minimum: r.minimum, met: !unmet.contains(r)) },
            kinds: TrainingKind.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            modes: TrainingMode.allCases.map { Option(value: $0.rawValue, label: $0.label) },
            counties: counties.map { Option(value: $0.id!.uuidString, label: $0.name) }))
    }

    func add(req: Request) async throws -> Response {
        let form = try req.content.decode(TrainingForm.self)
        return try await req.formAction(back: Self.back(campaign: form.campaign, orgID: form.orgId),
                                         fields: ["title": "title", "kind": "kind", "mode": "mode", "countyId": "county", "startDate": "startDate",
                                                  "endDate": "endDate", "sessionDates": "sessions"],
                                         page: { try await list(req: req) }) {
            let c = try await req.trainings.create(form)
            return "已登记培训班：\(c.title)，请在培训后上传签到表"
        }
    }

    func delete(req: Request) async throws -> Response {
        let (c, _, _) = try await req.trainings.readable(req.parameters.get("classID", as: UUID.self))
        return try await req.formAction(back: Self.back(campaign: try await EmploymentAPIController.year(req, c.campaignID), orgID: c.orgID)) {
            try await req.trainings.delete(c.id)
            return "已删除培训班“\(c.title)”及其签到记录"
        }
    }

    struct Attendee: Encodable { let name, sex, id, phone, county, category: String; let marks: [Bool]; let total: Int }
    struct ClassPage: Encodable {
        let layout: Layout
        let back: String
        let id: UUID
        let year: Int
        let title, kind, mode, organiser, county, dates: String
        let sessions: [String]
        let personTimes, trainees: Int
        let attendees: [Attendee]
        let canWrite: Bool
    }

    func show(req: Request) async throws -> View {
        let (c, unit, canWrite) = try await req.trainings.readable(req.parameters.get("classID", as: UUID.self))
        let year = try await EmploymentAPIController.year(req, c.campaignID)
        let rows = try await TrainingAttendee.query(on: req.db).filter(\.$classID == c.id!).sort(\.$name).all()
        let county = try await c.countyID.asyncMap { try await Organization.find($0, on: req.db)?.name } ?? nil
        let sessions = c.sessions.map(\.iso)
        return try await req.view.render("training", ClassPage(
            layout: await Layout.build(for: req, title: c.title), back: Self.back(campaign: year, orgID: unit.id), id: c.id!, year: year,
            title: c.title, kind: c.trainingKind.label, mode: TrainingMode(rawValue: c.mode)?.label ?? c.mode, organiser: unit.name,
            county: county ?? "", dates: "\(c.startDate)至\(c.endDate)", sessions: sessions, personTimes: c.personTimes, trainees: c.trainees,
            attendees: rows.map { a in
                let signed = Set(a.attended.split(separator: ",").map(String.init))
                return Attendee(name: a.name, sex: a.sex, id: a.idMasked, phone: a.phoneMasked, county: a.county,
                                category: TraineeCategory(rawValue: a.category)?.label ?? "", marks: sessions.map { signed.contains($0) }, total: signed.count)
            }, canWrite: canWrite))
    }

    /// The blank sign-in sheet of this class: the fixed columns, then one per session date.
    func template(req: Request) async throws -> Response {
        let (c, _) = try await req.trainings.writable(req.parameters.get("classID", as: UUID.self))
        let header = SignInColumn.fixed.map(\.title) + c.sessions.map { "\($0.month)月\($0.day)日" }
        return try VolunteerController.workbook(req, name: "签到表", filename: "签到表-\(c.title)",
            title: "\(c.title)签到表（身份证号、手机号至少填一项；到场在当天一栏打“√”）", header: header, rows: [], textColumns: [3, 4])
    }

    /// Masked: the sheet is for counting, not for contacting.
    func export(req: Request) async throws -> Response {
        let (c, _, _) = try await req.trainings.readable(req.parameters.get("classID", as: UUID.self))
        let rows = try await TrainingAttendee.query(on: req.db).filter(\.$classID == c.id!).sort(\.$name).all()
        let sessions = c.sessions
        return try VolunteerController.workbook(req, name: "签到表", filename: "签到情况-\(c.title)",
            title: "\(c.title)签到情况（\(c.personTimes)人次、\(c.trainees)人；身份证号、手机号已打码）",
            header: SignInColumn.fixed.map(\.title) + sessions.map { "\($0.month)月\($0.day)日" } + ["签到次数"],
            rows: rows.map { a in
                let signed = Set(a.attended.split(separator: ",").map(String.init))
                return [.string(a.name), .string(a.sex), .string(a.idMasked), .string(a.phoneMasked), .string(a.county),
                        .string(TraineeCategory(rawValue: a.category)?.label ?? "")] + sessions.map { .string(signed.contains($0.iso) ? "√" : "") }
                    + [.number(Double(a.sessionsAttended))]
            }, textColumns: [3, 4])
    }
}

/// A class's sign-in sheet on the web's import pipeline: the upload's target is the class.
enum AttendanceImportForm: RegisterImportForm {
    static let name = "attendance"
    static let title = "导入培训签到表"
    static let backLabel = "培训班"
    static let what = "培训签到表"
    static let defaultMode = ImportMode.replace
    static var columns: [ColumnSpec] { SignInColumn.fixed }
    static func back(campaign: Int?, orgID: UUID?) -> String { TrainingController.back(campaign: campaign, orgID: orgID) }
    static func back(campaign: Int?, orgID: UUID?, target: UUID?) -> String { target.map { "/trainings/\($0)" } ?? back(campaign: campaign, orgID: orgID) }
    static func writableUnit(_ req: Request, _ orgID: UUID?) async throws -> Organization { throw AppError.invalid("请从培训班页面上传签到表") }
    static func writableUnit(_ req: Request, _ orgID: UUID?, target: UUID?) async throws -> Organization { try await req.trainings.writable(target).1 }
    static func spec(_ req: Request, _ campaign: Campaign, _ unit: Organization) async throws -> AttendanceSpec {
        req.trainings.attendanceSpec(try await req.trainings.writable(req.importTarget).0)
    }
    /// The error workbook holds the ID numbers and phones as uploaded.
    static func willSendErrorWorkbook(_ req: Request, pending: PendingImport, unit: Organization) async {
        await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(unit.name)上传的培训签到表）")
    }
}
