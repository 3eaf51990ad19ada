// 智能结对 through the API, the pages and the roster import: the maximum with reasons, all-or-nothing lists,
// locks and forbids, other universities kept out, minors' data encrypted, double clicks.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Testing
import Vapor
import VaporTesting

struct MatchingLists {
    static let pupilHeader = "姓名,性别,身份证号,年级,在读学校,所在县（市、区）,需要辅导科目,方言,可辅导时间,上年度结对志愿者身份证号,需要志愿者人数"
    static let volunteerHeader = "姓名,性别,身份证号,专业,可辅导科目,方言,可辅导时间,最多结对人数"

    /// Row 2: 学生甲 needs 数学、英语; row 3: 学生乙 needs 数学; row 4: 学生丙 needs 化学 (nobody teaches it).
    /// Volunteer row 2 teaches 数学、英语 (the best for 甲), row 3 only 英语: greedy would leave 乙 alone.
    static let pupilIDs = [TestIDs.make("440203", "20100315", 121), TestIDs.make("440203", "20110412", 133), TestIDs.make("440203", "20090101", 143)]
    static let volunteerIDs = [TestIDs.make("440104", "20010101", 451), TestIDs.make("440104", "20020202", 462)]

    static func pupils(previous: String = "", county: String = "武江区", slots: String = "周六上午") -> String {
        [pupilHeader,
         "学生甲,男,\(pupilIDs[0]),五年级,韶关市第一小学,\(county),数学、英语,客家话,\(slots),\(previous),",
         "学生乙,男,\(pupilIDs[1]),四年级,韶关市第一小学,武江区,数学,普通话,周六上午、周三晚,,",
         "学生丙,男,\(pupilIDs[2]),六年级,韶关市第二小学,武江区,化学,普通话,周六上午,,"].joined(separator: "\r\n") + "\r\n"
    }

    static func volunteers(capacity: String = "1") -> String {
        [volunteerHeader,
         "志愿者一,男,\(volunteerIDs[0]),数学与应用数学,数学、英语,客家话,周六上午,\(capacity)",
         "志愿者二,女,\(volunteerIDs[1]),英语,英语,普通话,周六上午,1"].joined(separator: "\r\n") + "\r\n"
    }
}

extension Application {
    /// Posts the two lists as multipart `pupils` and `volunteers`, with more fields.
    func uploadLists(_ path: String, headers: HTTPHeaders, pupils: String, volunteers: String, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        try await upload(path, headers: headers, files: [("pupils", "pupils.csv", Data(pupils.utf8)), ("volunteers", "volunteers.csv", Data(volunteers.utf8))],
                         fields: fields)
    }
}

@Suite struct MatchingAPITests {
    /// The API's own answer type, decoded: the test reads what the server encodes.
    typealias Proposal = MatchingResponse

    func staff(_ app: Application) async throws -> HTTPHeaders {
        try await app.makeUser("sg_match", in: "韶关学院", role: .staff)
        return try await app.bearer("sg_match")
    }

