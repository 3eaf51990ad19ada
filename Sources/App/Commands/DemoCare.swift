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

    /// Camps with about thirty participants (a few children without consent), and letter, family and 手拉手 matches
    /// (some quiet past their interval).
    func companionship(camps count: Int) async throws -> (camps: Int, matches: Int) {
        guard count > 0 else { return (0, 0) }
        var rng = DemoData.Random(state: seed ^ 0xC4_3911)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county).sort(\.$code).all()
        guard !counties.isEmpty else { return (0, 0) }
        let end = LocalDate(instant: min(now, LocalDate(year: campaign.year, month: 12, day: 1)!.startInstant))
        var camps: [Camp] = [], people: [CampParticipant] = [], matches: [CompanionMatch] = [], contacts: [CompanionContact] = []
        var serial = 500
        func person(_ age: Int, _ day: LocalDate) -> IDNumber {
            serial += 1
            let first17 = "441821" + LocalDate(year: day.year - age, month: 1 + serial % 12, day: 1 + serial % 28)!.iso.replacingOccurrences(of: "-", with: "")
                + Formatting.padded(serial % 1000, 3)
            return try! IDNumber.parse(first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))).get()
        }
        func name() -> String { String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)]) }
        for n in 0..<count {
            let county = counties[(n * 3) % counties.count]
            let start = LocalDate(year: campaign.year, month: 7, day: 10 + n % 10)!
            let c = Camp()
            c.id = UUID(); c.campaignID = campaign.id!; c.orgID = county.id!; c.kind = CampKind.allCases[n % CampKind.allCases.count].rawValue
            c.title = "\(county.name)\(CampKind.allCases[n % CampKind.allCases.count].label)（第\(n + 1)期）"; c.place = county.name + "青少年宫"
            c.startDate = start.iso; c.endDate = start.adding(days: 5).iso
            var children = 0, volunteers = 0, gaps = 0
            for k in 0..<(25 + rng.int(0..<10)) {
                let child = k % 6 != 0
                let id = person(child ? 8 + rng.int(0..<8) : 20 + rng.int(0..<4), start)
                let p = CampParticipant()
                p.campID = c.id!; p.orgID = county.id!; p.name = name(); p.idCipher = try cipher.seal(id.value); p.idHash = cipher.lookupHash(id.value)
                p.idMasked = id.masked; p.isChild = child; p.age = start.years(since: id.birthDate)
                let consent = !child || rng.chance(0.92)
                p.consentGiven = child && consent; p.consentOn = child && consent ? start.adding(days: -7).iso : ""
                if child { children += 1 } else { volunteers += 1 }
                if p.consentGap { gaps += 1 }
                people.append(p)
            }
            c.children = children; c.volunteers = volunteers; c.consentGaps = gaps
            camps.append(c)
            for kind in CompanionKind.allCases {
                let m = CompanionMatch()
                let started = end.adding(days: -(30 + rng.int(0..<150)))
                m.id = UUID(); m.campaignID = campaign.id!; m.orgID = county.id!; m.kind = kind.rawValue; m.startedOn = started.iso
                if kind == .handInHand {
                    m.subject = county.name + "中心小学四年级"; m.partner = "广州市某小学四年级"; m.partnerKind = "school"
                    m.subjectIDCipher = ""; m.subjectIDHash = cipher.lookupHash("school:" + m.subject + "\(n)"); m.subjectIDMasked = ""; m.age = 0
                } else {
                    let id = person(9 + rng.int(0..<5), started)
                    m.subject = name(); m.partner = kind == .letter ? "大学生志愿者" + name() : "广州市" + name() + "家庭"
                    m.partnerKind = kind == .letter ? "volunteer" : "family"
                    m.subjectIDCipher = try cipher.seal(id.value); m.subjectIDHash = cipher.lookupHash(id.value); m.subjectIDMasked = id.masked
                    m.age = started.years(since: id.birthDate)
                }
                m.consentGiven = true; m.consentOn = started.adding(days: -3).iso
                var dates: [LocalDate] = []
                var day = started
                while true {
                    day = day.adding(days: 20 + rng.int(0..<70))
                    guard day <= end else { break }
                    dates.append(day)
                    let x = CompanionContact()
                    x.matchID = m.id!; x.kind = kind.contactKinds[rng.int(0..<kind.contactKinds.count)].rawValue; x.on = day.iso
                    x.noteCipher = try cipher.seal(kind == .handInHand ? "线上联谊" : ""); contacts.append(x)
                }
                m.contacts = dates.count; m.lastContactOn = dates.last?.iso ?? ""
                m.dueOn = CompanionRules.due(kind: kind, started: started, contacts: dates)?.iso ?? ""
                matches.append(m)
            }
        }
        let (c, p, m, x) = (camps, people, matches, contacts)
        try await db.writeTransaction { tx in
            try await c.create(on: tx)
            for chunk in p.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in m.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in x.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return (c.count, m.count)
    }

    /// 阳光助残 pairs: most with a plan and reviews on time, some without a plan or with a review overdue.
    func disability(pairs count: Int) async throws -> Int {
        guard count > 0 else { return 0 }
        var rng = DemoData.Random(state: seed ^ 0xD15_AB1E)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county).sort(\.$code).all()
        guard !counties.isEmpty else { return 0 }
        let end = LocalDate(instant: min(now, LocalDate(year: campaign.year, month: 12, day: 1)!.startInstant))
        let encoder = JSONEncoder()
        var pairs: [DisabilityPair] = [], reviews: [DisabilityReview] = []
        for n in 0..<count {
            let county = counties[(n * 7) % counties.count]
            let started = end.adding(days: -(20 + rng.int(0..<200)))
            let birth = LocalDate(year: campaign.year - 8 - rng.int(0..<10), month: 1 + rng.int(0..<12), day: 1 + rng.int(0..<28))!
            let first17 = "441823" + birth.iso.replacingOccurrences(of: "-", with: "") + Formatting.padded(n % 1000, 3)
            let id = first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
            let p = DisabilityPair()
            p.id = UUID(); p.campaignID = campaign.id!; p.orgID = county.id!
            p.name = String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)])
            p.idCipher = try cipher.seal(id); p.idHash = cipher.lookupHash(id); p.idMasked = IDNumber.mask(id); p.age = started.years(since: birth)
            p.disabilityCipher = try cipher.seal("\(DisabilityCategory.allCases[rng.int(0..<7)].rawValue)|\(1 + rng.int(0..<4))")
            p.guardian = String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + "家长"
            let phone = "137" + Formatting.padded(30_000_000 + n, 8)
            p.guardianPhoneCipher = try cipher.seal(phone); p.guardianPhoneMasked = String(phone.prefix(3)) + "****" + String(phone.suffix(4))
            p.organisation = county.name + "助残志愿服务队"; p.startedOn = started.iso
            p.consentGiven = true; p.consentOn = started.iso; p.version = 0
            var reviewDates: [LocalDate] = []
            if rng.chance(0.85) {
                let planned = started.adding(days: 5 + rng.int(0..<25))
                p.plannedOn = planned.iso
                p.planCipher = try cipher.seal(String(decoding: try encoder.encode(DisabilityPlan(goals: "提高生活自理能力", measures: "志愿者每周上门陪伴训练",
                                                                                                  responsible: "志愿服务队队长", nextReview: planned.adding(days: 90).iso)), as: UTF8.self))
                var day = planned
                while rng.chance(0.7) {
                    day = day.adding(days: 60 + rng.int(0..<40))
                    guard day <= end else { break }
                    let r = DisabilityReview()
                    r.pairID = p.id!; r.on = day.iso; r.nextReview = day.adding(days: 90).iso; r.createdBy = UUID()
                    r.contentCipher = try cipher.seal(String(decoding: try encoder.encode(DisabilityReviewContent(progress: "有进步", nextSteps: "继续训练")), as: UTF8.self))
                    reviews.append(r); reviewDates.append(day)
                }
            } else { p.plannedOn = ""; p.planCipher = try cipher.seal("") }
            p.reviews = reviewDates.count
            p.dueOn = DisabilityRules.status(paired: started, planned: LocalDate(iso: p.plannedOn), reviews: reviewDates, asOf: end).due?.iso ?? ""
            pairs.append(p)
        }
        let (p, r) = (pairs, reviews)
        try await db.writeTransaction { tx in
            for chunk in p.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in r.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return p.count
    }
}
