// Issue 11 §2: accounts managed by admins — the initial password must be changed before anything else, a reset
// gives a temporary password once, disabling ends sessions at once, role and permission changes stay inside the
// admin's subtree and its own permission. Audited, never with a password.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct AccountsTests {
    func json(_ res: TestingHTTPResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    func create(_ app: Application, _ admin: HTTPHeaders, _ username: String, in org: String, role: String = "staff",
                password: String = "Initial-2022a") async throws -> UUID {
        let unit = try await app.org(named: org)
        let res = try await app.testing().sendRequest(.POST, "/api/v1/users", headers: admin, beforeRequest: { req in
            try req.content.encode(UserController.CreateInput(username: username, password: password, orgId: unit.id!, role: role,
                                                              displayName: nil, sensitiveData: nil))
        })
        #expect(res.status == .created, "\(res.body.string)")
        return try res.content.decode(User.DTO.self).id
    }

    @Test func anAccountAnAdminMadeMustChangeItsPasswordFirst() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            _ = try await create(app, admin, "sg_new", in: "韶关学院")
            let user = try await app.bearer("sg_new", password: "Initial-2022a")
            // Everything but /me and the change itself: 403 password_change_required.
            let blocked = try await app.testing().sendRequest(.GET, "/api/v1/pairings?campaign=2022", headers: user)
            #expect(blocked.status == .forbidden && json(blocked)["error"] as? String == "password_change_required", "\(blocked.body.string)")
            let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: user)
            #expect(me.status == .ok)
            #expect(try me.content.decode(UserController.Me.self).user.mustChangePassword)
            // The rules, in Chinese.
            for (current, new) in [("Initial-2022a", "12345678"), ("wrong", "Shaoguan-2022"), ("Initial-2022a", "Initial-2022a")] {
                let res = try await app.testing().sendRequest(.POST, "/api/v1/me/password", headers: user, beforeRequest: { req in
                    try req.content.encode(UserController.PasswordInput(currentPassword: current, newPassword: new))
                })
                #expect(res.status == .unprocessableEntity && isChinese(res.errorMessage), "\(res.body.string)")
            }
            let done = try await app.testing().sendRequest(.POST, "/api/v1/me/password", headers: user, beforeRequest: { req in
                try req.content.encode(UserController.PasswordInput(currentPassword: "Initial-2022a", newPassword: "Shaoguan-2022"))
            })
            #expect(done.status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/pairings?campaign=2022", headers: user).status == .ok)
            // The first province admin (from LIANGBANG_ADMIN_PASSWORD) is not forced.
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/orgs", headers: admin).status == .ok)

            // Pages send such an account to the change form.
            _ = try await create(app, admin, "sg_page", in: "韶关学院")
            let session = try await app.signIn("sg_page", "Initial-2022a")
            let page = try await app.testing().sendRequest(.GET, "/roster", headers: ["Cookie": session.cookie])
            #expect(page.status == .seeOther && page.headers.first(name: .location) == "/account/password")
        }
    }

    @Test func aResetGivesATemporaryPasswordOnceAndEndsTheOldSessions() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let old = try await app.bearer("sg_staff")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let id = try #require(try await User.query(on: app.db).filter(\.$username == "sg_staff").first()?.id)
            let res = try await app.testing().sendRequest(.POST, "/api/v1/users/\(id)/reset-password", headers: admin)
            #expect(res.status == .ok)
            let temporary = try #require(json(res)["temporaryPassword"] as? String)
            #expect(temporary.count == 12 && SessionController.passwordProblem(temporary) == nil)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: old).status == .unauthorized)
            let user = try await app.bearer("sg_staff", password: temporary)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/pairings", headers: user).status == .forbidden)
            // The audit says who reset whose password, never the password.
            let audit = try await AuditEvent.query(on: app.db).all()
            #expect(audit.contains { $0.detail.contains("重置用户 sg_staff") })
            #expect(!audit.contains { $0.detail.contains(temporary) })
        }
    }

    @Test func aDisabledAccountIsSignedOutAtOnceAndCannotSignIn() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let user = try await app.bearer("sg_staff")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let id = try #require(try await User.query(on: app.db).filter(\.$username == "sg_staff").first()?.id)
            func patch(_ change: Accounts.Change, as headers: HTTPHeaders) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(id)", headers: headers, beforeRequest: { req in
                    try req.content.encode(change)
                })
            }
            let off = try await patch(.init(disabled: true), as: admin)
            #expect(off.status == .ok)
            #expect(try off.content.decode(User.DTO.self).disabled)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: user).status == .unauthorized)
            let refused = try await app.testing().sendRequest(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "sg_staff", "password": "Secret-pass-1"])
            })
            #expect(refused.status == .forbidden && json(refused)["error"] as? String == "account_disabled")
            // A wrong password still says only "wrong": the status is no hint to a guesser.
            let guess = try await app.testing().sendRequest(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "sg_staff", "password": "Not-the-one-1"])
            })
            #expect(guess.status == .unauthorized)
            #expect(try await patch(.init(disabled: false), as: admin).status == .ok)
            _ = try await app.bearer("sg_staff")

            // Role and name; the list shows the account's status and last sign-in.
            let changed = try await patch(.init(role: "viewer", displayName: "韶关学院团委"), as: admin)
            #expect(try changed.content.decode(User.DTO.self).role == .viewer)
            let list = try await app.testing().sendRequest(.GET, "/api/v1/users?q=韶关", headers: admin)
            let found = try list.content.decode(ItemList<User.DTO>.self).items.first { $0.username == "sg_staff" }
            #expect(found?.displayName == "韶关学院团委" && found?.lastSignInAt != nil && found?.disabled == false)
            #expect(try await patch(.init(role: "king"), as: admin).status == .unprocessableEntity)
        }
    }

    @Test func adminsManageOnlyTheirSubtreeAndWithinTheirOwnPermission() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            try await app.makeUser("mm_clerk", in: "化州市", role: .staff)
            try await app.makeUser("sg_admin", in: "韶关学院", role: .admin)
            let target = try #require(try await User.query(on: app.db).filter(\.$username == "sg_staff").first()?.id)
            let clerk = try #require(try await User.query(on: app.db).filter(\.$username == "mm_clerk").first()?.id)
            let mmAdmin = try await app.bearer("mm_admin")
            let body = Accounts.Change(disabled: true)
            // Another city's account does not exist for it; a staff member may not manage accounts at all.
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(target)", headers: mmAdmin, beforeRequest: { try $0.content.encode(body) }).status == .notFound)
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/users/\(target)/reset-password", headers: mmAdmin).status == .notFound)
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(target)", headers: try await app.bearer("sg_staff"), beforeRequest: { try $0.content.encode(body) }).status == .forbidden)
            // Its own county's clerk: yes; the permission only by an admin who holds it; never its own status.
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(clerk)", headers: mmAdmin, beforeRequest: { try $0.content.encode(Accounts.Change(role: "viewer")) }).status == .ok)
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(clerk)", headers: mmAdmin, beforeRequest: { try $0.content.encode(Accounts.Change(sensitiveData: true)) }).status == .forbidden)
            let me = try #require(try await User.query(on: app.db).filter(\.$username == "mm_admin").first()?.id)
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(me)", headers: mmAdmin, beforeRequest: { try $0.content.encode(body) }).status == .forbidden)
            // Unknown ids and malformed bodies: 404 and 400/422, never 500.
            #expect(try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(UUID())", headers: mmAdmin, beforeRequest: { try $0.content.encode(body) }).status == .notFound)
            let junk = try await app.testing().sendRequest(.PATCH, "/api/v1/users/\(clerk)", headers: mmAdmin, beforeRequest: { req in
                req.headers.contentType = .json
                req.body = ByteBuffer(string: #"{"disabled": "maybe"}"#)
            })
            #expect(junk.status.code >= 400 && junk.status.code < 500)
        }
    }
}

