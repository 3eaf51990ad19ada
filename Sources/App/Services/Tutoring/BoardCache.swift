// Weekly boards computed once per write version, per process. The province's board reads 50,000 pupils (about half
// a second of SQL); on deadline mornings dozens of offices open the same board while nothing changed. Entries are
// keyed by `WriteVersion`, read before computing: a reader that saw version v computes from data at least as new
// as v, so an entry never holds data older than its key, and any write in any instance moves every reader on to a
// new key. Instances stay stateless: the cache is an optimisation, never the record.
import Foundation

actor BoardCache {
    private struct Entry {
        let id: UInt64
        let task: Task<any Sendable, any Error>
        var used: UInt64
    }

    private var version: Int64 = .min
    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0
    let capacity: Int

    init(capacity: Int = 48) { self.capacity = capacity }

    /// The value for `key` at write version `version`, computed once however many requests ask at the same time
    /// (they wait for the first). A newer version empties the cache; a reader holding an older version than the
    /// cache's computes for itself and stores nothing. Failures are not kept.
    func value<T: Sendable>(version: Int64, key: String, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        if version > self.version {
            self.version = version
            entries.removeAll(keepingCapacity: true)
        } else if version < self.version {
            return try await compute()
        }
        tick += 1
        if var entry = entries[key] {
            entry.used = tick
            entries[key] = entry
            return try await Self.result(of: entry.task)
        }
        let id = tick
        let task = Task<any Sendable, any Error> { try await compute() }
        entries[key] = Entry(id: id, task: task, used: tick)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
        do {
            return try await Self.result(of: task)
        } catch {
            if entries[key]?.id == id { entries[key] = nil }
            throw error
        }
    }

    var count: Int { entries.count }

    /// Two callers used one key for values of different types (a programming error; keys name their kind).
    struct MismatchedKey: Error {}

    private static func result<T>(of task: Task<any Sendable, any Error>) async throws -> T {
        guard let value = try await task.value as? T else { throw MismatchedKey() }
        return value
    }
}
