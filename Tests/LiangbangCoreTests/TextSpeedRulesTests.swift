// Rules rewritten for speed must still say exactly what the slow, obvious version said.
@testable import LiangbangCore
import Testing

@Suite struct TextSpeedRulesTests {
    /// `isSpace` spells out Unicode's White_Space instead of asking the property tables: equal for every scalar.
    @Test func isSpaceIsUnicodeWhiteSpaceForEveryScalar() {
        var checked = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(TextNormaliser.isSpace(scalar) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
            checked += 1
        }
        #expect(checked > 1_100_000)
    }

    @Test func rosterInputFindsEachColumnByItsTitleWhateverItsSpelling() {
        // Titles equal in bytes but built at run time (not the same constants) are found too.
        let titles = RosterColumn.specs.map { String(Array($0.title)) }
        let input = RosterInput(row: 3, titles: titles, cells: titles.map { " \($0)值 " })
        for spec in RosterColumn.specs {
            #expect(input.typed(spec.title) == " \(spec.title)值 ")
            #expect(input.plain(spec.title) == "\(spec.title)值")
        }
        #expect(input.typed("不存在的列") == "")
        #expect(input["不存在的列"] == "")
    }

    @Test func crossCheckNamesTheLastAgreeingLine() throws {
        // Rows 2 and 4 agree on the pupil's name; row 5 disagrees and is told about row 4, as before the rewrite.
        let pupil = try IDNumber.parse(makeID("440203", "20100315", seq: "013")).get()
        func entry(_ row: Int, name: String, volunteer: String) throws -> RosterEntry {
            RosterEntry(row: row, pupilName: name, sex: pupil.sex, pupilID: pupil, studentNo: "",
                        school: "学校", gradeClass: "一班", county: CountyRef(key: "k", code: "440203", name: "武江区", cityName: "韶关市"),
                        volunteerName: "志愿者", volunteerID: try IDNumber.parse(makeID("440104", "20010101", seq: volunteer)).get(), startDate: nil, consent: true,
                        consentDate: nil, pupilAge: 12)
        }
        let problems = RosterRules.crossCheck([try entry(2, name: "甲", volunteer: "031"),
                                               try entry(4, name: "甲", volunteer: "033"),
                                               try entry(5, name: "乙", volunteer: "035")])
        #expect(problems.map(\.row) == [5])
        #expect(problems.first?.message.contains("第4行") == true)
    }
}

@Suite struct ServiceHoursTests {
    /// One decimal everywhere: 90 minutes are 1.5 hours (the page once showed 1), 100 are 1.7.
    @Test func hoursHaveOneDecimal() {
        for (minutes, text, value) in [(0, "0.0", 0.0), (90, "1.5", 1.5), (100, "1.7", 1.7), (60, "1.0", 1.0), (1, "0.0", 0.0), (3, "0.1", 0.1), (6000, "100.0", 100.0)] {
            #expect(SessionRules.serviceHoursText(minutes) == text, "\(minutes)")
            #expect(SessionRules.serviceHours(minutes) == value, "\(minutes)")
        }
    }
}
