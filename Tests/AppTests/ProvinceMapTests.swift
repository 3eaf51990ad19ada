// Issue 11 §9: the province home page's tile map of the 21 cities — coloured by the chosen measure with the value on
// each tile, each linking to that city's board — and this year beside the last once an earlier year exists.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct ProvinceMapTests {
    /// The `data-value` and the label of one city's tile on the province home page.
    func tile(_ html: String, _ city: String) -> (value: String, label: String, href: String)? {
        guard let start = html.range(of: "data-city=\"\(city)\"") else { return nil }
        let open = html[..<start.lowerBound].range(of: "<a href=\"", options: .backwards)!
        let tag = html[open.upperBound...].prefix { $0 != ">" }
        func attribute(_ name: String) -> String {
            guard let r = tag.range(of: "\(name)=\"") else { return "" }
            return String(tag[r.upperBound...].prefix { $0 != "\"" })
        }
        return (attribute("data-value"), attribute("aria-label"), String(tag.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&"))
    }

    func home(_ app: Application, _ cookie: String, _ query: String = "") async throws -> String {
        var html = ""
        try await app.testing().test(.GET, "/" + query, headers: ["Cookie": cookie]) { res in
            #expect(res.status == .ok)
            html = res.body.string
        }
        return html
    }

    @Test func eachCityTileShowsItsShareAndLinksToItsBoard() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-10")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let county = try await app.bearer("lc_staff")
            try await app.addActivity(NewActivity(), county)
            app.setToday("2022-07-08")
            _ = try await app.submitActivities(nil, stage: "plan", county)
            app.setToday("2022-07-10")
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            let html = try await home(app, cookie)
            #expect(html.components(separatedBy: "class=\"map-tile\"").count - 1 == 21)
            // 韶关市: the city and its counties owed a plan by 07-08; one (乐昌市) reported.
            let shaoguan = try await app.org(named: "韶关市")
            let reporting = try await Organization.query(on: app.db).filter(\.$parentID == shaoguan.id!).filter(\.$kind == .county).count() + 1
            let sg = try #require(tile(html, "韶关市"))
            #expect(sg.value == String(ProvinceTiles.percent(1, of: reporting)!))
            #expect(sg.label.contains("报送率") && sg.label.contains("（1/\(reporting)）"))
            #expect(sg.href == "/completeness?campaign=2022&orgId=\(shaoguan.id!.uuidString)")
            // A city where nobody reported is 0%, red.
            #expect(tile(html, "广州市")?.value == "0")
            #expect(html.contains("<div class=\"map-wrap\">") && html.contains("图例"))
            // No earlier year: nothing to compare.
            #expect(!html.contains("id=\"year-compare\""))
        }
    }

    @Test func theWeeklyMeasureCountsPupilsByTheirCountysCityAndLinksToTheWeeklyBoard() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-20")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(RosterLine.many(3)))
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            let html = try await home(app, cookie, "?measure=compliance")
            // The fixture's pupils live in 武江区, 韶关市: 0 of 3 served this week.
            let sg = try #require(tile(html, "韶关市"))
            #expect(sg.value == "0" && sg.label.contains("每周达标率0%（0/3）"))
            #expect(sg.href.hasPrefix("/compliance?campaign=2022&orgId="))
            #expect(tile(html, "广州市")?.value == "" && html.contains("2022-07-18至2022-07-24"))
            // An unknown measure is the default one, not an error.
            #expect(try await home(app, cookie, "?measure=nonsense").contains("各地市报送率"))
            try await app.testing().test(.GET, "/?campaign=99999999999999999999", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test func withAnEarlierYearTheBoardComparesThisYearWithTheLast() async throws {
        try await withTestApp { app in
            app.setToday("2023-07-10")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.POST, "/api/v1/campaigns", headers: admin, beforeRequest: { req in
                try req.content.encode(["year": 2023, "copyFrom": 2022])
            }) { res in #expect(res.status == .created, "\(res.body.string)") }
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            let html = try await home(app, cookie, "?campaign=2023")
            #expect(html.contains("id=\"year-compare\""))
            #expect(html.contains("<th>2023年</th><th>2022年</th>"))
            for measure in ProvinceOverview.Measure.allCases { #expect(html.contains("<td>\(measure.label)</td>")) }
            // Other units' home pages have no map.
            try await app.makeUser("gz_staff", in: "广州市", role: .staff)
            let (gz, _) = try await app.signIn("gz_staff", "Secret-pass-1")
            #expect(!(try await home(app, gz)).contains("province-map"))
        }
    }
}
