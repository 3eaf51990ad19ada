// The permission layer: a user reaches its own subtree only, in the API and in the pages.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct AccessTests {
    struct OrgRow: Decodable { let id: UUID; let name: String; let kind: String; let code: String?; let parentId: UUID? }
    /// `GET /api/v1/orgs` answers `{"items": [...], "total": n}`.
    struct OrgList: Decodable { let items: [OrgRow]; let total: Int }

    @Test func aUniversityStaffUserSeesOnlyItsOwnOrganisation() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let headers = try await app.bearer("sg_staff")
            try await app.testing().test(.GET, "/api/v1/orgs", headers: headers) { res in
                #expect(res.status == .ok)
                let orgs = try res.content.decode(OrgList.self).items
                #expect(orgs.map(\.name) == ["韶关学院"])
                #expect(orgs[0].kind == "university")
            }
            let city = try await app.org(named: "广州市")
            let otherUniversity = try await app.org(named: "嘉应学院")
            for id in [city.id!, otherUniversity.id!] {
                try await app.testing().test(.GET, "/api/v1/orgs/\(id)", headers: headers) { res in
                    #expect(res.status == .notFound)
                    #expect(isChinese(res.errorMessage))
                }
            }
            // Neither can it add anything there, nor list that organisation's users.
            try await app.testing().test(.POST, "/api/v1/orgs", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "某某镇", "kind": "town", "parentId": city.id!.uuidString])
            }) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/users?orgId=\(otherUniversity.id!)", headers: headers) { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func theProvinceSeesAllCitiesAndACitySeesItsCounties() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.GET, "/api/v1/orgs", headers: admin) { res in
                let orgs = try res.content.decode(OrgList.self).items
                #expect(orgs.filter { $0.kind == "city" }.count == 21)
                #expect(orgs.count == 154)
            }
            try await app.makeUser("mm_viewer", in: "茂名市", role: .viewer)
            try await app.testing().test(.GET, "/api/v1/orgs", headers: try await app.bearer("mm_viewer")) { res in
                let orgs = try res.content.decode(OrgList.self).items
                #expect(orgs.first?.name == "茂名市")
                #expect(Set(orgs.dropFirst().map(\.kind)) == ["county"])
                #expect(orgs.contains { $0.name == "化州市" })
                #expect(!orgs.contains { $0.name == "罗定市" })
            }
        }
    }

    @Test func aCityAdminCreatesUsersInItsOwnCountyButNotInAnotherCity() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let headers = try await app.bearer("mm_admin")
            let own = try await app.org(named: "化州市")
            let other = try await app.org(named: "罗定市")   // 云浮市
            try await app.testing().test(.POST, "/api/v1/users", headers: headers, beforeRequest: { req in
                try req.content.encode(["username": "hz_staff", "password": "Huazhou-2022", "orgId": own.id!.uuidString, "role": "staff"])
            }) { res in
                #expect(res.status == .created)
                #expect(res.body.string.contains("\"role\":\"staff\""))
            }
            try await app.testing().test(.POST, "/api/v1/users", headers: headers, beforeRequest: { req in
                try req.content.encode(["username": "ld_staff", "password": "Luoding-2022", "orgId": other.id!.uuidString, "role": "staff"])
            }) { res in
                #expect(res.status == .notFound)   // another city's county lies outside the caller's subtree
                #expect(isChinese(res.errorMessage))
            }
            #expect(try await User.query(on: app.db).filter(\.$username == "ld_staff").count() == 0)
            // A city admin without the sensitive-data permission cannot grant it.
            try await app.testing().test(.POST, "/api/v1/users", headers: headers, beforeRequest: { req in
                try req.content.encode(UserController.CreateInput(username: "hz_s2", password: "Huazhou-2022", orgId: own.id!,
                                                                  role: "staff", displayName: nil, sensitiveData: true))
            }) { res in #expect(res.status == .forbidden) }
            // The new user signs in, changes the password its admin chose (issue 11 §2), and sees only its county.
            let newcomer = try await app.bearer("hz_staff", password: "Huazhou-2022")
            try await app.testing().test(.POST, "/api/v1/me/password", headers: newcomer, beforeRequest: { req in
                try req.content.encode(UserController.PasswordInput(currentPassword: "Huazhou-2022", newPassword: "Huazhou-2023"))
            }) { res in #expect(res.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/orgs", headers: newcomer) { res in
                let value = try res.content.decode(OrgList.self).items.map(\.name)
                #expect(value == ["化州市"])
            }
        }
    }

    @Test func aStaffUserCannotCreateUsers() async throws {
        try await withTestApp { app in
            let staff = try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.testing().test(.POST, "/api/v1/users", headers: try await app.bearer("sg_staff"), beforeRequest: { req in
                try req.content.encode(["username": "sg_two", "password": "Shaoguan-2022", "orgId": staff.orgID.uuidString, "role": "viewer"])
            }) { res in
                #expect(res.status == .forbidden)
                #expect(isChinese(res.errorMessage))
            }
            #expect(try await User.query(on: app.db).count() == 2)
        }
    }

    @Test func adminsAddTownsBelowCountiesButNotUniversitiesBelowCities() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let headers = try await app.bearer("mm_admin")
            let county = try await app.org(named: "化州市")
            let city = try await app.org(named: "茂名市")
            try await app.testing().test(.POST, "/api/v1/orgs", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "河西街道", "kind": "town", "parentId": county.id!.uuidString])
            }) { res in #expect(res.status == .created) }
            try await app.testing().test(.POST, "/api/v1/orgs", headers: headers, beforeRequest: { req in
                try req.content.encode(["name": "某学院", "kind": "university", "parentId": city.id!.uuidString])
            }) { res in #expect(res.status == .forbidden) }
            let town = try await app.org(named: "河西街道")
            #expect(town.path.hasPrefix(county.path))
            #expect(town.kind == .town)
        }
    }

    @Test func orgPagesOutsideTheSubtreeAre404PagesInChinese() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let city = try await app.org(named: "广州市")
            try await app.testing().test(.GET, "/orgs/\(city.id!)", headers: try await app.bearer("sg_staff")) { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType == .html)
                #expect(res.body.string.contains("未找到该组织"))
                #expect(!res.body.string.contains("广州市"))
            }
        }
    }
}
