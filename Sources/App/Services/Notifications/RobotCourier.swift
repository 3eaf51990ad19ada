// Sends queued group-robot messages. Each is claimed with one UPDATE … RETURNING before it is sent, so app
// instances sharing the database never send one twice; a failure is kept with its reason and tried again
// (1 min, 5 min, 30 min, 2 h), then marked failed for the unit admin to see and retry — never dropped.
import Crypto
import Fluent
import LiangbangCore
import NIOCore
import SQLKit
import Vapor

struct RobotCourier: Sendable {
    let application: Application

    /// How long a claim holds: longer than a send may take (10 s timeout), short enough to recover from a crash.
    static let claimSeconds: TimeInterval = 120

    /// Sends what is due now; returns how many were delivered.
    @discardableResult
    func deliverDue(limit: Int = 20) async throws -> Int {
        let db = application.db
        let now = application.appServices.clock.now()
        let sql = db as! any SQLDatabase
        let claimed = try await sql.raw("""
            UPDATE robot_deliveries SET claimed_until = \(bind: now.addingTimeInterval(Self.claimSeconds)), attempts = attempts + 1
            WHERE id IN (SELECT id FROM robot_deliveries WHERE status = 'pending' AND next_attempt_at <= \(bind: now)
                         AND (claimed_until IS NULL OR claimed_until < \(bind: now)) ORDER BY created_at LIMIT \(unsafeRaw: String(max(1, min(limit, 100)))))
              AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < \(bind: now))
            RETURNING id
            """).all().map { try $0.decode(column: "id", as: UUID.self) }
        var delivered = 0
        for id in claimed {
            guard let delivery = try await RobotDelivery.find(id, on: db) else { continue }
            let refusal = await send(delivery)
            let at = application.appServices.clock.now()
            delivery.claimedUntil = nil
            if let refusal {
                delivery.lastError = refusal
                if let delay = GroupRobot.retryDelay(afterAttempt: delivery.attempts), delivery.attempts < GroupRobot.maxAttempts {
                    delivery.nextAttemptAt = at.addingTimeInterval(TimeInterval(delay))
                } else {
                    delivery.status = .failed
                }
                application.logger.warning("robot delivery failed", metadata: [
                    "delivery": .string(id.uuidString), "attempt": .stringConvertible(delivery.attempts), "reason": .string(refusal)])
            } else {
                delivery.status = .delivered
                delivery.deliveredAt = at
                delivery.lastError = nil
                delivered += 1
            }
            try await delivery.update(on: db)
        }
        return delivered
    }

    /// nil when the robot took it, else why not (never the address: it carries the robot's key).
    private func send(_ delivery: RobotDelivery) async -> String? {
        do {
            guard let robot = try await UnitRobot.query(on: application.db).filter(\.$orgID == delivery.orgID).first() else {
                return "本单位已删除群机器人设置"
            }
            let cipher = application.appServices.cipher
            let url = try Self.signedURL(try cipher.open(robot.urlCipher), secret: try robot.secretCipher.map(cipher.open),
                                         now: application.appServices.clock.now())
            var request = ClientRequest(method: .POST, url: URI(string: url), headers: ["Content-Type": "application/json; charset=utf-8"],
                                        body: ByteBuffer(data: GroupRobot.textMessage(title: delivery.title, body: delivery.body)))
            request.timeout = .seconds(10)
            let response = try await application.client.send(request)
            return GroupRobot.refusal(status: Int(response.status.code), body: response.body.map { Data(buffer: $0) } ?? Data())
        } catch {
            return "无法连接机器人服务器（网络错误）"
        }
    }

    /// 钉钉 “加签”: `&timestamp=…&sign=…`, the sign being base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    static func signedURL(_ url: String, secret: String?, now: Date) -> String {
        guard let secret, !secret.isEmpty else { return url }
        let timestamp = String(Int64(now.timeIntervalSince1970 * 1000))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let sign = Data(mac).base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return url + "&timestamp=\(timestamp)&sign=\(sign.addingPercentEncoding(withAllowedCharacters: allowed) ?? sign)"
    }

    /// Sends in the background right after a notification; the periodic run (`start`) picks up retries.
    func kick() {
        guard application.environment != .testing else { return }
        let app = application
        Task { try? await RobotCourier(application: app).deliverDue() }
    }
}

/// Runs the courier every 30 s while the server serves.
struct RobotCourierLifecycle: LifecycleHandler {
    final class Box: @unchecked Sendable { var task: RepeatedTask? }
    let box = Box()

    func didBoot(_ application: Application) throws {
        guard application.environment != .testing else { return }
        let courier = RobotCourier(application: application)
        box.task = application.eventLoopGroup.next().scheduleRepeatedAsyncTask(initialDelay: .seconds(5), delay: .seconds(30)) { task in
            application.eventLoopGroup.next().makeFutureWithTask {
                do { try await courier.deliverDue() } catch {
                    application.logger.warning("robot courier: \(String(describing: error))")
                }
            }
        }
    }

    func shutdown(_ application: Application) { box.task?.cancel() }
}
