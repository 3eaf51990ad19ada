// Issue 10 §1: the holes found by probing the running product, each reproduced as the attacker sent it.
@testable import App
import Crypto
import Fluent
import LiangbangCore
import SQLKit
import Spreadsheet
import Testing
import Vapor
import VaporTesting

@Suite struct TrustSecurityTests {
    @Test func extremePageNumbersAndYearsAreRefusedAndTheServerKeepsAnswering() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_viewer", in: "韶关学院", role: .viewer)
            let viewer = try await app.bearer("sg_viewer")
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let roster = try #require(try await app.org(named: "韶关学院").id)
            let probes: [(String, HTTPHeaders)] = [
                ("/roster?page=9223372036854775807&orgId=\(roster)", viewer), ("/roster?page=-1", viewer), ("/roster?page=abc", viewer),
                ("/api/v1/audit?page=92233720368547759", admin), ("/api/v1/audit?page=0", admin), ("/audit?page=9223372036854775807", admin),
                ("/api/v1/pairings?campaign=9223372036854775807", viewer), ("/api/v1/pairings?campaign=1e309", viewer),
                ("/api/v1/activities?campaign=-1", admin), ("/api/v1/campaigns/9223372036854775807", admin),
            ]
            for (path, headers) in probes {
                try await app.testing().test(.GET, path, headers: headers) { res in
                    #expect(res.status == .badRequest || res.status == .notFound, "\(path): \(res.status)")
                    #expect(!res.body.string.contains("internal"), "\(path)")
                }
            }
            try await app.testing().test(.GET, "/healthz") { res in #expect(res.status == .ok) }
        }
    }

    @Test func noResponseWithoutSensitiveDataHoldsABirthDateAndTheDatabaseStoresNone() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            let lines = RosterLine.many(4)
            let res = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(lines))
            #expect(res.status == .ok, "\(res.body.string)")
            let births = lines.map { String($0.pupilID.dropFirst(6).prefix(8)) }
            for path in ["/api/v1/pairings?campaign=2022", "/roster", "/roster/export?format=csv", "/api/v1/pairings/export?format=csv"] {
                try await app.testing().test(.GET, path, headers: staff) { res in
                    #expect(res.status == .ok, "\(path)")
                    for birth in births { #expect(!res.body.string.contains(birth), "\(path) shows a birth date") }
                }
            }
            try await app.testing().test(.GET, "/api/v1/pairings?campaign=2022", headers: staff) { res in
                // Born 2010-03-15: 12 on the 2022 roster date.
                let pairings = try res.content.decode(ItemList<PairingDTO>.self).items
                #expect(pairings.count == 4 && pairings.allSatisfy { $0.pupil.age == 12 })
            }
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT * FROM pairings").all()
            for row in rows {
                #expect(!row.allColumns.contains("pupil_birth_date"))
                for column in row.allColumns {
                    let text = (try? row.decode(column: column, as: String.self)) ?? ""
                    for birth in births { #expect(!text.contains(birth), "\(column)") }
                }
            }
        }
    }

    @Test func theDataDirectoryAndDatabaseFilesAreTheServersAlone() async throws {
        guard TestEnv.postgresURL == nil else { return }
        let config = TestEnv.config(fileDatabase: true)
        try await withTestApp(config: config) { _ in
            let dir = try FileManager.default.attributesOfItem(atPath: config.dataDirectory)[.posixPermissions] as? Int
            #expect(dir == 0o700)
            let db = try FileManager.default.attributesOfItem(atPath: config.dataDirectory + "/liangbang.sqlite")[.posixPermissions] as? Int
            #expect(db == 0o600)
        }
    }

    @Test func parallelWrongPasswordsLockTheAccountBeforeTheRightOneGetsIn() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            try await app.makeUser("target", in: "韶关学院", role: .staff, password: "Right-pass-2022")
            func login(_ password: String) async throws -> HTTPStatus {
                try await app.testing().sendRequest(.POST, "/api/v1/session", beforeRequest: { req in
                    try req.content.encode(["username": "target", "password": password])
                }).status
            }
            // 29 guesses at once: each must count (no lost update of the failure counter)…
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<29 { group.addTask { try await login("wrong-\(i)-pass") } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized || $0 == .locked }, "\(statuses)")
            #expect(statuses.filter { $0 == .unauthorized }.count <= 5, "more guesses were checked than the limit allows")
            // …so the 30th, with the right password, finds the account locked.
            #expect(try await login("Right-pass-2022") == .locked)
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "target").first())
            #expect(user.lockedUntil != nil)
        }
    }

    @Test func loginRedirectsOnlyToPathsOfThisSite() {
        for bad in ["/\t/evil.example/x", "//evil.example", "/\\evil.example", "https://evil.example", "/\n/evil", "/ /evil", "/\u{202E}x"] {
            #expect(SessionController.safeNext(bad) == "/", "\(bad.debugDescription)")
        }
        #expect(SessionController.safeNext("/roster?campaign=2022") == "/roster?campaign=2022")
    }

    @Test func theLoginFormNeedsItsTokenAndKeepsTheNextPathSafe() async throws {
        try await withTestApp { app in
            try await app.testing().test(.POST, "/login", beforeRequest: { req in
                try req.content.encode(["username": "admin", "password": TestEnv.adminPassword], as: .urlEncodedForm)
            }) { res in
                #expect(res.status == .forbidden)
                #expect(res.headers.setCookie?[SessionCookie.name] == nil)
            }
            try await app.postLogin(["username": "admin", "password": TestEnv.adminPassword, "next": "/\t/evil.example/x"]) { res in
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/")
            }
        }
    }

    @Test func oneActivationCodeMakesOneAccountWhateverTheParallelClicks() async throws {
        try await withTestApp(config: TestEnv.config(fileDatabase: true)) { app in
            let code = ActivationCode()
            code.universityID = try await app.org(named: "韶关学院").id!
            code.volunteerIDHash = app.appServices.cipher.lookupHash(TestIDs.make("440104", "20010101", 457))
            code.volunteerName = "王志愿"
            code.codeCipher = try app.appServices.cipher.seal("K7MQ-2PXD")
            code.codeHash = app.appServices.cipher.lookupHash("activation:" + VolunteerDirectory.normalise("K7MQ-2PXD"))
            try await code.create(on: app.db)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/activate", beforeRequest: { req in
                            try req.content.encode(["code": "K7MQ-2PXD", "username": "vol\(i)", "password": "Volunteer-2022",
                                                    "confirm": "Volunteer-2022"], as: .urlEncodedForm)
                        }).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.code < 500 }, "\(statuses)")
            #expect(try await User.query(on: app.db).filter(\.$role == .volunteer).count() == 1)
        }
    }

    @Test func volunteersCannotListAccounts() async throws {
        try await withTestApp { app in
            try await app.makeUser("v1", in: "韶关学院", role: .volunteer)
            try await app.testing().test(.GET, "/api/v1/users", headers: try await app.bearer("v1")) { res in
                #expect(res.status == .forbidden)
                #expect(!res.body.string.contains("admin"))
            }
        }
    }

    @Test func anIDPairedElsewhereIsRefusedWithoutNamingTheUniversityAndTheCountySeesBoth() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            try await app.makeUser("hs_staff", in: "韩山师范学院", role: .staff)
            let sg = try await app.bearer("sg_staff"), hs = try await app.bearer("hs_staff")
            // 韩山师范学院 is assigned 潮州 counties; 韶关学院 claims the same pupil for 武江区 (its own county).
            var mine = RosterLine.many(1)[0]
            mine.county = "湘桥区"
            #expect(try await app.upload("/api/v1/pairings/import?campaign=2022", headers: hs, content: RosterLine.csv([mine])).status == .ok)
            let claim = RosterLine.many(1)[0]
            let res = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: sg, content: RosterLine.csv([claim]))
            #expect(res.status == .unprocessableEntity)
            #expect(!res.body.string.contains("韩山师范学院"))
            #expect(res.body.string.contains("已由其他高校结对"))
            try await app.testing().test(.GET, "/api/v1/pairing-conflicts?campaign=2022", headers: sg) { res in
                #expect(res.status == .forbidden)
            }
            try await app.makeUser("wj_staff", in: "武江区", role: .staff)
            try await app.testing().test(.GET, "/api/v1/pairing-conflicts?campaign=2022", headers: try await app.bearer("wj_staff")) { res in
                #expect(res.status == .ok)
                let list = try res.content.decode(ItemList<PairingConflicts.DTO>.self)
                #expect(list.total == 1)
                #expect(list.items.first?.ownerUniversity == "韩山师范学院" && list.items.first?.claimantUniversity == "韶关学院")
            }
        }
    }

    @Test func sheetNamesThatCollideAfterCleaningGetANumber() throws {
        let path = NSTemporaryDirectory() + "names-\(UUID().uuidString).xlsx"
        let writer = try XLSXWriter(path: path)
        let a = try writer.addSheet("华南师范大学:")
        let b = try writer.addSheet("华南师范大学")
        #expect(a.name != b.name)
        try writer.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test func campaignSettingsOutsideTheYearOrBeyondSenseAreRefused() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            try await app.testing().test(.PATCH, "/api/v1/campaigns/2022", headers: admin, beforeRequest: { req in
                try req.content.encode(["calendar": ["rosterDue": "9999-07-08", "planDue": "2022-07-08", "focusStart": "2022-07-01",
                                                     "focusEnd": "2022-08-31", "updateDue": "2022-09-15"]])
            }) { res in #expect(res.status == .unprocessableEntity, "\(res.body.string)") }
            try await app.testing().test(.PATCH, "/api/v1/campaigns/2022", headers: admin, beforeRequest: { req in
                try req.content.encode(QuotaPatch(quotas: [.init(orgKind: "city", metric: "activities", minimum: 4_611_686_018_427_387_904,
                                                                 wording: "每个地市至少1场")]))
            }) { res in #expect(res.status == .unprocessableEntity, "\(res.body.string)") }
            let campaign = try #require(try await Campaign.query(on: app.db).filter(\.$year == 2022).first())
            #expect(campaign.rosterDue == "2022-07-08")
        }
    }

    @Test func auditDetailsNameNoPupilAndLoginTargetsCarryNoControlCharacters() async throws {
        try await withTestApp { app in
            try await app.testing().test(.POST, "/api/v1/session", beforeRequest: { req in
                try req.content.encode(["username": "ghost\u{1B}[31m\u{202E}x", "password": "whatever-pass"])
            }) { res in #expect(res.status == .unauthorized) }
            let targets = try await AuditEvent.query(on: app.db).filter(\.$action == "login.failure").all().map(\.target)
            #expect(targets.contains("账户 ghost[31mx"), "\(targets)")
            #expect(targets.allSatisfy { !$0.unicodeScalars.contains { InvisibleCharacters.isInvisible($0) } })
        }
    }

    @Test func bidiOverridesAndZeroWidthCharactersAreRemovedFromEveryInputPath() async throws {
        try await withTestApp { app in
            let admin = try await app.bearer("admin", password: TestEnv.adminPassword)
            let parent = try #require(try await app.org(named: "乐昌市").id)
            try await app.testing().test(.POST, "/api/v1/orgs", headers: admin, beforeRequest: { req in
                try req.content.encode(["name": "乐昌\u{202E}市\u{200B}团校", "kind": "town", "parentId": parent.uuidString])
            }) { res in
                #expect(res.status.code < 500)
            }
            let names = try await Organization.query(on: app.db).all().map(\.name)
            #expect(names.allSatisfy { !$0.unicodeScalars.contains { InvisibleCharacters.isInvisible($0) } })
            // Raw and \u-escaped JSON, percent-encoded forms and query strings are all cleaned before decoding.
            #expect(CleanInput.json(Array(#"{"a":"x\u202Ey\u200b"}"#.utf8)).map { String(decoding: $0, as: UTF8.self) } == #"{"a":"xy"}"#)
            #expect(CleanInput.json(Array(#"{"a":"x\\u202E"}"#.utf8)) == nil)
            #expect(CleanInput.form(Array("a=x%E2%80%AEy&b=%e2%81%a6z%00".utf8)).map { String(decoding: $0, as: UTF8.self) } == "a=xy&b=z")
            #expect(CleanInput.form(Array("a=%E4%B8%AD%E6%96%87".utf8)) == nil)
        }
    }

    @Test func auditWritingDownloadsAreNotPlainLinks() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_admin", in: "韶关学院", role: .admin, sensitiveData: true)
            let admin = try await app.bearer("sg_admin")
            try await app.testing().test(.GET, "/roster/export?format=xlsx&full=1", headers: admin) { res in
                #expect(res.status == .unprocessableEntity)
            }
            try await app.testing().test(.GET, "/volunteers/codes", headers: admin) { res in
                #expect(res.status == .notFound || res.status == .methodNotAllowed)
            }
            try await app.testing().test(.GET, "/volunteers/hours?full=1", headers: admin) { res in
                #expect(res.status == .unprocessableEntity)
            }
            // A link planted on another site writes nothing in the victim's name.
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "sensitive.export").count() == 0)
        }
    }

    @Test func bulkInsertBindsValuesSoQuotesAndBackslashesRoundTrip() async throws {
        try await withTestApp { app in
            try await app.makeUser("sg_staff", in: "韶关学院", role: .staff)
            let staff = try await app.bearer("sg_staff")
            var lines = RosterLine.many(2)
            lines[0].pupilName = #"O'Neil\'"#
            lines[1].school = #"第一'); DROP TABLE pairings; --\"#
            let res = try await app.upload("/api/v1/pairings/import?campaign=2022", headers: staff, content: RosterLine.csv(lines))
            #expect(res.status == .ok, "\(res.body.string)")
            let stored = try await Pairing.query(on: app.db).all()
            #expect(Set(stored.map(\.pupilName)).contains(#"O'Neil\'"#))
            #expect(Set(stored.map(\.school)).contains(#"第一'); DROP TABLE pairings; --\"#))
        }
    }
}

