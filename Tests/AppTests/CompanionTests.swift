// Issue 14, item 11 (成长陪伴): a camp's participant list imported all-or-nothing with the consent gaps counted;
// letter pairs flagged after 60 days without a letter, 南粤会亲 after 90 without a visit, 手拉手 with activities;
// a double-clicked match is one match; another county's camp is 404. `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct CompanionTests {
    @Test func campsCountConsentGapsAndMatchesGoQuietAfterTheirInterval() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-07-01")
            try await app.makeUser("lz_staff", in: "连州市", role: .staff)
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let staff = try await app.bearer("lz_staff"), other = try await app.bearer("lc_staff")

            struct NewCamp: Content { var campaign = 2022; var kind = "summer"; var title = "2022年连州市留守儿童夏令营"; var place = "连州市青少年宫"; var startDate = "2022-07-15"; var endDate = "2022-07-20" }
            let campRes = try await app.post("/api/v1/camps", NewCamp(), staff)
            #expect(campRes.status == .created, "\(campRes.body.string)")
            let camp = try campRes.content.decode(CompanionAPIController.CampDTO.self).id
            #expect(try await app.post("/api/v1/camps", NewCamp(kind: "夏令营", title: "x", startDate: "2022-07-20", endDate: "2022-07-15"), staff).status == .unprocessableEntity)

            let header = "姓名,身份证号,身份,监护人同意,同意日期"
            let child1 = TestIDs.make("441882", "20120716", 1), child2 = TestIDs.make("441882", "20110301", 2), volunteer = TestIDs.make("441882", "20010203", 3)
            let bad = [header, "陈小明,\(child1),营员,,", "李小红,123,营员,是,2022-06-20"].joined(separator: "\n")
            let refused = try await app.upload("/api/v1/camps/\(camp)/participants/import?campaign=2022", headers: staff, content: bad)
            #expect(refused.status == .unprocessableEntity && !refused.body.string.contains(child1))
            #expect(try await CampParticipant.query(on: app.db).count() == 0)
            let good = [header, "陈小明,\(child1),营员,,", "李小红,\(child2),营员,是,2022-06-20", "王志愿,\(volunteer),志愿者,,"].joined(separator: "\n")
            let imported = try await app.upload("/api/v1/camps/\(camp)/participants/import?campaign=2022", headers: staff, content: good)
            #expect(imported.status == .ok && imported.body.string.contains("\"added\":3"), "\(imported.body.string)")
            let detail = try await app.testing().sendRequest(.GET, "/api/v1/camps/\(camp)", headers: staff).content.decode(CompanionAPIController.CampDetail.self)
            #expect(detail.camp.children == 2 && detail.camp.volunteers == 1 && detail.camp.consentGaps == 1)
            #expect(detail.participants.filter(\.consentGap).map(\.name) == ["陈小明"] && !detail.participants.contains { $0.idMasked.contains(child1) })
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/camps/\(camp)", headers: other).status == .notFound)
            #expect(try await app.upload("/api/v1/camps/\(camp)/participants/import?campaign=2022", headers: other, content: good).status == .notFound)

            // A letter pair, double-clicked: one pair.
            struct Letter: Content { var campaign = 2022; var childName = "陈小明"; var childIdNumber: String; var writer = "华南师范大学 张同学"; var writerKind = "volunteer"; var startedOn = "2022-05-01" }
            let sent = Letter(childIdNumber: child1)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<5 { group.addTask { try await app.post("/api/v1/letter-pairs", sent, staff).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1 && statuses.allSatisfy { $0 == .created || $0 == .conflict }, "\(statuses)")
            let letter = try #require(try await CompanionMatch.query(on: app.db).filter(\.$kind == "letter").first())
            #expect(letter.dueOn == "2022-06-30" && !letter.subjectIDCipher.contains(child1))
            func list(_ path: String) async throws -> [CompanionAPIController.MatchDTO] {
                let res = try await app.testing().sendRequest(.GET, path + "?campaign=2022", headers: staff)
                return try res.content.decode(ItemList<CompanionAPIController.MatchDTO>.self).items
            }
            #expect(try await list("/api/v1/letter-pairs").map(\.flagged) == [true])   // 07-01: no letter since 05-01
            #expect(try await app.post("/api/v1/letter-pairs/\(letter.id!)/letters", ["direction": "sideways", "on": "2022-06-20"], staff).status == .unprocessableEntity)
            #expect(try await app.post("/api/v1/letter-pairs/\(letter.id!)/letters", ["direction": "received", "on": "2022-06-20"], staff).status == .created)
            let answered = try await list("/api/v1/letter-pairs")
            #expect(answered.map(\.flagged) == [false] && answered.first?.dueOn == "2022-08-19")

            struct Family: Content { var campaign = 2022; var family = "广州市黄先生家庭"; var childName = "李小红"; var childIdNumber: String; var startedOn = "2022-03-01" }
            let fam = try await app.post("/api/v1/family-matches", Family(childIdNumber: child2), staff)
            #expect(fam.status == .created)
            let famID = try fam.content.decode(CompanionAPIController.MatchDTO.self).id
            #expect(try await list("/api/v1/family-matches").map(\.flagged) == [true])   // due 05-30
            #expect(try await app.post("/api/v1/family-matches/\(famID)/visits", ["on": "2022-06-28", "note": "周末到家中探访"], staff).status == .created)
            #expect(try await list("/api/v1/family-matches").map(\.flagged) == [false])
            // A letter route cannot record on a family match.
            #expect(try await app.post("/api/v1/letter-pairs/\(famID)/letters", ["direction": "sent"], staff).status == .notFound)

            struct Hand: Content { var campaign = 2022; var urban = "广州市天河区华阳小学四（2）班"; var rural = "连州市东陂镇中心小学四（1）班"; var startedOn = "2022-03-01" }
            let hand = try await app.post("/api/v1/hand-in-hand", Hand(), staff)
            #expect(hand.status == .created)
            let handID = try hand.content.decode(CompanionAPIController.MatchDTO.self).id
            #expect(try await app.post("/api/v1/hand-in-hand/\(handID)/activities", ["on": "2022-06-01", "title": "六一线上联欢"], staff).status == .created)
            let hands = try await list("/api/v1/hand-in-hand")
            #expect(hands.map(\.contacts) == [1] && hands.first?.dueOn == nil)

            let session = try await app.signIn("lz_staff", "Secret-pass-1")
            let page = try await app.page("/companionship?campaign=2022", cookie: session.cookie)
            #expect(page.contains("table-letter") && page.contains("缺监护人同意1人") && !page.contains(child1))
            #expect(try await app.page("/companionship/camps/\(camp)", cookie: session.cookie).contains("camp-consent-gaps"))
        }
    }
}
