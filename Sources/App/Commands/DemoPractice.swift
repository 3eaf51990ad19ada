// `liangbang demo-data --teams N --members M`: synthetic 三下乡 teams (nine in ten with a member list, some students
// in two teams), 百校百号 pairs, 返家乡 students and 38 key counties, added over the last month so the board has a
// pace. Bulk inserts: the benchmark's 10,000 teams and 300,000 members load in seconds.
import Fluent
import Foundation
import LiangbangCore
import SQLKit

struct DemoPractice {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64

    struct Report { var teams = 0; var members = 0; var pairs = 0; var returnHome = 0 }

    func generate(teams teamCount: Int, members memberCount: Int, now: Date = Date()) async throws -> Report {
        var rng = DemoData.Random(state: seed ^ 0x5A1_0001)
        var report = Report()
        let orgs = try await Organization.query(on: db).filter(\.$kind ~~ [.county, .university]).sort(\.$code).sort(\.$name).all()
        let counties = orgs.filter { $0.kind == .county }, universities = orgs.filter { $0.kind == .university }
        guard !counties.isEmpty, !universities.isEmpty, teamCount > 0 else { return report }
        let year = campaign.year
        func created() -> Date { now.addingTimeInterval(-Double(rng.int(0..<30 * 86_400))) }

        struct Team { let id: UUID; let university: Organization; let county: Organization; let listed: Bool; let at: Date; var keys = Set<String>() }
        var teams = (0..<teamCount).map { i in
            Team(id: UUID(), university: universities[i % universities.count], county: counties[rng.int(0..<counties.count)], listed: rng.chance(0.9), at: created())
        }
        let listed = teams.indices.filter { teams[$0].listed }

        // Members round-robin over the listed teams; one in twenty is a student of the same school already listed.
        var memberRows: [[SQLValue]] = []
        var used: [String: [Int]] = [:], number = 0
        for i in 0..<(listed.isEmpty ? 0 : memberCount) {
            let t = listed[i % listed.count], school = teams[t].university.name
            var studentNo = 0
            if rng.chance(0.05), let earlier = used[school], !earlier.isEmpty { studentNo = earlier[rng.int(0..<earlier.count)] }
            let first = PracticeMemberEntry(row: 0, name: "", member: .init(school: school, studentNo: String(studentNo))).key
            if studentNo == 0 || teams[t].keys.contains(first) {
                number += 1
                studentNo = 2_020_000_000 + number
                used[school, default: []].append(studentNo)
            }
            let entry = PracticeMemberEntry(row: 0, name: String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + "同学",
                                            member: .init(school: school, studentNo: String(studentNo)))
            teams[t].keys.insert(entry.key)
            memberRows.append([.uuid(UUID()), .uuid(campaign.id!), .uuid(teams[t].id), .uuid(teams[t].university.id!),
                               teams[t].county.parentID.map(SQLValue.uuid) ?? .null, .text(entry.name), .text(school), .text(String(studentNo)),
                               .text(entry.key), .date(teams[t].at)])
        }
        let teamRows: [[SQLValue]] = teams.enumerated().map { i, team in
            let county = team.county
            let start = LocalDate(year: year, month: 7, day: 1)!.adding(days: rng.int(0..<50))
            return [.uuid(team.id), .uuid(campaign.id!), .uuid(team.university.id!), .text("\(team.university.name)赴\(county.name)实践团\(i + 1)"),
                    .bool(rng.chance(0.1)), .text("带队老师\(i + 1)"), .uuid(county.id!), .text(""), .text(start.iso),
                    .text(start.adding(days: 5 + rng.int(0..<10)).iso), .text(PracticeTheme.allCases[rng.int(0..<4)].rawValue),
                    .int(10 + rng.int(0..<40)), .bool(team.listed && !team.keys.isEmpty), .int(team.keys.count), .date(team.at)]
        }

        // 百校百号: up to 100 collectives paired with universities; 返家乡: students home in any county.
        let pairRows: [[SQLValue]] = (0..<min(100, teamCount)).map { i in
            let name = "省级青年文明号集体\(i + 1)"
            return [.uuid(UUID()), .uuid(campaign.id!), .text(name), .text(TextNormaliser.headerKey(name)), .text(["交通", "医疗", "金融", "电力"][i % 4]),
                    .null, .uuid(universities[i % universities.count].id!), .text(""), .date(created())]
        }
        var homeRows: [[SQLValue]] = [], hashes = Set<String>()
        for i in 0..<min(2_000, teamCount) {
            let county = counties[rng.int(0..<counties.count)], university = universities[i % universities.count]
            let first17 = (county.code ?? "440106") + "2003" + Formatting.padded(rng.int(1..<13), 2) + Formatting.padded(rng.int(1..<29), 2) + Formatting.padded(i % 1000, 3)
            let id = try IDNumber.parse(first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))).get()
            let start = LocalDate(year: year, month: 7, day: 5)!.adding(days: rng.int(0..<30))
            guard hashes.insert(cipher.lookupHash(id.value)).inserted else { continue }
            homeRows.append([.uuid(UUID()), .uuid(campaign.id!), .uuid(university.id!), .text("返乡学生\(i + 1)"), .text(try cipher.seal(id.value)),
                             .text(cipher.lookupHash(id.value)), .text(id.masked), .uuid(university.id!), .uuid(county.id!),
                             .text("\(county.name)团委"), .text(start.iso), .text(start.adding(days: 20).iso), .int(400 + rng.int(0..<400)), .date(created())])
        }
        // 38 key counties from 粤东西北, as the notice names them.
        let keyCounties = counties.filter { DeploymentRules.regions.contains($0.region ?? "") }.prefix(PracticeTargets.keyCountyCount)
        let existingKeys = try await KeyCounty.query(on: db).filter(\.$campaignID == campaign.id!).count()

        let members = memberRows, homes = homeRows
        try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            try await BulkInsert.run(sql, table: PracticeTeam.schema, columns: ["id", "campaign_id", "org_id", "name", "lighthouse", "leader", "county_id",
                                     "town", "start_date", "end_date", "theme", "declared_members", "has_list", "listed_members", "created_at"], rows: teamRows)
            try await BulkInsert.run(sql, table: PracticeMember.schema, columns: ["id", "campaign_id", "team_id", "org_id", "city_id", "name", "school", "student_no",
                                     "student_key", "created_at"], rows: members)
            try await BulkInsert.run(sql, table: CivilityPair.schema, columns: ["id", "campaign_id", "collective_name", "collective_key", "sector",
                                     "collective_org_id", "university_id", "activity_ids", "created_at"], rows: pairRows)
            try await BulkInsert.run(sql, table: ReturnHomeStudent.schema, columns: ["id", "campaign_id", "org_id", "name", "id_cipher", "id_hash",
                                     "id_masked", "university_id", "county_id", "host_unit", "start_date", "end_date", "hours_tenths", "created_at"], rows: homes)
            if existingKeys == 0 { try await keyCounties.map { KeyCounty(campaignID: campaign.id!, countyID: $0.id!) }.create(on: tx) }
        }
        report.teams = teamRows.count
        report.members = memberRows.count
        report.pairs = pairRows.count
        report.returnHome = homeRows.count
        return report
    }
}
