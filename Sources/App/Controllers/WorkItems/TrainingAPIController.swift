// 领头雁 and skills training's JSON API: classes, their sign-in sheets (the import), and the list with each class's
// person-times and trainees.
import Fluent
import LiangbangCore
import Vapor

struct TrainingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "trainings").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get(use: list)
        api.get(":classID", use: show)
        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post(use: create)
        writers.delete(":classID", use: delete)
        writers.on(.POST, ":classID", "attendance", "import", body: .collect(maxSize: "20mb"), use: importSheet)
    }

    struct ClassDTO: Content {
        let id: UUID, campaign: Int, orgId: UUID, title: String, kind: String, kindLabel: String, mode: String
        let countyId: UUID?, startDate: String, endDate: String, sessionDates: [String], personTimes: Int, trainees: Int
        init(_ c: TrainingClass, year: Int) {
            id = c.id!; campaign = year; orgId = c.orgID; title = c.title; kind = c.kind; kindLabel = c.trainingKind.label; mode = c.mode
            countyId = c.countyID; startDate = c.startDate; endDate = c.endDate; sessionDates = c.sessions.map(\.iso)
            personTimes = c.personTimes; trainees = c.trainees
        }
    }

    func list(req: Request) async throws -> ItemList<ClassDTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.trainings.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.trainings.list(campaign: campaign, org: org).map { ClassDTO($0, year: campaign.year) })
    }

    func show(req: Request) async throws -> ClassDTO {
        let (c, _, _) = try await req.trainings.readable(req.parameters.get("classID", as: UUID.self))
        return ClassDTO(c, year: try await EmploymentAPIController.year(req, c.campaignID))
    }

    func create(req: Request) async throws -> Response {
        let c = try await req.trainings.create(try req.content.decode(TrainingForm.self))
        return try await ClassDTO(c, year: try await EmploymentAPIController.year(req, c.campaignID)).encodeResponse(status: .created, for: req)
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.trainings.delete(req.parameters.get("classID", as: UUID.self))
        return .noContent
    }

    /// The sign-in sheet as the office filled it: the class's whole attendance (replace by default).
    func importSheet(req: Request) async throws -> Response {
        let (c, unit) = try await req.trainings.writable(req.parameters.get("classID", as: UUID.self))
        let spec = req.trainings.attendanceSpec(c)
        return try await RegisterUpload.run(req, defaultMode: .replace) { _, _ in (spec, "\(unit.name)导入培训班“\(c.title)”签到表") }
    }
}
