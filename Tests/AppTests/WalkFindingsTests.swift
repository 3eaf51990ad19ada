// Issue 11 §7, the walk's smaller findings: files named for what they hold, an icon.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct WalkFindingsTests {
    func filename(_ res: TestingHTTPResponse) -> String {
        let header = res.headers.first(name: .contentDisposition) ?? ""
        guard let range = header.range(of: "filename*=UTF-8''") else { return "" }
        return String(header[range.upperBound...]).removingPercentEncoding ?? ""
    }

    @Test func downloadsAreNamedForWhatTheyHold() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 8, day: 3)!.startInstant.addingTimeInterval(10 * 3600) })
            try await app.makeUser("sg_admin", in: "韶关学院", role: .admin, sensitiveData: true)
            let admin = try await app.bearer("sg_admin")
            #expect(try await app.upload("/api/v1/pairings/import", headers: admin, content: RosterLine.csv(RosterLine.many(2))).status == .ok)
            // The export with full ID numbers says so; the masked one does not.
            let full = try await app.testing().sendRequest(.GET, "/api/v1/pairings/export?format=csv&fullId=true", headers: admin)
            #expect(full.status == .ok && filename(full) == "附件2-结对名单-韶关学院-2022（含完整身份证号）.csv", "\(filename(full))")
            let masked = try await app.testing().sendRequest(.GET, "/api/v1/pairings/export?format=csv", headers: admin)
            #expect(filename(masked) == "附件2-结对名单-韶关学院-2022.csv")
            // The chase list is named and titled with its real week.
            let session = try await app.signIn("sg_admin", "Secret-pass-1")
            let chase = try await app.testing().sendRequest(.GET, "/compliance/chase?campaign=2022&week=2022-08-03", headers: ["Cookie": session.cookie])
            #expect(chase.status == .ok && filename(chase) == "待督促-2022-08-01至08-07.xlsx", "\(filename(chase))")
        }
    }

    @Test func everyPageHasAnIcon() async throws {
        try await withTestApp { app in
            let icon = try await app.testing().sendRequest(.GET, "/favicon.svg")
            #expect(icon.status == .ok && icon.body.string.hasPrefix("<svg"))
            let legacy = try await app.testing().sendRequest(.GET, "/favicon.ico")
            #expect(legacy.status == .movedPermanently && legacy.headers.first(name: .location) == "/favicon.svg")
            let login = try await app.testing().sendRequest(.GET, "/login")
            #expect(login.body.string.contains(#"<link rel="icon" href="/favicon.svg""#))
        }
    }

    /// Each blank form is read back by its own import: the header is found, and only the missing lines are reported.
    @Test func blankFormsImportAsTheyAre() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let sg = try await app.bearer("sg_staff"), lc = try await app.bearer("lc_staff")
            for (template, upload, headers) in [("/roster/template.xlsx", "/api/v1/pairings/import?dryRun=true", sg),
                                                ("/activities/template.xlsx", "/api/v1/activities/import?dryRun=true", lc),
                                                ("/tutoring/template.xlsx", "/api/v1/sessions/import?dryRun=true", sg)] {
                let blank = try await app.testing().sendRequest(.GET, template + (template.contains("tutoring") ? "" : "?campaign=2022"), headers: headers)
                #expect(blank.status == .ok && filename(blank).hasSuffix(".xlsx"), "\(template)")
                let res = try await app.upload(upload, headers: headers, filename: filename(blank), data: Data(buffer: blank.body))
                let message = res.errorMessage ?? (try? res.content.decode(ImportReport.self))?.errors.first?.message ?? res.body.string
                #expect(message.contains("没有数据行"), "\(template): \(message)")
            }
        }
    }

    /// Hours with one decimal on the page and in the export alike (the page once cut 90 minutes to "1").
    @Test func serviceHoursAgreeOnThePageAndInTheExport() async throws {
        try await withTestApp { app in
            app.appServices.clock = Clock(now: { LocalDate(year: 2022, month: 7, day: 20)!.startInstant.addingTimeInterval(12 * 3600) })
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            #expect(try await app.upload("/api/v1/pairings/import", headers: staff, content: RosterLine.csv(RosterLine.many(1))).status == .ok)
            let pairing = try #require(try await Pairing.query(on: app.db).first())
            let logged = try await app.testing().sendRequest(.POST, "/api/v1/sessions", headers: staff, beforeRequest: { req in
                try req.content.encode(SessionInput(pairingId: pairing.id!, date: "2022-07-19", startTime: "19:30", minutes: 90,
                                                    content: "数学辅导", mode: "offline", note: nil))
            })
            #expect(logged.status == .created)
            let session = try await app.signIn("sg_staff", "Secret-pass-1")
            let page = try await app.testing().sendRequest(.GET, "/volunteers?campaign=2022", headers: ["Cookie": session.cookie])
            #expect(page.body.string.contains("<td>1</td><td>1.5</td>"), "\(page.body.string)")
            let csv = try await app.testing().sendRequest(.GET, "/volunteers/hours?campaign=2022&format=csv", headers: ["Cookie": session.cookie])
            #expect(csv.status == .ok && csv.body.string.contains(",1.5,1,"), "\(csv.body.string)")
        }
    }
}

@Suite struct DemoDataDatesTests {
    @Test func demoSubmissionsAreDatedBeforeTheirDeadlineWhenOnTimeAndAfterItWhenLate() async throws {
        try await withTestApp { app in
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            let now = LocalDate(year: 2023, month: 3, day: 1)!.startInstant
            let made = try await DemoActivities(db: app.db, campaign: campaign, seed: 7).generate(count: 400, now: now)
            #expect(made.submissions > 50)
            let submissions = try await ActivitySubmission.query(on: app.db).all()
            for s in submissions {
                let day = LocalDate(instant: s.submittedAt), due = s.stage.due(campaign.calendar)
                #expect(s.onTime == (day <= due), "\(s.stage) \(day.iso) due \(due.iso)")
                #expect(s.submittedAt <= now)
            }
            #expect(submissions.contains { $0.onTime } && submissions.contains { !$0.onTime })
        }
    }
}
