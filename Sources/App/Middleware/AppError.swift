// The app's one error type: an HTTP status, a stable code for API clients, and a Chinese message.
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

struct AppError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    /// Field-level problems for 422 responses (field → message).
    var problems: [Problem] = []

    struct Problem: Content, Equatable {
        let field: String
        let message: String
    }

    var reason: String { message }

    static func notFound(_ what: String) -> AppError { AppError(status: .notFound, code: "not_found", message: "未找到\(what)") }
    static func forbidden(_ message: String) -> AppError { AppError(status: .forbidden, code: "forbidden", message: message) }
    static let unauthenticated = AppError(status: .unauthorized, code: "unauthenticated", message: "请先登录")
    static func invalid(_ message: String, problems: [Problem] = []) -> AppError {
        AppError(status: .unprocessableEntity, code: "invalid", message: message, problems: problems)
    }
    static func conflict(_ message: String) -> AppError { AppError(status: .conflict, code: "conflict", message: message) }
}

extension AppError {
    /// Turns any error into what a user may read. Framework errors get Chinese words; anything
    /// unexpected becomes a 500 whose details go to the log only.
    static func from(_ error: any Error) -> AppError {
        switch error {
        case let e as AppError:
            return e
        case let e as DecodingError:
            return AppError(status: .badRequest, code: "bad_request", message: describe(e))
        case let e as any AbortError:
            return fromStatus(e.status)
        case let e as any DatabaseError where e.isConstraintFailure:
            // A parallel request stored the same thing first (unique key): the user retries, nothing is lost.
            return AppError(status: .conflict, code: "conflict", message: "该数据已被同时提交或已存在，请刷新页面后核对")
        case let e where WriteConflict.isTransient(e):
            return AppError(status: .serviceUnavailable, code: "busy", message: "系统繁忙，请稍后重试")
        default:
            return AppError(status: .internalServerError, code: "internal", message: "服务器内部错误，请稍后重试；如仍出现请联系管理员")
        }
    }

    /// What the log may say of an error: a stable code, never its description (which may hold user input).
    static func logCode(_ error: any Error) -> String {
        switch error {
        case let e as SQLiteError: return "sqlite.\(e.reason)"
        case let e as PSQLError: return "postgres.\(e.code)" + (e.serverInfo?[.sqlState].map { ".\($0)" } ?? "")
        case let e as any DatabaseError: return e.isConnectionClosed ? "database.connection" : "database"
        case let e as any AbortError: return "http.\(e.status.code)"
        default: return "unexpected"
        }
    }

    static func fromStatus(_ status: HTTPResponseStatus) -> AppError {
        let message: String
        switch status.code {
        case 400: message = "请求格式不正确，请检查后重试"
        case 401: message = "请先登录"
        case 403: message = "没有权限执行此操作"
        case 404: message = "页面或资源不存在"
        case 405: message = "不支持该请求方法"
        case 413: message = "提交的内容过大，请缩小后重试"
        case 415: message = "不支持的内容类型，请以 JSON 或表单格式提交"
        case 429: message = "请求过于频繁，请稍后再试"
        default: message = status.code >= 500 ? "服务器内部错误，请稍后重试" : "请求无法处理（\(status.code)）"
        }
        return AppError(status: status, code: status.code >= 500 ? "internal" : "http_\(status.code)", message: message)
    }

    private static func fieldName(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
        let names = (path + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        return names.isEmpty ? "请求体" : names.joined(separator: ".")
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let ctx):
            return "缺少字段“\(fieldName(ctx.codingPath, key))”"
        case .typeMismatch(let type, let ctx):
            return "字段“\(fieldName(ctx.codingPath))”的类型不正确，应为\(typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "字段“\(fieldName(ctx.codingPath))”不能为空，应为\(typeName(type))"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "请求体不是有效的 JSON" }
            let hint = ctx.debugDescription.unicodeScalars.contains { $0.value > 0x2E80 } ? "：" + ctx.debugDescription : ""
            return "字段“\(fieldName(ctx.codingPath))”的值无效\(hint)"
        @unknown default:
            return "请求格式不正确"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name.contains("Int") { return "整数" }
        if name.contains("Bool") { return "布尔值（true/false）" }
        if name.contains("String") || name.contains("UUID") { return "字符串" }
        if name.contains("Double") { return "数字" }
        if name.contains("Array") { return "数组" }
        return "对象"
    }
}
