// Reads the zip container of an upload with hard limits; trusts no header for enforcement.

import Foundation
import ZIPFoundation

/// Limits applied while reading an untrusted workbook.
public struct ReadLimits: Sendable, Equatable {
    /// Total decompressed bytes over all parts read for one operation (open, or one sheet).
    public var maxTotalBytes: Int
    /// Entries in the zip's central directory.
    public var maxEntries: Int
    /// Decompressed / compressed bytes of one entry, checked once `ratioGraceBytes` came out.
    public var maxCompressionRatio: Int
    public var ratioGraceBytes: Int
    /// Cells kept in memory by `Workbook.readSheet` (streaming `forEachRow` is not limited by this).
    public var maxCells: Int

    public init(maxTotalBytes: Int = 200 << 20, maxEntries: Int = 10_000, maxCompressionRatio: Int = 250,
                ratioGraceBytes: Int = 1 << 20, maxCells: Int = 5_000_000) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioGraceBytes = ratioGraceBytes
        self.maxCells = maxCells
    }

    public static let `default` = ReadLimits()
}

/// Counts decompressed bytes of one operation against the limit.
final class DecompressionBudget {
    let limit: Int
    var used = 0
    init(limit: Int) { self.limit = limit }

    @inline(__always) func spend(_ n: Int) throws {
        used += n
        if used > limit {
            throw SpreadsheetError.tooLarge("解压后超过 \(limit >> 20) MB")
        }
    }
}

struct ZipEntry: Sendable {
    var name: String
    var method: UInt16
    var flags: UInt16
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
}

/// Central-directory view of a zip held in memory.
struct ZipArchive: Sendable {
    let data: Data
    let limits: ReadLimits
    /// Lower-cased, '/'-separated names without a leading '/': OPC part names are case-insensitive.
    private(set) var entries: [String: ZipEntry] = [:]

    static func corrupt(_ d: String) -> SpreadsheetError { .corruptArchive(d) }

