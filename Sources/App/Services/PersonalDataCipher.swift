// Encryption at rest for ID numbers and other sensitive fields: AES-GCM for the value, a keyed
// hash (HMAC-SHA256) for look-ups and duplicate checks. Both keys derive from the server key.
import Crypto
import Foundation
import LiangbangCore
import Vapor

/// SymmetricKey is immutable but not marked Sendable; holding it avoids re-creating a key per value.
private struct SendableKey: @unchecked Sendable { let key: SymmetricKey }
/// An HMAC already keyed (its inner and outer pads hashed): copied per value, so 110,000 look-up hashes of a
/// roster import do not each set up the key again. A value type; each copy is independent.
private struct KeyedHMAC: @unchecked Sendable { let mac: HMAC<SHA256> }

struct PersonalDataCipher: Sendable {
    private let encryption: SendableKey
    private let lookup: SendableKey
    private let lookupMAC: KeyedHMAC
    private var encryptionKey: SymmetricKey { encryption.key }

    init(secret: SecretKey) {
        func derive(_ info: String) -> SendableKey {
            SendableKey(key: HKDF<SHA256>.deriveKey(inputKeyMaterial: secret.key, info: Data(info.utf8), outputByteCount: 32))
        }
        encryption = derive("liangbang personal data encryption v1")
        lookup = derive("liangbang personal data lookup v1")
        lookupMAC = KeyedHMAC(mac: HMAC<SHA256>(key: lookup.key))
    }

    /// base64(nonce ‖ ciphertext ‖ tag).
    func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: encryptionKey)
        guard let combined = box.combined else { throw AppError(status: .internalServerError, code: "crypto", message: "加密失败") }
        return combined.base64EncodedString()
    }

    func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed) else { throw AppError(status: .internalServerError, code: "crypto", message: "解密失败") }
        let box = try AES.GCM.SealedBox(combined: data)
        return String(decoding: try AES.GCM.open(box, using: encryptionKey), as: UTF8.self)
    }

    /// Deterministic keyed hash: equal IDs give equal hashes, but the hash does not reveal the ID.
    func lookupHash(_ value: String) -> String {
        var mac = lookupMAC.mac
        var value = value
        value.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { Formatting.hex($0) }
    }

    func sealData(_ data: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(data, using: encryptionKey).combined else {
            throw AppError(status: .internalServerError, code: "crypto", message: "加密失败")
        }
        return combined
    }

    func openData(_ data: Data) throws -> Data {
        try AES.GCM.open(try AES.GCM.SealedBox(combined: data), using: encryptionKey)
    }
}

extension Request {
    var cipher: PersonalDataCipher { application.appServices.cipher }
}
