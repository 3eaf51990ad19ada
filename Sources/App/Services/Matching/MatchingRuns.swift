// The runs of 智能结对, for the page and the API alike: make one from two uploads, load one (its author only),
// run it again with locks and forbids, and turn it into the 附件2 the roster import takes.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct MatchingRuns {
    let req: Request

    struct Loaded {
        let run: MatchingRun
        let campaign: Campaign
        let university: Organization
        let lists: MatchLists
        let proposal: MatchProposal
        var locks: [MatchPairRef]
        var forbids: [MatchPairRef]
    }

    func matcher(_ campaign: Campaign, _ university: Organization) -> TutoringMatching {
        TutoringMatching(db: req.db, cipher: req.cipher, campaign: campaign, university: university, today: LocalDate(instant: req.now))
    }

    /// A new run from two uploaded lists (or the lists of an earlier run).
    func create(campaign: Campaign, university: Organization, pupils: (name: String, data: Data), volunteers: (name: String, data: Data),
                locks: [MatchPairRef], forbids: [MatchPairRef]) async throws -> Loaded {
        let matching = matcher(campaign, university)
        let lists = try await matching.read(pupils: pupils.data, pupilsName: pupils.name, volunteers: volunteers.data, volunteersName: volunteers.name)
        let proposal = try matching.propose(lists, locks: locks, forbids: forbids)
        let run = MatchingRun()
        run.kind = "tutoring"
        run.userID = try req.access.current.user.id!
        run.orgID = university.id!
        run.campaignID = campaign.id!
        run.pupilsFilename = String(pupils.name.prefix(200))
        run.pupilsPayload = try req.cipher.sealData(pupils.data)
        run.volunteersFilename = String(volunteers.name.prefix(200))
        run.volunteersPayload = try req.cipher.sealData(volunteers.data)
        run.locks = TutoringMatching.json(locks)
        run.forbids = TutoringMatching.json(forbids)
        run.proposal = String(decoding: try JSONEncoder().encode(proposal), as: UTF8.self)
        // Runs older than a day are never needed again (the lists inside are minors' data).
        try await MatchingRun.query(on: req.db).filter(\.$createdAt < req.now.addingTimeInterval(-86_400)).delete()
        try await run.create(on: req.db)
        req.auditDetail = "智能结对：\(university.name)，学生\(lists.pupils.count)名、志愿者\(lists.volunteers.count)名，建议结对\(proposal.matched)对（最多可结对\(proposal.maximum)对，延续上年度\(proposal.continuing)对）"
        return Loaded(run: run, campaign: campaign, university: university, lists: lists, proposal: proposal, locks: locks, forbids: forbids)
    }

    /// The run named in the path: only for the user who made it, and only while the university is still theirs to write.
    func load(_ id: UUID?) async throws -> Loaded {
        guard let id, let run = try await MatchingRun.find(id, on: req.db), run.userID == (try req.access.current.user.id),
              let campaign = try await Campaign.find(run.campaignID, on: req.db) else {
            throw AppError.notFound("该配对方案（可能已过期，请重新上传名单）")
        }
        let university = try await req.roster.writableUniversity(run.orgID)
        let lists = try await matcher(campaign, university).read(
            pupils: try req.cipher.openData(run.pupilsPayload), pupilsName: run.pupilsFilename,
            volunteers: try req.cipher.openData(run.volunteersPayload), volunteersName: run.volunteersFilename)
        let proposal = try JSONDecoder().decode(MatchProposal.self, from: Data(run.proposal.utf8))
        return Loaded(run: run, campaign: campaign, university: university, lists: lists, proposal: proposal,
                      locks: try TutoringMatching.pairs(json: run.locks), forbids: try TutoringMatching.pairs(json: run.forbids))
    }

    /// The same lists again, with these locks and forbids: a new run.
    func rerun(_ loaded: Loaded, locks: [MatchPairRef], forbids: [MatchPairRef]) async throws -> Loaded {
        try await create(campaign: loaded.campaign, university: loaded.university,
                         pupils: (loaded.run.pupilsFilename, try req.cipher.openData(loaded.run.pupilsPayload)),
                         volunteers: (loaded.run.volunteersFilename, try req.cipher.openData(loaded.run.volunteersPayload)),
                         locks: locks, forbids: forbids)
    }

    /// The proposal as 附件2.
    func workbook(_ loaded: Loaded) throws -> Data {
        try TutoringMatching.workbook(loaded.lists, loaded.proposal, university: loaded.university.name)
    }

    static let proposalFilename = "智能结对-建议结对名单.xlsx"
}
