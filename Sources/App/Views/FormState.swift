// A page form the server refuses comes back with everything typed and each message next to its field:
// the POST handler renders the form's page again (422) instead of redirecting, with the submitted values and the
// refusal in `req.formState`; templates read them with `#value(name, stored)` and `#fieldError(name)`.
import Leaf
import Vapor

struct FormState: Sendable {
    /// What was submitted, field by field (the CSRF token left out).
    var values: [String: String]
    /// Field name → message, shown next to the field.
    var errors: [String: String]
    /// The refusal as a whole (shown above the form).
    var message: String

    /// `error`'s field problems named by form field: `fields` maps the rules' names (column titles such as
    /// 学生姓名, or API field names) to the form's input names; a problem without a known field stays in `message`.
    init(values: [String: String], error: AppError, fields: [String: String] = [:]) {
        self.values = values
        var errors: [String: String] = [:], unplaced = false
        for p in error.problems {
            let name = fields[p.field] ?? (values.keys.contains(p.field) ? p.field : nil)
            if let name { errors[name] = errors[name].map { $0 + "；" + p.message } ?? p.message } else { unplaced = true }
        }
        self.errors = errors
        // Every problem shown at its field: the top only says so; otherwise the whole refusal goes on top.
        self.message = !errors.isEmpty && !unplaced ? "未保存：请按下方标红的提示修改（共\(error.problems.count)处）" : error.message
    }
}

extension Request {
    private struct FormStateKey: StorageKey { typealias Value = FormState }
    var formState: FormState? {
        get { storage[FormStateKey.self] }
        set { storage[FormStateKey.self] = newValue }
    }

    /// The submitted form as text, field by field; repeated `name[]` fields as `name[0]`, `name[1]`… (files are not kept).
    func submittedValues() -> [String: String] {
        var values = (try? content.decode([String: String].self)) ?? [:]
        if values.isEmpty, headers.contentType == .urlEncodedForm, let body = body.string {
            var counts: [String: Int] = [:]
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    .map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                guard parts.count == 2 else { continue }
                if parts[0].hasSuffix("[]") {
                    let name = String(parts[0].dropLast(2)), index = counts[name, default: 0]
                    counts[name] = index + 1
                    values["\(name)[\(index)]"] = parts[1]
                } else {
                    values[parts[0]] = parts[1]
                }
            }
        }
        values["_csrf"] = nil
        return values
    }

    /// A page form's action that keeps what was typed: a refusal (any 4xx but 404) renders `page` again with
    /// `formState` set and status 422; success redirects to `back` with its message.
    func formAction(back: String, fields: [String: String] = [:], page: @escaping () async throws -> any AsyncResponseEncodable,
                    _ action: () async throws -> String) async throws -> Response {
        do {
            return redirect(to: back, flash: "success", try await action())
        } catch let error as AppError where error.status.code < 500 && error.status != .notFound {
            formState = FormState(values: submittedValues(), error: error, fields: fields)
            // The page is rendered as the one the form came from: its campaign and unit are in `back`'s query.
            url.query = URI(string: back).query
            let response = try await page().encodeResponse(for: self)
            response.status = .unprocessableEntity
            return response
        }
    }
}

/// `#value("name", stored)`: what was typed into `name` when the form came back refused, else `stored` (also for
/// the page's other forms, whose fields were not sent).
struct FormValueTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 2, let name = ctx.parameters[0].string else { throw AppError.invalid("#value 需要两个参数") }
        if let typed = ctx.request?.formState?.values[name] { return .string(typed) }
        return ctx.parameters[1].isNil ? .string("") : .string(ctx.parameters[1].string ?? "")
    }
}

/// `#fieldError("name")`: the refusal's message for `name`, next to the field (escaped here; the tag's own markup
/// is ours), with an id the input's `aria-describedby` can name.
struct FieldErrorTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 1, let name = ctx.parameters[0].string else { throw AppError.invalid("#fieldError 需要一个参数") }
        guard let message = ctx.request?.formState?.errors[name] else { return .string("") }
        return .string("<span class=\"field-error\" role=\"alert\" id=\"error-\(Self.escape(name))\">\(Self.escape(message))</span>")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}

/// `#formMessage()`: the refusal as a whole, above the form, when it came back refused.
struct FormMessageTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let state = ctx.request?.formState else { return .string("") }
        return .string("<div class=\"flash flash-error\" role=\"alert\" id=\"form-error\">\(FieldErrorTag.escape(state.message))</div>")
    }
}
