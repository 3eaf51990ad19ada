// Issue 14, one person across the product (PIPL), on generated data: every record of an ID number is found in
// every register by its keyed hash and exported in full; erasing keeps the rows (and the counts) but leaves no
// name, number or sensitive content, and refuses while the campaign is open unless forced; retention anonymises
// campaigns ended more than N years ago and keeps distinct counts. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite struct PrivacyTests {
    func distinct(_ app: Application, _ table: String, _ column: String) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(DISTINCT \(unsafeRaw: column)) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
    }

    @Test func aPersonIsFoundEverywhereExportedAndErasedAndOldCampaignsExpire() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-09-01")
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            let care = DemoCare(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: 7, now: app.appServices.clock.now())
            _ = try await care.health(visits: 3)
            _ = try await care.disability(pairs: 6)
            _ = try await care.companionship(camps: 2)

            // A child checked by 健康直通车 is also paired by 阳光助残 (through the API).
            let check = try #require(try await HealthCheck.query(on: app.db).first())
            let id = try app.appServices.cipher.open(check.idCipher)
            let county = try #require(try await Organization.find(check.countyID, on: app.db))
            try await app.makeUser("sens", in: county.name, role: .staff, sensitiveData: true)
            struct Pair: Content { var campaign = 2022; var name = "受检儿童"; var idNumber: String; var category = "visual"; var level = "3"
                                   var guardian = "家长"; var guardianPhone = "13912345678"; var organisation = "助残志愿服务队"; var startedOn = "2022-08-01" }
            #expect(try await app.post("/api/v1/disability-pairs", Pair(idNumber: id), try await app.bearer("sens")).status == .created)

            // The province admin's page: found by a POST (never a URL), exported; other admins and staff are refused.
            try await app.makeUser("gd_privacy", in: "广东省", role: .admin, sensitiveData: true)
            try await app.makeUser("qy_admin", in: "清远市", role: .admin, sensitiveData: true)
            func form(_ user: String, _ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
                let session = try await app.signIn(user, "Secret-pass-1")
                return try await app.testing().sendRequest(.POST, path, headers: ["Cookie": session.cookie], beforeRequest: { req in
                    try req.content.encode(fields.merging(["_csrf": session.csrf]) { a, _ in a }, as: .urlEncodedForm)
                })
            }
            let page = try await form("gd_privacy", "/privacy/search", ["idNumber": id])
            #expect(page.status == .ok && page.body.string.contains("privacy-table") && page.body.string.contains("健康直通车检查"))
            let refusedPage = try await form("gd_privacy", "/privacy/search", ["idNumber": "123"])
            #expect(refusedPage.status == .unprocessableEntity && refusedPage.body.string.contains("error-idNumber"))
            let exported = try await form("gd_privacy", "/privacy/export", ["idNumber": id])
            #expect(exported.status == .ok && exported.headers.contentType?.subType.contains("sheet") == true)
            #expect(try await form("qy_admin", "/privacy/search", ["idNumber": id]).status == .forbidden)
            #expect(try await form("sens", "/privacy/search", ["idNumber": id]).status == .forbidden)
            let early = try await form("gd_privacy", "/privacy/erase", ["idNumber": id])
            let stillThere = try await HealthCheck.find(check.id, on: app.db)
            #expect(early.status == .seeOther && stillThere?.name != Retention.erased)   // 2022 is not over: refused without the box

            let data = PersonalData(db: app.db, cipher: app.appServices.cipher)
            let found = try await data.find(idNumber: id)
            #expect(Set(found.map(\.source.label)) == ["健康直通车检查", "阳光助残结对"], "\(found.map(\.source.label))")
            let book = try Workbook(data: try await data.workbook(found, idMasked: IDNumber.mask(id))).readSheet()
            let text = (1...6).flatMap { r in (1...4).compactMap { book.cell(row: r, column: $0)?.value.text } }.joined(separator: "|")
            #expect(text.contains(id) && text.contains("阳光助残结对") && text.contains("2022"))
            #expect(try await data.openCampaigns(found, today: LocalDate(iso: "2022-09-01")!) == [2022])

            let checks = try await HealthCheck.query(on: app.db).count(), pairs = try await DisabilityPair.query(on: app.db).count()
            let changed = try await data.erase(PersonSource.all.map { s in (s, found.filter { $0.source.table == s.table && $0.source.hash == s.hash }.map { ($0.id, $0.hash) }) })
            let after = try await data.find(idNumber: id)
            #expect(changed == 2 && after.isEmpty)
            let erased = try #require(try await HealthCheck.find(check.id, on: app.db))
            let finding = try app.appServices.cipher.open(erased.findingCipher)
            #expect(erased.name == Retention.erased && erased.idMasked == Retention.erased && finding.isEmpty)
            let (checksAfter, pairsAfter) = (try await HealthCheck.query(on: app.db).count(), try await DisabilityPair.query(on: app.db).count())
            #expect(checksAfter == checks && pairsAfter == pairs)

            // Retention: not before 2025-12-31 + 1 day; then everything personal of 2022 goes, the counts stay.
            app.setToday("2025-12-31")
            #expect(try await data.expired(years: 3, today: LocalDate(iso: "2025-12-31")!).campaigns.isEmpty)
            let people = try await distinct(app, "camp_participants", "id_hash"), participants = try await CampParticipant.query(on: app.db).count()
            let (old, rows) = try await data.expired(years: 3, today: LocalDate(iso: "2026-01-01")!)
            #expect(old == [2022] && rows.reduce(0) { $0 + $1.1.count } > 0)
            _ = try await data.erase(rows)
            #expect(try await data.expired(years: 3, today: LocalDate(iso: "2026-01-01")!).rows.allSatisfy { $0.1.isEmpty })
            #expect(try await CampParticipant.query(on: app.db).filter(\.$name != Retention.erased).count() == 0)
            let (participantsAfter, peopleAfter) = (try await CampParticipant.query(on: app.db).count(), try await distinct(app, "camp_participants", "id_hash"))
            #expect(participantsAfter == participants && peopleAfter == people)
            #expect(try await HealthCheck.query(on: app.db).filter(\.$hasFinding == true).count() > 0)   // the boards' facts stay
            let sample = try #require(try await DisabilityPair.query(on: app.db).first())
            let disability = try app.appServices.cipher.open(sample.disabilityCipher)
            #expect(disability.isEmpty && sample.guardianPhoneMasked == Retention.erased)
        }
    }
}