/// Accounts in bulk (issue 11 §2): every problem listed, nothing created on any error, each new account with a
/// temporary password that works once and must be changed.
@Suite struct AccountImportTests {
    let header = "单位名称或代码,用户名,姓名,角色,手机号\n"

    func upload(_ app: Application, _ headers: HTTPHeaders, _ csv: String, dryRun: Bool = false) async throws -> TestingHTTPResponse {
        try await app.upload("/api/v1/users/import" + (dryRun ? "?dryRun=true" : ""), headers: headers, filename: "accounts.csv", data: Data(csv.utf8))
    }

    @Test func aSheetWithMistakesCreatesNothingAndSaysWhereEachIs() async throws {
        try await withTestApp { app in
            try await app.makeUser("taken_name", in: "乐昌市", role: .staff)
            let mmAdmin = try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            _ = mmAdmin
            let headers = try await app.bearer("mm_admin")
            let csv = header + """
                化州市,hz_clerk,李明,工作人员,13800138000
                化州市,hz clerk,李明二,工作人员,
                440982,hz_view,王芳,观察员,
                乐昌市,lc_clerk,张三,工作人员,
                化州市,taken_name,赵四,查看者,
                化州市,hz_clerk,钱五,查看者,138001
                化州市,hz_vol,孙六,志愿者,
                化州市,hz_clerk,吴八,查看者,
                """
            let res = try await upload(app, headers, csv)
            #expect(res.status == .unprocessableEntity)
            let report = try res.content.decode(ImportReport.self)
            let found = Set(report.errors.map { "\($0.row)|\($0.column)" })
            #expect(found == ["3|用户名", "4|角色", "5|单位名称或代码", "6|用户名", "7|手机号", "8|角色", "9|用户名"], "\(report.errors)")
            #expect(report.errors.allSatisfy { isChinese($0.message) })
            #expect(try await User.query(on: app.db).filter(\.$username == "hz_clerk").count() == 0)
        }
    }

