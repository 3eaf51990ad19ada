// The OpenAPI 3.1 document of /api/v1. It is kept by hand: `Resources/OpenAPI/openapi.json` (info, security,
// shared parameters, responses and schemas) and one file per area under `paths/` (`{"tags","paths","schemas"}`).
// It is merged once at start and served as it is; `APIDocumentTests` fails when a route and the document disagree.
import Foundation
import Vapor

struct APIDocument: Sendable {
    /// The merged document as served at GET /api/v1/openapi.json.
    let json: Data
    let operations: [Operation]
    let schemas: [Schema]
    let tags: [Tag]

    // What /api/docs shows, in a few words per field (see `typeName`).
    struct Operation: Sendable, Encodable {
        let method: String
        let path: String
        let tag: String
        let summary: String
        let description: String
        let parameters: [Parameter]
        let body: String
        let bodyType: String
        let responses: [Response]
        let publicAccess: Bool
        /// The page's anchor (`POST-api-v1-sessions`) and whether there is a parameter table.
        let anchor: String
        let hasParameters: Bool
    }
    struct Parameter: Sendable, Encodable {
        let name, location, type, description: String; let required: Bool
        /// 路径, 查询, 请求头
        let locationLabel: String
    }
    struct Response: Sendable, Encodable { let status, description, type: String }
    struct Schema: Sendable, Encodable { let name, description: String; let properties: [Property]; let hasProperties: Bool }
    struct Property: Sendable, Encodable { let name, type, description: String; let required: Bool }
    struct Tag: Sendable { let name, description: String }

    struct Invalid: Error, CustomStringConvertible { let description: String }

    static let methods = ["get", "put", "post", "delete", "patch"]

