// The campaign calendar, 附件1 resolution and the permission rules.
import LiangbangCore
import Testing

@Suite struct CampaignRulesTests {
    @Test func theNoticeCalendarAndItsCopyToTheNextYear() {
        let c = CampaignCalendar.notice(year: 2022)
        #expect(c.planDue.iso == "2022-07-08" && c.updateDue.iso == "2022-09-15")
        #expect(c.focusStart.iso == "2022-07-01" && c.focusEnd.iso == "2022-08-31")
        let next = c.shifted(toYear: 2023)
        #expect(next.planDue.iso == "2023-07-08" && next.focusEnd.iso == "2023-08-31")
        #expect(c.problems().isEmpty)
        var bad = c
        bad.focusEnd = LocalDate(year: 2022, month: 6, day: 1)!
        #expect(bad.problems().count == 1)
        #expect(CampaignCalendar.isOnTime(submittedOn: c.planDue, due: c.planDue))
        #expect(!CampaignCalendar.isOnTime(submittedOn: c.planDue.adding(days: 1), due: c.planDue))
    }

    @Test func explicitCountiesWinOverTheOtherCountiesRowWhateverTheOrder() throws {
        let counties = ["茂名市": ["茂南区", "电白区", "高州市", "化州市", "信宜市"]]
        let rows = [
            AssignmentRow(city: "茂名市", counties: [], university: "广东石油化工学院"),
            AssignmentRow(city: "茂名市", counties: ["化州市", "高州市"], university: "华南师范大学"),
            AssignmentRow(city: "茂名市", counties: ["信宜市"], university: "岭南师范学院"),
        ]
        let resolved = Dictionary(uniqueKeysWithValues: try AssignmentResolver.resolve(rows, countiesOfCity: counties).map { ($0.county, $0.university) })
        #expect(resolved == ["茂南区": "广东石油化工学院", "电白区": "广东石油化工学院", "高州市": "华南师范大学",
                             "化州市": "华南师范大学", "信宜市": "岭南师范学院"])
    }

    @Test func unknownCountiesAndConflictingRowsAreRefused() {
        let counties = ["茂名市": ["化州市"]]
        #expect(throws: AssignmentResolver.Problem.self) {
            try AssignmentResolver.resolve([AssignmentRow(city: "茂名市", counties: ["罗定市"], university: "x")], countiesOfCity: counties)
        }
        #expect(throws: AssignmentResolver.Problem.self) {
            try AssignmentResolver.resolve([AssignmentRow(city: "茂名市", counties: ["化州市"], university: "a"),
                                            AssignmentRow(city: "茂名市", counties: ["化州市"], university: "b")], countiesOfCity: counties)
        }
    }

    @Test func permissionRulesStayInsideTheSubtree() {
        let cityAdmin = Actor(role: .admin, sensitiveData: false, orgPath: "/p/c1/")
        #expect(AccessPolicy.createUser(by: cityAdmin, inOrgPath: "/p/c1/k1/", role: .staff, sensitiveData: false) == .allowed)
        #expect(AccessPolicy.createUser(by: cityAdmin, inOrgPath: "/p/c2/k9/", role: .staff, sensitiveData: false) == .notVisible)
        #expect(AccessPolicy.createUser(by: cityAdmin, inOrgPath: "/p/", role: .staff, sensitiveData: false) == .notVisible)
        if case .forbidden = AccessPolicy.createUser(by: cityAdmin, inOrgPath: "/p/c1/", role: .staff, sensitiveData: true) {} else {
            Issue.record("an admin without the permission granted sensitiveData")
        }
        let staff = Actor(role: .staff, sensitiveData: false, orgPath: "/p/u1/")
        if case .forbidden = AccessPolicy.createUser(by: staff, inOrgPath: "/p/u1/", role: .viewer, sensitiveData: false) {} else {
            Issue.record("staff created a user")
        }
        if case .forbidden = AccessPolicy.createOrganisation(by: cityAdmin, parentPath: "/p/c1/", parentKind: .city, kind: .university) {} else {
            Issue.record("a city created a university")
        }
        #expect(AccessPolicy.createOrganisation(by: cityAdmin, parentPath: "/p/c1/k1/", parentKind: .county, kind: .town) == .allowed)
    }
}

@Suite struct RosterCrossCheckTests {
    @Test func onePupilMustKeepOneCountyAcrossItsLines() {
        let a = CountyRef(key: "a", code: "440203", name: "武江区", cityName: "韶关市")
        let b = CountyRef(key: "b", code: "440204", name: "浈江区", cityName: "韶关市")
        let policy = RosterPolicy(rosterDate: LocalDate(year: 2022, month: 7, day: 8)!, today: LocalDate(year: 2022, month: 7, day: 8)!,
                                  assignedCounties: ["a", "b"], universityName: "韶关学院", counties: CountyMatcher([a, b]),
                                  startRange: LocalDate(year: 2022, month: 7, day: 1)!...LocalDate(year: 2022, month: 12, day: 31)!)
        let pupil = makeID("440203", "20100315", seq: "123")
        func line(_ row: Int, county: String, volunteer: String) -> RosterEntry? {
            RosterRules.validate(RosterInput(row: row, values: [
                RosterColumn.pupilName: "李小明", RosterColumn.sex: "男", RosterColumn.pupilID: pupil, RosterColumn.school: "一小",
                RosterColumn.gradeClass: "五年级", RosterColumn.county: county, RosterColumn.volunteerName: "王", RosterColumn.volunteerID: volunteer,
            ]), policy: policy).0
        }
        let entries = [line(6, county: "武江区", volunteer: makeID("440104", "20010101", seq: "457")),
                       line(7, county: "浈江区", volunteer: makeID("440104", "20020202", seq: "458"))].compactMap { $0 }
        #expect(entries.count == 2)
        let problems = RosterRules.crossCheck(entries)
        #expect(problems.count == 1)
        #expect(problems.first?.row == 7 && problems.first?.column == RosterColumn.county)
    }
}
