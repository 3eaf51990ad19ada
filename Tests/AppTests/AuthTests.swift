// Signing in: tokens, lockout after repeated failures, audit of every attempt, sessions shared through the database.
@testable import App
import Fluent
import LiangbangCore
import Testing
import Vapor
import VaporTesting

@Suite struct AuthTests {
    @Test func apiLoginReturnsATokenThatAuthenticatesAndLogoutEndsIt() async throws {
        try await withTestApp { app in
            let headers = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"username\":\"admin\""))
            }
            try await app.testing().test(.DELETE, "/api/v1/session", headers: headers) { res in
                #expect(res.status == .noContent)
            }
            try await app.testing().test(.GET, "/api/v1/me", headers: headers) { res in
                #expect(res.status == .unauthorized)
                #expect(isChinese(res.errorMessage))
            }
            // The token is stored hashed, never as given.
            let stored = try await AuthToken.query(on: app.db).all().map(\.tokenHash)
            #expect(!stored.contains(headers.bearerAuthorization!.token))
        }
    }

    @Test func wrongPasswordIsRefusedInChineseAndAudited() async throws {
        try await withTestApp { app in
            try await app.testing().test(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "admin", "password": "wrong-password"])
            }) { res in
                #expect(res.status == .unauthorized)
                #expect(res.errorMessage == "用户名或密码错误")
            }
            let failures = try await AuditEvent.query(on: app.db).filter(\.$action == "login.failure").all()
            #expect(failures.count == 1)
            #expect(failures[0].username == "admin")
            #expect(!failures[0].detail.contains("wrong-password"))
        }
    }

    @Test func repeatedFailedLoginsLockTheAccountEvenForTheRightPassword() async throws {
        try await withTestApp { app in
            try await app.makeUser("zhang", in: "韶关学院", role: .staff)
            for _ in 1...4 {
                try await app.testing().test(.POST, "/api/v1/session", beforeRequest: { req in
                    try req.content.encode(["username": "zhang", "password": "nope-nope"])
                }) { res in #expect(res.status == .unauthorized) }
            }
            try await app.testing().test(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "zhang", "password": "nope-nope"])
            }) { res in
                #expect(res.status == .locked)
                #expect(res.errorMessage?.contains("锁定") == true)
            }
            try await app.testing().test(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "zhang", "password": "Secret-pass-1"])
            }) { res in
                #expect(res.status == .locked)
            }
            // Once the lock has passed the right password works again.
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "zhang").first())
            user.lockedUntil = Date().addingTimeInterval(-1)
            try await user.save(on: app.db)
            _ = try await app.bearer("zhang")
        }
    }

    @Test func aSessionCreatedByOneInstanceWorksOnAnother() async throws {
        // Two app instances on one database stand in for two servers behind a load balancer.
        let config = TestEnv.config(fileDatabase: true)
        let headers = try await withTestApp(config: config, dropSchema: false) { app in
            try await app.bearer("admin", password: TestEnv.adminPassword)
        }
        try await withTestApp(config: config) { other in
            try await other.testing().test(.GET, "/api/v1/orgs", headers: headers) { res in
                #expect(res.status == .ok)
            }
        }
    }

    @Test func webLoginSetsACookieAndFormsWithoutTheCSRFTokenAreRefused() async throws {
        try await withTestApp { app in
            var cookie = ""
            try await app.postLogin(["username": "admin", "password": TestEnv.adminPassword, "next": "/orgs"]) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/orgs")
                let session = try #require(res.headers.setCookie?[SessionCookie.name])
                #expect(session.isHTTPOnly)
                cookie = "\(SessionCookie.name)=\(session.string)"
            }
            try await app.testing().test(.GET, "/orgs", headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("广州市"))
            }
            try await app.testing().test(.POST, "/campaigns", headers: ["Cookie": cookie], beforeRequest: { req in
                try req.content.encode(["year": "2023"], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("页面已过期"))
            }
            #expect(try await Campaign.query(on: app.db).count() == 1)
        }
    }

    @Test func loginPageRedirectsAnonymousVisitorsAndSpeaksChinese() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/orgs") { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location)?.hasPrefix("/login") == true)
            }
            try await app.testing().test(.GET, "/login") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("用户名"))
            }
        }
    }
}
