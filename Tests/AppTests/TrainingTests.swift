// Issue 13, work item 6: a class and its sign-in sheet (imported as filled: date headers in any form, √ marks),
// person-times and trainees stored with the class, the training quotas in the completeness board's missing list
// until a class meets them, and another unit kept out. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct TrainingTests {
    struct NewClass: Content {
        var campaign = 2022; var orgId: UUID? = nil; var title = "连州市领头雁培训班"; var kind = "lingtouyan"; var mode = "offline"
        var countyId: UUID? = nil; var startDate = "2022-07-15"; var endDate = "2022-07-16"; var sessionDates = ["2022-07-15", "2022-07-16"]
    }

    /// A sign-in sheet with `people` rows: ID numbers for even rows, phones for odd; everyone signs the first day,
    /// every third person the second too.
    static func sheet(people: Int, extra: [String] = []) -> String {
        let header = "序号,姓名,性别,身份证号,手机号,所在县,类别,7月15日,7月16日"
        let rows = (1...people).map { n -> String in
            let id = n % 2 == 0 ? TestIDs.make("441882", "19950101", n) : ""
            let phone = n % 2 == 0 ? "" : "139" + String(format: "%08d", n)
            return "\(n),学员\(n),男,\(id),\(phone),连州市,返乡创业青年,√,\(n % 3 == 0 ? "签到" : "")"
        }
        return ([header] + rows + extra).joined(separator: "\n")
    }

    func completeness(_ app: Application, _ headers: HTTPHeaders, county: String) async throws -> ActivityAPIController.CompletenessItem? {
        let res = try await app.testing().sendRequest(.GET, "/api/v1/completeness?campaign=2022", headers: headers)
        #expect(res.status == .ok, "\(res.body.string)")
        struct Items: Decodable { let items: [ActivityAPIController.CompletenessItem] }
        return try res.content.decode(Items.self).items.first { $0.name == county }
    }

    @Test func aSignInSheetCountsPersonTimesAndTraineesAndMeetsTheCountysQuota() async throws {
        try await withTestApp { app in
            app.setToday("2022-08-01")
            try await app.makeUser("lz_staff", in: "连州市", role: .staff)
            let lz = try await app.bearer("lz_staff")
            let before = try #require(try await completeness(app, lz, county: "连州市"))
            #expect(before.missing.contains("各县（市、区）团委至少1期培训班学员不少于40人") && before.trainingClasses == 0)

            let created = try await app.post("/api/v1/trainings", NewClass(), lz)
            #expect(created.status == .created, "\(created.body.string)")
            let c = try created.content.decode(TrainingAPIController.ClassDTO.self)
            #expect(try await app.post("/api/v1/trainings", NewClass(), lz).status == .conflict)
            var bad = NewClass(title: "坏班"); bad.sessionDates = ["2022-08-30"]; bad.kind = "游学"
            let refused = try await app.post("/api/v1/trainings", bad, lz)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"field\":\"sessionDates\"") && refused.body.string.contains("\"field\":\"kind\""))

            // One bad mark and a person twice: nothing stored, every problem listed.
            let wrong = try await app.upload("/api/v1/trainings/\(c.id)/attendance/import", headers: lz,
                                             content: Self.sheet(people: 3, extra: ["9,学员1,男,,13900000001,连州市,其他,√,", "10,学员10,女,,13700000010,连州市,其他,√,迟到"]))
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("\"errorCount\":2"), "\(wrong.body.string)")
            #expect(try await TrainingAttendee.query(on: app.db).count() == 0)

            let ok = try await app.upload("/api/v1/trainings/\(c.id)/attendance/import", headers: lz, content: Self.sheet(people: 40))
            #expect(ok.status == .ok, "\(ok.body.string)")
            let list = try await app.testing().sendRequest(.GET, "/api/v1/trainings?campaign=2022", headers: lz)
            let classes = try list.content.decode(ItemList<TrainingAPIController.ClassDTO>.self).items
            // 40 people on day one, every third (13) on day two: 53 person-times, 40 trainees.
            #expect(classes.first?.personTimes == 53 && classes.first?.trainees == 40)
            let after = try #require(try await completeness(app, lz, county: "连州市"))
            #expect(after.trainingClasses == 1 && after.trainingTrainees == 40 && !after.missing.contains { $0.contains("培训") })

            // The sheet again with one person fewer replaces the attendance: the quota is missed again.
            #expect(try await app.upload("/api/v1/trainings/\(c.id)/attendance/import", headers: lz, content: Self.sheet(people: 39)).status == .ok)
            let again = try #require(try await completeness(app, lz, county: "连州市"))
            #expect(again.trainingTrainees == 39 && again.missing.contains("各县（市、区）团委至少1期培训班学员不少于40人"))
            let stored = try await TrainingAttendee.query(on: app.db).all()
            #expect(stored.count == 39 && stored.allSatisfy { !$0.idCipher.contains("441882") && !$0.phoneCipher.contains("139") })

            // Another county sees nothing of it and cannot upload to it.
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let lc = try await app.bearer("lc_staff")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/trainings/\(c.id)", headers: lc).status == .notFound)
            #expect(try await app.upload("/api/v1/trainings/\(c.id)/attendance/import", headers: lc, content: Self.sheet(people: 1)).status == .notFound)
            let none = try await app.testing().sendRequest(.GET, "/api/v1/trainings?campaign=2022", headers: lc).content.decode(ItemList<TrainingAPIController.ClassDTO>.self)
            #expect(none.items.isEmpty && none.total == 0)

            let session = try await app.signIn("lz_staff", "Secret-pass-1")
            let page = try await app.page("/trainings?campaign=2022", cookie: session.cookie)
            #expect(page.contains("连州市领头雁培训班") && page.contains("未达标"))
            let detail = try await app.page("/trainings/\(c.id)", cookie: session.cookie)
            #expect(detail.contains("学员2") && !detail.contains(TestIDs.make("441882", "19950101", 2)) && !detail.contains("13900000001"))
            let board = try await app.page("/completeness?campaign=2022", cookie: session.cookie)
            // 39 on day one, every third of them (13) on day two.
            #expect(board.contains("单期最多52人次、39名学员"))
        }
    }
}
