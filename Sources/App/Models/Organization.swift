// An organisation of the Youth League tree (province, city, county, town, university, provincial unit).
import Fluent
import LiangbangCore
import Vapor

final class Organization: Model, @unchecked Sendable {
    static let schema = "organizations"

    @ID(key: .id) var id: UUID?
    /// GB/T 2260 code for province, cities and counties; nil for the others.
    @OptionalField(key: "code") var code: String?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: OrgKind
    @OptionalField(key: "parent_id") var parentID: UUID?
    /// Materialised path `/<root id>/…/<own id>/`: subtree queries are a prefix match.
    @Field(key: "path") var path: String
    /// 珠三角 / 粤东 / 粤西 / 粤北 for cities and counties.
    @OptionalField(key: "region") var region: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(id: UUID = UUID(), code: String?, name: String, kind: OrgKind, parent: Organization?, region: String? = nil) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.parentID = parent?.id
        self.path = (parent?.path ?? "/") + id.uuidString.lowercased() + "/"
        self.region = region
    }

    struct DTO: Content {
        let id: UUID
        let code: String?
        let name: String
        let kind: OrgKind
        let parentId: UUID?
    }

    func toDTO() throws -> DTO {
        DTO(id: try requireID(), code: code, name: name, kind: kind, parentId: parentID)
    }
}

extension OrgKind: Content {}
extension Role: Content {}
