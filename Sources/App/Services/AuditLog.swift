// Appends to the audit log. Details must never carry ID numbers or other personal data.
import Fluent
import Vapor

extension Request {
    func audit(_ action: String, target: String, detail: String = "", user: User? = nil) async {
        let actor = user ?? currentUser?.user
        let event = AuditEvent(at: now, userID: actor?.id, username: actor?.username ?? "-", orgID: actor?.orgID,
                               ip: clientAddress, action: action, target: target, detail: detail)
        do {
            try await event.create(on: db)
        } catch {
            logger.error("audit write failed", metadata: ["action": .string(action)])
        }
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

    private func record(_ request: Request, status: HTTPResponseStatus) async {
        guard request.currentUser != nil else { return }
        let route = request.route?.path.map(\.description).joined(separator: "/") ?? request.url.path
        await request.audit(status.code < 400 ? "write" : "write.refused",
                            target: "\(request.method.rawValue) /\(route)",
                            detail: "\(status.code) \(request.auditDetail ?? "")")
    }
}
