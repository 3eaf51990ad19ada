// Ids for rows stored in bulk: UUIDv7 (RFC 9562, method 1), 48 bits of Unix milliseconds, then a counter that
// starts at random, so ids made in one go sort in the order they were made. A roster import inserts 55,000
// pairings in index order; with random v4 ids each insert into the primary key lands on a random page.
import Foundation

struct TimeOrderedUUIDs {
    private let millis: UInt64
    /// 42 bits: 12 in `rand_a`, 30 at the top of `rand_b`. Started below 2^40, so it cannot overflow in one run.
    private var counter: UInt64

    init(now: Date = Date()) {
        millis = UInt64(max(0, now.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        counter = UInt64.random(in: 0..<(1 << 40))
    }

    mutating func next() -> UUID {
        counter += 1
        let a = counter >> 30, b = counter & 0x3FFF_FFFF
        let r = UInt32.random(in: .min ... .max)
        return UUID(uuid: (UInt8(truncatingIfNeeded: millis >> 40), UInt8(truncatingIfNeeded: millis >> 32),
                           UInt8(truncatingIfNeeded: millis >> 24), UInt8(truncatingIfNeeded: millis >> 16),
                           UInt8(truncatingIfNeeded: millis >> 8), UInt8(truncatingIfNeeded: millis),
                           0x70 | UInt8(truncatingIfNeeded: a >> 8) & 0x0F, UInt8(truncatingIfNeeded: a),
                           0x80 | UInt8(truncatingIfNeeded: b >> 24) & 0x3F, UInt8(truncatingIfNeeded: b >> 16),
                           UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b),
                           UInt8(truncatingIfNeeded: r >> 24), UInt8(truncatingIfNeeded: r >> 16),
                           UInt8(truncatingIfNeeded: r >> 8), UInt8(truncatingIfNeeded: r)))
    }
}
