// `liangbang demo-data`: fills a data directory with synthetic rosters and weeks of sessions, for trying the
// platform and for benchmarks. Names are generated, ID numbers carry valid check digits but belong to nobody.
import Fluent
import Foundation
import LiangbangCore
import SQLKit
import Vapor

struct DemoDataCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign", help: "活动年度，如 2022") var campaign: Int?
        @Option(name: "pupils", help: "学生人数（默认 1000）") var pupils: Int?
        @Option(name: "weeks", help: "生成多少周的支教记录（默认 8）") var weeks: Int?
        @Option(name: "seed", help: "随机种子（相同种子生成相同数据）") var seed: Int?
        @Option(name: "activities", help: "生成多少项活动（附件3，分布到各地市、县区、高校和省有关单位；默认 0）") var activities: Int?
        @Option(name: "teams", help: "生成多少支三下乡实践团队（默认 200；另生成百校百号结对、返家乡学生和38个重点县）") var teams: Int?
        @Option(name: "members", help: "实践团队成员名单共多少人（默认 团队数×30）") var members: Int?
        @Option(name: "graduates", help: "生成多少名就业帮扶毕业生（分到各高校团干部，每人2至5名；默认 300）") var graduates: Int?
        @Option(name: "trainings", help: "生成多少个培训班（分到各地市、县区，含签到名单；默认 60）") var trainings: Int?
        @Option(name: "ventures", help: "生成多少个涉农创业项目（前20个参加一项省级创青春评审；默认 40）") var ventures: Int?
        @Option(name: "hotline", help: "生成多少件12355个案（集中在少数县，多数已回访；默认 60）") var hotline: Int?
        @Option(name: "health-visits", help: "生成多少次健康直通车进村服务（每次约20名儿童检查；默认 20）") var healthVisits: Int?
        @Option(name: "camps", help: "生成多少个成长陪伴营地（每个约30人，另为每个营地所在县生成书信、南粤会亲、手拉手结对各1对；默认 10）") var camps: Int?
        @Option(name: "disability-pairs", help: "生成多少对阳光助残结对（多数已制定一人一策；默认 30）") var disabilityPairs: Int?
        @Option(name: "deployments", help: "生成多少条希望乡村教师派驻（粤东西北各县的学校，多数前后接续，少数有空档；默认 100）") var deployments: Int?
    }
    static func bounded(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws -> Int {
        guard range.contains(value) else { throw CommandFailure(code: 2, message: "\(name) 应为\(range.lowerBound)至\(range.upperBound)之间的整数") }
        return value
    }

    var help: String { "生成演示数据：附件1各高校的结对名单和若干周的支教记录（虚构姓名与身份证号）" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let pupils = try Self.bounded(signature.pupils ?? 1000, 0...1_000_000, "--pupils")
            let weeks = try Self.bounded(signature.weeks ?? 8, 0...60, "--weeks")
            let activityCount = try Self.bounded(signature.activities ?? 0, 0...1_000_000, "--activities")
            let deploymentCount = try Self.bounded(signature.deployments ?? 100, 0...100_000, "--deployments")
            let teamCount = try Self.bounded(signature.teams ?? 200, 0...100_000, "--teams")
            let memberCount = try Self.bounded(signature.members ?? teamCount * 30, 0...5_000_000, "--members")
            let graduateCount = try Self.bounded(signature.graduates ?? 300, 0...100_000, "--graduates")
            let trainingCount = try Self.bounded(signature.trainings ?? 60, 0...10_000, "--trainings")
            let ventureCount = try Self.bounded(signature.ventures ?? 40, 0...100_000, "--ventures")
            let hotlineCount = try Self.bounded(signature.hotline ?? 60, 0...100_000, "--hotline")
            let healthCount = try Self.bounded(signature.healthVisits ?? 20, 0...10_000, "--health-visits")
            let campCount = try Self.bounded(signature.camps ?? 10, 0...10_000, "--camps")
            let disabilityCount = try Self.bounded(signature.disabilityPairs ?? 30, 0...100_000, "--disability-pairs")
            let started = Date()
            let report = try await DemoData(db: app.db, cipher: app.appServices.cipher, campaign: campaign,
                                            seed: UInt64(signature.seed ?? 2022)).generate(pupils: pupils, weeks: weeks)
            let activities = try await DemoActivities(db: app.db, campaign: campaign, seed: UInt64(signature.seed ?? 2022))
                .generate(count: activityCount)
            let deployments = try await DemoDeployments(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: UInt64(signature.seed ?? 2022))
                .generate(count: deploymentCount)
            let practice = try await DemoPractice(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: UInt64(signature.seed ?? 2022))
                .generate(teams: teamCount, members: memberCount)
            let employment = try await DemoEmployment(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: UInt64(signature.seed ?? 2022))
                .generate(graduates: graduateCount)
            let workItems = DemoTrainingContests(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: UInt64(signature.seed ?? 2022))
            let training = try await workItems.trainings(classes: trainingCount)
            let contests = try await workItems.ventures(ventureCount)
            let care = DemoCare(db: app.db, cipher: app.appServices.cipher, campaign: campaign, seed: UInt64(signature.seed ?? 2022), now: app.appServices.clock.now())
            let hotline = try await care.hotline(cases: hotlineCount)
            let health = try await care.health(visits: healthCount)
            let companion = try await care.companionship(camps: campCount)
            let disability = try await care.disability(pairs: disabilityCount)
            FileHandle.standardError.write(Data("已生成 \(report.pairings) 条结对（\(pupils) 名学生）、\(report.sessions) 条支教记录、\(activities.activities) 项活动（\(activities.submissions) 次报送）、\(deployments) 条希望乡村教师派驻、\(practice.teams) 支三下乡实践团队（名单 \(practice.members) 人）、\(practice.pairs) 对百校百号、\(practice.returnHome) 名返家乡学生、\(employment.cadres) 名团干部结对 \(employment.graduates) 名毕业生（推荐岗位 \(employment.jobs) 个）、\(training.classes) 个培训班（签到 \(training.attendees) 人）、\(contests.ventures) 个涉农创业项目（评分 \(contests.scores) 份）、\(hotline) 件12355个案、\(health.visits) 次健康直通车服务（检查 \(health.checks) 人）、\(disability) 对阳光助残结对、\(companion.camps) 个营地和 \(companion.matches) 对成长陪伴结对，用时 \(String(format: "%.1f", Date().timeIntervalSince(started))) 秒\n".utf8))
        }
    }
}

