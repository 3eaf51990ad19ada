// Issue 11 §6: changes that lose or orphan data say what they will do and ask again.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct SafeChangesTests {
    @Test func unassigningACountyThatHasPairingsWarnsWithTheCountAndAsksAgain() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(RosterLine.many(3)))
            let wujiang = try await app.org(named: "武江区")
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            func assigned() async throws -> UUID? {
                try await TutoringAssignment.query(on: app.db).filter(\.$campaignID == campaign.id!).filter(\.$countyID == wujiang.id!).first()?.universityID
            }
            let before = try #require(try await assigned())
            // The API: 409 naming the count, then done with confirm.
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            struct Body: Content { let universityId: UUID?; let confirm: Bool? }
            let held = try await app.testing().sendRequest(.PUT, "/api/v1/campaigns/2022/assignments/\(wujiang.id!)", headers: admin, beforeRequest: { req in
                try req.content.encode(Body(universityId: nil, confirm: nil))
            })
            #expect(held.status == .conflict && held.errorMessage?.contains("武江区已有韶关学院的3条结对") == true, "\(held.body.string)")
            #expect(try await assigned() == before)

            // The page: the save is held back with the warning and a box to tick; the choices stay as made.
            let (cookie, csrf) = try await app.signIn("admin", TestEnv.adminPassword)
            func save(_ extra: [String: String]) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, "/campaigns/2022/assignments", headers: ["Cookie": cookie], beforeRequest: { req in
                    try req.content.encode(["_csrf": csrf, "county.\(wujiang.id!.uuidString)": ""].merging(extra) { a, _ in a }, as: .urlEncodedForm)
                })
            }
            let asked = try await save([:])
            #expect(asked.status == .unprocessableEntity)
            let html = asked.body.string
            #expect(html.contains("id=\"assignment-confirm\"") && html.contains("武江区已有韶关学院的3条结对"))
            let select = try #require(html.components(separatedBy: "<select name=\"county.\(wujiang.id!.uuidString)\"").dropFirst().first?
                .components(separatedBy: "</select>").first)
            #expect(!select.contains("value=\"\(before.uuidString)\" selected"))
            #expect(try await assigned() == before)
            #expect(try await save(["confirm": "1"]).status == .seeOther)
            #expect(try await assigned() == nil)
            // 附件1 is in the province's menu.
            let home = try await app.testing().sendRequest(.GET, "/", headers: ["Cookie": cookie]).body.string
            #expect(home.contains("<a href=\"/assignments\" >附件1对接</a>"))
            let menu = try await app.testing().sendRequest(.GET, "/assignments", headers: ["Cookie": cookie])
            #expect(menu.status == .seeOther && menu.headers.first(name: .location)?.hasSuffix("/assignments") == true)
        }
    }

    @Test func submittingShowsWhatIsAboutToBeSentAndOnlyTheConfirmationSends() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-05")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(RosterLine.many(2)))
            func post(_ user: String, _ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
                let (cookie, csrf) = try await app.signIn(user, "Secret-pass-1")
                return try await app.testing().sendRequest(.POST, path, headers: ["Cookie": cookie], beforeRequest: { req in
                    try req.content.encode(fields.merging(["_csrf": csrf]) { a, _ in a }, as: .urlEncodedForm)
                })
            }
            // The roster: the summary names the pupils under 14 without a guardian's consent; nothing is sent yet.
            let asked = try await post("sg_staff", "/roster/submit", ["campaign": "2022"])
            #expect(asked.status == .ok && asked.body.string.contains("结对2条") && asked.body.string.contains("尚未取得监护人同意的学生2名：学生0、学生1"))
            #expect(asked.body.string.contains("id=\"confirm-submit\""))
            #expect(try await RosterSubmission.query(on: app.db).count() == 0)
            #expect(try await post("sg_staff", "/roster/submit", ["campaign": "2022", "confirm": "1"]).status == .seeOther)
            #expect(try await RosterSubmission.query(on: app.db).count() == 1)

            // An empty activity plan is refused on the summary itself, with no button.
            let empty = try await post("lc_staff", "/activities/submit", ["campaign": "2022", "stage": "plan"])
            #expect(empty.status == .ok && empty.body.string.contains("id=\"submit-refusal\"") && !empty.body.string.contains("id=\"confirm-submit\""))
            try await app.addActivity(NewActivity(), try await app.bearer("lc_staff"))
            let plan = try await post("lc_staff", "/activities/submit", ["campaign": "2022", "stage": "plan"])
            #expect(plan.body.string.contains("活动1项") && plan.body.string.contains("✓ 已达标"))
            #expect(try await ActivitySubmission.query(on: app.db).count() == 0)
            #expect(try await post("lc_staff", "/activities/submit", ["campaign": "2022", "stage": "plan", "confirm": "1"]).status == .seeOther)
            #expect(try await ActivitySubmission.query(on: app.db).count() == 1)
        }
    }

    @Test func aReplacingImportListsWhatItDeletesAndDeletesOnlyOnceConfirmed() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-05")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let lines = RosterLine.many(3)
            _ = try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(lines))
            // The API report names each row: the one dropped from the file is listed as deleted, by name and masked ID.
            let dry = try await app.upload("/api/v1/pairings/import?mode=replace&dryRun=true", headers: staff, content: RosterLine.csv(Array(lines.prefix(2))))
            let report = try dry.content.decode(ImportReport.self)
            let removed = report.changes.filter { $0.kind == "removed" }
            #expect(report.removed == 1 && removed.map(\.name) == [lines[2].pupilName])
            #expect(removed[0].detail.contains(IDNumber.mask(lines[2].pupilID)) && !dry.body.string.contains(lines[2].pupilID))

            // The page: the commit of a replace that deletes needs the box ticked.
            let (cookie, csrf) = try await app.signIn("sg_staff", "Secret-pass-1")
            var headers: HTTPHeaders = ["Cookie": cookie, "X-CSRF-Token": csrf]
            let uploaded = try await app.upload("/roster/import", headers: headers, filename: "roster.csv",
                                                data: Data(RosterLine.csv(Array(lines.prefix(2))).utf8), fields: ["campaign": "2022", "mode": "replace"])
            let preview = try #require(uploaded.headers.first(name: .location))
            let page = try await app.testing().sendRequest(.GET, preview, headers: headers).body.string
            #expect(page.contains("id=\"preview-removed-list\"") && page.contains(lines[2].pupilName) && page.contains("id=\"confirm-delete\""))
            headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
            let unconfirmed = try await app.testing().sendRequest(.POST, preview + "/commit", headers: headers, body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(unconfirmed.status == .seeOther && unconfirmed.headers.first(name: .location) == preview)
            #expect(try await Pairing.query(on: app.db).count() == 3)
            let confirmed = try await app.testing().sendRequest(.POST, preview + "/commit", headers: headers,
                                                                body: ByteBuffer(string: "_csrf=\(csrf)&confirmDelete=1"))
            #expect(confirmed.status == .seeOther && confirmed.headers.first(name: .location) != preview)
            #expect(try await Pairing.query(on: app.db).count() == 2)
        }
    }
}
