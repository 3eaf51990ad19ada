// JSON API of the 附件2 roster: pairings, import, export, reveal, submissions.
import Fluent
import LiangbangCore
import Vapor

struct PairingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.grouped("api", "v1").grouped(RequireLogin(), RequireRole(.admin, .staff, .viewer))
        api.get("pairings", use: list)
        api.get("pairings", "export", use: export)
        api.post("pairings", ":pairingID", "reveal", use: reveal)
        api.get("roster-submissions", use: submissions)
        api.get("pairing-conflicts", use: conflicts)

        let writers = api.grouped(RequireRole(.admin, .staff))
        writers.post("pairings", use: create)
        writers.patch("pairings", ":pairingID", use: update)
        writers.delete("pairings", ":pairingID", use: delete)
        writers.on(.POST, "pairings", "import", body: .collect(maxSize: "20mb"), use: importFile)
        writers.post("roster-submissions", use: submit)
        writers.grouped(RequireProvince()).post("roster-submissions", ":submissionID", "return", use: returnSubmission)
        writers.grouped(RequireProvince()).post("roster-submissions", ":submissionID", "accept", use: acceptSubmission)
    }

    /// `{"items": [...], "total": n}`.
    func list(req: Request) async throws -> ItemList<PairingDTO> {
        let campaign = try await req.roster.campaign()
        let pairings = try await req.roster.readable(campaign, orgID: req.query[UUID.self, at: "orgId"]).all()
        let counties = try await RosterExport(db: req.db, cipher: req.cipher).orgNames(Set(pairings.map(\.countyID)))
        return ItemList(pairings.map { PairingDTO($0, countyName: counties[$0.countyID] ?? "") })
    }

    /// Refused claims on pupils of the caller's territory: `{"items": [...], "total": n}`.
    func conflicts(req: Request) async throws -> ItemList<PairingConflicts.DTO> {
        ItemList(try await req.pairingConflicts.list(campaign: try await req.roster.campaign()))
    }

    func create(req: Request) async throws -> Response {
        let pairing = try await req.rosterLines.create(try req.content.decode(PairingInput.self))
        let county = try await Organization.find(pairing.countyID, on: req.db)?.name ?? ""
        return try await PairingDTO(pairing, countyName: county).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> PairingDTO {
        let pairing = try await req.rosterLines.update(req.parameters.get("pairingID", as: UUID.self), try req.content.decode(PairingInput.self))
        return PairingDTO(pairing, countyName: try await Organization.find(pairing.countyID, on: req.db)?.name ?? "")
    }

    func delete(req: Request) async throws -> HTTPStatus {
        try await req.rosterLines.delete(req.parameters.get("pairingID", as: UUID.self))
        return .noContent
    }

    struct Revealed: Content { let pupilId: String; let volunteerId: String; let studentNo: String }

    func reveal(req: Request) async throws -> Revealed {
        let revealed = try await req.rosterLines.reveal(req.parameters.get("pairingID", as: UUID.self))
        return Revealed(pupilId: revealed.pupilID, volunteerId: revealed.volunteerID, studentNo: revealed.studentNo)
    }

    struct ImportQuery: Content {
        var campaign: Int?
        var orgId: UUID?
        var mode: String?
        var dryRun: Bool?
    }

    struct Upload: Content { var file: File }

    /// Multipart `file` field; the same report as `liangbang roster import --json`. 422 when anything is wrong.
    func importFile(req: Request) async throws -> Response {
        let query = try req.query.decode(ImportQuery.self)
        guard let mode = ImportMode(rawValue: query.mode ?? "merge") else { throw AppError.invalid("mode 只能是 merge 或 replace") }
        let upload: Upload
        do { upload = try req.content.decode(Upload.self) } catch {
            throw AppError.invalid("请以 multipart/form-data 上传文件（字段名 file）")
        }
        let campaign = try await req.roster.campaign(query.campaign)
        let university = try await req.roster.writableUniversity(query.orgId)
        let report: ImportReport
        do {
            report = try await req.rosterLines.importer(campaign, university)
                .run(data: Data(buffer: upload.file.data), filename: upload.file.filename, mode: mode, commit: !(query.dryRun ?? false))
        } catch let unreadable as UnreadableUpload {
            throw AppError.invalid(unreadable.message)
        }
        if report.committed {
            req.auditDetail = "\(university.name)导入结对名单：新增\(report.added)，更新\(report.updated)，删除\(report.removed)"
        }
        return try await report.encodeResponse(status: report.errors.isEmpty ? .ok : .unprocessableEntity, for: req)
    }

    func export(req: Request) async throws -> Response {
        let format = ExportFormat(rawValue: req.query[String.self, at: "format"] ?? "xlsx") ?? .xlsx
        let full = req.query[Bool.self, at: "fullId"] ?? false
        return try await RosterDownload.response(req, orgID: req.query[UUID.self, at: "orgId"], format: format, fullIDs: full)
    }

    // MARK: Submissions

    /// `{"items": [...], "total": n}`, newest first.
    func submissions(req: Request) async throws -> ItemList<RosterLines.SubmissionDTO> {
        let campaign = try await req.roster.campaign()
        let universities = try await req.access.visibleOrganizations().filter(\.$kind == .university).all(\.$id)
        return ItemList(try await RosterSubmission.query(on: req.db).filter(\.$campaignID == campaign.id!)
            .filter(\.$universityID ~~ universities).sort(\.$submittedAt, .descending).all().map(RosterLines.SubmissionDTO.init))
    }

    struct SubmitInput: Content { var campaign: Int?; var orgId: UUID? }

    func submit(req: Request) async throws -> Response {
        let input = try req.content.decode(SubmitInput.self)
        let campaign = try await req.roster.campaign(input.campaign)
        let university = try await req.roster.writableUniversity(input.orgId)
        let submission = try await req.rosterLines.submit(campaign: campaign, university: university)
        return try await RosterLines.SubmissionDTO(submission).encodeResponse(status: .created, for: req)
    }

    struct ReturnInput: Content { var reason: String }

    func returnSubmission(req: Request) async throws -> RosterLines.SubmissionDTO {
        let input = try req.content.decode(ReturnInput.self)
        return RosterLines.SubmissionDTO(try await req.rosterLines.review(req.parameters.get("submissionID", as: UUID.self), accept: false, reason: input.reason))
    }

    func acceptSubmission(req: Request) async throws -> RosterLines.SubmissionDTO {
        RosterLines.SubmissionDTO(try await req.rosterLines.review(req.parameters.get("submissionID", as: UUID.self), accept: true, reason: nil))
    }
}

