// Issue 11 §1: a form the server refuses comes back (422) with every value as typed and the message next to the
// field it is about; nothing is stored. One test per form, through the page route a user posts to.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct FormKeepsTypedTests {
    func post(_ app: Application, _ path: String, _ session: (cookie: String, csrf: String), _ fields: [String: String]) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, path, headers: ["Cookie": session.cookie], beforeRequest: { req in
            try req.content.encode(fields.merging(["_csrf": session.csrf]) { a, _ in a }, as: .urlEncodedForm)
        })
    }

    /// The refused page: 422, each typed value back in its field, the message at `field`.
    func expectRefused(_ res: TestingHTTPResponse, keeps values: [String], errorAt field: String, _ note: String = "") {
        #expect(res.status == .unprocessableEntity, "\(note) \(res.status) \(res.body.string.prefix(300))")
        let html = res.body.string
        for value in values { #expect(html.contains(value), "\(note): lost \(value)") }
        #expect(html.contains("id=\"error-\(field)\""), "\(note): no message at \(field)")
    }

    @Test func theSessionLogFormKeepsWhatTheVolunteerTyped() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 20)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(2))).status == .ok)
            let pairings = try await Pairing.query(on: app.db).sort(\.$pupilName).all()
            let session = try await app.signIn("sg_staff", "Secret-pass-1")
            let res = try await post(app, "/tutoring/sessions", session, [
                "pairingId": pairings[1].id!.uuidString, "date": "2022-07-19", "startTime": "20:15", "minutes": "九十",
                "content": "分数应用题<讲解>", "mode": "offline", "note": "下次复习小数"])
            expectRefused(res, keeps: [#"value="2022-07-19""#, #"value="20:15""#, #"value="九十""#, "value=\"分数应用题&lt;讲解&gt;\"",
                                       #"value="下次复习小数""#, "value=\"\(pairings[1].id!.uuidString)\" selected", #"value="offline" checked"#],
                           errorAt: "minutes", "session log")
            // A rule's refusal lands at its own field too.
            let future = try await post(app, "/tutoring/sessions", session, [
                "pairingId": pairings[0].id!.uuidString, "date": "2022-07-25", "startTime": "19:30", "minutes": "60",
                "content": "作文", "mode": "online-video", "note": ""])
            expectRefused(future, keeps: [#"value="2022-07-25""#, #"value="作文""#], errorAt: "date", "future date")
            #expect(try await TutoringSession.query(on: app.db).count() == 0)
        }
    }

    @Test func thePairingFormsKeepWhatWasTyped() async throws {
        try await withTestApp { app in
            let university = try await app.org(named: "韶关学院")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let session = try await app.signIn("sg_staff", "Secret-pass-1")
            let line = RosterLine.many(1)[0]
            let typed = ["campaign": "2022", "orgId": university.id!.uuidString, "_form": "add-pairing", "pupilName": "黎小雨", "sex": "女",
                         "pupilId": "44020320100315123", "studentNo": "", "school": "武江区示范小学", "gradeClass": "五年级2班",
                         "county": "韶关市武江区", "volunteerName": "陈志远", "volunteerId": line.volunteerID, "startDate": "2022-07-05",
                         "consent": "yes", "consentDate": "2022-07-01"]
            let res = try await post(app, "/roster/pairings", session, typed)
            expectRefused(res, keeps: [#"value="黎小雨""#, #"value="44020320100315123""#, #"value="武江区示范小学""#, #"value="五年级2班""#,
                                       #"value="陈志远""#, #"value="2022-07-05""#, #"value="yes" selected"#, #"<details class="form-box" id="add-pairing" open"#],
                           errorAt: "pupilId", "add pairing")
            #expect(try await Pairing.query(on: app.db).count() == 0)

            // Edit: the stored line, a bad start date typed with a changed school.
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv([line])).status == .ok)
            let pairing = try #require(try await Pairing.query(on: app.db).first())
            let edit = try await post(app, "/roster/pairings/\(pairing.id!)", session, [
                "campaign": "2022", "orgId": university.id!.uuidString, "pupilName": pairing.pupilName, "sex": pairing.pupilSex, "pupilId": "",
                "school": "改过的学校", "gradeClass": "六年级1班", "county": "武江区", "volunteerName": pairing.volunteerName, "volunteerId": "",
                "startDate": "2023-01-09", "consent": "yes", "consentDate": ""])
            expectRefused(edit, keeps: [#"value="改过的学校""#, #"value="六年级1班""#, #"value="2023-01-09""#], errorAt: "startDate", "edit pairing")
            // Nothing of the full ID numbers comes back in the page (the fields were left empty).
            #expect(!edit.body.string.contains(line.pupilID))
            #expect(try await Pairing.find(pairing.id, on: app.db)?.school != "改过的学校")
        }
    }

    @Test func theActivityFormKeepsALongSummaryWhenALinkIsRefused() async throws {
        try await withTestApp { app in
            let county = try await app.org(named: "乐昌市")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let session = try await app.signIn("lc_staff", "Secret-pass-1")
            let summary = String(repeating: "暑期支教帮扶留守儿童，", count: 9)
            let res = try await post(app, "/activities", session, [
                "campaign": "2022", "orgId": county.id!.uuidString, "title": "乐昌暑期课堂", "category": ActivityCategory.allCases[0].rawValue,
                "workItem": "", "startDate": "2022-07-15", "endDate": "2022-07-16", "coHosts": "韶关学院", "summary": summary,
                "peopleCovered": "120", "reportLinksText": "www.example.com/news", "status": ActivityStatus.allCases[0].rawValue, "keyPublicity": "是"])
            expectRefused(res, keeps: [#"value="乐昌暑期课堂""#, summary, #"value="2022-07-16""#, #"value="韶关学院""#, #"value="120""#,
                                       "www.example.com/news", #"id="activity-key" value="是" checked"#],
                           errorAt: "reportLinksText", "activity")
            #expect(res.body.string.contains("http://"))
            #expect(try await Activity.query(on: app.db).count() == 0)
        }
    }

    @Test func theAccountAndCampaignFormsKeepWhatWasTyped() async throws {
        try await withTestApp { app in
            let city = try await app.org(named: "茂名市")
            let session = try await app.signIn("admin", TestEnv.adminPassword)
            let user = try await post(app, "/orgs/\(city.id!)/users", session, [
                "_form": "add-user", "username": "茂名 staff", "displayName": "林晓", "password": "Maoming-2023", "role": "staff"])
            expectRefused(user, keeps: [#"value="茂名 staff""#, #"value="林晓""#, #"value="staff" selected"#], errorAt: "username", "add user")
            #expect(!user.body.string.contains("Maoming-2023"))   // a password is never sent back

            let calendar = try await post(app, "/campaigns/2022", session, ["_form": "calendar", "rosterDue": "2022-07-08", "planDue": "2022-7-8x"])
            expectRefused(calendar, keeps: [#"value="2022-7-8x""#], errorAt: "planDue", "calendar")

            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            let count = try await CampaignQuota.query(on: app.db).filter(\.$campaignID == campaign.id!).count()
            #expect(count > 1)
            // Repeated fields (minimums[], wordings[]): the second minimum typed in Chinese.
            var body = "_form=quotas&_csrf=" + session.csrf
            for i in 0..<count { body += "&minimums%5B%5D=" + (i == 1 ? "%E5%8D%81" : "1") + "&wordings%5B%5D=W\(i)" }
            let quotaRes = try await app.testing().sendRequest(.POST, "/campaigns/2022/quotas",
                headers: ["Cookie": session.cookie, "Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            expectRefused(quotaRes, keeps: [#"value="十""#, #"value="W2""#], errorAt: "minimums[1]", "quotas")
        }
    }
}
