// 南粤会亲's 建议配对 end to end: the camp's children waiting, a refused families' list listed line by line, the
// suggestion (same county first, masked IDs only), accepting it five times at once registers each child once, and
// another county's office can neither read the page nor register the plan. `scripts/test` runs it on PostgreSQL too.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct FamilySuggestTests {
    @Test func suggestsSameCountyFamiliesAndAcceptsEachChildOnce() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-01")
            try await app.makeUser("lc_family", in: "乐昌市", role: .staff)
            try await app.makeUser("lz_family", in: "连州市", role: .staff)
            let staff = try await app.bearer("lc_family")
            struct NewCamp: Content { var campaign = 2022; var kind = "summer"; var title = "2022年乐昌市留守儿童夏令营"; var place = "乐昌市青少年宫"; var startDate = "2022-06-15"; var endDate = "2022-06-20" }
            let camp = try await app.post("/api/v1/camps", NewCamp(), staff).content.decode(CompanionAPIController.CampDTO.self).id
            let ids = (1...3).map { TestIDs.make("440281", "2012030\($0)", $0) }
            let volunteer = TestIDs.make("440281", "20010203", 9)
            let list = ["姓名,身份证号,身份,监护人同意,同意日期", "陈小明,\(ids[0]),营员,是,2022-06-01", "李小红,\(ids[1]),营员,是,2022-06-01",
                        "王小华,\(ids[2]),营员,是,2022-06-01", "张志愿,\(volunteer),志愿者,,"].joined(separator: "\n")
            #expect(try await app.upload("/api/v1/camps/\(camp)/participants/import?campaign=2022", headers: staff, content: list).status == .ok)

            let (cookie, csrf) = try await app.signIn("lc_family", "Secret-pass-1")
            #expect(try await app.page("/companionship?campaign=2022", cookie: cookie).contains("id=\"family-suggest\""))
            let page = try await app.page("/companionship/family-suggest?campaign=2022", cookie: cookie)
            #expect(page.contains("待结对儿童（3名）") && !page.contains("张志愿") && !ids.contains { page.contains($0) })

            func send(_ families: String) async throws -> TestingHTTPResponse {
                try await app.upload("/companionship/family-suggest", headers: ["Cookie": cookie],
                                     files: [("families", "families.csv", Data(families.utf8))], fields: ["_csrf": csrf, "campaign": "2022"])
            }
            // The blank template goes back in as a list with its header found and no lines.
            let template = try await app.testing().sendRequest(.GET, "/companionship/families-template.xlsx?campaign=2022", headers: ["Cookie": cookie])
            #expect(template.status == .ok)
            let blank = try await app.upload("/companionship/family-suggest", headers: ["Cookie": cookie],
                                             files: [("families", "爱心家庭名单.xlsx", Data(buffer: template.body))], fields: ["_csrf": csrf, "campaign": "2022"])
            #expect(blank.status == .unprocessableEntity && blank.body.string.contains("表格中没有数据"))
            let refused = try await send(["家庭,所在县（市、区）,最多结对儿童数", "乐昌陈家,乐昌市,5", "火星李家,火星市,1"].joined(separator: "\n"))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("第2行") && refused.body.string.contains("1至3的整数") && refused.body.string.contains("“火星市”不是广东省的县"))
            #expect(!refused.body.string.contains("accept-family-suggest"))

            let shown = try await send(["家庭,所在县（市、区）,最多结对儿童数", "乐昌陈家,乐昌市,2", "天河黄家,广州市天河区,1"].joined(separator: "\n"))
            #expect(shown.status == .ok, "\(shown.body.string.prefix(400))")
            let html = shown.body.string
            #expect(html.contains("id=\"suggest-pairs\">3<") && html.contains("id=\"suggest-same-county\">2<"))
            #expect(html.contains("同县：韶关市乐昌市 ✓") && html.contains("跨市：家庭在广州市天河区") && html.contains("乐昌市的家庭名额已用完"))
            #expect(!ids.contains { html.contains($0) })
            let planValue = try #require(html.range(of: "name=\"plan\" value=\"").map { html[$0.upperBound...] }.map { String($0.prefix { $0 != "\"" }) })
            let plan = planValue.replacingOccurrences(of: "&quot;", with: "\"")
            #expect(try JSONDecoder().decode([FamilyPlanItem].self, from: Data(plan.utf8)).count == 3)

            func accept(_ cookie: String, _ csrf: String, orgId: UUID? = nil) async throws -> TestingHTTPResponse {
                let encoded = plan.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                return try await app.testing().sendRequest(.POST, "/companionship/family-suggest/accept",
                    headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "_csrf=\(csrf)&campaign=2022&startedOn=2022-06-25&plan=\(encoded)" + (orgId.map { "&orgId=\($0)" } ?? "")))
            }
            // Another county's office: not its page, not its unit; with its own unit, the children are not of its camps.
            let (lzCookie, lzCsrf) = try await app.signIn("lz_family", "Secret-pass-1")
            let lechang = try await app.org(named: "乐昌市")
            let foreign = try await app.testing().sendRequest(.GET, "/companionship/family-suggest?campaign=2022&orgId=\(lechang.id!)", headers: ["Cookie": lzCookie])
            #expect(foreign.status == .forbidden || foreign.status == .notFound)
            _ = try await accept(lzCookie, lzCsrf, orgId: lechang.id!)
            _ = try await accept(lzCookie, lzCsrf)
            #expect(try await CompanionMatch.query(on: app.db).count() == 0)

            // A double click, five times over: each child once.
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<5 { group.addTask { try await accept(cookie, csrf).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(statuses)")
            let matches = try await CompanionMatch.query(on: app.db).all()
            #expect(matches.count == 3 && matches.allSatisfy { $0.kind == "family" && $0.startedOn == "2022-06-25" && $0.dueOn == "2022-09-23" })
            #expect(Set(matches.map(\.partner)) == ["乐昌陈家", "天河黄家"] && matches.allSatisfy { $0.consentGiven && $0.age == 10 })
            #expect(matches.allSatisfy { m in !ids.contains { m.subjectIDCipher.contains($0) } })
            let after = try await app.page("/companionship/family-suggest?campaign=2022", cookie: cookie)
            #expect(after.contains("id=\"no-children\""))
        }
    }
}
