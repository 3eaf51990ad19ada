// `liangbang demo-data --graduates N`: synthetic 就业帮扶 at the universities — cadres with 2 to 5 graduates each
// (a few short of three), each graduate recommended 0 to 3 positions at various steps, some guidance.
import Fluent
import Foundation
import LiangbangCore

struct DemoEmployment {
    let db: any Database
    let cipher: PersonalDataCipher
    let campaign: Campaign
    let seed: UInt64

    static let employers = ["广州某科技有限公司", "清远某农业发展有限公司", "韶关某电子商务有限公司", "湛江某食品有限公司", "梅州某文旅公司", "佛山某制造有限公司"]
    static let positions = ["会计", "运营专员", "技术员", "教师", "行政助理", "销售代表", "质检员"]
    static let cities = ["广州", "深圳", "佛山", "清远", "韶关", "湛江", "梅州"]
    static let majors = ["会计学", "法学", "计算机科学与技术", "汉语言文学", "电子商务", "农学", "护理学"]

    /// About `count` graduates spread over the universities; returns (cadres, graduates, recommendations).
    func generate(graduates count: Int) async throws -> (cadres: Int, graduates: Int, jobs: Int) {
        guard count > 0 else { return (0, 0, 0) }
        var rng = DemoData.Random(state: seed ^ 0xE4_1090)
        let universities = try await Organization.query(on: db).filter(\.$kind == .university).sort(\.$name).all()
        guard !universities.isEmpty else { return (0, 0, 0) }
        let year = campaign.year
        var cadres: [EmploymentCadre] = [], graduates: [EmploymentGraduate] = [], jobs: [JobRecommendation] = [], guidance: [EmploymentGuidance] = []
        var made = 0, serial = 0
        func name() -> String { String(DemoData.surnames[rng.int(0..<DemoData.surnames.count)]) + String(DemoData.given[rng.int(0..<DemoData.given.count)]) }
        func date(_ month: Int) -> String { LocalDate(year: year, month: month, day: 1 + rng.int(0..<28))!.iso }
        while made < count {
            let university = universities[cadres.count % universities.count]
            let cadre = EmploymentCadre()
            cadre.id = UUID(); cadre.campaignID = campaign.id!; cadre.orgID = university.id!
            cadre.name = name() + (cadres.count >= universities.count ? String(cadres.count / universities.count + 1) : "")
            cadre.position = rng.chance(0.5) ? "学院团委书记" : "校团委干部"
            cadres.append(cadre)
            for _ in 0..<min(count - made, rng.chance(0.15) ? 2 : 3 + rng.int(0..<3)) {
                serial += 1; made += 1
                // A birth day per thousand graduates and a sequence within it: no two demo graduates share a number.
                let birth = LocalDate(year: year - 23, month: 1, day: 1)!.adding(days: serial / 1000).iso.replacingOccurrences(of: "-", with: "")
                let first17 = "441882" + birth + Formatting.padded(serial % 1000, 3)
                let id = first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
                let g = EmploymentGraduate()
                g.id = UUID(); g.campaignID = campaign.id!; g.orgID = university.id!; g.cadreID = cadre.id!; g.name = name()
                g.idCipher = try cipher.seal(id); g.idHash = cipher.lookupHash(id); g.idMasked = IDNumber.mask(id)
                g.major = Self.majors[rng.int(0..<Self.majors.count)]; g.graduation = "\(year)-06"
                g.hardshipCipher = try cipher.seal(HardshipCategory.allCases[rng.int(0..<HardshipCategory.allCases.count)].rawValue)
                graduates.append(g)
                for _ in 0..<rng.int(0..<4) {
                    let j = JobRecommendation()
                    j.graduateID = g.id!; j.campaignID = campaign.id!; j.orgID = university.id!
                    j.employer = Self.employers[rng.int(0..<Self.employers.count)]; j.position = Self.positions[rng.int(0..<Self.positions.count)]
                    j.city = Self.cities[rng.int(0..<Self.cities.count)]; j.recommendedOn = date(3 + rng.int(0..<2))
                    let outcome = JobOutcome.allCases[rng.int(0..<JobOutcome.allCases.count)]
                    let on = outcome == .recommended ? j.recommendedOn : date(5)
                    j.outcome = outcome.rawValue; j.outcomeOn = on; j.version = outcome == .recommended ? 0 : 1
                    j.history = "recommended:\(j.recommendedOn)" + (outcome == .recommended ? "" : ",\(outcome.rawValue):\(on)")
                    jobs.append(j)
                }
                if rng.chance(0.7) {
                    let talk = EmploymentGuidance()
                    talk.graduateID = g.id!; talk.campaignID = campaign.id!; talk.orgID = university.id!; talk.givenOn = date(3)
                    talk.mode = GuidanceMode.allCases[rng.int(0..<GuidanceMode.allCases.count)].rawValue; talk.note = "简历修改与求职意向梳理"
                    guidance.append(talk)
                }
            }
        }
        let (c, g, j, t) = (cadres, graduates, jobs, guidance)
        try await db.writeTransaction { tx in
            for chunk in c.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in g.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in j.chunked(into: 500) { try await chunk.create(on: tx) }
            for chunk in t.chunked(into: 500) { try await chunk.create(on: tx) }
        }
        return (c.count, g.count, j.count)
    }
}
