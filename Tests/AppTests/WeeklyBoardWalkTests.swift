// Issue 11 §7, the weekly board as the walk found it: it opens on a week of the tutoring period, the chase list names
// each volunteer's university and contact, the trend chart has a legend, drill-downs lead back up; the province, a
// city or a county gets its territory's volunteer hours without naming a university; a county's board names its city.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct WeeklyBoardWalkTests {

    @Test func theBoardOpensOnAWeekOfTheTutoringPeriod() async throws {
        try await withTestApp { app in
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            // Before the period (07-01…12-31): its first week; during it: this week; after it: its last week.
            for (today, week) in [("2022-05-10", "2022-06-27"), ("2022-08-03", "2022-08-01"), ("2023-03-15", "2022-12-26")] {
                app.setToday(today)
                #expect(try await app.page("/compliance?campaign=2022", cookie: cookie).contains("<span>\(week) 至"), "\(today)")
            }
            #expect(try await app.page("/compliance/trend.svg?campaign=2022", cookie: cookie).contains("90% 参考线"))
        }
    }

    @Test func theChaseListNamesTheUniversityAndHowToReachTheVolunteer() async throws {
        try await withTestApp { app in
            app.setToday("2022-08-03")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let lines = RosterLine.many(2)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(lines))
            // The first volunteer activates with a mobile number; the second has no account yet.
            let code = ActivationCode()
            code.universityID = try await app.org(named: "韶关学院").id!
            code.volunteerIDHash = app.appServices.cipher.lookupHash(lines[0].volunteerID)
            code.volunteerName = lines[0].volunteerName
            code.codeCipher = try app.appServices.cipher.seal("K7MQ-2PXD")
            code.codeHash = app.appServices.cipher.lookupHash("activation:" + VolunteerDirectory.normalise("K7MQ-2PXD"))
            try await code.create(on: app.db)
            func activate(_ phone: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, "/activate", beforeRequest: { req in
                    try req.content.encode(["code": "K7MQ-2PXD", "username": "vol0", "password": "Volunteer-2022", "confirm": "Volunteer-2022",
                                            "phone": phone], as: .urlEncodedForm)
                })
            }
            let refused = try await activate("12345")
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("手机号应为11位手机号码") && refused.body.string.contains("value=\"12345\""))
            #expect(try await activate("138 0013 8000").status == .seeOther)

            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            let wujiang = try await app.org(named: "武江区")
            let page = try await app.page("/compliance?campaign=2022&orgId=\(wujiang.id!)", cookie: cookie)
            let chase = String(page.split(separator: "id=\"chase\"").last ?? "")
            #expect(chase.contains("<td>\(lines[0].volunteerName)</td><td>韶关学院</td><td>13800138000</td>"))
            #expect(chase.contains("<td>\(lines[1].volunteerName)</td><td>韶关学院</td><td>未激活账户</td>"))
            // The way back up: the province, then the city.
            let shaoguan = try await app.org(named: "韶关市")
            #expect(page.contains("<nav class=\"crumbs\" aria-label=\"上级单位\"><a href=\"/compliance?campaign=2022\">广东省</a> › "
                                  + "<a href=\"/compliance?campaign=2022&amp;orgId=\(shaoguan.id!.uuidString)\">韶关市</a> › <span>武江区</span></nav>"))
        }
    }

    @Test func aTerritoryGetsItsVolunteersHoursWithoutNamingAUniversity() async throws {
        try await withTestApp { app in
            app.setToday("2022-08-03")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .viewer)
            try await app.makeUser("gz_city", in: "广州市", role: .viewer)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(RosterLine.many(3)))
            struct Row: Decodable { struct V: Decodable { let name: String }; let volunteer: V; let minutes: Int; let university: String? }
            struct Rows: Decodable { let items: [Row]; let total: Int }
            for (user, count) in [("sg_city", 3), ("gz_city", 0)] {
                let res = try await app.testing().sendRequest(.GET, "/api/v1/volunteer-hours?campaign=2022", headers: try await app.bearer(user))
                #expect(res.status == .ok, "\(user) \(res.body.string)")
                let rows = try res.content.decode(Rows.self).items
                #expect(rows.count == count && rows.allSatisfy { $0.university == "韶关学院" })
            }
            let province = try await app.testing().sendRequest(.GET, "/api/v1/volunteer-hours?campaign=2022",
                                                               headers: try await app.bearer("admin", password: TestEnv.adminPassword))
            #expect(try province.content.decode(Rows.self).total == 3)
        }
    }

    @Test func aCountysBoardNamesItsCity() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-10")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let (cookie, _) = try await app.signIn("lc_staff", "Secret-pass-1")
            let page = try await app.page("/completeness?campaign=2022", cookie: cookie)
            #expect(page.contains("<h1>活动汇总表完成情况 · 乐昌市（韶关市）</h1>"))
        }
    }
}

@Suite struct TerritoryExportTests {
    @Test func aCityViewerExportsItsTerritorysPairingsMasked() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("sg_city", in: "韶关市", role: .viewer, sensitiveData: true)
            try await app.makeUser("gz_city", in: "广州市", role: .viewer)
            let lines = RosterLine.many(3)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(lines))
            let city = try await app.bearer("sg_city")
            let res = try await app.testing().sendRequest(.GET, "/api/v1/pairings/export?campaign=2022&format=csv", headers: city)
            #expect(res.status == .ok, "\(res.body.string)")
            let text = res.body.string
            #expect(lines.allSatisfy { text.contains($0.pupilName) && !text.contains($0.pupilID) && !text.contains($0.volunteerID) })
            #expect(text.contains("韶关学院"))
            #expect((res.headers.first(name: .contentDisposition) ?? "").contains("%E8%BE%96%E5%8C%BA"))   // 辖区
            // Never the full numbers, whatever the permission; another city's export holds none of these pupils.
            let full = try await app.testing().sendRequest(.GET, "/api/v1/pairings/export?campaign=2022&format=csv&fullId=true", headers: city)
            #expect(full.status == .forbidden && isChinese(full.errorMessage))
            let other = try await app.testing().sendRequest(.GET, "/api/v1/pairings/export?campaign=2022&format=csv", headers: try await app.bearer("gz_city"))
            #expect(other.status == .ok && lines.allSatisfy { !other.body.string.contains($0.pupilName) })
        }
    }
}
