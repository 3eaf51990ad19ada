// 成长陪伴's JSON API: camps and their participant lists, letter pairs and letters, 南粤会亲 matches and visits,
// 手拉手 pairs and their activities.
import Fluent
import LiangbangCore
import Vapor

struct CompanionAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("camps", use: camps)
        api.get("camps", ":campID", use: camp)
        api.get("letter-pairs") { try await matches($0, .letter) }
        api.get("family-matches") { try await matches($0, .family) }
        api.get("hand-in-hand") { try await matches($0, .handInHand) }
        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("camps", use: createCamp)
        writers.on(.POST, "camps", ":campID", "participants", "import", body: .collect(maxSize: "20mb"), use: importParticipants)
        writers.post("letter-pairs") { try await create($0, .letter) }
        writers.post("family-matches") { try await create($0, .family) }
        writers.post("hand-in-hand") { try await create($0, .handInHand) }
        writers.post("letter-pairs", ":matchID", "letters") { try await contact($0, .letter) }
        writers.post("family-matches", ":matchID", "visits") { try await contact($0, .family) }
        writers.post("hand-in-hand", ":matchID", "activities") { try await contact($0, .handInHand) }
    }

    struct CampDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, kind: String, kindLabel: String, title: String, place: String, startDate: String, endDate: String
        let children: Int, volunteers: Int, consentGaps: Int
        init(_ c: Camp, year: Int) {
            id = c.id!; campaign = year; orgId = c.orgID; kind = c.kind; kindLabel = CampKind(rawValue: c.kind)?.label ?? c.kind; title = c.title
            place = c.place; startDate = c.startDate; endDate = c.endDate; children = c.children; volunteers = c.volunteers; consentGaps = c.consentGaps
        }
    }

    struct ParticipantDTO: Content {
        let id: UUID, name: String, idMasked: String, role: String, age: Int, consentGiven: Bool, consentOn: String, consentGap: Bool
        init(_ p: CampParticipant) {
            id = p.id!; name = p.name; idMasked = p.idMasked; role = p.isChild ? "营员" : "志愿者"; age = p.age
            consentGiven = p.consentGiven; consentOn = p.consentOn; consentGap = p.consentGap
        }
    }

    struct MatchDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, kind: String, subject: String, subjectIdMasked: String, partner: String, partnerKind: String
        let startedOn: String, contacts: Int, lastContactOn: String, dueOn: String?, flagged: Bool, consentGap: Bool
        init(_ m: CompanionMatch, year: Int, today: LocalDate) {
            id = m.id!; campaign = year; orgId = m.orgID; kind = m.kind; subject = m.subject; subjectIdMasked = m.subjectIDMasked; partner = m.partner
            partnerKind = m.partnerKind; startedOn = m.startedOn; contacts = m.contacts; lastContactOn = m.lastContactOn
            dueOn = m.dueOn.isEmpty ? nil : m.dueOn; flagged = !m.dueOn.isEmpty && m.dueOn < today.iso
            consentGap = m.companionKind != .handInHand && GuardianConsent.isGap(age: m.age, given: m.consentGiven, on: LocalDate(iso: m.consentOn))
        }
    }

    func camps(req: Request) async throws -> ItemList<CampDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.companions.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.companions.camps(campaign: campaign, org: org).map { CampDTO($0, year: campaign.year) })
    }

    struct CampDetail: Content { let camp: CampDTO; let participants: [ParticipantDTO] }

    func camp(req: Request) async throws -> CampDetail {
        let (c, _, _) = try await req.companions.camp(req.parameters.get("campID", as: UUID.self))
        return CampDetail(camp: CampDTO(c, year: try await HotlineAPIController.year(req, c.campaignID)),
                          participants: try await req.companions.participants(c).map(ParticipantDTO.init))
    }

    func createCamp(req: Request) async throws -> Response {
        let c = try await req.companions.createCamp(try req.content.decode(CampForm.self))
        return try await CampDTO(c, year: try await HotlineAPIController.year(req, c.campaignID)).encodeResponse(status: .created, for: req)
    }

    /// The camp's list through the same importer as the page (replace by default): 200 with the report, 422 with every problem.
    func importParticipants(req: Request) async throws -> Response {
        let (c, org) = try await req.access.writableRecord(Camp.self, req.parameters.get("campID", as: UUID.self), unit: \.orgID, what: "该营地")
        return try await RegisterUpload.run(req, defaultMode: .replace) { _, _ in (req.companions.participantSpec(c), org.name + "导入营员名单") }
    }

    func matches(_ req: Request, _ kind: CompanionKind) async throws -> ItemList<MatchDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.companions.unit(req.query[UUID.self, at: "orgId"])
        let today = req.companions.today
        return ItemList(try await req.companions.matches(campaign: campaign, org: org, kind: kind).map { MatchDTO($0, year: campaign.year, today: today) })
    }

    func create(_ req: Request, _ kind: CompanionKind) async throws -> Response {
        let m = try await req.companions.createMatch(kind, try req.content.decode(MatchForm.self))
        return try await MatchDTO(m, year: try await HotlineAPIController.year(req, m.campaignID), today: req.companions.today).encodeResponse(status: .created, for: req)
    }

    func contact(_ req: Request, _ kind: CompanionKind) async throws -> Response {
        let c = try await req.companions.addContact(req.parameters.get("matchID", as: UUID.self), kind: kind, try req.content.decode(ContactForm.self))
        struct DTO: Content { let id: UUID; let kind: String; let on: String }
        return try await DTO(id: c.id!, kind: c.kind, on: c.on).encodeResponse(status: .created, for: req)
    }
}
