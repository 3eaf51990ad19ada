// The one place errors become responses: JSON under /api, an HTML page elsewhere.
import Vapor

struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            let response = try await next.respond(to: request)
            // Framework responses that are errors but not thrown (rare) still get our body.
            return response
        } catch {
            let appError = AppError.from(error)
            if appError.status.code >= 500 {
                // The type, a code and the path only: an error's description may quote user input or personal data.
                request.logger.critical("unhandled error", metadata: [
                    "error": .string(String(reflecting: type(of: error))),
                    "code": .string(AppError.logCode(error)),
                    "path": .string(request.url.path),
                ])
            }
            return try await Self.response(for: appError, request: request)
        }
    }

    struct JSONBody: Content {
        let error: String
        let message: String
        let problems: [AppError.Problem]?
    }

    static func response(for error: AppError, request: Request) async throws -> Response {
        let response: Response
        if request.url.path.hasPrefix("/api/") || request.headers.accept.mediaTypes.first == .json {
            response = Response(status: error.status)
            try response.content.encode(JSONBody(error: error.code, message: error.message,
                                                  problems: error.problems.isEmpty ? nil : error.problems))
        } else if error.status == .unauthorized {
            response = request.redirect(to: "/login?next=" + (request.url.path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"))
        } else {
            let context = ErrorPage(layout: await Layout.build(for: request, title: "出错了"), status: Int(error.status.code), message: error.message)
            response = try await request.view.render("error", context).encodeResponse(status: error.status, for: request)
        }
        return response
    }
}

struct ErrorPage: Encodable {
    let layout: Layout
    let status: Int
    let message: String
}
