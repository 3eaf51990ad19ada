// `liangbang demo-data --hotline N --health-visits N`: synthetic 12355 cases held by the county offices — mostly
// followed up, a few overdue, some closed — so that the counts (and their "<5") have something to show; and
// 健康直通车 visits with about twenty children checked each, some findings (a few overdue), some consent gaps.
import Fluent
import Foundation
import LiangbangCore

struct DemoCare {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64
    let now: Date

    static let summaries = ["来电倾诉学业压力，睡眠不好", "与父母沟通困难，想离家", "在校被同学孤立", "咨询考试焦虑的缓解方法", "留守儿童，长期情绪低落"]

    func hotline(cases count: Int) async throws -> Int {
        guard count > 0 else { return 0 }
        var rng = DemoData.Random(state: seed ^ 0x12_355)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county).sort(\.$code).all()
        guard !counties.isEmpty else { return 0 }
        // Within the campaign's year (before its 1 December, or before now when that is earlier).
        let end = min(now, LocalDate(year: campaign.year, month: 12, day: 1)!.startInstant)
        var cases: [HotlineCase] = [], followUps: [HotlineFollowUp] = []
        for n in 0..<count {
            // Bunched into a few counties, as real calls are: most counties have fewer than five.
            let county = counties[(n % 7) * 13 % counties.count]
            let received = end.addingTimeInterval(-Double(1 + rng.int(0..<60)) * 86_400 - Double(rng.int(0..<86_400)))
            let risk = HotlineRisk.allCases[rng.chance(0.1) ? 3 : rng.int(0..<3)]
            let offline = risk == .crisis || rng.chance(0.4)
            let c = HotlineCase()
            c.id = UUID(); c.campaignID = campaign.id!; c.orgID = county.id!; c.countyID = county.id!; c.cityID = county.parentID ?? county.id!
            c.receivedAt = received; c.channel = HotlineChannel.allCases[rng.int(0..<3)].rawValue; c.nameCipher = try cipher.seal("")
            c.age = 10 + rng.int(0..<15); c.sex = rng.chance(0.5) ? "男" : "女"
            c.category = HotlineCategory.allCases[rng.int(0..<HotlineCategory.allCases.count)].rawValue; c.risk = risk.rawValue
            c.needsOffline = offline; c.summaryCipher = try cipher.seal(Self.summaries[n % Self.summaries.count]); c.outcomeCipher = try cipher.seal("")
            c.createdBy = UUID(); c.fingerprint = cipher.lookupHash("demo|\(seed)|\(n)")
            var steps: [Date] = []
            if offline && rng.chance(0.85) {
                let f = HotlineFollowUp()
                f.caseID = c.id!; f.at = received.addingTimeInterval(Double(rng.int(1..<(risk == .crisis ? 20 : 140))) * 3_600)
                f.counsellor = "心理咨询师"; f.mode = FollowUpMode.allCases[rng.int(0..<4)].rawValue; f.noteCipher = try cipher.seal("已回访，情况稳定"); f.createdBy = c.createdBy
                followUps.append(f); steps.append(f.at)
            }
            let closed = !steps.isEmpty && rng.chance(0.5)
            c.closedAt = closed ? steps[0].addingTimeInterval(86_400) : nil
            c.followUps = steps.count
            c.dueAt = HotlineRules.due(receivedAt: received, risk: risk, needsOffline: offline, followUps: steps, closed: closed)
            cases.append(c)
        }
        let (c, f) = (cases, followUps)
        try await db.writeTransaction { tx in
            for chunk in c.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in f.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return c.count
    }

    static let findings = ["视力下降，建议验光", "龋齿，建议口腔科就诊", "体重偏低，建议营养指导", "脊柱侧弯筛查阳性，建议复查"]

    func health(visits count: Int) async throws -> (visits: Int, checks: Int) {
        guard count > 0 else { return (0, 0) }
        var rng = DemoData.Random(state: seed ^ 0x4EA_17)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county).sort(\.$code).all()
        guard !counties.isEmpty else { return (0, 0) }
        let end = LocalDate(instant: min(now, LocalDate(year: campaign.year, month: 12, day: 1)!.startInstant))
        let encoder = JSONEncoder(); encoder.outputFormatting = .sortedKeys
        var visits: [HealthVisit] = [], checks: [HealthCheck] = [], followUps: [HealthFollowUp] = []
        var serial = 0
        for n in 0..<count {
            let county = counties[(n * 5) % counties.count]
            let day = end.adding(days: -(10 + rng.int(0..<120)))
            let v = HealthVisit()
            v.id = UUID(); v.campaignID = campaign.id!; v.orgID = county.id!; v.countyID = county.id!; v.collective = "县人民医院青年文明号"
            v.village = ["东陂村", "星子村", "西岸村", "龙坪村"][n % 4]; v.visitedOn = day.iso; v.services = "体检、视力筛查、口腔检查"
            visits.append(v)
            for _ in 0..<(15 + rng.int(0..<10)) {
                serial += 1
                let birth = LocalDate(year: campaign.year - 8 - rng.int(0..<6), month: 1 + rng.int(0..<12), day: 1 + rng.int(0..<28))!
                let first17 = "441882" + birth.iso.replacingOccurrences(of: "-", with: "") + Formatting.padded(serial % 1000, 3)
                let id = first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
                let finding = rng.chance(0.15) ? Self.findings[rng.int(0..<Self.findings.count)] : ""
                let m = HealthMeasurements(heightCm: Double(120 + rng.int(0..<40)), weightKg: Double(22 + rng.int(0..<25)), visionLeft: "4.\(7 + rng.int(0..<4))",
                                           visionRight: "4.\(7 + rng.int(0..<4))")
                let c = HealthCheck()
                c.id = UUID(); c.visitID = v.id!; c.campaignID = campaign.id!; c.orgID = county.id!; c.countyID = county.id!
                c.name = String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)])
                c.idCipher = try cipher.seal(id); c.idHash = cipher.lookupHash(id); c.idMasked = IDNumber.mask(id)
                c.sex = (Int(String(first17.last!))! % 2 == 1) ? "男" : "女"; c.age = day.years(since: birth)
                c.measurementsCipher = try cipher.seal(String(decoding: try encoder.encode(m), as: UTF8.self))
                c.hasFinding = !finding.isEmpty; c.findingCipher = try cipher.seal(finding); c.referralCipher = try cipher.seal("")
                let consent = rng.chance(0.9)
                c.consentGiven = consent; c.consentOn = consent ? day.adding(days: -3).iso : ""; c.checkedOn = day.iso
                var steps: [LocalDate] = []
                if !finding.isEmpty && rng.chance(0.7) {
                    let f = HealthFollowUp()
                    f.checkID = c.id!; f.on = day.adding(days: 5 + rng.int(0..<20)).iso; f.noteCipher = try cipher.seal("已随访，家长已带孩子就诊")
                    f.closed = rng.chance(0.5); f.createdBy = UUID()
                    followUps.append(f); steps.append(LocalDate(iso: f.on)!)
                    c.closed = f.closed
                } else { c.closed = false }
                c.followUps = steps.count
                c.dueOn = HealthRules.due(checked: day, followUps: steps, hasFinding: c.hasFinding, closed: c.closed)?.iso ?? ""
                checks.append(c)
            }
        }
        let (v, c, f) = (visits, checks, followUps)
        try await db.writeTransaction { tx in
            try await v.create(on: tx)
            for chunk in c.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in f.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return (v.count, c.count)
    }
}