struct DemoData {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64

    struct Report { var pairings = 0; var sessions = 0 }

    /// A small, fast, seedable generator (SplitMix64): the same seed gives the same data.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: Range<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < p }
    }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯许邓曾彭萧蔡潘田董袁叶钟")
    static let given = Array("子涵欣怡梓轩浩宇雨桐思远嘉怡俊杰诗琪明轩晓彤志强丽娟文博佳慧海燕家豪敏婷国华雅琳天佑宏伟")
    static let contents = ["数学辅导", "语文阅读", "英语口语", "作业答疑", "科学小实验", "成长陪伴谈心", "书法练习"]
    static let modes = ["online-video", "online-voice", "offline"]

    func generate(pupils: Int, weeks: Int) async throws -> Report {
        var rng = Random(state: seed)
        let assignments = try await TutoringAssignment.query(on: db).filter(\.$campaignID == campaign.id!).all()
        guard !assignments.isEmpty else { throw CommandFailure(code: 2, message: "\(campaign.year)年度没有附件1对接安排") }
        let codes = Dictionary(uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$kind == .county).all().map { ($0.id!, $0.code ?? "440100") })
        let period = campaign.tutoringPeriod
        // The requested weeks may run past the tutoring period: stretch it so every session is a valid one.
        let lastDay = period.start.weekStart.adding(days: weeks * 7 - 1)
        if weeks > 0, lastDay > period.end {
            campaign.tutoringEndText = lastDay.iso
            try await campaign.save(on: db)
        }
        let now = Date()
        var report = Report()
        var sequence = 0
        func name() -> String {
            String(Self.surnames[rng.int(0..<Self.surnames.count)]) + String((0..<(rng.chance(0.3) ? 1 : 2)).map { _ in Self.given[rng.int(0..<Self.given.count)] })
        }
        func id(_ county: String, year: Int) -> IDNumber {
            sequence += 1
            let birth = Formatting.padded(year, 4) + Formatting.padded(rng.int(1..<13), 2) + Formatting.padded(rng.int(1..<29), 2)
            let first17 = county + birth + Formatting.padded(sequence % 1000, 3)
            let value = first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
            return try! IDNumber.parse(value).get()
        }

        // Pupils spread over every assigned county; volunteers tutor about two pupils each; one pupil in ten has two.
        struct Line: Sendable { let pairingID: UUID; let university: UUID; let county: UUID; let pupilHash: String; let volunteerHash: String; let second: Bool }
        var lines: [Line] = []
        var rows: [[SQLValue]] = []
        var volunteer: (IDNumber, String, String)?   // id, name, hash
        for i in 0..<pupils {
            let a = assignments[i % assignments.count]
            let pupil = id(codes[a.countyID] ?? "440100", year: 2008 + rng.int(0..<7))
            let pupilName = name(), pupilHash = cipher.lookupHash(pupil.value)
            let pupilCipher = try cipher.seal(pupil.value), noCipher = try cipher.seal("G" + pupil.value)
            for extra in 0..<(rng.chance(0.1) ? 2 : 1) {
                if volunteer == nil || rng.chance(0.5) || extra == 1 {
                    let v = id("440106", year: 1999 + rng.int(0..<5))
                    volunteer = (v, name(), cipher.lookupHash(v.value))
                }
                let (v, vName, vHash) = volunteer!
                let pairingID = UUID()
                lines.append(Line(pairingID: pairingID, university: a.universityID, county: a.countyID, pupilHash: pupilHash, volunteerHash: vHash, second: extra == 1))
                rows.append([.uuid(pairingID), .uuid(campaign.id!), .uuid(a.universityID), .uuid(a.countyID), .text(pupilName),
                             .text(pupil.sex.rawValue), .text(pupilCipher), .text(pupilHash), .text(pupil.masked),
                             .int(campaign.calendar.rosterDue.years(since: pupil.birthDate)), .text(noCipher), .text("示范学校\(i % 37)"),
                             .text("五年级\(i % 6 + 1)班"), .text(vName), .text(try cipher.seal(v.value)), .text(vHash), .text(v.masked),
                             .null, pupil.birthDate.year >= 2009 ? .bool(true) : .null, .null, .date(now), .date(now)])
            }
        }
        let pairingRows = rows
        try await db.writeTransaction { tx in
            try await BulkInsert.run(tx as! any SQLDatabase, table: Pairing.schema, columns: RosterStore.insertColumns, rows: pairingRows)
        }
        report.pairings = rows.count
        rows.removeAll()

        // Sessions: most pupil-weeks served (one hour or more), some short, some missed.
        report.sessions = try await sessions(lines: lines.map { ($0.pairingID, $0.university, $0.county, $0.pupilHash, $0.volunteerHash, $0.second) },
                                             weeks: weeks, state: rng.state, now: now)
        return report
    }

    typealias SessionLine = (pairing: UUID, university: UUID, county: UUID, pupilHash: String, volunteerHash: String, second: Bool)

    private func sessions(lines: [SessionLine], weeks: Int, state: UInt64, now: Date) async throws -> Int {
        let columns = ["id", "pairing_id", "campaign_id", "university_id", "county_id", "pupil_id_hash", "volunteer_id_hash", "date",
                       "week_start", "start_time", "minutes", "content", "mode", "recorded_by", "created_at", "updated_at"]
        let period = campaign.tutoringPeriod
        let campaignID = campaign.id!
        return try await db.writeTransaction { tx in
            let sql = tx as! any SQLDatabase
            var rng = Random(state: state)
            var batch: [[SQLValue]] = []
            var count = 0
            for w in 0..<weeks {
                let week = period.start.weekStart.adding(days: 7 * w)
                for line in lines {
                    let roll = rng.int(0..<100)
                    let minutes: Int
                    if line.second { guard roll < 30 else { continue }; minutes = 30 + rng.int(0..<31) }
                    else if roll < 80 { minutes = 60 + 15 * rng.int(0..<3) }
                    else if roll < 90 { minutes = 30 + rng.int(0..<25) }
                    else { continue }
                    var day = week.adding(days: rng.int(0..<7))
                    if day < period.start { day = period.start }
                    let start = ["19:00", "19:30", "20:00", "15:00"][rng.int(0..<4)]
                    batch.append([.uuid(UUID()), .uuid(line.pairing), .uuid(campaignID), .uuid(line.university), .uuid(line.county),
                                  .text(line.pupilHash), .text(line.volunteerHash), .text(day.iso), .text(day.weekStart.iso), .text(start),
                                  .int(minutes), .text(Self.contents[rng.int(0..<Self.contents.count)]), .text(Self.modes[rng.int(0..<3)]),
                                  .text("演示数据"), .date(now), .date(now)])
                    if batch.count == 1000 {
                        try await BulkInsert.run(sql, table: TutoringSession.schema, columns: columns, rows: batch)
                        count += batch.count
                        batch.removeAll(keepingCapacity: true)
                    }
                }
            }
            if !batch.isEmpty {
                try await BulkInsert.run(sql, table: TutoringSession.schema, columns: columns, rows: batch)
                count += batch.count
            }
            // One grouped recount rather than an upsert per row: the weekly summary, in the same transaction.
            try await TutoringWeeks.rebuild(campaign: campaignID, period: period, on: tx)
            return count
        }
    }
}
