// The 智能结对 pages under the roster: upload the two lists, read the proposal and its reasons, lock or forbid
// pairs and run again, download it as 附件2, or accept it into the roster import's preview.
import Fluent
import LiangbangCore
import Vapor

struct MatchingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let writers = routes.grouped(RequireLogin(), RequireRole(.admin, .staff)).grouped("roster", "matching")
        writers.get(use: page)
        writers.on(.POST, body: .collect(maxSize: "41mb"), use: upload)
        writers.get(":runID", use: proposal)
        writers.post(":runID", "rerun", use: rerun)
        writers.post(":runID", "accept", use: accept)
        // Full ID numbers leave the server: a POST with the page's CSRF token, audited.
        writers.post(":runID", "download", use: download)
        // The error workbook of a refused list (it holds what was uploaded: a POST, audited).
        writers.post("errors", ":importID", use: errorWorkbook)
        writers.grouped(RequireProvince()).post("weights", use: saveWeights)
    }

    struct WeightRow: Encodable { let name: String; let field: String; let value: Int; let hint: String }

    static func weightRows(_ w: MatchWeights) -> [WeightRow] {
        [WeightRow(name: "科目覆盖", field: "subjects", value: w.subjects, hint: "需要辅导的科目全部覆盖得满分，部分覆盖按比例"),
         WeightRow(name: "共同方言", field: "dialect", value: w.dialect, hint: "有一种相同的方言"),
         WeightRow(name: "每个共同时间段", field: "slot", value: w.slot, hint: "共同的可辅导时间，每个计分"),
         WeightRow(name: "共同时间段计分上限", field: "slotLimit", value: w.slotLimit, hint: "最多计几个时间段"),
         WeightRow(name: "同性别", field: "sameSex", value: w.sameSex, hint: "学生达到下列年龄时优先同性别志愿者"),
         WeightRow(name: "同性别优先起始年龄", field: "sameSexFromAge", value: w.sameSexFromAge, hint: "岁"),
         WeightRow(name: "专业对口", field: "major", value: w.major, hint: "志愿者专业与所辅导科目相符")]
    }

    struct UploadPage: Encodable {
        let layout: Layout
        let year: Int
        let orgID: UUID?
        let university: String
        let weights: [WeightRow]
        let canEditWeights: Bool
        /// The problems of each list (empty when none), and the message above them ("" when none).
        let pupilErrors: [ImportProblem]
        let volunteerErrors: [ImportProblem]
        /// The kept uploads whose error workbooks can be downloaded ("" when that list had none).
        let pupilErrorsID: String
        let volunteerErrorsID: String
        let error: String
        let pupilsLabel = TutoringMatching.pupilsLabel
        let volunteersLabel = TutoringMatching.volunteersLabel
        let pupilColumns = MatchListReader.hint(PupilListColumn.specs)
        let volunteerColumns = MatchListReader.hint(VolunteerListColumn.specs)
    }

    func page(req: Request) async throws -> View {
        try await renderUpload(req, campaign: req.query[Int.self, at: "campaign"], orgID: req.query[UUID.self, at: "orgId"], problems: nil, error: nil)
    }

    private func renderUpload(_ req: Request, campaign year: Int?, orgID: UUID?, problems: MatchListProblems?, error: String?,
                              kept: [TutoringMatching.List: UUID] = [:]) async throws -> View {
        let campaign = try await req.roster.campaign(year)
        let university = try await req.roster.writableUniversity(orgID)
        return try await req.view.render("matching", UploadPage(
            layout: await Layout.build(for: req, title: "智能结对"), year: campaign.year, orgID: orgID, university: university.name,
            weights: Self.weightRows(campaign.matchingWeights), canEditWeights: try req.access.current.org.kind == .province,
            pupilErrors: problems?.pupils.errors ?? [], volunteerErrors: problems?.volunteers.errors ?? [],
            pupilErrorsID: kept[.pupils]?.uuidString ?? "", volunteerErrorsID: kept[.volunteers]?.uuidString ?? "", error: error ?? ""))
    }

    struct UploadForm: Content { var pupils: File?; var volunteers: File?; var campaign: Int?; var orgId: UUID? }

    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        guard let pupils = form.pupils, pupils.data.readableBytes > 0, let volunteers = form.volunteers, volunteers.data.readableBytes > 0 else {
            return try await renderUpload(req, campaign: form.campaign, orgID: form.orgId, problems: nil,
                                          error: "请同时选择待结对学生名单和可结对志愿者名单（.xlsx 或 .csv）").encodeResponse(status: .unprocessableEntity, for: req)
        }
        let campaign = try await req.roster.campaign(form.campaign)
        let university = try await req.roster.writableUniversity(form.orgId)
        do {
            let run = try await MatchingRuns(req: req).create(
                campaign: campaign, university: university, pupils: (pupils.filename, Data(buffer: pupils.data)),
                volunteers: (volunteers.filename, Data(buffer: volunteers.data)), locks: [], forbids: [])
            return req.redirect(to: "/roster/matching/\(run.run.id!)")
        } catch let problems as MatchListProblems {
            // Each refused list is kept (encrypted, one day, for its author) for its error workbook.
            var kept: [TutoringMatching.List: UUID] = [:]
            for (list, file, report) in [(TutoringMatching.List.pupils, pupils, problems.pupils), (.volunteers, volunteers, problems.volunteers)]
            where report.errorCount > 0 {
                kept[list] = try await PendingUpload.store(req, kind: list.pendingKind, file: file, org: university, campaign: campaign, mode: .merge).id
            }
            return try await renderUpload(req, campaign: form.campaign, orgID: form.orgId, problems: problems, error: problems.message, kept: kept)
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let unreadable as UnreadableUpload {
            return try await renderUpload(req, campaign: form.campaign, orgID: form.orgId, problems: nil, error: unreadable.message)
                .encodeResponse(status: .unprocessableEntity, for: req)
        } catch let refused as AppError where refused.status == .unprocessableEntity {
            return try await renderUpload(req, campaign: form.campaign, orgID: form.orgId, problems: nil, error: refused.message)
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    struct PairRow: Encodable {
        let key: String
        let pupil, pupilDetail, volunteer, volunteerDetail: String
        let score: Int
        let continuing, locked: Bool
        let reasons: [String]
    }

    struct UnmatchedRow: Encodable { let pupil, pupilDetail, reason: String }

    struct ProposalPage: Encodable {
        let layout: Layout
        let id: UUID
        let year: Int
        let orgID: UUID
        let university: String
        let back: String
        let matched, maximum, shortfall, continuing, candidatePairs, pupils, volunteers: Int
        let pairs: [PairRow]
        let morePairs: Int
        let unmatched: [UnmatchedRow]
        let forbids: [String]
        let weights: [WeightRow]
        let canDownload: Bool
    }

    static let pairsShown = 2000

    func proposal(req: Request) async throws -> View {
        let loaded = try await MatchingRuns(req: req).load(req.parameters.get("runID", as: UUID.self))
        let pupils = Dictionary(loaded.lists.pupils.map { ($0.seeker.row, $0) }, uniquingKeysWith: { a, _ in a })
        let volunteers = Dictionary(loaded.lists.volunteers.map { ($0.offer.row, $0) }, uniquingKeysWith: { a, _ in a })
        func pupilDetail(_ p: WaitingPupil) -> String { "第\(p.seeker.row)行 · \(p.county.name) · \(p.school) · \(p.grade)" }
        let rows = loaded.proposal.pairs.prefix(Self.pairsShown).compactMap { pair -> PairRow? in
            guard let p = pupils[pair.pupilRow], let v = volunteers[pair.volunteerRow] else { return nil }
            return PairRow(key: "\(pair.pupilRow)-\(pair.volunteerRow)", pupil: p.seeker.name, pupilDetail: pupilDetail(p),
                           volunteer: v.offer.name, volunteerDetail: "第\(v.offer.row)行 · \(v.offer.major.isEmpty ? "专业未填" : v.offer.major)",
                           score: pair.score, continuing: pair.continuing, locked: pair.locked, reasons: pair.reasons)
        }
        let unmatched = loaded.proposal.unmatched.compactMap { u -> UnmatchedRow? in
            guard let p = pupils[u.pupilRow] else { return nil }
            return UnmatchedRow(pupil: p.seeker.name, pupilDetail: pupilDetail(p), reason: u.reason)
        }
        let me = try req.access.current
        return try await req.view.render("matching-proposal", ProposalPage(
            layout: await Layout.build(for: req, title: "智能结对方案"), id: loaded.run.id!, year: loaded.campaign.year,
            orgID: loaded.university.id!, university: loaded.university.name,
            back: Layout.link("/roster/matching", campaign: loaded.campaign.year, orgID: me.org.kind == .university ? nil : loaded.university.id),
            matched: loaded.proposal.matched, maximum: loaded.proposal.maximum,
            shortfall: loaded.proposal.maximum - loaded.proposal.matched, continuing: loaded.proposal.continuing,
            candidatePairs: loaded.proposal.candidatePairs, pupils: loaded.lists.pupils.count, volunteers: loaded.lists.volunteers.count,
            pairs: rows, morePairs: max(0, loaded.proposal.pairs.count - rows.count), unmatched: unmatched,
            forbids: loaded.forbids.map { "\($0.pupilRow)-\($0.volunteerRow)" }, weights: Self.weightRows(loaded.campaign.matchingWeights),
            canDownload: me.user.sensitiveData))
    }

    struct RerunForm: Content { var lock: [String]?; var forbid: [String]? }

    static func refs(_ keys: [String]?) throws -> [MatchPairRef] {
        try (keys ?? []).prefix(100_000).map { key in
            let parts = key.split(separator: "-")
            guard parts.count == 2, let p = Int(parts[0]), let v = Int(parts[1]), (1...1_048_576).contains(p), (1...1_048_576).contains(v) else {
                throw AppError.invalid("锁定或禁止的配对“\(key.prefix(40))”无法识别")
            }
            return MatchPairRef(pupilRow: p, volunteerRow: v)
        }
    }

    func rerun(req: Request) async throws -> Response {
        let form = try req.content.decode(RerunForm.self)
        let runs = MatchingRuns(req: req)
        let loaded = try await runs.load(req.parameters.get("runID", as: UUID.self))
        let locks = try Self.refs(form.lock), forbids = try Self.refs(form.forbid)
        do {
            let next = try await runs.rerun(loaded, locks: locks, forbids: Array(Set(forbids)).sorted { ($0.pupilRow, $0.volunteerRow) < ($1.pupilRow, $1.volunteerRow) })
            return req.redirect(to: "/roster/matching/\(next.run.id!)", flash: "success",
                                "已重新计算：锁定\(locks.count)对，禁止\(forbids.count)对，建议结对\(next.proposal.matched)对")
        } catch let error as AppError {
            return req.redirect(to: "/roster/matching/\(loaded.run.id!)", flash: "error", error.message)
        }
    }

    /// The proposal goes through the roster import like any 附件2 upload: its preview, then the commit.
    func accept(req: Request) async throws -> Response {
        let runs = MatchingRuns(req: req)
        let loaded = try await runs.load(req.parameters.get("runID", as: UUID.self))
        let data = try runs.workbook(loaded)
        let pending = try await PendingUpload.store(req, kind: RosterImportForm.name, data: data, filename: MatchingRuns.proposalFilename,
                                                    org: loaded.university, campaign: loaded.campaign, mode: .merge)
        return req.redirect(to: "/\(RosterImportForm.name)/import/\(pending.id!)", flash: "info",
                            "已将智能结对方案（\(loaded.proposal.matched)对）转为附件2，请核对预览后确认导入")
    }

    func download(req: Request) async throws -> Response {
        try req.roster.requireSensitive()
        let runs = MatchingRuns(req: req)
        let loaded = try await runs.load(req.parameters.get("runID", as: UUID.self))
        let data = try runs.workbook(loaded)
        await req.audit("sensitive.export", target: "下载智能结对方案（含完整身份证号）",
                        detail: "导出完整身份证号：\(loaded.university.name)智能结对方案（\(loaded.proposal.matched)对）")
        return Download.response(data, filename: "智能结对方案-\(loaded.university.name)-\(loaded.campaign.year)（含完整身份证号）", format: .xlsx)
    }

    func errorWorkbook(req: Request) async throws -> Response {
        guard let id = req.parameters.get("importID", as: UUID.self), let found = try await PendingImport.find(id, on: req.db),
              let list = TutoringMatching.List.allCases.first(where: { $0.pendingKind == found.kind }) else {
            throw AppError.notFound("该上传（可能已过期，请重新上传）")
        }
        let (pending, campaign, data) = try await PendingUpload.load(req, kind: list.pendingKind)
        let university = try await req.roster.writableUniversity(pending.orgID)
        do {
            let (rows, merges) = try UploadedTable.table(data: data, filename: pending.filename, columns: list.columns)
            let checked = try await MatchingRuns(req: req).matcher(campaign, university).check(list, data: data, filename: pending.filename)
            await req.audit("sensitive.export", target: "下载错误标注表", detail: "下载错误标注表（\(university.name)上传的\(list.label)）")
            return try ErrorWorkbook.response(rows: rows, merges: merges, layout: checked.layout, report: checked.report, problems: checked.problems,
                                              filename: pending.filename)
        } catch let error as UnreadableUpload {
            throw AppError.invalid(error.message)
        }
    }

    struct WeightsForm: Content {
        var campaign: Int?; var orgId: UUID?
        var subjects, dialect, slot, slotLimit, sameSex, sameSexFromAge, major: Int?
    }

    func saveWeights(req: Request) async throws -> Response {
        let form = try req.content.decode(WeightsForm.self)
        let back = Layout.link("/roster/matching", campaign: form.campaign, orgID: form.orgId)
        return try await req.formAction(back: back) {
            let campaign = try await req.roster.campaign(form.campaign)
            var w = campaign.matchingWeights
            w.subjects = form.subjects ?? w.subjects; w.dialect = form.dialect ?? w.dialect; w.slot = form.slot ?? w.slot
            w.slotLimit = form.slotLimit ?? w.slotLimit; w.sameSex = form.sameSex ?? w.sameSex
            w.sameSexFromAge = form.sameSexFromAge ?? w.sameSexFromAge; w.major = form.major ?? w.major
            if let problem = w.problem { throw AppError.invalid(problem) }
            campaign.matchingWeights = w
            try await campaign.save(on: req.db)
            req.auditDetail = "\(campaign.year)年度智能结对权重：" + Self.weightRows(w).map { "\($0.name)\($0.value)" }.joined(separator: "，")
            return "已保存\(campaign.year)年度的智能结对权重"
        }
    }
}
