// 智能结对 for cloud tutoring: read the two lists through the shared pipeline, add last campaign's pairs, run the
// core's matcher, write the proposal in the 附件2 layout (which the roster import then takes like any upload).
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Vapor

/// Both lists, read and checked.
struct MatchLists: Sendable {
    let pupils: [WaitingPupil]
    let volunteers: [AvailableVolunteer]
}

/// Every problem of the two lists (nothing is proposed while there is one).
struct MatchListProblems: Error, Content {
    var error = "invalid_lists"
    var message: String
    var pupils: ImportReport
    var volunteers: ImportReport
}

/// A proposal as the API and the CLI answer it.
struct MatchingResponse: Content {
    let runId: UUID?
    let pairs: [ProposedPair]
    let unmatched: [UnmatchedSeeker]
    let matched: Int
    let maximum: Int
    let continuing: Int
    let objective: Int64
    let continuingWeight: Int64
    let candidatePairs: Int
    let weights: MatchWeights

    init(runId: UUID?, proposal: MatchProposal, weights: MatchWeights) {
        self.runId = runId; pairs = proposal.pairs; unmatched = proposal.unmatched; matched = proposal.matched
        maximum = proposal.maximum; continuing = proposal.continuing; objective = proposal.objective
        continuingWeight = proposal.continuingWeight; candidatePairs = proposal.candidatePairs; self.weights = weights
    }
}

struct TutoringMatching {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let university: Organization
    let today: LocalDate

    static let pupilsLabel = "待结对学生名单"
    /// A university's real lists are a few thousand lines; the caps keep one run within memory and seconds.
    static let maxPupils = 20_000
    static let maxVolunteers = 10_000
    static let volunteersLabel = "可结对志愿者名单"

    typealias ListCheck = MatchListReader.Check

    /// Which list a file is: its label, columns and `pending_imports.kind` (for its error workbook).
    enum List: String, CaseIterable {
        case pupils, volunteers
        var label: String { self == .pupils ? TutoringMatching.pupilsLabel : TutoringMatching.volunteersLabel }
        var columns: [ColumnSpec] { self == .pupils ? PupilListColumn.specs : VolunteerListColumn.specs }
        var pendingKind: String { "matching-" + rawValue }
    }

    func checkPupils(_ data: Data, filename: String) async throws -> ListCheck<WaitingPupil> {
        let policy = try await RosterPolicyLoader.policy(db: db, campaign: campaign, university: university, today: today)
        var check = try MatchListReader.read(data, filename: filename, label: List.pupils.label, columns: List.pupils.columns) { MatchListRules.pupil($0, policy: policy) }
        check.problems += MatchListRules.duplicates(check.entries.map { ($0.seeker.row, $0.id.value) }, column: PupilListColumn.id, who: "学生")
        if let layout = check.layout { check.report.list(check.problems, position: layout.columns, layout: layout, subjectColumn: PupilListColumn.name) }
        return check
    }

    func checkVolunteers(_ data: Data, filename: String) throws -> ListCheck<AvailableVolunteer> {
        let today = today
        var check = try MatchListReader.read(data, filename: filename, label: List.volunteers.label, columns: List.volunteers.columns) { MatchListRules.volunteer($0, today: today) }
        check.problems += MatchListRules.duplicates(check.entries.map { ($0.offer.row, $0.id.value) }, column: VolunteerListColumn.id, who: "志愿者")
        if let layout = check.layout { check.report.list(check.problems, position: layout.columns, layout: layout, subjectColumn: VolunteerListColumn.name) }
        return check
    }

    /// Problems of one list, whichever it is (the error workbook).
    func check(_ list: List, data: Data, filename: String) async throws -> (report: ImportReport, layout: TableLayout?, problems: [RowProblem]) {
        switch list {
        case .pupils: let c = try await checkPupils(data, filename: filename); return (c.report, c.layout, c.problems)
        case .volunteers: let c = try checkVolunteers(data, filename: filename); return (c.report, c.layout, c.problems)
        }
    }

