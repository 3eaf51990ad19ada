// Services shared by every request, kept in app.storage so tests can swap them.
import Crypto
import LiangbangCore
import Foundation
import Vapor

struct Clock: Sendable {
    var now: @Sendable () -> Date = { Date() }
}

/// The server's secret key: signs CSRF tokens now and encrypts personal data in later features.
struct SecretKey: Sendable {
    /// Raw key bytes (SymmetricKey itself is not Sendable).
    let bytes: Data
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// From LIANGBANG_SECRET_KEY (base64, 32 bytes) or `<data>/secret.key`, created with mode 0600.
    static func load(config: AppConfig) throws -> SecretKey {
        if let text = config.secretKeyBase64 {
            guard let data = Data(base64Encoded: text), data.count == 32 else {
                throw AppConfig.ConfigError(message: "LIANGBANG_SECRET_KEY 应为32字节密钥的 base64 编码（可用 `openssl rand -base64 32` 生成）")
            }
            return SecretKey(bytes: data)
        }
        let path = config.dataDirectory + "/secret.key"
        if let data = FileManager.default.contents(atPath: path), let decoded = Data(base64Encoded: data), decoded.count == 32 {
            return SecretKey(bytes: decoded)
        }
        let key = SymmetricKey(size: .bits256)
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedData() }
        guard FileManager.default.createFile(atPath: path, contents: encoded, attributes: [.posixPermissions: 0o600]) else {
            throw AppConfig.ConfigError(message: "无法创建密钥文件 \(path)")
        }
        return SecretKey(bytes: key.withUnsafeBytes { Data($0) })
    }

    func hmacHex(_ text: String) -> String {
        Formatting.hex(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
    }
}

struct AppServices: Sendable {
    var clock = Clock()
    var secret: SecretKey
    var cipher: PersonalDataCipher
    /// Weekly boards computed once per write version (per process; see `BoardCache`).
    let boards = BoardCache()

    init(secret: SecretKey) {
        self.secret = secret
        self.cipher = PersonalDataCipher(secret: secret)
    }
}

extension Application {
    private struct ServicesKey: StorageKey { typealias Value = AppServices }
    var appServices: AppServices {
        get { storage[ServicesKey.self]! }
        set { storage[ServicesKey.self] = newValue }
    }
}

extension Request {
    var appServices: AppServices { application.appServices }
    var now: Date { application.appServices.clock.now() }

    /// The client's address; behind nginx (LIANGBANG_TRUST_PROXY) the first X-Forwarded-For entry.
    var clientAddress: String {
        if application.config.trustProxy, let forwarded = headers.first(name: "X-Forwarded-For") {
            return forwarded.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "-"
        }
        return remoteAddress?.ipAddress ?? "-"
    }
}
