// `liangbang notify digest`: the daily digest for each university's staff — this week's compliance and
// the volunteers whose pupils are still short. Run it from cron once a day.
import Fluent
import LiangbangCore
import SQLKit
import Vapor

struct NotifyCommand: AsyncCommandGroup {
    var help: String { "发送提醒" }
    var commands: [String: any AnyAsyncCommand] { ["digest": DigestCommand()] }
}

struct DigestCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "campaign", help: "活动年度（默认最新）") var campaign: Int?
    }
    var help: String { "向各高校团委工作人员发送本周“每周至少1次、1小时”达标情况和待督促名单" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let today = LocalDate(instant: app.appServices.clock.now())
            let found = if let year = signature.campaign { try await Campaign.query(on: app.db).filter(\.$year == year).first() }
                else { try await Campaign.current(on: app.db, today: today) }
            guard let campaign = found else {
                throw CommandFailure(code: 2, message: "没有该活动年度")
            }
            let sent = try await DailyDigest(app: app, campaign: campaign).send(today: today)
            FileHandle.standardError.write(Data("已发送\(sent)条提醒\n".utf8))
        }
    }
}

struct DailyDigest {
    let app: Application
    let campaign: Campaign

    /// One message per university with pupils, to its admin and staff accounts (and its group robot, when set);
    /// returns how many inbox messages were written.
    func send(today: LocalDate) async throws -> Int {
        // This week (the last one once the period is over); before the period nobody is due, so nothing is sent.
        let week = TutoringWeek(containing: min(today, campaign.tutoringPeriod.end))
        let board = ComplianceBoard(db: app.db as! any SQLDatabase, campaign: campaign)
        var notices: [Notice] = []
        for university in try await Organization.query(on: app.db).filter(\.$kind == .university).sort(\.$name).all() {
            let scope = BoardScope(universityIDs: [university.id!], countyIDs: nil)
            let groups = try await board.week(week.start, scope: scope)
            let pupils = groups.reduce(0) { $0 + $1.pupils }
            guard pupils > 0 else { continue }
            let compliant = groups.reduce(0) { $0 + $1.compliant }
            let missing = try await board.missing(week.start, scope: scope)
            let volunteers = Set(try await missing.map(\.pupilHash).chunked(into: 500).asyncFlatMap { chunk in
                try await Pairing.query(on: app.db).filter(\.$campaignID == campaign.id!).filter(\.$universityID == university.id!)
                    .filter(\.$pupilIDHash ~~ Array(chunk)).all().map(\.volunteerName)
            }).sorted()
            let subject = "\(university.name)：本周（\(week.start.iso)起）已达标\(compliant)/\(pupils)名学生"
            let body = "尚未达标学生\(missing.count)名，涉及志愿者：" + volunteers.prefix(50).joined(separator: "、")
                + (volunteers.count > 50 ? " 等\(volunteers.count)人" : "") + "。详见平台“每周达标”页面。"
            notices.append(Notice(orgID: university.id!, orgName: university.name, kind: .digest, title: subject, body: body,
                                  url: "/compliance?campaign=\(campaign.year)&week=\(week.start.iso)"))
        }
        return try await Inbox(db: app.db, application: app).notify(notices).messages
    }
}
