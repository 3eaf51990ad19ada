// The OpenAPI document is kept by hand, so these tests hold it to the routes: every /api/v1 route has its
// operation in the document and every operation a route, with its path parameters declared and its answers described.
@testable import App
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct APIDocumentTests {
    /// `GET /api/v1/orgs/{id}` for every route under /api/v1, as the document spells it.
    static func apiRoutes(_ app: Application) -> Set<String> {
        Set(app.routes.all.compactMap { route -> String? in
            guard route.path.count >= 2, route.path[0] == "api", route.path[1] == "v1", route.method != .HEAD else { return nil }
            let path = route.path.map { component -> String in
                switch component {
                case .constant(let text): return text
                case .parameter(let name): return "{\(name)}"
                case .anything: return "*"
                case .catchall: return "**"
                }
            }.joined(separator: "/")
            return "\(route.method.rawValue) /\(path)"
        })
    }

    @Test func everyRouteIsInTheDocumentAndEveryOperationIsARoute() async throws {
        try await withTestApp { app in
            let routes = Self.apiRoutes(app)
            let documented = Set(app.apiDocument.operations.map { "\($0.method) \($0.path)" })
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from Resources/OpenAPI")
            #expect(documented.subtracting(routes).sorted() == [], "operations in the document without a route")
            #expect(routes.count > 100)
        }
    }

    @Test func everyOperationIsDescribedInChineseWithItsParametersAndAnswers() async throws {
        try await withTestApp { app in
            for op in app.apiDocument.operations {
                let name = "\(op.method) \(op.path)"
                #expect(op.summary.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(name): summary in Chinese")
                #expect(op.responses.contains { $0.status.hasPrefix("2") }, "\(name): a success answer")
                if !op.publicAccess { #expect(op.responses.contains { $0.status == "401" }, "\(name): 401 described") }
                for response in op.responses where response.status.hasPrefix("4") {
                    #expect(response.type.contains("Error") || response.type.contains("ImportReport"), "\(name) \(response.status): error body")
                }
                // Every {name} in the path is a declared path parameter, and nothing else is.
                let inPath = Set(op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                let declared = Set(op.parameters.filter { $0.location == "path" }.map(\.name))
                #expect(inPath == declared, "\(name): path parameters")
            }
        }
    }

    @Test func descriptionsAreEscapedWithCodeSpans() {
        #expect(APIDocument.html("`orgId` 须在辖区内 <b>&") == "<code>orgId</code> 须在辖区内 &lt;b&gt;&amp;")
        #expect(APIDocument.html("一个 ` 没有配对") == "一个 ` 没有配对")
        #expect(APIDocument.html("`<script>`") == "<code>&lt;script&gt;</code>")
        #expect(APIDocument.html(nil) == "")
    }

    @Test func theDocumentAndItsPageNeedNoSignIn() async throws {
        try await withTestApp { app in
            let res = try await app.testing().sendRequest(.GET, "/api/v1/openapi.json")
            #expect(res.status == .ok)
            #expect(res.headers.contentType == .json)
            let doc = try #require(try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])
            #expect(doc["openapi"] as? String == "3.1.0")
            #expect((doc["paths"] as? [String: Any])?.count == Set(app.apiDocument.operations.map(\.path)).count)

            let page = try await app.testing().sendRequest(.GET, "/api/docs")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("接口文档"))
            for op in app.apiDocument.operations { #expect(html.contains(op.path), "\(op.path) on /api/docs") }
            for external in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
                #expect(!html.contains(external), "nothing fetched from elsewhere (no CDN)")
            }
        }
    }
}