    @Test func proposesTheMaximumExplainsItAndAcceptsIntoTheRoster() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            let res = try await app.uploadLists("/api/v1/matching/tutoring?campaign=2022", headers: headers,
                                                pupils: MatchingLists.pupils(previous: MatchingLists.volunteerIDs[1]), volunteers: MatchingLists.volunteers())
            #expect(res.status == .ok, "\(res.body.string)")
            let proposal = try res.content.decode(Proposal.self)
            #expect(proposal.matched == 2 && proposal.maximum == 2)
            // 甲 keeps last year's 志愿者二 and 乙 gets 志愿者一: both matched, one continuing.
            #expect(proposal.pairs.map { "\($0.pupilRow)-\($0.volunteerRow)" } == ["2-3", "3-2"])
            #expect(proposal.continuing == 1)
            let first = try #require(proposal.pairs.first)
            #expect(first.reasons.contains("上年度结对 ✓") && first.reasons.contains { $0.hasPrefix("科目：英语 ✓") })
            #expect(proposal.unmatched.map(\.pupilRow) == [4])
            #expect(proposal.unmatched.first?.reason == "没有志愿者能辅导其需要的科目（化学）")
            // Rows, scores and reasons only: no ID number in the answer.
            for id in MatchingLists.pupilIDs + MatchingLists.volunteerIDs { #expect(!res.body.string.contains(id)) }

            // The stored run keeps the lists encrypted.
            let runId = try #require(proposal.runId)
            let run = try #require(try await MatchingRun.find(runId, on: app.db))
            #expect(!String(decoding: run.pupilsPayload, as: UTF8.self).contains(MatchingLists.pupilIDs[0]))

            let accepted = try await app.testing().sendRequest(.POST, "/api/v1/matching/tutoring/\(runId)/accept", headers: headers)
            #expect(accepted.status == .ok, "\(accepted.body.string)")
            let report = try accepted.content.decode(ImportReport.self)
            #expect(report.added == 2 && report.committed)
            let pairs = try await app.testing().sendRequest(.GET, "/api/v1/pairings?campaign=2022", headers: headers).content.decode(ItemList<PairingDTO>.self).items
            #expect(Set(pairs.map { $0.pupil.name + "↔" + $0.volunteer.name }) == ["学生甲↔志愿者二", "学生乙↔志愿者一"])
        }
    }

    @Test func everyProblemOfBothListsIsListedAndNothingIsKept() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            let res = try await app.uploadLists("/api/v1/matching/tutoring?campaign=2022", headers: headers,
                                                pupils: MatchingLists.pupils(county: "化州市", slots: "周八晚"), volunteers: MatchingLists.volunteers(capacity: "5"))
            #expect(res.status == .unprocessableEntity)
            struct Problems: Decodable { let error: String; let message: String; let pupils: ImportReport; let volunteers: ImportReport }
            let problems = try res.content.decode(Problems.self)
            #expect(problems.pupils.errors.contains { $0.row == 2 && $0.column == "所在县（市、区）" && $0.message.contains("附件1") })
            #expect(problems.pupils.errors.contains { $0.row == 2 && $0.column == "可辅导时间" && $0.message.contains("周八晚") })
            #expect(problems.volunteers.errors.contains { $0.row == 2 && $0.column == "最多结对人数" })
            #expect(isChinese(problems.message))
            #expect(try await MatchingRun.query(on: app.db).count() == 0)
            // A file that is no spreadsheet: 400 with the reason, never a 500.
            let junk = try await app.uploadLists("/api/v1/matching/tutoring", headers: headers, pupils: "\u{0}\u{1}PK garbage", volunteers: MatchingLists.volunteers())
            #expect(junk.status.code >= 400 && junk.status.code < 500)
        }
    }

    @Test func locksForbidsAndHostileRowNumbers() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            func run(_ fields: [String: String]) async throws -> TestingHTTPResponse {
                try await app.uploadLists("/api/v1/matching/tutoring", headers: headers, pupils: MatchingLists.pupils(),
                                          volunteers: MatchingLists.volunteers(), fields: fields)
            }
            // Lock 甲 with 志愿者一 (what greedy would do): 乙 is left, the maximum says what was lost.
            let locked = try await run(["locks": #"[{"pupilRow":2,"volunteerRow":2}]"#])
            #expect(locked.status == .ok, "\(locked.body.string)")
            let p = try locked.content.decode(Proposal.self)
            #expect(p.pairs.map { "\($0.pupilRow)-\($0.volunteerRow)" } == ["2-2"] && p.matched == 1 && p.maximum == 2)
            let forbidden = try await run(["forbids": #"[{"pupilRow":3,"volunteerRow":2}]"#])
            #expect(try forbidden.content.decode(Proposal.self).pairs.allSatisfy { !($0.pupilRow == 3 && $0.volunteerRow == 2) })
            for bad in [#"[{"pupilRow":9223372036854775808,"volunteerRow":2}]"#, #"[{"pupilRow":-1,"volunteerRow":2}]"#, "not json",
                        #"[{"pupilRow":4,"volunteerRow":2}]"#, #"[{"pupilRow":99,"volunteerRow":2}]"#] {
                let res = try await run(["locks": bad])
                #expect(res.status == .badRequest || res.status == .unprocessableEntity, "\(bad) → \(res.status)")
                #expect(isChinese(res.errorMessage), "\(bad) → \(res.body.string)")
            }
        }
    }

    @Test func anotherUniversityCannotUseOrSeeTheRun() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            let res = try await app.uploadLists("/api/v1/matching/tutoring", headers: headers, pupils: MatchingLists.pupils(), volunteers: MatchingLists.volunteers())
            let runId = try #require(try res.content.decode(Proposal.self).runId)
            try await app.makeUser("other_uni", in: "华南师范大学", role: .staff)
            let other = try await app.bearer("other_uni")
            let stolen = try await app.testing().sendRequest(.POST, "/api/v1/matching/tutoring/\(runId)/accept", headers: other)
            #expect(stolen.status == .notFound)
            let sg = try await app.org(named: "韶关学院")
            let cross = try await app.uploadLists("/api/v1/matching/tutoring?orgId=\(sg.id!)", headers: other, pupils: MatchingLists.pupils(),
                                                  volunteers: MatchingLists.volunteers())
            #expect(cross.status == .forbidden || cross.status == .notFound)
            // 华南师范大学 is not assigned 武江区 in 附件1: its own run is refused row by row.
            let own = try await app.uploadLists("/api/v1/matching/tutoring", headers: other, pupils: MatchingLists.pupils(), volunteers: MatchingLists.volunteers())
            #expect(own.status == .unprocessableEntity)
            #expect(try await Pairing.query(on: app.db).count() == 0)
        }
    }

    /// A double click on 采纳, and the deadline morning (20 at once): every request answered, each pair stored once.
    @Test func parallelAcceptsStoreEachPairOnce() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            let res = try await app.uploadLists("/api/v1/matching/tutoring", headers: headers, pupils: MatchingLists.pupils(), volunteers: MatchingLists.volunteers())
            let runId = try #require(try res.content.decode(Proposal.self).runId)
            let statuses = try await withThrowingTaskGroup(of: UInt.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await app.testing().sendRequest(.POST, "/api/v1/matching/tutoring/\(runId)/accept", headers: headers).status.code }
                }
                return try await group.reduce(into: [UInt]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 < 500 }, "\(statuses)")
            #expect(statuses.contains(200))
            #expect(try await Pairing.query(on: app.db).count() == 2)
        }
    }

    /// Last campaign's roster counts as the previous pairing even without the column: 学生甲 had 志愿者二 in 2022,
    /// so the 2023 proposal keeps them together.
    @Test func lastCampaignsRosterMakesContinuingPairs() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            var line = RosterLine()
            line.pupilName = "学生甲"; line.pupilID = MatchingLists.pupilIDs[0]
            line.volunteerName = "志愿者二"; line.volunteerID = MatchingLists.volunteerIDs[1]
            let roster = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: headers, content: RosterLine.csv([line]))
            #expect(roster.status == .ok, "\(roster.body.string)")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: admin, beforeRequest: { req in
                try req.content.encode(CampaignController.CreateInput(year: 2023, copyFrom: 2022))
            }) { res in #expect(res.status == .created) }
            let res = try await app.uploadLists("/api/v1/matching/tutoring?campaign=2023", headers: headers, pupils: MatchingLists.pupils(),
                                                volunteers: MatchingLists.volunteers())
            #expect(res.status == .ok, "\(res.body.string)")
            let proposal = try res.content.decode(Proposal.self)
            #expect(proposal.continuing == 1)
            #expect(proposal.pairs.first { $0.pupilRow == 2 }.map { $0.volunteerRow == 3 && $0.continuing } == true)
        }
    }

    /// The weights are the province's campaign setting: out-of-range numbers are refused in words, never a 500.
    @Test func theProvinceSetsTheWeights() async throws {
        try await withTestApp { app in
            try await app.makeUser("gd_weights", in: "广东省", role: .admin)
            let (cookie, csrf) = try await app.signIn("gd_weights", "Secret-pass-1")
            func post(_ fields: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, "/roster/matching/weights", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "_csrf=\(csrf)&campaign=2022&" + fields))
            }
            #expect(try await post("sameSex=-1").status.code < 500)
            #expect(try await post("major=9223372036854775808").status.code < 500)
            #expect(try await Campaign.query(on: app.db).filter(\.$year == 2022).first()?.matchingWeights == MatchWeights())
            #expect(try await post("subjects=50&sameSex=0").status == .seeOther)
            let w = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first()).matchingWeights
            #expect(w.subjects == 50 && w.sameSex == 0 && w.dialect == MatchWeights().dialect)
            // A university's staff may not change them.
            try await app.makeUser("sg_weights", in: "韶关学院", role: .admin)
            let (c2, t2) = try await app.signIn("sg_weights", "Secret-pass-1")
            let refused = try await app.testing().sendRequest(.POST, "/roster/matching/weights", headers: ["Cookie": c2, "Content-Type": "application/x-www-form-urlencoded"],
                                                              body: ByteBuffer(string: "_csrf=\(t2)&campaign=2022&subjects=1"))
            #expect(refused.status == .forbidden)
        }
    }

    /// The blank templates are what the reader reads: sent back empty, each list says it has no lines.
    @Test func blankTemplatesReadBackAsEmptyLists() async throws {
        try await withTestApp { app in
            let headers = try await staff(app)
            var files: [Data] = []
            for name in ["pupils", "volunteers"] {
                let res = try await app.testing().sendRequest(.GET, "/roster/matching/\(name)-template.xlsx", headers: headers)
                #expect(res.status == .ok)
                files.append(Data(buffer: res.body))
            }
            let back = try await app.upload("/api/v1/matching/tutoring", headers: headers,
                                            files: [("pupils", "p.xlsx", files[0]), ("volunteers", "v.xlsx", files[1])])
            #expect(back.status == .unprocessableEntity)
            #expect(back.body.string.contains("表格中没有数据"))
            #expect(!back.body.string.contains("表头未找到"))
        }
    }

    @Test func thePagesUploadLockRerunAndAccept() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_page", in: "韶关学院", role: .staff)
            let (cookie, csrf) = try await app.signIn("sg_page", "Secret-pass-1")
            let upload = try await app.page("/roster/matching?campaign=2022", cookie: cookie)
            #expect(upload.contains("智能结对") && upload.contains("规则与权重"))
            // A list with problems comes back on the same page, each problem by row and column.
            let refused = try await app.uploadLists("/roster/matching", headers: ["Cookie": cookie], pupils: MatchingLists.pupils(county: "化州市"),
                                                    volunteers: MatchingLists.volunteers(), fields: ["_csrf": csrf, "campaign": "2022"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("pupil-errors") && refused.body.string.contains("附件1"))
            // The refused list's error workbook: the uploaded sheet with the problem marked, for its author only.
            let marker = "/roster/matching/errors/"
            let html = refused.body.string
            let start = try #require(html.range(of: marker)).upperBound
            let keptID = String(html[start...].prefix(36))
            #expect(!html.contains("download-volunteer-errors"))
            let workbook = try await app.testing().sendRequest(.POST, marker + keptID, headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                               body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(workbook.status == .ok)
            let sheet = try Workbook(data: Data(buffer: workbook.body))
            var texts: [String] = []
            _ = try sheet.forEachRow(in: .index(0)) { row in texts += row.cells.map(\.csvText) }
            #expect(texts.contains { $0.contains("附件1") })
            try await app.makeUser("sg_other", in: "韶关学院", role: .staff)
            let (otherCookie, otherCSRF) = try await app.signIn("sg_other", "Secret-pass-1")
            let foreign = try await app.testing().sendRequest(.POST, marker + keptID, headers: ["Cookie": otherCookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                              body: ByteBuffer(string: "_csrf=\(otherCSRF)"))
            #expect(foreign.status == .notFound)

            let made = try await app.uploadLists("/roster/matching", headers: ["Cookie": cookie], pupils: MatchingLists.pupils(),
                                                 volunteers: MatchingLists.volunteers(), fields: ["_csrf": csrf, "campaign": "2022"])
            #expect(made.status == .seeOther, "\(made.body.string)")
            let location = try #require(made.headers.first(name: .location))
            let page = try await app.page(location, cookie: cookie)
            #expect(page.contains("科目：数学 ✓") && page.contains("没有志愿者能辅导其需要的科目（化学）"))
            #expect(!page.contains(MatchingLists.pupilIDs[0]))

            let rerun = try await app.testing().sendRequest(.POST, location + "/rerun", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                            body: ByteBuffer(string: "_csrf=\(csrf)&lock[]=2-2"))
            #expect(rerun.status == .seeOther)
            let next = try #require(rerun.headers.first(name: .location))
            #expect(next != location)
            let lockedPage = try await app.page(next, cookie: cookie)
            #expect(lockedPage.contains("已锁定"))

            let accept = try await app.testing().sendRequest(.POST, next + "/accept", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                             body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(accept.status == .seeOther)
            let preview = try #require(accept.headers.first(name: .location))
            #expect(preview.hasPrefix("/roster/import/"))
            let previewPage = try await app.page(preview, cookie: cookie)
            #expect(previewPage.contains("检查通过") && previewPage.contains("新增"))
        }
    }
}
