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
}
