// One way to accept a whole number a user sent (query, form or JSON): out of range is a 400/422 with a
// Chinese message, so no later arithmetic (page offsets, sums, database columns) can trap or overflow.
import Vapor

enum NumberInput {
    /// Page numbers of every paged list.
    static let pages = 1...100_000
    /// Campaign years the platform handles.
    static let years = 2000...2099

    /// `value` when it lies in `range`; otherwise a refusal naming the field.
    @discardableResult
    static func check(_ value: Int, in range: ClosedRange<Int>, field: String, label: String,
                      status: HTTPResponseStatus = .unprocessableEntity) throws -> Int {
        guard range.contains(value) else { throw refusal(range, field: field, label: label, status: status) }
        return value
    }

    static func refusal(_ range: ClosedRange<Int>, field: String, label: String, status: HTTPResponseStatus) -> AppError {
        let message = "\(label)应为\(range.lowerBound)至\(range.upperBound)之间的整数"
        return AppError(status: status, code: status == .badRequest ? "bad_request" : "invalid", message: message,
                        problems: [AppError.Problem(field: field, message: message)])
    }
}

extension Request {
    /// A whole number from the query string: nil when absent or empty, 400 when it is not a number in `range`.
    func queryInt(_ name: String, in range: ClosedRange<Int>, label: String) throws -> Int? {
        guard let raw = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let value = Int(raw), range.contains(value) else {
            throw NumberInput.refusal(range, field: name, label: label, status: .badRequest)
        }
        return value
    }

    /// The `page` of a paged list (1 when absent).
    func pageNumber() throws -> Int { try queryInt("page", in: NumberInput.pages, label: "页码") ?? 1 }
}
