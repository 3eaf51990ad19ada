// 就业帮扶's 建议配对: the page shows the fewest moves that bring the most cadres to 3–5, and applying them (twice,
// as a double click does) moves each graduate once.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct EmploymentSuggestTests {
    @Test func theSuggestionBringsACadreToThreeAndAppliesOnce() async throws {
        try await withTestApp { app in
            app.setToday("2023-03-01")
            try await app.makeUser("scnu_suggest", in: "华南师范大学", role: .staff)
            let scnu = try await app.bearer("scnu_suggest")
            func cadre(_ name: String, _ position: String) async throws -> UUID {
                try await app.post("/api/v1/cadres", EmploymentTests.NewCadre(name: name, position: position), scnu)
                    .content.decode(EmploymentAPIController.CadreDTO.self).id
            }
            let liming = try await cadre("李明", "校团委副书记"), zhanghua = try await cadre("张华", "经济学院团委书记")
            _ = try await cadre("王芳", "计算机学院团委书记")
            let majors = ["会计学", "法学", "金融学", "汉语言文学", "英语"]
            for (n, major) in majors.enumerated() {
                let res = try await app.post("/api/v1/graduates", EmploymentTests.NewGraduate(cadreId: liming, name: "学生\(n)", idNumber: EmploymentTests.id(n + 1), major: major), scnu)
                #expect(res.status == .created, "\(res.body.string)")
            }
            #expect(try await app.post("/api/v1/graduates", EmploymentTests.NewGraduate(cadreId: zhanghua, name: "学生9", idNumber: EmploymentTests.id(9), major: "统计学"), scnu).status == .created)

            let (cookie, csrf) = try await app.signIn("scnu_suggest", "Secret-pass-1")
            let page = try await app.page("/employment/suggest?campaign=2022", cookie: cookie)
            // Six graduates: two cadres can reach three; 张华 (one) takes two of 李明's five, the 经济学院 majors first.
            #expect(page.contains("id=\"suggest-moves\">2<"))
            #expect(page.contains("专业对口 ✓（会计学）") && page.contains("专业对口 ✓（金融学）"))
            for _ in 0..<2 {
                let res = try await app.testing().sendRequest(.POST, "/employment/suggest", headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                                          body: ByteBuffer(string: "_csrf=\(csrf)&campaign=2022"))
                #expect(res.status == .seeOther)
            }
            let counts = try await EmploymentGraduate.query(on: app.db).all().reduce(into: [UUID: Int]()) { $0[$1.cadreID, default: 0] += 1 }
            #expect(counts[liming] == 3 && counts[zhanghua] == 3)
            let moved = try await EmploymentGraduate.query(on: app.db).filter(\.$cadreID == zhanghua).all().map(\.major)
            #expect(Set(moved) == ["统计学", "会计学", "金融学"])
            let after = try await app.page("/employment/suggest?campaign=2022", cookie: cookie)
            #expect(after.contains("suggest-none"))
            // Another university's staff cannot read or apply it for 华南师范大学.
            try await app.makeUser("sg_suggest", in: "韶关学院", role: .staff)
            let (otherCookie, _) = try await app.signIn("sg_suggest", "Secret-pass-1")
            let scnuOrg = try await app.org(named: "华南师范大学")
            let foreign = try await app.testing().sendRequest(.GET, "/employment/suggest?campaign=2022&orgId=\(scnuOrg.id!)", headers: ["Cookie": otherCookie])
            #expect(foreign.status == .forbidden || foreign.status == .notFound)
        }
    }
}
