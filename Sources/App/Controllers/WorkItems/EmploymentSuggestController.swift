// 就业帮扶's 建议配对: which graduates to move so that as many cadres as possible guide 3–5 (the engine of 智能结对,
// `CadreBalance`), shown with reasons, and applied in one transaction under the register's write lock.
import Fluent
import LiangbangCore
import Vapor

struct EmploymentSuggestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff)).grouped("employment", "suggest")
        writers.get(use: page)
        writers.post(use: apply)
    }

    /// The suggestion for a university's register as it stands now.
    static func suggestion(_ db: any Database, campaign: Campaign, unit: Organization) async throws -> (CadreSuggestion, [UUID: EmploymentGraduate]) {
        let cadres = try await EmploymentCadre.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).sort(\.$name).all()
        let graduates = try await EmploymentGraduate.query(on: db).filter(\.$campaignID == campaign.id!).filter(\.$orgID == unit.id!).sort(\.$name).all()
        let suggestion = CadreBalance.suggest(
            cadres: cadres.map { CadreSeat(key: $0.id!.uuidString, name: $0.name, position: $0.position) },
            graduates: graduates.map { GraduateSeat(key: $0.id!.uuidString, name: $0.name, major: $0.major, cadreKey: $0.cadreID.uuidString) })
        return (suggestion, Dictionary(uniqueKeysWithValues: graduates.map { ($0.id!, $0) }))
    }

    struct MoveRow: Encodable { let graduate, major, from, to: String; let reasons: [String] }

    struct Page: Encodable {
        let layout: Layout
        let year: Int
        let orgID: UUID
        let unit: String
        let back: String
        let cadres, meetingBefore, meetingAfter: Int
        let moves: [MoveRow]
    }

    func page(req: Request) async throws -> View {
        let campaign = try await req.access.campaign()
        let unit = try await req.employment.writableUniversity(req.query[UUID.self, at: "orgId"])
        let (s, graduates) = try await Self.suggestion(req.db, campaign: campaign, unit: unit)
        let rows = s.moves.map { m in
            MoveRow(graduate: m.graduate, major: UUID(uuidString: m.graduateKey).flatMap { graduates[$0]?.major } ?? "", from: m.from, to: m.to, reasons: m.reasons)
        }
        return try await req.view.render("employment-suggest", Page(
            layout: await Layout.build(for: req, title: "就业帮扶·建议配对"), year: campaign.year, orgID: unit.id!, unit: unit.name,
            back: EmploymentController.back(campaign: campaign.year, orgID: unit.id), cadres: s.cadres, meetingBefore: s.meetingBefore,
            meetingAfter: s.meetingAfter, moves: rows))
    }

    struct Form: Content { var campaign: Int?; var orgId: UUID? }

    /// Recomputed under the lock from the register as it is then: a double click finds nothing left to move.
    func apply(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        return try await req.formAction(back: EmploymentController.back(campaign: form.campaign, orgID: form.orgId)) {
            let campaign = try await req.access.campaign(form.campaign)
            let unit = try await req.employment.writableUniversity(form.orgId)
            let moved = try await req.db.writeTransaction(lock: unit.id) { tx in
                let (s, graduates) = try await Self.suggestion(tx, campaign: campaign, unit: unit)
                for m in s.moves {
                    guard let id = UUID(uuidString: m.graduateKey), let g = graduates[id], let to = UUID(uuidString: m.toKey) else { continue }
                    g.cadreID = to
                    try await g.update(on: tx)
                }
                return s.moves.count
            }
            req.auditDetail = "\(unit.name)按建议调整就业帮扶结对：\(moved)名毕业生更换了团干部"
            return moved == 0 ? "无需调整：已没有可以调整的结对" : "已按建议调整\(moved)名毕业生的结对团干部"
        }
    }
}
