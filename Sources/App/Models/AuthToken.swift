// A login session (web cookie or API bearer token), stored hashed so every instance shares it.
import Crypto
import LiangbangCore
import Fluent
import Vapor

final class AuthToken: Model, @unchecked Sendable {
    static let schema = "auth_tokens"

    enum Kind: String, Codable { case web, api }

    @ID(key: .id) var id: UUID?
    /// SHA-256 of the token: a stolen database does not yield usable sessions.
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(tokenHash: String, userID: UUID, kind: Kind, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.userID = userID
        self.kind = kind
        self.expiresAt = expiresAt
    }

    static func hash(_ token: String) -> String {
        Formatting.hex(SHA256.hash(data: Data(token.utf8)))
    }

    /// 32 random bytes, URL-safe base64.
    static func newToken() -> String {
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