    static func load(directory: String) throws -> APIDocument {
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        guard var root = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "openapi.json"))) as? [String: Any]
        else { throw Invalid(description: "openapi.json is not an object") }
        var paths = root["paths"] as? [String: Any] ?? [:]
        var components = root["components"] as? [String: Any] ?? [:]
        var schemas = components["schemas"] as? [String: Any] ?? [:]
        var tags = root["tags"] as? [[String: Any]] ?? []
        let files = try FileManager.default.contentsOfDirectory(atPath: base + "paths").filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            guard let part = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + "paths/" + file))) as? [String: Any]
            else { throw Invalid(description: "\(file) is not an object") }
            for (path, item) in part["paths"] as? [String: Any] ?? [:] {
                guard paths[path] == nil else { throw Invalid(description: "\(file): \(path) is already in another file") }
                paths[path] = item
            }
            for (name, schema) in part["schemas"] as? [String: Any] ?? [:] {
                guard schemas[name] == nil else { throw Invalid(description: "\(file): schema \(name) is already defined") }
                schemas[name] = schema
            }
            tags += part["tags"] as? [[String: Any]] ?? []
        }
        components["schemas"] = schemas
        root["components"] = components
        root["paths"] = paths
        root["tags"] = tags
        let json = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])
        return APIDocument(json: json, root: root)
    }

    private init(json: Data, root: [String: Any]) {
        self.json = json
        let components = root["components"] as? [String: Any] ?? [:]
        let sharedParameters = components["parameters"] as? [String: Any] ?? [:]
        let sharedResponses = components["responses"] as? [String: Any] ?? [:]
        var operations: [Operation] = []
        for (path, item) in (root["paths"] as? [String: Any] ?? [:]) {
            guard let item = item as? [String: Any] else { continue }
            let pathParameters = item["parameters"] as? [Any] ?? []
            for method in Self.methods {
                guard let op = item[method] as? [String: Any] else { continue }
                let parameters = (pathParameters + (op["parameters"] as? [Any] ?? [])).compactMap { raw -> Parameter? in
                    guard let p = Self.resolve(raw, in: sharedParameters) else { return nil }
                    let location = p["in"] as? String ?? ""
                    return Parameter(name: p["name"] as? String ?? "", location: location,
                                     type: Self.typeName(p["schema"]), description: Self.html(p["description"]),
                                     required: p["required"] as? Bool ?? false,
                                     locationLabel: ["path": "路径", "query": "查询", "header": "请求头"][location] ?? location)
                }
                var body = "", bodyType = ""
                if let request = op["requestBody"] as? [String: Any], let content = request["content"] as? [String: Any] {
                    bodyType = content.keys.sorted().joined(separator: "、")
                    body = content.keys.sorted().compactMap { (content[$0] as? [String: Any])?["schema"] }.map(Self.typeName).joined(separator: "、")
                }
                let responses = ((op["responses"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.map { status, raw -> Response in
                    let r = Self.resolve(raw, in: sharedResponses) ?? [:]
                    let content = r["content"] as? [String: Any] ?? [:]
                    let type = content.keys.sorted().map { key -> String in
                        let schema = (content[key] as? [String: Any])?["schema"]
                        return key == "application/json" ? Self.typeName(schema) : key
                    }.joined(separator: "、")
                    return Response(status: status, description: Self.html(r["description"]), type: type)
                }
                operations.append(Operation(method: method.uppercased(), path: path, tag: (op["tags"] as? [String])?.first ?? "其他",
                                            summary: op["summary"] as? String ?? "", description: Self.html(op["description"]),
                                            parameters: parameters, body: body, bodyType: bodyType, responses: responses,
                                            publicAccess: (op["security"] as? [Any])?.isEmpty == true,
                                            anchor: (method.uppercased() + path).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(),
                                            hasParameters: !parameters.isEmpty))
            }
        }
        self.operations = operations.sorted { ($0.path, Self.methods.firstIndex(of: $0.method.lowercased()) ?? 0) < ($1.path, Self.methods.firstIndex(of: $1.method.lowercased()) ?? 0) }
        self.schemas = (components["schemas"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { name, raw in
            let schema = raw as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            let properties = (schema["properties"] as? [String: Any] ?? [:]).sorted { $0.key < $1.key }.map { key, value in
                Property(name: key, type: Self.typeName(value), description: Self.html((value as? [String: Any])?["description"]),
                         required: required.contains(key))
            }
            return Schema(name: name, description: Self.html(schema["description"]), properties: properties,
                          hasProperties: !properties.isEmpty)
        }
        self.tags = (root["tags"] as? [[String: Any]] ?? []).map { Tag(name: $0["name"] as? String ?? "", description: Self.html($0["description"])) }
    }

    /// A description as the page shows it: HTML-escaped, with Markdown's `code` spans as <code>. The page prints it
    /// with #unsafeHTML, so everything else in it stays text.
    static func html(_ raw: Any?) -> String {
        guard let text = raw as? String, !text.isEmpty else { return "" }
        let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        let parts = escaped.split(separator: "`", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return escaped }
        return parts.enumerated().map { index, part in
            // Odd parts sit between backticks; a last odd part has no closing one and stays as typed.
            index % 2 == 1 && index < parts.count - 1 ? "<code>\(part)</code>" : (index % 2 == 1 ? "`" + part : String(part))
        }.joined()
    }

    /// A `$ref` to `#/components/<kind>/<name>` looked up among `shared`; anything else as it is.
    private static func resolve(_ raw: Any, in shared: [String: Any]) -> [String: Any]? {
        guard let object = raw as? [String: Any] else { return nil }
        if let ref = object["$ref"] as? String, let name = ref.split(separator: "/").last {
            return shared[String(name)] as? [String: Any]
        }
        return object
    }

    /// A schema in a few words for the docs page: `Pairing`, `Pairing[]`, `integer`, `"a" | "b"`.
    static func typeName(_ raw: Any?) -> String {
        guard let schema = raw as? [String: Any] else { return "" }
        if let ref = schema["$ref"] as? String { return String(ref.split(separator: "/").last ?? "") }
        if let values = schema["enum"] as? [Any] { return values.map { "\($0)" }.joined(separator: " | ") }
        if let choices = (schema["oneOf"] ?? schema["anyOf"]) as? [Any] { return choices.map { typeName($0) }.joined(separator: " 或 ") }
        let type: String
        if let many = schema["type"] as? [String] { type = many.joined(separator: " | ") } else { type = schema["type"] as? String ?? "任意" }
        if type == "array" { return typeName(schema["items"]) + "[]" }
        if let format = schema["format"] as? String { return "\(type) (\(format))" }
        return type
    }
}

extension Application {
    private struct APIDocumentKey: StorageKey { typealias Value = APIDocument }
    var apiDocument: APIDocument {
        get { storage[APIDocumentKey.self]! }
        set { storage[APIDocumentKey.self] = newValue }
    }
}
