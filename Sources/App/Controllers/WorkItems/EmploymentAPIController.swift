// 低收入家庭就业帮扶's JSON API: cadres, graduates (and their import), guidance, recommended positions and their
// course, the board.
import Fluent
import LiangbangCore
import Vapor

struct EmploymentAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("employment", use: board)
        api.get("graduates", ":graduateID", use: graduate)

        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("cadres", use: createCadre)
        writers.delete("cadres", ":cadreID", use: deleteCadre)
        writers.post("graduates", use: createGraduate)
        writers.on(.POST, "graduates", "import", body: .collect(maxSize: "20mb"), use: importFile)
        writers.delete("graduates", ":graduateID", use: deleteGraduate)
        // Full ID numbers and the hardship category go to the audit log: a POST, never a link to follow.
        writers.post("graduates", ":graduateID", "reveal", use: reveal)
        writers.post("graduates", ":graduateID", "jobs", use: addJob)
        writers.post("graduates", ":graduateID", "guidance", use: addGuidance)
        writers.patch("jobs", ":jobID", use: changeJob)
        writers.delete("jobs", ":jobID", use: deleteJob)
    }

    struct CadreDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, name: String, position: String, userId: UUID?
        init(_ c: EmploymentCadre, year: Int) { id = c.id!; campaign = year; orgId = c.orgID; name = c.name; position = c.position; userId = c.userID }
    }

    struct GraduateDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, cadreId: UUID, name: String, idMasked: String, major: String, graduation: String
        init(_ g: EmploymentGraduate, year: Int) {
            id = g.id!; campaign = year; orgId = g.orgID; cadreId = g.cadreID; name = g.name; idMasked = g.idMasked; major = g.major; graduation = g.graduation
        }
    }

    struct JobDTO: Content {
        let id: UUID, graduateId: UUID, employer: String, position: String, city: String, recommendedOn: String
        let outcome: String, outcomeLabel: String, outcomeOn: String, changes: [JobRecommendation.Change]
        init(_ j: JobRecommendation) {
            id = j.id!; graduateId = j.graduateID; employer = j.employer; position = j.position; city = j.city; recommendedOn = j.recommendedOn
            outcome = j.outcome; outcomeLabel = j.jobOutcome.label; outcomeOn = j.outcomeOn; changes = j.changes
        }
    }

    struct GuidanceDTO: Content {
        let id: UUID, graduateId: UUID, on: String, mode: String, modeLabel: String, note: String
        init(_ g: EmploymentGuidance) {
            id = g.id!; graduateId = g.graduateID; on = g.givenOn; mode = g.mode; modeLabel = GuidanceMode(rawValue: g.mode)?.label ?? g.mode; note = g.note
        }
    }

    struct GraduateDetail: Content {
        let graduate: GraduateDTO
        let cadre: String
        let jobs: [JobDTO]
        let guidance: [GuidanceDTO]
        let meetsRule: Bool
    }

    static func year(_ req: Request, _ campaignID: UUID) async throws -> Int { try await Campaign.find(campaignID, on: req.db)?.year ?? 0 }

    func board(req: Request) async throws -> EmploymentBoard.DTO {
        let campaign = try await req.access.campaign()
        return try await EmploymentBoard.build(req, campaign: campaign, org: try await req.employment.unit(req.query[UUID.self, at: "orgId"]))
    }

    func createCadre(req: Request) async throws -> Response {
        let c = try await req.employment.createCadre(try req.content.decode(CadreForm.self))
        return try await CadreDTO(c, year: try await Self.year(req, c.campaignID)).encodeResponse(status: .created, for: req)
    }

    func deleteCadre(req: Request) async throws -> HTTPStatus {
        try await req.employment.deleteCadre(req.parameters.get("cadreID", as: UUID.self))
        return .noContent
    }

    func createGraduate(req: Request) async throws -> Response {
        let g = try await req.employment.createGraduate(try req.content.decode(GraduateForm.self))
        return try await GraduateDTO(g, year: try await Self.year(req, g.campaignID)).encodeResponse(status: .created, for: req)
    }

    static func detail(_ req: Request, _ g: EmploymentGraduate) async throws -> GraduateDetail {
        let jobs = try await JobRecommendation.query(on: req.db).filter(\.$graduateID == g.id!).sort(\.$recommendedOn).sort(\.$createdAt).all()
        let guidance = try await EmploymentGuidance.query(on: req.db).filter(\.$graduateID == g.id!).sort(\.$givenOn).all()
        let cadre = try await EmploymentCadre.find(g.cadreID, on: req.db)?.name ?? ""
        return GraduateDetail(graduate: GraduateDTO(g, year: try await year(req, g.campaignID)), cadre: cadre, jobs: jobs.map(JobDTO.init),
                              guidance: guidance.map(GuidanceDTO.init), meetsRule: EmploymentRules.graduateMeetsRule(recommendations: jobs.count))
    }

    func graduate(req: Request) async throws -> GraduateDetail {
        try await Self.detail(req, try await req.employment.graduate(req.parameters.get("graduateID", as: UUID.self)).0)
    }

    func deleteGraduate(req: Request) async throws -> HTTPStatus {
        try await req.employment.deleteGraduate(req.parameters.get("graduateID", as: UUID.self))
        return .noContent
    }

    struct Revealed: Content { let id: UUID; let idNumber: String; let hardship: String; let hardshipLabel: String }

    func reveal(req: Request) async throws -> Revealed {
        let (g, id, hardship) = try await req.employment.reveal(req.parameters.get("graduateID", as: UUID.self))
        return Revealed(id: g.id!, idNumber: id, hardship: hardship.rawValue, hardshipLabel: hardship.label)
    }

    func addJob(req: Request) async throws -> Response {
        let job = try await req.employment.addJob(req.parameters.get("graduateID", as: UUID.self), try req.content.decode(JobForm.self))
        return try await JobDTO(job).encodeResponse(status: .created, for: req)
    }

    func addGuidance(req: Request) async throws -> Response {
        let g = try await req.employment.addGuidance(req.parameters.get("graduateID", as: UUID.self), try req.content.decode(GuidanceForm.self))
        return try await GuidanceDTO(g).encodeResponse(status: .created, for: req)
    }

    func changeJob(req: Request) async throws -> JobDTO {
        struct Change: Content { var outcome: String?; var on: String? }
        let change = try req.content.decode(Change.self)
        return JobDTO(try await req.employment.changeJob(req.parameters.get("jobID", as: UUID.self), outcome: change.outcome, on: change.on))
    }

    func deleteJob(req: Request) async throws -> HTTPStatus {
        _ = try await req.employment.deleteJob(req.parameters.get("jobID", as: UUID.self))
        return .noContent
    }

    /// The graduates workbook through the same importer as the page: 200 with the report, or 422 with every problem.
    func importFile(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, orgID in
            let unit = try await req.employment.writableUniversity(orgID)
            return (try await req.employment.graduateSpec(campaign, unit), unit.name + "导入就业帮扶毕业生")
        }
    }
}