    @Test func aGoodSheetCreatesEveryAccountWithAPasswordToChange() async throws {
        try await withTestApp { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let headers = try await app.bearer("mm_admin")
            let csv = header + "化州市,hz_clerk,李明,工作人员,138 0013 8000\n440982,hz_view,王芳,查看者,\n茂名市团委,mm_two,周七,管理员,\n"
            let dry = try await upload(app, headers, csv, dryRun: true)
            #expect(dry.status == .ok)
            #expect(try await User.query(on: app.db).filter(\.$username == "hz_clerk").count() == 0)
            let res = try await upload(app, headers, csv)
            #expect(res.status == .ok, "\(res.body.string)")
            let body = try res.content.decode(UserController.ImportResponse.self)
            #expect(body.committed && body.accounts.map(\.username) == ["hz_clerk", "hz_view", "mm_two"])
            let clerk = try #require(try await User.query(on: app.db).filter(\.$username == "hz_clerk").first())
            #expect(clerk.phone == "13800138000" && clerk.mustChangePassword && clerk.role == .staff)
            let user = try await app.bearer("hz_clerk", password: body.accounts[0].temporaryPassword)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/pairings", headers: user).status == .forbidden)
            // The audit names the count, never a password.
            let audit = try await AuditEvent.query(on: app.db).all()
            #expect(audit.contains { $0.detail.contains("批量创建账户3个") })
            #expect(!audit.contains { e in body.accounts.contains { e.detail.contains($0.temporaryPassword) } })
            // The same sheet again: every username is taken now.
            #expect(try await upload(app, headers, csv).status == .unprocessableEntity)
            // Staff may not create accounts.
            try await app.makeUser("mm_staff", in: "茂名市", role: .staff)
            #expect(try await upload(app, try await app.bearer("mm_staff"), csv).status == .forbidden)
        }
    }

    /// The same sheet sent ten times at once (a double click on the deadline morning): the accounts are made once,
    /// the other requests are refused with a 4xx, none fails with a 500.
    @Test func tenParallelImportsOfOneSheetMakeTheAccountsOnce() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("mm_admin", in: "茂名市", role: .admin)
            let headers = try await app.bearer("mm_admin")
            let csv = header + "化州市,hz_a,李明,工作人员,\n化州市,hz_b,王芳,查看者,\n"
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<10 { group.addTask { try await upload(app, headers, csv).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .conflict || $0 == .unprocessableEntity }, "\(statuses)")
            #expect(try await User.query(on: app.db).filter(\.$username ~~ ["hz_a", "hz_b"]).count() == 2)
        }
    }
}
