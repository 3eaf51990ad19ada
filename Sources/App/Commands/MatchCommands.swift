// `liangbang match tutoring`: 智能结对 from the command line, the same reading, rules and solver as the page and API.
import Fluent
import Foundation
import LiangbangCore
import Vapor

struct MatchCommands: AsyncCommandGroup {
    var help: String { "智能结对：按通知规则生成学生与志愿者的建议结对" }
    var commands: [String: any AnyAsyncCommand] { ["tutoring": MatchTutoringCommand()] }
}

struct MatchTutoringCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "university", help: "高校名称") var university: String?
        @Option(name: "campaign", help: "活动年度，如 2022") var campaign: Int?
        @Option(name: "pupils", help: "待结对学生名单（.xlsx 或 .csv）") var pupils: String?
        @Option(name: "volunteers", help: "可结对志愿者名单（.xlsx 或 .csv）") var volunteers: String?
        @Option(name: "out", help: "把建议结对写成附件2（含完整身份证号）") var out: String?
        @Option(name: "graph-out", help: "（基准测试用）把候选配对图写成文本：需求、容量、边和价值") var graphOut: String?
        @Flag(name: "json", help: "以 JSON 输出方案（与 API 相同）") var json: Bool
    }
    var help: String { "生成云支教智能结对方案。退出码 0 已生成，1 名单有错误，2 文件无法读取" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.runCommand {
            let campaign = try await CommandLookup.campaign(signature.campaign, on: app.db)
            let university = try await CommandLookup.organisation(signature.university, kinds: [.university], option: "university", on: app.db)
            func read(_ path: String?, _ option: String) throws -> (String, Data) {
                guard let path, !path.isEmpty else { throw CommandFailure(code: 64, message: "请用 --\(option) 指定名单文件") }
                guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure(code: 2, message: "无法读取文件 \(path)") }
                return (path, data)
            }
            let pupils = try read(signature.pupils, "pupils"), volunteers = try read(signature.volunteers, "volunteers")
            let matching = TutoringMatching(db: app.db, cipher: app.appServices.cipher, campaign: campaign, university: university,
                                            today: LocalDate(instant: app.appServices.clock.now()))
            let lists: MatchLists
            do {
                lists = try await matching.read(pupils: pupils.1, pupilsName: pupils.0, volunteers: volunteers.1, volunteersName: volunteers.0)
            } catch let problems as MatchListProblems {
                if signature.json { Self.printJSON(problems) } else {
                    FileHandle.standardError.write(Data((problems.message + "\n").utf8))
                    for (label, report) in [(TutoringMatching.pupilsLabel, problems.pupils), (TutoringMatching.volunteersLabel, problems.volunteers)] {
                        for e in report.errors { print("\(label) 第\(e.row)行 \(e.column)：\(e.message)") }
                    }
                }
                app.exitCode = 1
                return
            }
            if let path = signature.graphOut {
                let graph = try PairMatcher.graph(seekers: lists.pupils.map(\.seeker), offers: lists.volunteers.map(\.offer), weights: campaign.matchingWeights)
                try Self.writeGraph(graph, to: path)
            }
            let proposal: MatchProposal
            let started = ContinuousClock.now
            do { proposal = try matching.propose(lists, locks: [], forbids: []) }
            catch let error as AppError { throw CommandFailure(code: 1, message: error.message) }
            if signature.graphOut != nil {
                // For the benchmark: the engine's own time (candidate graph + solve), beside the whole run's.
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                FileHandle.standardError.write(Data("matching_seconds=\(String(format: "%.3f", seconds)) phases=\(proposal.phases)\n".utf8))
            }
            if let out = signature.out {
                let data = try TutoringMatching.workbook(lists, proposal, university: university.name)
                guard FileManager.default.createFile(atPath: out, contents: data) else { throw CommandFailure(code: 2, message: "无法写入 \(out)") }
            }
            if signature.json {
                Self.printJSON(MatchingResponse(runId: nil, proposal: proposal, weights: campaign.matchingWeights))
            } else {
                print("\(university.name) \(campaign.year)年度智能结对：学生\(lists.pupils.count)名、志愿者\(lists.volunteers.count)名，候选配对\(proposal.candidatePairs)个")
                print("建议结对\(proposal.matched)对（规则允许的最多\(proposal.maximum)对），延续上年度\(proposal.continuing)对，未配上\(proposal.unmatched.count)名学生")
                if let out = signature.out { print("已写入 \(out)") }
            }
        }
    }

    static func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
    }

    /// `L R E` then L demands, R capacities, E lines `left right value`: what a reference solver needs to check ours.
    static func writeGraph(_ graph: PairMatcher.Graph, to path: String) throws {
        var text = "\(graph.demand.count) \(graph.capacity.count) \(graph.edges.count)\n"
        text += graph.demand.map(String.init).joined(separator: " ") + "\n"
        text += graph.capacity.map(String.init).joined(separator: " ") + "\n"
        text.reserveCapacity(text.utf8.count + graph.edges.count * 16)
        for e in graph.edges { text += "\(e.left) \(e.right) \(e.value)\n" }
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else { throw CommandFailure(code: 2, message: "无法写入 \(path)") }
    }
}
