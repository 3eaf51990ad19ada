// Issue 11 §5: every long list is one table component — 50 a page with "共 N 条", search by name and code, sortable
// columns, nothing cut silently, and page numbers range-checked.
@testable import App
import Fluent
import Foundation
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct TableComponentTests {

    /// The `data-pupil` of each row of a table, in order.
    func pupils(_ html: String) -> [String] {
        html.components(separatedBy: "<tr data-pupil=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    @Test func theStaffTutoringPageListsEveryPupilFiftyAPage() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-20")
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let lines = RosterLine.many(61)
            _ = try await app.upload("/api/v1/pairings/import", headers: try await app.bearer("sg_staff"), content: RosterLine.csv(lines))
            let (cookie, _) = try await app.signIn("sg_staff", "Secret-pass-1")
            let first = try await app.page("/tutoring?campaign=2022", cookie: cookie)
            #expect(first.contains("共 61 条") && first.contains("第 1/2 页") && pupils(first).count == 50)
            let second = try await app.page("/tutoring?campaign=2022&page=2", cookie: cookie)
            #expect(pupils(second).count == 11)
            #expect(Set(pupils(first) + pupils(second)) == Set(lines.map(\.pupilName)))
            // A page past the end shows the last one.
            #expect(pupils(try await app.page("/tutoring?campaign=2022&page=9", cookie: cookie)) == pupils(second))
            // Search by a pupil's or a volunteer's name.
            #expect(pupils(try await app.page("/tutoring?campaign=2022&q=学生42", cookie: cookie)) == ["学生42"])
            #expect(pupils(try await app.page("/tutoring?campaign=2022&q=志愿者7", cookie: cookie)) == ["学生7"])
            // Sorted by name, then the other way round.
            let ascending = pupils(try await app.page("/tutoring?campaign=2022&sort=name&dir=asc", cookie: cookie))
            let descending = pupils(try await app.page("/tutoring?campaign=2022&sort=name&dir=desc", cookie: cookie))
            #expect(ascending.first == "学生0" && descending.first == "学生60")
            #expect(ascending.sorted { TableQuery.before($0, $1) } == ascending)
            // The header links sort and say how the column is sorted.
            #expect(first.contains(#"aria-sort="none"><a class="sort" data-sort="name" href="/tutoring?campaign=2022&amp;dir=asc&amp;sort=name""#))
            // Page numbers are range-checked; a long search does not break the page.
            for bad in ["-1", "0", "9223372036854775808", "abc"] {
                _ = try await app.page("/tutoring?campaign=2022&page=\(bad)", cookie: cookie, status: .badRequest)
            }
            #expect(pupils(try await app.page("/tutoring?campaign=2022&q=" + String(repeating: "学", count: 3000), cookie: cookie)).isEmpty)
        }
    }

    @Test func listsAreSearchedByNameAndByCode() async throws {
        try await withTestApp { app in
            app.setToday("2022-07-10")
            let (cookie, _) = try await app.signIn("admin", TestEnv.adminPassword)
            // Organisations by code, as offices write it.
            let orgs = try await app.page("/orgs?q=440281", cookie: cookie)
            #expect(orgs.contains("共 1 条") && orgs.contains(">乐昌市</a>"))
            let all = try await app.page("/orgs", cookie: cookie)
            let total = try await Organization.query(on: app.db).count()
            #expect(all.contains("共 \(total) 条") && all.components(separatedBy: "<tr data-name=").count - 1 == 50)
            // The province's chase list (every owing unit, not the first 50) by a county's code.
            let chase = try await app.page("/completeness?campaign=2022&q=440281", cookie: cookie)
            let list = String(chase.split(separator: "id=\"chase-list\"").last ?? "")
            #expect(chase.contains("共 1 条") && list.contains(">乐昌市</a>") && !list.contains(">仁化县</a>"))
            // Accounts by unit name, sorted by user name the other way round.
            try await app.makeUser("lc_a", in: "乐昌市", role: .staff)
            try await app.makeUser("lc_b", in: "乐昌市", role: .viewer)
            let users = try await app.page("/users?q=乐昌&sort=username&dir=desc", cookie: cookie)
            #expect(users.contains("共 2 条"))
            let order = users.components(separatedBy: "data-username=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(order == ["lc_b", "lc_a"])
            // The audit log counts everything it holds.
            let audit = try await app.page("/audit", cookie: cookie)
            let events = try await AuditEvent.query(on: app.db).count()
            #expect(audit.contains("共 \(events) 条"))
        }
    }
}