/// One way to answer a roster download, for pages and API alike: masked by default; full IDs need
/// the permission and are audited; the province without a university gets every university in one workbook.
enum RosterDownload {
    static func response(_ req: Request, orgID: UUID?, format: ExportFormat, fullIDs: Bool) async throws -> Response {
        if fullIDs { try req.roster.requireSensitive() }
        let campaign = try await req.roster.campaign()
        let exporter = RosterExport(db: req.db, cipher: req.cipher)
        let me = try req.access.current
        // A city or county: the pairings of pupils in its territory, a sheet per university, always masked.
        if orgID == nil && [.city, .county].contains(me.org.kind) {
            guard !fullIDs else { throw AppError.forbidden("辖区的结对名单只提供身份证号打码的版本；完整名单请向高校团委索取") }
            let pairings = try await req.roster.readable(campaign, orgID: nil).all()
            let names = try await exporter.orgNames(Set(pairings.map(\.universityID)))
            var rosters: [RosterExport.Roster] = []
            for (university, lines) in Dictionary(grouping: pairings, by: \.universityID).sorted(by: { (names[$0.key] ?? "") < (names[$1.key] ?? "") }) {
                rosters.append(try await exporter.roster(university: names[university] ?? "", pairings: lines, fullIDs: false))
            }
            if rosters.isEmpty { rosters = [RosterExport.Roster(university: "（无）", lines: [])] }
            return Download.response(try RosterExport.write(rosters, format: format),
                                     filename: "附件2-结对名单-\(me.org.name)辖区-\(campaign.year)", format: format)
        }
        var universities: [Organization]
        if orgID == nil && me.org.kind == .province {
            universities = try await Organization.query(on: req.db).filter(\.$kind == .university).sort(\.$name).all()
        } else {
            universities = [try await req.roster.university(orgID)]
        }
        var rosters: [RosterExport.Roster] = []
        for university in universities {
            rosters.append(try await exporter.roster(campaign: campaign, university: university, fullIDs: fullIDs))
        }
        if universities.count > 1 { rosters = rosters.filter { !$0.lines.isEmpty } }
        if rosters.isEmpty { rosters = [RosterExport.Roster(university: "（无）", lines: [])] }
        let data = try RosterExport.write(rosters, format: format)
        let name = universities.count == 1 ? universities[0].name : "全省"
        if fullIDs {
            await req.audit("sensitive.export", target: "导出\(campaign.year)年度结对名单（含完整身份证号）", detail: "导出完整身份证号：\(name)结对名单（\(format.rawValue)）")
        }
        // The file with full ID numbers says so in its name, so it is not passed on as if it were the masked one.
        return Download.response(data, filename: "附件2-结对名单-\(name)-\(campaign.year)" + (fullIDs ? "（含完整身份证号）" : ""), format: format)
    }
}