/// `PATCH /api/v1/campaigns/{year}` with quotas only.
struct QuotaPatch: Content {
    struct Quota: Content { let orgKind, metric: String; let minimum: Int; let wording: String }
    let quotas: [Quota]
}

/// Speed-ups of the personal-data code must not change what is stored.
@Suite struct CipherFormatTests {
    /// Look-up hashes are HMAC-SHA256 under the derived look-up key, in lower-case hex, whatever the implementation:
    /// every stored hash depends on it.
    @Test func lookupHashIsHMACSHA256UnderTheDerivedKey() throws {
        let secret = SecretKey(bytes: Data((0..<32).map { UInt8($0) }))
        let cipher = PersonalDataCipher(secret: secret)
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: secret.key, info: Data("liangbang personal data lookup v1".utf8), outputByteCount: 32)
        for value in ["", "440203201003150131", "activation:K7MQ2PXD", "李小明", String(repeating: "x", count: 300)] {
            let expected = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key).map { String(format: "%02x", $0) }.joined()
            #expect(cipher.lookupHash(value) == expected)
        }
    }

    @Test func bulkIdsAreVersion7AndSortInTheOrderMade() {
        var ids = TimeOrderedUUIDs(now: Date(timeIntervalSince1970: 1_800_000_000))
        let made = (0..<5000).map { _ in ids.next() }
        #expect(made.map(\.uuidString) == made.map(\.uuidString).sorted())
        #expect(Set(made).count == made.count)
        for id in made.prefix(20) {
            #expect(id.uuid.6 >> 4 == 7 && id.uuid.8 >> 6 == 0b10, "\(id)")
            #expect(id.uuidString.hasPrefix("01A3185C-5000"))   // 1,800,000,000,000 ms = 0x01A3185C5000
        }
    }
}
