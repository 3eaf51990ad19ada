// The API's contract in two forms, neither needing a sign-in: the OpenAPI document for programs
// (GET /api/v1/openapi.json) and the same document as a page for people (/api/docs, rendered on the server).
import Vapor

struct APIDocsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("api", "v1", "openapi.json", use: document)
        routes.get("api", "docs", use: page)
    }

    func document(req: Request) async throws -> Vapor.Response {
        let response = Vapor.Response(status: .ok, body: .init(data: req.application.apiDocument.json))
        response.headers.contentType = .json
        return response
    }

    struct Page: Encodable {
        let layout: Layout
        let groups: [Group]
        let schemas: [Schema]
        let operationCount: Int
    }
    struct Group: Encodable { let anchor, name, description: String; let count: Int; let operations: [Operation] }
    struct Operation: Encodable {
        let anchor, method, path, summary, description, body, bodyType: String
        let publicAccess, hasParameters: Bool
        let parameters: [Parameter]
        let responses: [Answer]
    }
    struct Parameter: Encodable { let name, location, type, description: String; let required: Bool }
    struct Answer: Encodable { let status, description, type: String }
    struct Schema: Encodable { let name, description: String; let properties: [Property]; let hasProperties: Bool }
    struct Property: Encodable { let name, type, description: String; let required: Bool }

    func page(req: Request) async throws -> View {
        let doc = req.application.apiDocument
        let byTag = Dictionary(grouping: doc.operations, by: \.tag)
        let order = doc.tags.map(\.name) + byTag.keys.filter { name in !doc.tags.contains { $0.name == name } }.sorted()
        let groups = order.enumerated().compactMap { index, name -> Group? in
            guard let operations = byTag[name] else { return nil }
            return Group(anchor: "tag-\(index)", name: name, description: doc.tags.first { $0.name == name }?.description ?? "",
                         count: operations.count, operations: operations.map { op in
                Operation(anchor: (op.method + op.path).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined(),
                          method: op.method, path: op.path, summary: op.summary, description: op.description,
                          body: op.body, bodyType: op.bodyType, publicAccess: op.publicAccess, hasParameters: !op.parameters.isEmpty,
                          parameters: op.parameters.map { Parameter(name: $0.name, location: Self.location($0.location), type: $0.type,
                                                                    description: $0.description, required: $0.required) },
                          responses: op.responses.map { Answer(status: $0.status, description: $0.description, type: $0.type) })
            })
        }
        let schemas = doc.schemas.map { s in
            Schema(name: s.name, description: s.description,
                   properties: s.properties.map { Property(name: $0.name, type: $0.type, description: $0.description, required: $0.required) },
                   hasProperties: !s.properties.isEmpty)
        }
        return try await req.view.render("api-docs", Page(layout: await Layout.build(for: req, title: "接口文档"), groups: groups,
                                                          schemas: schemas, operationCount: doc.operations.count))
    }

    private static func location(_ raw: String) -> String {
        switch raw {
        case "path": return "路径"
        case "query": return "查询"
        case "header": return "请求头"
        default: return raw
        }
    }
}