    /// Reads both lists; throws `MatchListProblems` listing everything wrong in either, `UnreadableUpload` when a
    /// file cannot be opened at all.
    func read(pupils: Data, pupilsName: String, volunteers: Data, volunteersName: String) async throws -> MatchLists {
        let pupilCheck = try await checkPupils(pupils, filename: pupilsName)
        let volunteerCheck = try checkVolunteers(volunteers, filename: volunteersName)
        for (count, limit, label) in [(pupilCheck.entries.count, Self.maxPupils, Self.pupilsLabel), (volunteerCheck.entries.count, Self.maxVolunteers, Self.volunteersLabel)]
        where count > limit {
            throw AppError.invalid("\(label)有\(count)行，超过一次计算的上限（\(limit)行），请按县（市、区）分批上传")
        }
        let count = pupilCheck.report.errorCount + volunteerCheck.report.errorCount
        guard count == 0 else {
            throw MatchListProblems(message: "名单有\(count)处问题（\(Self.pupilsLabel)\(pupilCheck.report.errorCount)处，\(Self.volunteersLabel)\(volunteerCheck.report.errorCount)处），未生成配对方案，请改正后重新上传",
                                    pupils: pupilCheck.report, volunteers: volunteerCheck.report)
        }
        return MatchLists(pupils: try await withPrevious(pupilCheck.entries), volunteers: volunteerCheck.entries)
    }

    /// A pupil paired in the previous campaign's roster of this university has that volunteer as its previous one.
    func withPrevious(_ pupils: [WaitingPupil]) async throws -> [WaitingPupil] {
        guard let previous = try await Campaign.query(on: db).filter(\.$year == campaign.year - 1).first() else { return pupils }
        let hashes = Set(pupils.map { cipher.lookupHash($0.id.value) })
        var volunteersOf: [String: Set<String>] = [:]
        for chunk in Array(hashes).chunked(into: 500) {
            let lines = try await Pairing.query(on: db).filter(\.$campaignID == previous.id!).filter(\.$universityID == university.id!)
                .filter(\.$pupilIDHash ~~ Array(chunk)).all()
            for line in lines { volunteersOf[line.pupilIDHash, default: []].insert(try cipher.open(line.volunteerIDCipher)) }
        }
        guard !volunteersOf.isEmpty else { return pupils }
        return pupils.map { p in
            guard let found = volunteersOf[cipher.lookupHash(p.id.value)] else { return p }
            var p = p
            p.seeker.previous.formUnion(found)
            return p
        }
    }

    func propose(_ lists: MatchLists, locks: [MatchPairRef], forbids: [MatchPairRef]) throws -> MatchProposal {
        do {
            return try PairMatcher.propose(seekers: lists.pupils.map(\.seeker), offers: lists.volunteers.map(\.offer),
                                           weights: campaign.matchingWeights, locks: locks, forbids: forbids)
        } catch let problem as MatchingProblem {
            throw AppError.invalid(problem.message)
        }
    }

    /// The proposal as 附件2 (full ID numbers: it is imported again, or kept by the university).
    static func workbook(_ lists: MatchLists, _ proposal: MatchProposal, university: String) throws -> Data {
        let pupils = Dictionary(lists.pupils.map { ($0.seeker.row, $0) }, uniquingKeysWith: { a, _ in a })
        let volunteers = Dictionary(lists.volunteers.map { ($0.offer.row, $0) }, uniquingKeysWith: { a, _ in a })
        let lines = proposal.pairs.compactMap { pair -> RosterExport.Line? in
            guard let p = pupils[pair.pupilRow], let v = volunteers[pair.volunteerRow] else { return nil }
            return RosterExport.Line(cells: [p.seeker.name, p.seeker.sex.rawValue, p.id.value, "", p.school, p.grade, p.county.fullName,
                                             v.offer.name, v.id.value],
                                     pupilHash: p.id.value, volunteerHash: v.id.value)
        }
        return try RosterExport.write([RosterExport.Roster(university: university, lines: lines)], format: .xlsx)
    }

    /// Locks and forbids as stored and as the API sends them.
    static func pairs(json: String?) throws -> [MatchPairRef] {
        guard let json, !json.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        guard let pairs = try? JSONDecoder().decode([MatchPairRef].self, from: Data(json.utf8)) else {
            throw AppError.invalid("locks / forbids 应为 JSON 数组，如 [{\"pupilRow\":3,\"volunteerRow\":5}]")
        }
        guard pairs.count <= 100_000, pairs.allSatisfy({ (1...1_048_576).contains($0.pupilRow) && (1...1_048_576).contains($0.volunteerRow) }) else {
            throw AppError.invalid("locks / forbids 中的行号应在1到1048576之间")
        }
        return pairs
    }

    static func json(_ pairs: [MatchPairRef]) -> String {
        (try? JSONEncoder().encode(pairs)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
