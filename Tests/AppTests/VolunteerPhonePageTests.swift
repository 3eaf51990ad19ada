// Issue 11 §7, the volunteer's phone page: tapping a pupil's card chooses that pupil for the log form; past weeks
// open; the volunteer sees its own total and its own certificate; outside the period the page says so.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct VolunteerPhonePageTests {

    @Test func theVolunteersPageLogsForTheTappedPupilOpensPastWeeksAndShowsItsOwnHours() async throws {
        try await withTestApp { app in
            let t = TutoringTests()
            let (_, lines) = try await t.setUp(app)        // today 2022-07-25
            let volunteer = try await t.volunteer(app, "v1", idNumber: lines[0].volunteerID)
            let pairing = try await t.pairing(app, volunteer: lines[0].volunteerName)
            #expect(try await t.log(app, volunteer, pairing, date: "2022-07-18", minutes: 90).status == .created)
            let (cookie, _) = try await app.signIn("v1", "Secret-pass-1")

            let now = try await app.page("/tutoring", cookie: cookie)
            // The card is a link that chooses its pupil for the form.
            #expect(now.contains("href=\"/tutoring?pairing=\(pairing.id!.uuidString)#log-form\""))
            let chosen = try await app.page("/tutoring?pairing=\(pairing.id!.uuidString)", cookie: cookie)
            #expect(chosen.contains("<option value=\"\(pairing.id!.uuidString)\" selected>"))
            // Own total and certificate: 90 minutes are 1.5 hours.
            #expect(now.contains("<b id=\"my-sessions\">1</b>") && now.contains("<b id=\"my-hours\">1.5</b>"))
            let certificate = try await app.page("/tutoring/certificate", cookie: cookie)
            #expect(certificate.contains(lines[0].volunteerName) && certificate.contains("1.5"))
            // This week (07-25) is empty; last week (07-18) held the 90 minutes.
            #expect(now.contains("href=\"/tutoring?week=2022-07-18\"") && now.contains("本周还差 60 分钟"))
            let last = try await app.page("/tutoring?week=2022-07-18", cookie: cookie)
            #expect(last.contains("2022-07-18 至 2022-07-24") && last.contains("本周已达标"))

            // Once the period is over the page says so instead of asking for minutes.
            app.setToday("2023-01-05")
            let (later, _) = try await app.signIn("v1", "Secret-pass-1")
            let after = try await app.page("/tutoring?campaign=2022", cookie: later)
            #expect(after.contains("id=\"period-closed\"") && after.contains("已经结束") && !after.contains("id=\"log-form\""))
        }
    }
}
