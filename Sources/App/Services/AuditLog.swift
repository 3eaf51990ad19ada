// Appends to the audit log. Details must never carry ID numbers or other personal data.
import Fluent
import Vapor

enum AuditLog {
    /// The one writer of audit rows (requests and CLI commands alike).
    static func record(on db: any Database, logger: Logger, at: Date, user: User?, username: String? = nil, ip: String,
                       action: String, target: String, detail: String) async {
        let event = AuditEvent(at: at, userID: user?.id, username: user?.username ?? username ?? "-", orgID: user?.orgID,
                               ip: ip, action: action, target: target, detail: detail)
        do {
            try await event.create(on: db)
        } catch {
            logger.error("audit write failed", metadata: ["action": .string(action)])
        }
    }
}

extension Request {
    func audit(_ action: String, target: String, detail: String = "", user: User? = nil) async {
        await AuditLog.record(on: db, logger: logger, at: now, user: user ?? currentUser?.user, ip: clientAddress,
                              action: action, target: target, detail: detail)
    }

    private struct AuditDetailKey: StorageKey { typealias Value = String }
    /// What a write did, in words; the audit middleware records it with the request.
    var auditDetail: String? {
        get { storage[AuditDetailKey.self] }
        set { storage[AuditDetailKey.self] = newValue }
    }
}

/// Records every write (any method but GET/HEAD) by a signed-in user, allowed or refused.
struct AuditWritesMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET, request.method != .HEAD else { return try await next.respond(to: request) }
        do {
            let response = try await next.respond(to: request)
            await record(request, status: response.status)
            return response
        } catch {
            await record(request, status: AppError.from(error).status)
            throw error
        }
    }

    /// What was done in words (`AuditWords`), and the record it touched as the service named it (`auditDetail`: a
    /// unit or account by name, a pupil by masked ID); a refusal says why, never a status code.
    private func record(_ request: Request, status: HTTPResponseStatus) async {
        guard request.currentUser != nil else { return }
        let route = request.route?.path.map(\.description) ?? []
        let detail = request.auditDetail ?? ""
        await request.audit(status.code < 400 ? "write" : "write.refused",
                            target: AuditWords.action(method: request.method, route: route),
                            detail: status.code < 400 ? detail : "未执行：\(AuditWords.refusal(status))" + (detail.isEmpty ? "" : "（\(detail)）"))
    }
}
