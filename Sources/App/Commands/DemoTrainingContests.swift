// `liangbang demo-data --trainings N --ventures N`: synthetic 领头雁 and skills classes (most cities and counties
// reach their quota, some fall short) with their sign-in sheets, and 涉农创业 ventures entered in one provincial
// 创青春 contest with five judges who have scored most entries.
import Fluent
import Foundation
import LiangbangCore

struct DemoTrainingContests {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64

    static let titles: [TrainingKind: String] = [.lingtouyan: "乡村振兴青年领头雁培训班", .ecommerce: "农村电商直播带货培训班",
        .entrepreneurship: "返乡青年创业培训班", .skills: "粤菜师傅技能培训班", .online: "广东精勤农民网络培训学院线上课程", .other: "青年乡村振兴专题培训"]
    static let ventureWords = ["香芋", "菜心", "水晶梨", "荔枝", "龙眼", "茶叶", "丝苗米", "沙田柚", "蜜柚", "百香果", "黑山羊", "走地鸡", "罗非鱼", "腐竹", "农家乐"]

    /// `classes` classes over the cities and counties; returns (classes, attendees).
    func trainings(classes count: Int) async throws -> (classes: Int, attendees: Int) {
        guard count > 0 else { return (0, 0) }
        var rng = DemoData.Random(state: seed ^ 0x7A_1A1A)
        let units = try await Organization.query(on: db).filter(\.$kind ~~ [.city, .county]).sort(\.$code).all()
        guard !units.isEmpty else { return (0, 0) }
        let year = campaign.year
        var classes: [TrainingClass] = [], attendees: [TrainingAttendee] = []
        var serial = 0
        for n in 0..<count {
            let unit = units[(n * 7) % units.count]
            let kind = unit.kind == .city ? (rng.chance(0.6) ? TrainingKind.lingtouyan : .ecommerce) : TrainingKind.allCases[rng.int(0..<TrainingKind.allCases.count)]
            let start = LocalDate(year: year, month: 4 + rng.int(0..<6), day: 1 + rng.int(0..<20))!
            let sessions = (0..<(2 + rng.int(0..<3))).map { start.adding(days: $0) }
            let c = TrainingClass()
            c.id = UUID(); c.campaignID = campaign.id!; c.orgID = unit.id!; c.kind = kind.rawValue
            c.title = "\(year)年\(unit.name)\(Self.titles[kind]!)" + (n >= units.count ? "（第\(n / units.count + 1)期）" : "")
            c.mode = kind == .online ? TrainingMode.online.rawValue : TrainingMode.offline.rawValue
            c.countyID = unit.kind == .county ? unit.id : nil
            c.startDate = start.iso; c.endDate = sessions.last!.iso; c.sessionDates = sessions.map(\.iso).joined(separator: ",")
            // Cities aim at 100 person-times and counties at 40 trainees; about one in six falls short.
            let size = unit.kind == .city ? (rng.chance(0.85) ? 40 + rng.int(0..<30) : 15 + rng.int(0..<10))
                                          : (rng.chance(0.85) ? 40 + rng.int(0..<20) : 20 + rng.int(0..<15))
            var personTimes = 0
            for _ in 0..<size {
                serial += 1
                let birth = LocalDate(year: year - 28, month: 1, day: 1)!.adding(days: serial / 1000).iso.replacingOccurrences(of: "-", with: "")
                let first17 = "441521" + birth + Formatting.padded(serial % 1000, 3)
                let id = first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
                let attended = sessions.filter { _ in rng.chance(0.85) }
                let a = TrainingAttendee()
                a.classID = c.id!; a.campaignID = campaign.id!; a.orgID = unit.id!
                a.name = String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)])
                a.sex = rng.chance(0.5) ? "男" : "女"
                a.idCipher = try cipher.seal(id); a.idMasked = IDNumber.mask(id); a.phoneCipher = ""; a.phoneMasked = ""
                a.personHash = cipher.lookupHash("id:" + id); a.county = unit.kind == .county ? unit.name : ""
                a.category = TraineeCategory.allCases[rng.int(0..<TraineeCategory.allCases.count)].rawValue
                a.attended = attended.map(\.iso).joined(separator: ",")
                personTimes += attended.count
                attendees.append(a)
            }
            c.personTimes = personTimes; c.trainees = size
            classes.append(c)
        }
        let (c, a) = (classes, attendees)
        try await db.writeTransaction { tx in
            for chunk in c.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in a.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return (c.count, a.count)
    }

    /// `count` ventures in the counties, recorded by their counties; the first twenty entered in a provincial
    /// 创青春 contest judged by the province's accounts (when it has five). Returns (ventures, scores).
    func ventures(_ count: Int) async throws -> (ventures: Int, scores: Int) {
        guard count > 0 else { return (0, 0) }
        var rng = DemoData.Random(state: seed ^ 0xC0_47E5)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county).sort(\.$code).all()
        guard !counties.isEmpty, let province = try await Organization.query(on: db).filter(\.$kind == .province).first() else { return (0, 0) }
        var ventures: [Venture] = []
        for n in 0..<count {
            let county = counties[(n * 11) % counties.count]
            let sector = VentureSector.allCases[rng.int(0..<VentureSector.allCases.count)]
            let phone = "139" + Formatting.padded(20_000_000 + n, 8)
            let v = Venture()
            v.id = UUID(); v.campaignID = campaign.id!; v.orgID = county.id!; v.countyID = county.id!
            v.name = county.name + Self.ventureWords[n % Self.ventureWords.count] + sector.label + "项目" + (n >= Self.ventureWords.count ? "\(n / Self.ventureWords.count + 1)" : "")
            v.leaderName = String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)])
            v.leaderPhoneCipher = try cipher.seal(phone); v.leaderPhoneMasked = String(phone.prefix(3)) + "****" + String(phone.suffix(4))
            v.sector = sector.rawValue; v.founded = "\(campaign.year - 1 - rng.int(0..<5))-0\(1 + rng.int(0..<9))"
            v.jobsCreated = 3 + rng.int(0..<60); v.revenueBand = ["50万元以下", "50万至200万元", "200万至1000万元"][rng.int(0..<3)]
            v.description = "带动周边农户发展\(Self.ventureWords[n % Self.ventureWords.count])产业，统一品牌、统一销售。"
            ventures.append(v)
        }
        let criteria = [Criterion(name: "创新性", weight: 40), Criterion(name: "带动性", weight: 30), Criterion(name: "可行性", weight: 30)]
        let contest = Contest()
        contest.id = UUID(); contest.campaignID = campaign.id!; contest.orgID = province.id!; contest.kind = ContestKind.chuangqingchun.rawValue
        contest.name = "\(campaign.year)年创青春涉农创业大赛省级赛"; contest.level = ContestLevel.province.rawValue
        contest.criteriaJSON = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
        let entries = ventures.prefix(20).map { v -> ContestEntry in
            let e = ContestEntry(); e.id = UUID(); e.contestID = contest.id!; e.ventureID = v.id!; e.selected = false; return e
        }
        let judges = try await User.query(on: db).filter(\.$orgID == province.id!).filter(\.$role ~~ [.staff, .viewer]).sort(\.$username).range(..<5).all()
        var sheets: [ContestScore] = [], panel: [ContestJudge] = []
        if judges.count == 5 {
            for u in judges { let j = ContestJudge(); j.contestID = contest.id!; j.userID = u.id!; panel.append(j) }
            for e in entries { for u in judges where rng.chance(0.9) {
                let scores = Dictionary(uniqueKeysWithValues: criteria.map { ($0.name, 60 + rng.int(0..<41)) })
                let s = ContestScore(); s.contestID = contest.id!; s.entryID = e.id!; s.judgeID = u.id!
                s.scoresJSON = String(decoding: try JSONEncoder().encode(scores), as: UTF8.self); s.weighted = ContestRules.weighted(scores, criteria: criteria)
                sheets.append(s)
            } }
        }
        let (v, c, e, p, s) = (ventures, contest, entries, panel, sheets)
        try await db.writeTransaction { tx in
            for chunk in v.chunked(into: 500) { try await chunk.create(on: tx) }
            try await c.create(on: tx)
            try await e.create(on: tx)
            try await p.create(on: tx)
            for chunk in s.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return (v.count, s.count)
    }
}
