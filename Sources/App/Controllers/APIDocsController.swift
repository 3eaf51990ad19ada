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
        let schemas: [APIDocument.Schema]
        let operationCount: Int
    }
    struct Group: Encodable { let anchor, name, description: String; let count: Int; let operations: [APIDocument.Operation] }

    func page(req: Request) async throws -> View {
        let doc = req.application.apiDocument
        let byTag = Dictionary(grouping: doc.operations, by: \.tag)
        let order = doc.tags.map(\.name) + byTag.keys.filter { name in !doc.tags.contains { $0.name == name } }.sorted()
        let groups = order.enumerated().compactMap { index, name -> Group? in
            guard let operations = byTag[name] else { return nil }
            return Group(anchor: "tag-\(index)", name: name, description: doc.tags.first { $0.name == name }?.description ?? "",
                         count: operations.count, operations: operations)
        }
        return try await req.view.render("api-docs", Page(layout: await Layout.build(for: req, title: "接口文档"), groups: groups,
                                                          schemas: doc.schemas, operationCount: doc.operations.count))
    }
}
