// The activities JSON API: activities, submissions (plan / update), returns, changes, and the completeness board.
import Fluent
import LiangbangCore
import Vapor

struct ActivityAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("activities", use: list)
        api.get("activity-submissions", use: submissions)
        api.get("activity-submissions", "changes", use: changes)
        api.get("completeness", use: completeness)

        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("activities", use: create)
        writers.on(.POST, "activities", "import", body: .collect(maxSize: "20mb"), use: importFile)
        writers.patch("activities", ":activityID", use: update)
        writers.delete("activities", ":activityID", use: delete)
        writers.post("activity-submissions", use: submit)
        writers.post("activity-submissions", ":submissionID", "return", use: returnSubmission)
    }

    /// The shared list shape (`{"items": [...], "total": n}`).
    typealias Items<T: Content> = ItemList<T>

    func list(req: Request) async throws -> Items<ActivityLines.DTO> {
        let campaign = try await req.access.campaign()
        let unit = try await req.activityLines.unit(req.query[UUID.self, at: "orgId"])
        return Items(try await req.activityLines.table(campaign: campaign, unit: unit).map(ActivityLines.DTO.init))
    }

    func create(req: Request) async throws -> Response {
        let activity = try await req.activityLines.create(try req.content.decode(ActivityForm.self))
        return try await ActivityLines.DTO(activity).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> ActivityLines.DTO {
        ActivityLines.DTO(try await req.activityLines.update(req.parameters.get("activityID", as: UUID.self), try req.content.decode(ActivityForm.self)))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.activityLines.delete(req.parameters.get("activityID", as: UUID.self))
        return .noContent
    }

    /// The 附件3 workbook through the same importer as the web and the CLI: 200 with the report, or 422 with every problem.
    func importFile(req: Request) async throws -> Response {
        struct Query: Content { var campaign: Int?; var orgId: UUID?; var mode: String?; var dryRun: Bool? }
        struct Upload: Content { var file: File; var dryRun: Bool? }
        let query = try req.query.decode(Query.self)
        guard let mode = ImportMode(rawValue: query.mode ?? "replace") else { throw AppError.invalid("mode 只能是 replace 或 merge") }
        guard let upload = try? req.content.decode(Upload.self) else { throw AppError.invalid("请以 multipart/form-data 上传文件（字段名 file）") }
        let campaign = try await req.access.campaign(query.campaign)
        let unit = try await req.activityLines.writableUnit(query.orgId)
        let report: ImportReport
        do {
            report = try await req.activityImporter(campaign, unit)
                .run(data: Data(buffer: upload.file.data), filename: upload.file.filename, mode: mode, commit: !(query.dryRun ?? upload.dryRun ?? false))
        } catch let unreadable as UnreadableUpload {
            throw AppError.invalid(unreadable.message)
        }
        if report.committed { req.auditDetail = "\(unit.name)导入活动汇总表：新增\(report.added)，更新\(report.updated)，删除\(report.removed)" }
        return try await report.encodeResponse(status: report.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    struct SubmitInput: Content { var campaign: Int?; var orgId: UUID?; var stage: String? }

    func submit(req: Request) async throws -> Response {
        let input = try req.content.decode(SubmitInput.self)
        guard let stage = ActivityStage(rawValue: input.stage ?? "") else { throw AppError.invalid("stage 只能是 plan（活动计划）或 update（更新）") }
        let campaign = try await req.access.campaign(input.campaign)
        let unit = try await req.activityLines.writableUnit(input.orgId)
        let s = try await req.activitySubmissions.submit(campaign: campaign, unit: unit, stage: stage)
        return try await ActivitySubmissions.DTO(s).encodeResponse(status: .created, for: req)
    }

    func submissions(req: Request) async throws -> Items<ActivitySubmissions.DTO> {
        let campaign = try await req.access.campaign()
        let unit = try await req.activityLines.unit(req.query[UUID.self, at: "orgId"])
        return Items(try await req.activitySubmissions.history(campaign: campaign, unit: unit).map(ActivitySubmissions.DTO.init))
    }

    func returnSubmission(req: Request) async throws -> ActivitySubmissions.DTO {
        struct Input: Content { var reason: String? }
        let input = try req.content.decode(Input.self)
        return ActivitySubmissions.DTO(try await req.activitySubmissions.returnSubmission(req.parameters.get("submissionID", as: UUID.self), reason: input.reason).0)
    }

    struct Changes: Content {
        struct Edit: Content { let id: String; let title: String; let fields: [String] }
        let against: String?
        let added: [ActivitySnapshot]
        let removed: [ActivitySnapshot]
        let edited: [Edit]
    }

    func changes(req: Request) async throws -> Changes {
        let campaign = try await req.access.campaign()
        let unit = try await req.activityLines.unit(req.query[UUID.self, at: "orgId"])
        let history = try await req.activitySubmissions.history(campaign: campaign, unit: unit)
        guard let found = try await req.activitySubmissions.changes(campaign: campaign, unit: unit, history: history) else {
            return Changes(against: nil, added: [], removed: [], edited: [])
        }
        return Changes(against: found.against, added: found.diff.added, removed: found.diff.removed,
                       edited: found.diff.edited.map { .init(id: $0.after.id, title: $0.after.activity.title, fields: $0.fields) })
    }

    struct CompletenessItem: Content {
        struct Stages: Content { let plan: Bool; let update: Bool }
        /// Activities by category, keyed by the category's code (a struct: cheaper to encode than a dictionary).
        struct Categories: Content {
            let academic, employment, physical, mental: Int
            init(_ t: ActivityTally) {
                academic = t.byCategory[.academic] ?? 0; employment = t.byCategory[.employment] ?? 0
                physical = t.byCategory[.physical] ?? 0; mental = t.byCategory[.mental] ?? 0
            }
        }
        let orgId: UUID
        let name: String
        let kind: OrgKind
        let activities, demonstrations, keyPublicity, peopleCovered: Int
        let trainingClasses, trainingPersonTimes, trainingTrainees: Int
        let byCategory: Categories
        let submitted: Stages
        let onTime: Stages
        let meetsQuota: Bool
        let missing: [String]
        let status: BoardColour
    }

    /// Every organisation in the caller's subtree (or the part of it `orgId` names), one item each.
    func completeness(req: Request) async throws -> Items<CompletenessItem> {
        let (board, _) = try await CompletenessController.board(req)
        return Items(board.units(under: board.root).map { u in
            let s = u.status
            return CompletenessItem(
                orgId: u.org.id, name: u.org.name, kind: u.org.kind, activities: s.tally.counts.activities,
                demonstrations: s.tally.counts.demonstrations, keyPublicity: s.tally.counts.keyPublicity, peopleCovered: s.tally.people,
                trainingClasses: s.tally.counts.trainingClasses, trainingPersonTimes: s.tally.counts.trainingPersonTimes,
                trainingTrainees: s.tally.counts.trainingTrainees,
                byCategory: .init(s.tally),
                submitted: .init(plan: s.stages[.plan]?.submitted ?? false, update: s.stages[.update]?.submitted ?? false),
                onTime: .init(plan: s.stages[.plan]?.onTime ?? false, update: s.stages[.update]?.onTime ?? false),
                meetsQuota: s.meetsQuota, missing: s.missing, status: s.colour)
        })
    }
}

extension ActivitySnapshot: Content {}
extension BoardColour: Content {}
