// A unit's 企业微信 or 钉钉 group robot (issue 11 §4): which addresses are accepted, the text message both
// document (`{"msgtype":"text","text":{"content":…}}`), what counts as delivered, and when to try again.
import Foundation

public enum GroupRobot {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case wecom, dingtalk
        public var label: String { self == .wecom ? "企业微信" : "钉钉" }
        /// The documented send path; a test host must use the same one.
        var path: String { self == .wecom ? "/cgi-bin/webhook/send" : "/robot/send" }
        var host: String { self == .wecom ? "qyapi.weixin.qq.com" : "oapi.dingtalk.com" }
        /// The query item that carries the robot's secret key.
        var keyItem: String { self == .wecom ? "key" : "access_token" }
    }

    public struct Endpoint: Sendable, Equatable {
        public let kind: Kind
        public let url: String
        /// What pages show: the host and path with the key cut to its first four characters.
        public let masked: String
    }

    public static let addressHelp = "请粘贴群机器人的 Webhook 地址：企业微信以 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key= 开头，钉钉以 https://oapi.dingtalk.com/robot/send?access_token= 开头"

    /// The address an admin pasted, checked: only the two robot services (so the server cannot be sent to post to
    /// an internal address), over HTTPS. `testHosts` (`host:port`, from configuration) admits a local fake over HTTP.
    public static func endpoint(_ text: String, testHosts: [String] = []) -> Result<Endpoint, RobotProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .failure(RobotProblem(addressHelp)) }
        // `www.…` or `qyapi.weixin.qq.com/…` pasted without the scheme: say the obvious fix.
        guard trimmed.lowercased().hasPrefix("https://") || trimmed.lowercased().hasPrefix("http://") else {
            return .failure(RobotProblem("Webhook 地址应以 https:// 开头。" + addressHelp))
        }
        guard trimmed.count <= 500, let parts = URLComponents(string: trimmed), let host = parts.host?.lowercased(),
              parts.user == nil, parts.password == nil, parts.fragment == nil
        else { return .failure(RobotProblem("Webhook 地址格式不对。" + addressHelp)) }
        let hostPort = parts.port.map { "\(host):\($0)" } ?? host
        let isTest = testHosts.contains(hostPort) && parts.scheme == "http"
        guard let kind = Kind.allCases.first(where: { $0.path == parts.path && (isTest || ($0.host == host && parts.port == nil)) }) else {
            return .failure(RobotProblem("只支持企业微信和钉钉的群机器人。" + addressHelp))
        }
        guard isTest || parts.scheme == "https" else { return .failure(RobotProblem("Webhook 地址应以 https:// 开头")) }
        let items = parts.queryItems ?? []
        guard items.count == 1, let key = items.first, key.name == kind.keyItem, let value = key.value,
              (8...128).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return .failure(RobotProblem("Webhook 地址缺少\(kind.label)机器人的 \(kind.keyItem) 参数，请从群机器人设置中完整复制")) }
        let masked = "\(parts.scheme ?? "https")://\(hostPort)\(kind.path)?\(kind.keyItem)=\(value.prefix(4))…"
        return .success(Endpoint(kind: kind, url: trimmed, masked: masked))
    }

    /// 钉钉 “加签” secrets start with `SEC`; empty means the robot uses keywords or an IP list instead.
    public static func secretProblem(_ secret: String) -> String? {
        guard !secret.isEmpty else { return nil }
        guard secret.hasPrefix("SEC"), (10...128).contains(secret.count), secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return "加签密钥应以 SEC 开头，请从钉钉机器人的安全设置中复制" }
        return nil
    }

    /// Both services take the same text message. 企业微信 caps content at 2048 bytes: cut on a character boundary.
    public static func textMessage(title: String, body: String, limit: Int = 2000) -> Data {
        var content = title + "\n" + body
        if content.utf8.count > limit {
            var cut = ""
            for ch in content {
                if cut.utf8.count + String(ch).utf8.count > limit - 3 { break }
                cut.append(ch)
            }
            content = cut + "…"
        }
        struct Text: Encodable { let content: String }
        struct Message: Encodable { let msgtype = "text"; let text: Text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(Message(text: Text(content: content)))) ?? Data()
    }

    /// nil when the robot took the message (HTTP 200 and `errcode` 0), else why not, in Chinese.
    public static func refusal(status: Int, body: Data) -> String? {
        guard status == 200 else { return "对方返回 HTTP \(status)" }
        struct Answer: Decodable { let errcode: Int?; let errmsg: String? }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: body), let code = answer.errcode else {
            return "对方的回复无法识别"
        }
        guard code != 0 else { return nil }
        let message = (answer.errmsg ?? "").prefix(120)
        return "机器人拒收（错误码 \(code)\(message.isEmpty ? "" : "：\(message)")）"
    }

    /// Seconds to wait after the given failed attempt before the next; nil once the attempts are used up.
    public static func retryDelay(afterAttempt attempt: Int) -> Int? {
        let delays = [60, 300, 1800, 7200]
        return (1...delays.count).contains(attempt) ? delays[attempt - 1] : nil
    }

    public static let maxAttempts = 5
}

public struct RobotProblem: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}
