// First-start seeding, run as migrations so that each runs exactly once on a database.
import Fluent
import SQLKit
import LiangbangCore
import Vapor

/// The province, 21 cities, 122 county-level units and the universities of 附件1.
struct SeedOrganisations: AsyncMigration {
    let reference: ReferenceData

    func prepare(on database: Database) async throws {
        try await database.transaction { db in
            var byCode: [String: Organization] = [:]
            var all: [Organization] = []
            for d in reference.divisions {   // the file lists parents before children
                let kind: OrgKind = d.level == "province" ? .province : d.level == "city" ? .city : .county
                let org = Organization(code: d.code, name: d.name, kind: kind, parent: byCode[d.parentCode],
                                       region: d.region.isEmpty ? nil : d.region)
                byCode[d.code] = org
                all.append(org)
            }
            guard let province = byCode["440000"] else { throw Abort(.internalServerError, reason: "行政区划数据缺少广东省") }
            for u in reference.universities {
                all.append(Organization(code: nil, name: u.name, kind: .university, parent: province))
            }
            try await all.create(on: db)
        }
    }

    func revert(on database: Database) async throws {
        try await Organization.query(on: database).delete()
    }
}

/// The 2022 campaign of the notice: calendar, quotas and the 附件1 assignments.
struct SeedCampaign2022: AsyncMigration {
    let reference: ReferenceData

    func prepare(on database: Database) async throws {
        try await database.transaction { db in
            let campaign = Campaign(year: 2022, calendar: .notice(year: 2022))
            try await campaign.create(on: db)
            try await QuotaRule.notice.map { CampaignQuota(campaignID: campaign.id!, rule: $0) }.create(on: db)

            let orgs = try await Organization.query(on: db).all()
            let cities = orgs.filter { $0.kind == .city }
            var countiesOfCity: [String: [String]] = [:]
            var countyByName: [String: Organization] = [:]
            for city in cities {
                let counties = orgs.filter { $0.kind == .county && $0.parentID == city.id }
                countiesOfCity[city.name] = counties.map(\.name)
                for c in counties { countyByName[city.name + "/" + c.name] = c }
            }
            let universities = Dictionary(orgs.filter { $0.kind == .university }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let resolved = try AssignmentResolver.resolve(reference.assignments, countiesOfCity: countiesOfCity)
            try await resolved.map { row in
                TutoringAssignment(campaignID: campaign.id!, countyID: countyByName[row.city + "/" + row.county]!.id!,
                                   universityID: universities[row.university]!.id!)
            }.create(on: db)
        }
    }

    func revert(on database: Database) async throws {
        try await Campaign.query(on: database).filter(\.$year == 2022).delete()
    }
}

/// The province `admin` account, with LIANGBANG_ADMIN_PASSWORD or a random password printed once.
struct CreateProvinceAdmin: AsyncMigration {
    let password: String?
    let cost: Int

    func prepare(on database: Database) async throws {
        guard let province = try await Organization.query(on: database).filter(\.$kind == .province).first() else { return }
        let chosen = password ?? Self.randomPassword()
        // Columns named explicitly: the User model grows columns that later migrations add.
        try await (database as! any SQLDatabase).insert(into: User.schema)
            .columns("id", "username", "display_name", "password_hash", "org_id", "role", "sensitive_data", "failed_logins",
                     "must_change_password", "created_at")
            .values(SQLBind(UUID()), SQLBind("admin"), SQLBind("团省委管理员"), SQLBind(try Bcrypt.hash(chosen, cost: cost)),
                    SQLBind(province.id!), SQLBind(Role.admin.rawValue), SQLBind(true), SQLBind(0), SQLBind(password == nil), SQLBind(Date()))
            .run()
        if password == nil {
            // Printed to the terminal (stderr, so command output stays clean), never to the log: shown only this once.
            FileHandle.standardError.write(Data(("已创建团省委管理员账户：用户名 admin，初始密码 \(chosen)\n（只显示这一次，请登录后立即修改；也可用环境变量 LIANGBANG_ADMIN_PASSWORD 指定）\n").utf8))
        }
    }

    func revert(on database: Database) async throws {
        try await User.query(on: database).filter(\.$username == "admin").delete()
    }

    static func randomPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
