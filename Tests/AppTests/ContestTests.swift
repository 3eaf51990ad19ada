// Issue 13, work item 7: ventures and a contest with weighted criteria; judges see and score only the entries
// (a judge from the venture's county is refused, 403), scores out of range are 422, a double-clicked score stays
// one sheet; the ranking is the core's (trimmed mean with five judges); the selection is published to the units.
// `scripts/test` runs these again on PostgreSQL.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Spreadsheet
import Testing
import Vapor
import VaporTesting

@Suite struct ContestTests {
    struct NewVenture: Content {
        var campaign = 2022; var orgId: UUID? = nil; var name: String; var leaderName = "黄晓明"; var leaderPhone = "13812345678"
        var countyId: UUID; var sector = "planting"; var jobsCreated = 12
    }
    struct NewContest: Content {
        var campaign = 2022; var name = "2022年创青春涉农创业大赛省级赛"; var kind = "chuangqingchun"; var level = "province"
        var criteria: [[String: LooseText]] = [["name": .init(text: "创新性"), "weight": .init(text: "40")],
                                               ["name": .init(text: "带动性"), "weight": .init(text: "30")],
                                               ["name": .init(text: "可行性"), "weight": .init(text: "30")]]
    }

    func scores(_ a: Int, _ b: Int, _ c: Int) -> [String: Int] { ["创新性": a, "带动性": b, "可行性": c] }

