// Encryption at rest for ID numbers and other sensitive fields: AES-GCM for the value, a keyed
// hash (HMAC-SHA256) for look-ups and duplicate checks. Both keys derive from the server key.
import Crypto
import Foundation
import Vapor

struct PersonalDataCipher: Sendable {
    private let encryptionKey: Data
    private let lookupKey: Data

    init(secret: SecretKey) {
        func derive(_ info: String) -> Data {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: secret.key, info: Data(info.utf8), outputByteCount: 32)
                .withUnsafeBytes { Data($0) }
        }
        encryptionKey = derive("liangbang personal data encryption v1")
        lookupKey = derive("liangbang personal data lookup v1")
    }

    /// base64(nonce ‖ ciphertext ‖ tag).
    func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: SymmetricKey(data: encryptionKey))
        guard let combined = box.combined else { throw AppError(status: .internalServerError, code: "crypto", message: "加密失败") }
        return combined.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw AppError(status: .internalServerError, code: "crypto", message: "解密失败") }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: SymmetricKey(data: encryptionKey)), as: UTF8.self)
    }

    /// Deterministic keyed hash: equal IDs give equal hashes, but the hash does not reveal the ID.
    func lookupHash(_ value: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: SymmetricKey(data: lookupKey))
            .map { String(format: "%02x", $0) }.joined()
    }

    func sealData(_ data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: SymmetricKey(data: encryptionKey)).combined else {
            throw AppError(status: .internalServerError, code: "crypto", message: "加密失败")
        }
        return combined
    }

    func openData(_ data: Data) throws -> Data {
        try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: SymmetricKey(data: encryptionKey))
    }
}

extension Request {
    var cipher: PersonalDataCipher { application.appServices.cipher }
}
