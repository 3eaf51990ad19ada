// JSON API of 智能结对: propose from two lists, then accept a proposal into the roster (the roster import's report).
import Fluent
import LiangbangCore
import Vapor

struct MatchingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped("api", "v1", "matching").grouped(RequireLogin(), RequireRole(.admin, .staff))
        writers.on(.POST, "tutoring", body: .collect(maxSize: "41mb"), use: propose)
        writers.post("tutoring", ":runID", "accept", use: accept)
    }

    struct Query: Content { var campaign: Int?; var orgId: UUID? }
    struct Upload: Content { var pupils: File?; var volunteers: File?; var locks: String?; var forbids: String? }

    /// Multipart `pupils`, `volunteers` (xlsx or csv), optional `locks` / `forbids` (JSON arrays of
    /// `{"pupilRow","volunteerRow"}`). 200 with the proposal; 422 with every problem of the lists.
    func propose(req: Request) async throws -> Response {
        let query = try req.query.decode(Query.self)
        guard let upload = try? req.content.decode(Upload.self), let pupils = upload.pupils, let volunteers = upload.volunteers,
              pupils.data.readableBytes > 0, volunteers.data.readableBytes > 0 else {
            throw AppError.invalid("请以 multipart/form-data 上传两份名单（字段名 pupils 和 volunteers）")
        }
        let locks = try TutoringMatching.pairs(json: upload.locks), forbids = try TutoringMatching.pairs(json: upload.forbids)
        let campaign = try await req.roster.campaign(query.campaign)
        let university = try await req.roster.writableUniversity(query.orgId)
        do {
            let run = try await MatchingRuns(req: req).create(
                campaign: campaign, university: university, pupils: (pupils.filename, Data(buffer: pupils.data)),
                volunteers: (volunteers.filename, Data(buffer: volunteers.data)), locks: locks, forbids: forbids)
            return try await MatchingResponse(runId: run.run.id, proposal: run.proposal, weights: campaign.matchingWeights)
                .encodeResponse(status: .ok, for: req)
        } catch let problems as MatchListProblems {
            return try await problems.encodeResponse(status: .unprocessableEntity, for: req)
        } catch let unreadable as UnreadableUpload {
            throw AppError.invalid(unreadable.message)
        }
    }

    /// The proposal through the roster import, committed: 200 with its report, 422 with every problem.
    func accept(req: Request) async throws -> Response {
        let loaded: MatchingRuns.Loaded
        do { loaded = try await MatchingRuns(req: req).load(req.parameters.get("runID", as: UUID.self)) }
        catch is MatchListProblems { throw AppError.invalid("该方案的名单已无法通过检查，请重新上传") }
        let data = try MatchingRuns(req: req).workbook(loaded)
        let report: ImportReport
        do {
            report = try await req.rosterLines.importer(loaded.campaign, loaded.university)
                .run(data: data, filename: MatchingRuns.proposalFilename, mode: .merge, commit: true)
        } catch let unreadable as UnreadableUpload {
            throw AppError.invalid(unreadable.message)
        }
        if report.committed {
            req.auditDetail = "\(loaded.university.name)采纳智能结对方案：新增\(report.added)，更新\(report.updated)"
        }
        return try await report.encodeResponse(status: report.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }
}