    func post(_ app: Application, _ path: String, json: String, _ headers: HTTPHeaders) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, path, headers: headers, beforeRequest: { req in
            req.headers.contentType = .json
            req.body = ByteBuffer(string: json)
        })
    }

    @Test func judgesScoreTheirEntriesOnlyAndTheRankingIsTheCoresTrimmedMean() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            app.setToday("2022-09-01")
            try await app.makeUser("gd_staff", in: "广东省", role: .staff)
            let province = try await app.bearer("gd_staff")
            let lechang = try await app.org(named: "乐昌市").id!, lianzhou = try await app.org(named: "连州市").id!
            var ids: [String: UUID] = [:]
            for (name, county) in [("乐昌香芋合作社", lechang), ("连州菜心基地", lianzhou), ("连州水晶梨电商", lianzhou)] {
                let res = try await app.post("/api/v1/ventures", NewVenture(name: name, countyId: county), province)
                #expect(res.status == .created, "\(res.body.string)")
                ids[name] = try res.content.decode(ContestAPIController.VentureDTO.self).id
            }
            var bad = NewVenture(name: "坏项目", countyId: lechang); bad.leaderPhone = "123"; bad.sector = "矿业"
            let refused = try await app.post("/api/v1/ventures", bad, province)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("\"field\":\"leaderPhone\"") && !refused.body.string.contains("13812345678"))

            var wrongWeights = NewContest(); wrongWeights.criteria[0]["weight"] = .init(text: "50")
            let wrong = try await app.post("/api/v1/contests", wrongWeights, province)
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("现为110"))
            let contest = try await app.post("/api/v1/contests", NewContest(), province).content.decode(ContestAPIController.ContestDTO.self)
            var entries: [String: UUID] = [:]
            for (name, id) in ids {
                let res = try await app.post("/api/v1/contests/\(contest.id)/entries", ["ventureId": id.uuidString], province)
                #expect(res.status == .created, "\(res.body.string)")
                struct E: Decodable { let id: UUID }
                entries[name] = try res.content.decode(E.self).id
            }
            #expect(try await app.post("/api/v1/contests/\(contest.id)/entries", ["ventureId": ids["乐昌香芋合作社"]!.uuidString], province).status == .conflict)

            // Five judges; the 乐昌 county's own league secretary among them.
            var judges: [HTTPHeaders] = []
            for (n, org) in ["广东省", "清远市", "华南师范大学", "乐昌市", "韶关学院"].enumerated() {
                let user = try await app.makeUser("judge\(n)", in: org, role: .viewer)
                #expect(try await app.post("/api/v1/contests/\(contest.id)/judges", ["userId": user.id!.uuidString], province).status == .created)
                judges.append(try await app.bearer("judge\(n)"))
            }
            let outsider = try await app.makeUser("not_a_judge", in: "清远市", role: .staff)
            _ = outsider
            let nobody = try await app.bearer("not_a_judge")
            #expect(try await app.post("/api/v1/contests/\(contest.id)/scores", ["entryId": entries["连州菜心基地"]!.uuidString], nobody).status == .forbidden)

            // A judge sees the entries and nothing else: not the ranking, not the ventures list of the organiser.
            let seen = try await app.testing().sendRequest(.GET, "/api/v1/contests/\(contest.id)/entries", headers: judges[1])
            #expect(seen.status == .ok && seen.body.string.contains("连州菜心基地") && !seen.body.string.contains("13812345678"))
            #expect(try seen.content.decode(ItemList<ContestAPIController.EntryDTO>.self).items.contains { $0.ventureName == "连州菜心基地" })
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/contests/\(contest.id)/ranking", headers: judges[1]).status == .forbidden)

            // Conflict of interest: 乐昌's judge on 乐昌's venture.
            let conflict = try await post(app, "/api/v1/contests/\(contest.id)/scores",
                                          json: #"{"entryId":"\#(entries["乐昌香芋合作社"]!)","scores":{"创新性":90,"带动性":90,"可行性":90}}"#, judges[3])
            #expect(conflict.status == .forbidden && conflict.errorMessage?.contains("回避") == true)
            for hostile in ["101", "-1", "9223372036854775808", "1e309", "\"九十\""] {
                let res = try await post(app, "/api/v1/contests/\(contest.id)/scores",
                                         json: #"{"entryId":"\#(entries["连州菜心基地"]!)","scores":{"创新性":\#(hostile),"带动性":90,"可行性":90}}"#, judges[0])
                // 1e309 is no JSON number a parser accepts: the body itself is refused.
                #expect(res.status == (hostile == "1e309" ? .badRequest : .unprocessableEntity), "\(hostile): \(res.status)")
            }

            // The hand-worked table's entries A and B (ContestRulesTests): A = 连州菜心基地, B = 连州水晶梨电商.
            let a = [scores(90, 80, 70), scores(80, 80, 80), scores(100, 100, 100), scores(60, 70, 80), scores(85, 75, 95)]
            let b = [scores(80, 80, 80), scores(90, 90, 90), scores(70, 70, 70), scores(85, 85, 85), scores(75, 80, 85)]
            for (n, judge) in judges.enumerated() {
                for (name, sheet) in [("连州菜心基地", a[n]), ("连州水晶梨电商", b[n])] {
                    struct Body: Content { let entryId: UUID; let scores: [String: Int] }
                    let res = try await app.post("/api/v1/contests/\(contest.id)/scores", Body(entryId: entries[name]!, scores: sheet), judge)
                    #expect(res.status == .created, "\(res.body.string)")
                }
            }
            // A double-clicked score: eight at once, one sheet.
            struct Body: Content { let entryId: UUID; let scores: [String: Int] }
            let twice = Body(entryId: entries["乐昌香芋合作社"]!, scores: scores(70, 70, 70)), first = judges[0], contestID = contest.id
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 { group.addTask { try await app.post("/api/v1/contests/\(contestID)/scores", twice, first).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
            #expect(try await ContestScore.query(on: app.db).filter(\.$entryID == entries["乐昌香芋合作社"]!).count() == 1)

            let ranking = try await app.testing().sendRequest(.GET, "/api/v1/contests/\(contest.id)/ranking", headers: province)
            let rows = try ranking.content.decode(ItemList<ContestRegister.RankingRow>.self).items
            #expect(rows.map(\.ventureName) == ["连州菜心基地", "连州水晶梨电商", "乐昌香芋合作社"])
            #expect(rows.map(\.score) == [82.0, 81.5, 70.0] && rows.map(\.rank) == [1, 2, 3])
            #expect(rows.map(\.judgesScored) == [5, 5, 1] && rows.map(\.allScored) == [true, true, false])

            // The organiser selects; the units are told; any unit reads the published list.
            let selected = try await app.post("/api/v1/contests/\(contest.id)/select", ["entryIds": [entries["连州菜心基地"]!.uuidString]], province)
            #expect(selected.status == .ok)
            #expect(try selected.content.decode(ItemList<ContestRegister.RankingRow>.self).items.map(\.ventureName) == ["连州菜心基地"])
            #expect(try await app.post("/api/v1/contests/\(contest.id)/select", ["entryIds": [UUID().uuidString]], province).status == .unprocessableEntity)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/contests/\(contest.id)/selected", headers: nobody)
            #expect(list.status == .ok && list.body.string.contains("连州菜心基地") && !list.body.string.contains("水晶梨"))
            #expect(try await Notification.query(on: app.db).filter(\.$title ~~ "连州菜心基地").count() >= 1)

            let session = try await app.signIn("judge1", "Secret-pass-1")
            let page = try await app.page("/contests/\(contest.id)", cookie: session.cookie)
            #expect(page.contains("我的评分") && page.contains("连州菜心基地") && !page.contains("ranking-table"))
            let organiser = try await app.signIn("gd_staff", "Secret-pass-1")
            let board = try await app.page("/contests/\(contest.id)", cookie: organiser.cookie)
            #expect(board.contains("ranking-table") && board.contains("82.0"))
            _ = try await app.page("/contests?campaign=2022", cookie: organiser.cookie)
        }
    }

    @Test func venturesImportAllOrNothingThroughTheSharedPipelineAndExportMasked() async throws {
        try await withTestApp { app in
            app.setToday("2022-09-01")
            try await app.makeUser("lc_staff", in: "乐昌市", role: .staff)
            let lechang = try await app.bearer("lc_staff")
            let header = "项目名称,负责人,负责人手机号,所在县（市、区）,所属领域,成立时间,带动就业人数,营业收入区间,项目简介"
            let good = ["乐昌香芋合作社,黄晓明,138 1234 5678,乐昌市,种植,2020年5月,12人,100万至500万元,香芋种植",
                        "乐昌黄金柰李电商,李四,13912345678,韶关市乐昌市,电商,2021-03,8,,"]
            // A bad phone, an unknown county, a sector that does not exist, a founding year after the campaign, a repeat.
            let bad = good + ["坏项目,王五,12345,火星县,矿业,2030-01,-1,,", "乐昌香芋合作社,黄晓明,13812345678,乐昌市,种植,,,,"]
            let refused = try await app.upload("/api/v1/ventures/import?campaign=2022", headers: lechang, content: ([header] + bad).joined(separator: "\n"))
            #expect(refused.status == .unprocessableEntity, "\(refused.body.string)")
            for word in ["负责人手机号", "火星县", "所属领域", "成立时间", "带动就业人数", "与第2行重复"] {
                #expect(refused.body.string.contains(word), "\(word): \(refused.body.string)")
            }
            let none = try await Venture.query(on: app.db).count()
            #expect(!refused.body.string.contains("12345,") && none == 0)
            let dry = try await app.upload("/api/v1/ventures/import?campaign=2022&dryRun=true", headers: lechang, content: ([header] + good).joined(separator: "\n"))
            let stillNone = try await Venture.query(on: app.db).count()
            #expect(dry.status == .ok && dry.body.string.contains("\"added\":2") && stillNone == 0)
            let done = try await app.upload("/api/v1/ventures/import?campaign=2022", headers: lechang, content: ([header] + good).joined(separator: "\n"))
            #expect(done.status == .ok, "\(done.body.string)")
            let stored = try await Venture.query(on: app.db).sort(\.$name).all()
            #expect(stored.map(\.name) == ["乐昌香芋合作社", "乐昌黄金柰李电商"] && stored.map(\.founded) == ["2020-05", "2021-03"])
            #expect(stored.map(\.leaderPhoneMasked) == ["138****5678", "139****5678"] && !stored[0].leaderPhoneCipher.contains("1381234"))
            // Again with a change: the same name is the same venture.
            let again = try await app.upload("/api/v1/ventures/import?campaign=2022", headers: lechang,
                                             content: [header, good[0].replacingOccurrences(of: ",12人,", with: ",20,")].joined(separator: "\n"))
            let two = try await Venture.query(on: app.db).count()
            #expect(again.body.string.contains("\"updated\":1") && two == 2)
            // Another county's office cannot write into 乐昌's list.
            try await app.makeUser("lz_staff", in: "连州市", role: .staff)
            let foreign = try await app.upload("/api/v1/ventures/import?campaign=2022&orgId=\(try await app.org(named: "乐昌市").id!)",
                                               headers: try await app.bearer("lz_staff"), content: ([header] + good).joined(separator: "\n"))
            #expect(foreign.status == .forbidden || foreign.status == .notFound)

            let session = try await app.signIn("lc_staff", "Secret-pass-1")
            let export = try await app.testing().sendRequest(.GET, "/contests/ventures.xlsx?campaign=2022", headers: ["Cookie": session.cookie])
            #expect(export.status == .ok)
            let sheet = try Workbook(data: Data(buffer: export.body)).readSheet()
            let cells = (1...8).flatMap { r in (1...11).compactMap { sheet.cell(row: r, column: $0)?.value.text } }.joined(separator: "|")
            #expect(cells.contains("乐昌香芋合作社") && cells.contains("138****5678") && !cells.contains("13812345678"), "\(cells)")
            // A page form refused comes back with what was typed.
            let form = try await app.testing().sendRequest(.POST, "/contests", headers: ["Cookie": session.cookie], beforeRequest: { req in
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: "_csrf=\(session.csrf)&campaign=2022&name=%E5%8E%BF%E7%BA%A7%E8%AF%84%E5%AE%A1&kind=qingnongyoupin&level=county"
                    + "&criterionName1=%E5%93%81%E8%B4%A8&criterionWeight1=70&criterionName2=%E5%93%81%E7%89%8C&criterionWeight2=20")
            })
            #expect(form.status == .unprocessableEntity && form.body.string.contains("现为90") && form.body.string.contains("value=\"品牌\""), "\(form.status)")
            #expect(try await Contest.query(on: app.db).count() == 0)
        }
    }
}
