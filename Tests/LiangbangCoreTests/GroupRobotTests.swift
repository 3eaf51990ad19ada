// The group-robot rules: which addresses are accepted, the message both services document, delivery and retries.
import Foundation
import LiangbangCore
import Testing

@Suite struct GroupRobotTests {
    @Test func onlyTheTwoRobotServicesOverHTTPSAreAccepted() throws {
        let wecom = try GroupRobot.endpoint(" https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa ").get()
        #expect(wecom.kind == .wecom && wecom.masked == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…")
        let ding = try GroupRobot.endpoint("https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789").get()
        #expect(ding.kind == .dingtalk && ding.masked.hasSuffix("access_token=abcd…"))
        for bad in ["http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12",       // not HTTPS
                    "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=abcdefgh12",  // another port
                    "https://evil.cn/cgi-bin/webhook/send?key=abcdefgh12",
                    "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12",
                    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12&url=http://x",
                    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?access_token=abcdefgh12", // the other service's key name
                    "https://oapi.dingtalk.com/robot/send?access_token=short",
                    "https://qyapi.weixin.qq.com/other?key=abcdefgh12", "http://127.0.0.1:9/robot/send?access_token=abcdefgh12", ""] {
            guard case .failure(let problem) = GroupRobot.endpoint(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(problem.message.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) })
        }
        guard case .failure(let noScheme) = GroupRobot.endpoint("qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12") else {
            Issue.record("accepted an address without https://"); return
        }
        #expect(noScheme.message.hasPrefix("Webhook 地址应以 https:// 开头"))
        // A configured test host is admitted over HTTP, with the documented path.
        #expect(try GroupRobot.endpoint("http://127.0.0.1:9/robot/send?access_token=abcdefgh12", testHosts: ["127.0.0.1:9"]).get().kind == .dingtalk)
    }

    @Test func theTextMessageIsTheDocumentedShapeAndFitsWeComsLimit() throws {
        struct Message: Decodable { struct Text: Decodable { let content: String }; let msgtype: String; let text: Text }
        let short = try JSONDecoder().decode(Message.self, from: GroupRobot.textMessage(title: "催报", body: "请报送"))
        #expect(short.msgtype == "text" && short.text.content == "催报\n请报送")
        let long = try JSONDecoder().decode(Message.self, from: GroupRobot.textMessage(title: "标题", body: String(repeating: "韶关学院", count: 1000)))
        #expect(long.text.content.utf8.count <= 2000 && long.text.content.hasSuffix("…"))
    }

    @Test func deliveredMeansHTTP200AndErrcodeZero() {
        #expect(GroupRobot.refusal(status: 200, body: Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)) == nil)
        #expect(GroupRobot.refusal(status: 200, body: Data(#"{"errcode":310000,"errmsg":"keywords not in content"}"#.utf8)) == "机器人拒收（错误码 310000：keywords not in content）")
        #expect(GroupRobot.refusal(status: 502, body: Data()) == "对方返回 HTTP 502")
        #expect(GroupRobot.refusal(status: 200, body: Data("<html>".utf8)) == "对方的回复无法识别")
    }

    @Test func retriesWaitLongerEachTimeThenStop() {
        let waits = (1...GroupRobot.maxAttempts).map { GroupRobot.retryDelay(afterAttempt: $0) }
        #expect(waits == [60, 300, 1800, 7200, nil])
        #expect(GroupRobot.retryDelay(afterAttempt: 0) == nil && GroupRobot.secretProblem("") == nil)
        #expect(GroupRobot.secretProblem("SEC0123456789abcdef") == nil && GroupRobot.secretProblem("abc") != nil)
    }
}