    init(data: Data, limits: ReadLimits) throws {
        self.data = data
        self.limits = limits
        let count = data.count
        var found: [String: ZipEntry] = [:]
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            func u16(_ o: Int) throws -> Int {
                guard o >= 0, o + 2 <= count else { throw Self.corrupt("越界") }
                return Int(b[o]) | Int(b[o + 1]) << 8
            }
            func u32(_ o: Int) throws -> Int { let lo = try u16(o), hi = try u16(o + 2); return lo | hi << 16 }
            func u64(_ o: Int) throws -> Int {
                let lo = try u32(o), hi = try u32(o + 4)
                guard hi < 0x7FFF else { throw Self.corrupt("大小越界") }
                return lo | hi << 32
            }
            guard count >= 22 else { throw Self.corrupt("文件过短") }
            // End of central directory: scan back over at most the maximal comment.
            var eocd = -1
            var o = count - 22
            let stop = max(0, count - 22 - 65_535)
            while o >= stop {
                if b[o] == 0x50 && b[o + 1] == 0x4B && b[o + 2] == 0x05 && b[o + 3] == 0x06 { eocd = o; break }
                o -= 1
            }
            guard eocd >= 0 else { throw Self.corrupt("找不到 zip 目录，文件可能被截断") }
            var total = try u16(eocd + 10)
            var cdSize = try u32(eocd + 12)
            var cdOffset = try u32(eocd + 16)
            if total == 0xFFFF || cdOffset == 0xFFFF_FFFF || cdSize == 0xFFFF_FFFF {
                let loc = eocd - 20
                if loc >= 0, try u32(loc) == 0x0706_4B50 {
                    let z = try u64(loc + 8)
                    guard try u32(z) == 0x0606_4B50 else { throw Self.corrupt("ZIP64 目录无效") }
                    total = try u64(z + 32)
                    cdSize = try u64(z + 40)
                    cdOffset = try u64(z + 48)
                }
            }
            guard total <= limits.maxEntries else { throw SpreadsheetError.tooManyEntries(limits.maxEntries) }
            guard cdOffset <= count, cdSize <= count - cdOffset else { throw Self.corrupt("zip 目录越界，文件可能被截断") }
            var p = cdOffset
            for _ in 0..<total {
                guard try u32(p) == 0x0201_4B50 else { throw Self.corrupt("zip 目录项无效") }
                let flags = try u16(p + 8)
                let method = try u16(p + 10)
                var comp = try u32(p + 20)
                var uncomp = try u32(p + 24)
                let nameLen = try u16(p + 28), extraLen = try u16(p + 30), commentLen = try u16(p + 32)
                var local = try u32(p + 42)
                let nameStart = p + 46
                guard nameStart + nameLen + extraLen + commentLen <= count else { throw Self.corrupt("zip 目录项越界") }
                // ZIP64 extended information extra field.
                var e = nameStart + nameLen
                let extraEnd = e + extraLen
                while e + 4 <= extraEnd {
                    let id = try u16(e), size = try u16(e + 2)
                    if id == 0x0001 {
                        var q = e + 4
                        if uncomp == 0xFFFF_FFFF, q + 8 <= e + 4 + size { uncomp = try u64(q); q += 8 }
                        if comp == 0xFFFF_FFFF, q + 8 <= e + 4 + size { comp = try u64(q); q += 8 }
                        if local == 0xFFFF_FFFF, q + 8 <= e + 4 + size { local = try u64(q); q += 8 }
                    }
                    e += 4 + size
                }
                var name = String(decoding: UnsafeBufferPointer(rebasing: b[nameStart..<(nameStart + nameLen)]), as: UTF8.self)
                name = name.replacingOccurrences(of: "\\", with: "/")
                while name.hasPrefix("/") { name.removeFirst() }
                let key = name.lowercased()
                if found[key] == nil {
                    found[key] = ZipEntry(name: name, method: UInt16(method), flags: UInt16(flags),
                                          compressedSize: comp, uncompressedSize: uncomp, localHeaderOffset: local)
                }
                p = nameStart + nameLen + extraLen + commentLen
            }
        }
        entries = found
    }

    func entry(_ name: String) -> ZipEntry? { entries[name.lowercased()] }

    /// Streams the decompressed bytes of an entry to `body`, enforcing the budget and ratio as they come out.
    func read(_ entry: ZipEntry, budget: DecompressionBudget, chunkSize: Int = 1 << 16,
              _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        if entry.flags & 1 != 0 { throw Self.corrupt("文件已加密") }
        if entry.uncompressedSize > budget.limit - budget.used {
            throw SpreadsheetError.tooLarge("\(entry.name) 声明解压后 \(entry.uncompressedSize >> 20) MB")
        }
        let count = data.count
        let lh = entry.localHeaderOffset
        guard lh >= 0, lh <= count - 30 else { throw Self.corrupt("本地文件头越界") }
        let (sig, nameLen, extraLen) = data.withUnsafeBytes { raw -> (Int, Int, Int) in
            let b = raw.bindMemory(to: UInt8.self)
            let s = Int(b[lh]) | Int(b[lh + 1]) << 8 | Int(b[lh + 2]) << 16 | Int(b[lh + 3]) << 24
            return (s, Int(b[lh + 26]) | Int(b[lh + 27]) << 8, Int(b[lh + 28]) | Int(b[lh + 29]) << 8)
        }
        guard sig == 0x0403_4B50 else { throw Self.corrupt("本地文件头无效") }
        let start = lh + 30 + nameLen + extraLen
        guard entry.compressedSize >= 0, start <= count, entry.compressedSize <= count - start else {
            throw Self.corrupt("数据越界，文件可能被截断")
        }
        let end = start + entry.compressedSize
        var produced = 0
        let ratioLimit = limits.maxCompressionRatio, grace = limits.ratioGraceBytes
        let compressed = max(entry.compressedSize, 1)
        func emit(_ chunk: UnsafeRawBufferPointer) throws {
            produced += chunk.count
            try budget.spend(chunk.count)
            if produced > grace && produced / compressed > ratioLimit {
                throw SpreadsheetError.tooLarge("压缩比超过 \(ratioLimit):1")
            }
            try body(chunk)
        }
        switch entry.method {
        case 0:
            var p = start
            while p < end {
                let n = min(chunkSize, end - p)
                try data.withUnsafeBytes { raw in try emit(UnsafeRawBufferPointer(rebasing: raw[p..<(p + n)])) }
                p += n
            }
        case 8:
            // ZIPFoundation's inflate loop assumes every input chunk is exactly `bufferSize` long and reads
            // until the stream ends: pad the last chunk with zeros, then refuse to provide more.
            var p = start
            var padded = false
            var emptyOutputs = 0
            // An error of the caller's own (its row callback refusing the file) passes through as it is.
            var consumerError: (any Error)?
            do {
                _ = try Data.decompress(size: Int64(entry.compressedSize), bufferSize: chunkSize, skipCRC32: true,
                                        provider: { _, _ in
                    if p >= end {
                        if padded { throw Self.corrupt("压缩数据不完整") }
                        padded = true
                        return Data(count: chunkSize)
                    }
                    let n = min(chunkSize, end - p)
                    var chunk = self.data.subdata(in: (self.data.startIndex + p)..<(self.data.startIndex + p + n))
                    p += n
                    if n < chunkSize { chunk.append(Data(count: chunkSize - n)) }
                    return chunk
                }, consumer: { out in
                    if out.isEmpty {
                        emptyOutputs += 1
                        if emptyOutputs > 4096 { throw Self.corrupt("压缩数据无效") }
                        return
                    }
                    emptyOutputs = 0
                    do { try out.withUnsafeBytes { try emit($0) } } catch { consumerError = error; throw error }
                })
            } catch let e as SpreadsheetError {
                throw e
            } catch {
                throw consumerError ?? Self.corrupt("解压失败")
            }
        default:
            throw Self.corrupt("不支持的压缩方式 \(entry.method)")
        }
    }

    /// A whole (small) part in memory.
    func readAll(_ entry: ZipEntry, budget: DecompressionBudget) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(entry.uncompressedSize, 1 << 22))
        try read(entry, budget: budget) { out.append(contentsOf: $0) }
        return out
    }
}
