// Work item 4's rules: the four targets, students counted once across teams, overlapping teams as warnings,
// the 38 key counties, and the pace to 08-31. Every expected number is worked out by hand in the comment beside it.
import LiangbangCore
import Testing

@Suite struct PracticeTargetsTests {
    func d(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    func m(_ school: String, _ number: String) -> TeamMembers.Member { TeamMembers.Member(school: school, studentNo: number) }

    @Test func theNoticesFourTargets() {
        #expect(TargetKey.allCases.map(\.defaultTarget) == [10_000, 300_000, 100, 2_000])
        #expect(TargetKey.allCases.map(\.label) == ["三下乡实践团队", "三下乡参与学生", "百校百号结对", "重点县返家乡学生"])
        #expect(TargetKey(rawValue: "returnHomeInKeyCounties") == .returnHomeInKeyCounties)
    }

    @Test func themesByCodeOrChineseName() {
        #expect(PracticeTheme(text: " 学业帮助 ") == .academic)
        #expect(PracticeTheme(text: "就业帮扶") == .employment)
        #expect(PracticeTheme(text: "体质健康促进") == .physical)
        #expect(PracticeTheme(text: "MENTAL") == .mental)
        #expect(PracticeTheme(text: "心理健康促进").map(\.label) == "心理健康促进")
        #expect(PracticeTheme(text: "文艺演出") == nil && PracticeTheme(text: "") == nil)
    }

    @Test func aStudentInTwoTeamsCountsOnce() {
        let teams = [
            TeamMembers(name: "甲", dates: nil, members: [m("中山大学", "2023001"), m("中山大学", "2023002")]),   // 2 new
            // " 中山 大学" is 中山大学 (spaces go); "2023001 " trimmed: already counted. 华南理工大学 a123: new.
            TeamMembers(name: "乙", dates: nil, members: [m(" 中山 大学", "2023001 "), m("华南理工大学", "a123")]),  // 1 new
            // "A123" is a123 uppercased; full-width ２０２３００２ is 2023002: both already counted.
            TeamMembers(name: "丙", dates: nil, members: [m("华南理工大学", "A123"), m("中山大学", "２０２３００２")]), // 0 new
        ]
        #expect(PracticeStudentCount.countStudents(teams: teams) == 3)                                         // 2 + 1 + 0
        // The same number at another school is another student.
        #expect(PracticeStudentCount.countStudents(teams: [TeamMembers(name: "丁", dates: nil,
                                                                        members: [m("中山大学", "1"), m("暨南大学", "1")])]) == 2)
        // Listed twice in one team: once. Blank numbers cannot be told apart: each counts.
        #expect(PracticeStudentCount.countStudents(teams: [TeamMembers(name: "戊", dates: nil,
                                                                        members: [m("中山大学", "7"), m("中山大学", "7"), m("中山大学", ""), m("中山大学", " ")])]) == 3)
    }

    @Test func aTeamWithoutAListAddsWhatItDeclared() {
        let teams = [
            TeamMembers(name: "甲", dates: nil, members: [m("中山大学", "2023001")]),   // 1
            TeamMembers(name: "乙", dates: nil, declared: 40),                          // 40
            TeamMembers(name: "丙", dates: nil, declared: -5),                          // negative: 0
            TeamMembers(name: "丁", dates: nil, members: []),                           // an empty list: 0
        ]
        #expect(PracticeStudentCount.countStudents(teams: teams) == 41)                // 1 + 40 + 0 + 0
        #expect(teams[2].declared == 0 && teams[1].members == nil)
    }

    @Test func aStudentInTwoTeamsOutAtTheSameTimeIsAWarning() {
        let teams = [
            TeamMembers(name: "中大赴连州实践团", dates: d("2025-07-10")...d("2025-07-20"), members: [m("中山大学", "2023001"), m("中山大学", "2023002")]),
            // Shares 07-20 with 连州: 2023001 is warned, naming 连州.
            TeamMembers(name: "中大赴阳山实践团", dates: d("2025-07-20")...d("2025-07-30"), members: [m("中山大学", "2023001")]),
            // 2023002 was with 连州 until 07-20; this starts 07-21: no overlap.
            TeamMembers(name: "中大赴乳源实践团", dates: d("2025-07-21")...d("2025-07-31"), members: [m("中山大学", "2023002")]),
            // No dates: never checked.
            TeamMembers(name: "中大赴南雄实践团", dates: nil, members: [m("中山大学", "2023001")]),
            // Overlaps both 连州 (07-15…07-20) and 阳山 (07-20…07-25): names the first, 连州.
            TeamMembers(name: "中大赴英德实践团", dates: d("2025-07-15")...d("2025-07-25"), members: [m("中山大学", "2023001")]),
            TeamMembers(name: "中大赴连南实践团", dates: d("2025-07-10")...d("2025-07-20"), declared: 30),
        ]
        let overlaps = PracticeStudentCount.overlappingMembers(teams: teams)
        #expect(overlaps.map(\.team) == [1, 4])
        #expect(overlaps.map(\.otherTeam) == [0, 0])
        #expect(overlaps.first?.member == m("中山大学", "2023001"))
        #expect(overlaps.first?.message == "中山大学学号2023001的学生同时在“中大赴连州实践团”（2025-07-10至2025-07-20）名单中，实践时间重叠，请核对")
        // A warning only: the student is still counted, once. 2023001 + 2023002 + the 30 declared = 32.
        #expect(PracticeStudentCount.countStudents(teams: teams) == 32)
    }

    @Test func thirtyEightKeyCounties() {
        #expect(PracticeTargets.keyCountyCount == 38)
        #expect(PracticeTargets.keyCountyWarning(count: 38) == nil)
        #expect(PracticeTargets.keyCountyWarning(count: 37) == "通知确定38个重点县，当前名单为37个，请核对")
        #expect(PracticeTargets.keyCountyWarning(count: 0) == "通知确定38个重点县，当前名单为0个，请核对")
    }

    @Test func returnHomeStudentsFromKeyCountiesOnce() {
        let students: [(homeCountyKey: String, idHash: String)] = [
            ("lianzhou", "h1"), ("lianzhou", "h1"),   // the same student twice: once
            ("yangshan", "h2"),                       // another key county
            ("tianhe", "h3"),                         // not a key county
            ("tianhe", "h1"),                         // h1 again, already counted
        ]
        #expect(PracticeTargets.returnHomeCount(students: students, keyCounties: ["lianzhou", "yangshan"]) == 2)   // h1, h2
        #expect(PracticeTargets.returnHomeCount(students: students, keyCounties: []) == 0)
    }

    @Test func percentIsFlooredAndNotCapped() {
        let today = d("2025-08-31"), deadline = TargetProgress.deadline(year: 2025)
        // 200 × 100 ÷ 300 = 66.67 → 66.
        #expect(TargetProgress(target: 300, actual: 200, recentGain: 0, today: today, deadline: deadline).percent == 66)
        // 150 of 100: 150, not 100.
        let over = TargetProgress(target: 100, actual: 150, recentGain: 0, today: today, deadline: deadline)
        #expect(over.percent == 150 && over.willMeet)
        // A target of 0: 0 percent, met.
        let zero = TargetProgress(target: 0, actual: 5, recentGain: 0, today: today, deadline: deadline)
        #expect(zero.percent == 0 && zero.willMeet)
    }

    @Test func theLastFortnightsPaceProjectedTo31August() {
        #expect(TargetProgress.deadline(year: 2025) == d("2025-08-31"))
        // 07-18 → 08-31: 13 days left in July + 31 in August = 44. 42,000 ÷ 14 = 3,000 a day × 44 = 132,000;
        // 120,000 + 132,000 = 252,000 < 300,000. 120,000 × 100 ÷ 300,000 = 40.
        let students = TargetProgress(target: 300_000, actual: 120_000, recentGain: 42_000, today: d("2025-07-18"), deadline: d("2025-08-31"))
        #expect(students.percent == 40 && students.projected == 252_000 && !students.willMeet)
        // 08-01 → 08-31: 30 days. 1,400 ÷ 14 = 100 a day × 30 = 3,000; 7,000 + 3,000 = 10,000: exactly meets.
        let teams = TargetProgress(target: 10_000, actual: 7_000, recentGain: 1_400, today: d("2025-08-01"), deadline: d("2025-08-31"))
        #expect(teams.percent == 70 && teams.projected == 10_000 && teams.willMeet)
        // 08-28 → 08-31: 3 days. floor(10 × 3 ÷ 14) = floor(2.14) = 2; 33 + 2 = 35.
        #expect(TargetProgress(target: 100, actual: 33, recentGain: 10, today: d("2025-08-28"), deadline: d("2025-08-31")).projected == 35)
        // On or after the deadline nothing more is projected.
        #expect(TargetProgress(target: 100, actual: 33, recentGain: 14, today: d("2025-09-05"), deadline: d("2025-08-31")).projected == 33)
    }

    @Test func negativeAndLargeInputsDoNotTrap() {
        let deadline = d("2025-08-31")
        // Negatives count as 0: 0 of 0 is met.
        let negative = TargetProgress(target: -5, actual: -3, recentGain: -10, today: d("2025-07-01"), deadline: deadline)
        #expect(negative == TargetProgress(target: 0, actual: 0, recentGain: 0, today: d("2025-07-01"), deadline: deadline))
        #expect(negative.target == 0 && negative.actual == 0 && negative.percent == 0 && negative.projected == 0 && negative.willMeet)
        // Int32.max = 2,147,483,647. 01-01 → 08-31: 31+28+31+30+31+30+31+30 = 242 days.
        // Percent: 2,147,483,647 × 100 = 214,748,364,700. Projected: 2,147,483,647 × 242 = 519,691,042,574;
        // ÷ 14 = 37,120,788,755.28 → 37,120,788,755; + 2,147,483,647 = 39,268,272,402.
        let big = Int(Int32.max)
        let p = TargetProgress(target: 1, actual: big, recentGain: big, today: d("2025-01-01"), deadline: deadline)
        #expect(p.percent == 214_748_364_700 && p.projected == 39_268_272_402)
        // Beyond any real figure: saturates at Int.max instead of trapping.
        let huge = TargetProgress(target: 1, actual: Int.max, recentGain: Int.max, today: d("2025-01-01"), deadline: deadline)
        #expect(huge.percent == Int.max && huge.projected == Int.max && huge.willMeet)
    }
}
