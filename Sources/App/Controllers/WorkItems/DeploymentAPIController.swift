// The 希望乡村教师 register's JSON API: postings (add, change or end early, remove), the xlsx import, and each
// school's coverage with its gaps and relays due.
import Fluent
import LiangbangCore
import Vapor

struct DeploymentAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1", "deployments").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get(use: list)
        api.get("coverage", use: coverage)

        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post(use: create)
        writers.on(.POST, "import", body: .collect(maxSize: "20mb"), use: importFile)
        writers.patch(":deploymentID", use: update)
        writers.delete(":deploymentID", use: delete)
    }

    struct DTO: Content {
        let id: UUID
        let campaign: Int
        let orgId: UUID
        let volunteerName, volunteerIdMasked, sex, programme, programmeLabel: String
        let universityId: UUID?
        let school: String
        let countyId: UUID
        let subject, startDate, endDate: String
        let endedOn, endReason: String?

        init(_ d: Deployment, year: Int) {
            id = d.id!; campaign = year; orgId = d.orgID; volunteerName = d.volunteerName; volunteerIdMasked = d.volunteerIDMasked
            sex = d.sex; programme = d.programme; programmeLabel = d.programmeLabel; universityId = d.universityID; school = d.school
            countyId = d.countyID; subject = d.subject; startDate = d.startDate; endDate = d.endDate; endedOn = d.endedOn; endReason = d.endReason
        }
    }

    func list(req: Request) async throws -> ItemList<DTO> {
        let campaign = try await req.access.campaign()
        let org = try await req.deployments.unit(req.query[UUID.self, at: "orgId"])
        return ItemList(try await req.deployments.list(campaign: campaign, org: org).map { DTO($0, year: campaign.year) })
    }

    func create(req: Request) async throws -> Response {
        let d = try await req.deployments.create(try req.content.decode(DeploymentForm.self))
        return try await DTO(d, year: try await Self.year(req, d)).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> DTO {
        let d = try await req.deployments.update(req.parameters.get("deploymentID", as: UUID.self), try req.content.decode(DeploymentForm.self))
        return DTO(d, year: try await Self.year(req, d))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.deployments.delete(req.parameters.get("deploymentID", as: UUID.self))
        return .noContent
    }

    static func year(_ req: Request, _ d: Deployment) async throws -> Int {
        try await Campaign.find(d.campaignID, on: req.db)?.year ?? 0
    }

    /// `asOf` as a date (today when absent); anything else is a 400 naming the field.
    static func asOf(_ req: Request) throws -> LocalDate {
        guard let raw = req.query[String.self, at: "asOf"], !raw.isEmpty else { return LocalDate(instant: req.now) }
        guard let d = LocalDate(iso: raw), (2000...2100).contains(d.year) else {
            throw AppError(status: .badRequest, code: "bad_request", message: "asOf 应为日期，如 2026-09-01",
                           problems: [.init(field: "asOf", message: "asOf 应为日期，如 2026-09-01")])
        }
        return d
    }

    func coverage(req: Request) async throws -> DeploymentCoverage.DTO {
        let campaign = try await req.access.campaign()
        let org = try await req.deployments.unit(req.query[UUID.self, at: "orgId"])
        return try await DeploymentCoverage.build(req, campaign: campaign, org: org, asOf: try Self.asOf(req)).dto
    }

    /// The register workbook through the same importer as the web and the CLI: 200 with the report, or 422 with every problem.
    func importFile(req: Request) async throws -> Response {
        try await RegisterUpload.run(req, defaultMode: .merge) { campaign, orgID in
            let unit = try await req.deployments.writableUnit(orgID)
            return (try await req.deploymentSpec(campaign, unit), unit.name + "导入希望乡村教师派驻")
        }
    }
}
