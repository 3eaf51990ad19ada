// `liangbang demo-data --deployments N`: synthetic 希望乡村教师 postings at schools in 粤东西北, recorded by their
// cities: most schools relayed without a break, some with a gap of a term, some whose teacher leaves soon.
import Fluent
import Foundation
import LiangbangCore

struct DemoDeployments {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64

    static let subjects = ["语文", "数学", "英语", "科学", "音乐", "美术", "体育"]

    /// About `count` postings, two or three per school; returns how many were stored.
    func generate(count: Int) async throws -> Int {
        guard count > 0 else { return 0 }
        var rng = DemoData.Random(state: seed ^ 0xDE9_1077)
        let counties = try await Organization.query(on: db).filter(\.$kind == .county)
            .filter(\.$region ~~ Array(DeploymentRules.regions)).sort(\.$code).all()
        guard !counties.isEmpty else { return 0 }
        let universities = try await Organization.query(on: db).filter(\.$kind == .university).all()
        let year = campaign.year
        var postings: [Deployment] = []
        var school = 0, sequence = 0
        while postings.count < count {
            let county = counties[school % counties.count]
            let name = "\(county.name)第\(school / counties.count + 1)希望小学"
            var start = LocalDate(year: year - 2, month: 9, day: 1)!
            for _ in 0..<(2 + rng.int(0..<2)) where postings.count < count {
                let years = 1 + rng.int(0..<2)
                let end = DeploymentRules.adding(years: years, to: start).adding(days: -1)
                sequence += 1
                let birth = Formatting.padded(1996 + rng.int(0..<6), 4) + Formatting.padded(rng.int(1..<13), 2) + Formatting.padded(rng.int(1..<29), 2)
                let first17 = "440106" + birth + Formatting.padded(sequence % 1000, 3)
                let id = try IDNumber.parse(first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))).get()
                let programme: DeploymentProgramme = rng.chance(0.3) ? .graduate : .mountain
                let entry = DeploymentEntry(
                    row: 0, name: String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)]),
                    sex: id.sex, id: id, programme: programme,
                    university: programme == .graduate && !universities.isEmpty
                        ? { let u = universities[rng.int(0..<universities.count)]; return UniversityRef(key: u.id!.uuidString, name: u.name) }() : nil,
                    school: name, county: CountyRef(key: county.id!.uuidString, code: county.code ?? "", name: county.name, cityName: ""),
                    subject: Self.subjects[rng.int(0..<Self.subjects.count)], start: start, end: end, endedOn: nil, endReason: "")
                let d = Deployment()
                d.campaignID = campaign.id!
                d.orgID = county.parentID ?? county.id!
                try DeploymentRegister.fill(d, entry, cipher: cipher)
                postings.append(d)
                // One relay in five starts a term late: the school is left without its teacher for a while.
                start = end.adding(days: rng.chance(0.2) ? 60 + rng.int(0..<40) : 1)
            }
            school += 1
        }
        let stored = postings
        try await db.writeTransaction { tx in for d in stored { try await d.create(on: tx) } }
        return stored.count
    }
}
