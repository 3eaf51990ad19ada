// CSV reading (UTF-8 with/without BOM, UTF-16 with BOM, GB18030/GBK detected) and RFC 4180 field writing.

import Foundation

public enum CSV {
    /// GB18030 through CoreFoundation's encoding id (kCFStringEncodingGB_18030_2000 = 0x0632); a superset of GBK/GB2312.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Decodes text bytes: BOM first, then strict UTF-8, else GB18030 (what Chinese Excel saves as "CSV").
    public static func decode(_ data: Data) throws -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: bytes.dropFirst(3), as: UTF8.self) else { throw SpreadsheetError.unreadableText }
            return s
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let s = String(data: data, encoding: .utf16) else { throw SpreadsheetError.unreadableText }
            return s
        }
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        if let s = String(data: data, encoding: gb18030) { return s }
        throw SpreadsheetError.unreadableText
    }

    /// Splits text into records of fields: quoted fields may hold commas, quotes ("") and newlines.
    /// The delimiter is a comma, or a tab when the first line has tabs and no commas.
    public static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = []
        let utf8 = Array(text.utf8)
        utf8.withUnsafeBufferPointer { buf in
            parseBytes(buf) { rec in
                records.append((0..<rec.count).map { i in rec.withField(i) { String(decoding: $0, as: UTF8.self) } })
            }
        }
        return records
    }

    /// One record's fields, unescaped into a flat reusable buffer.
    struct Record {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var count: Int { ends.count }
        func withField<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            let s = i == 0 ? 0 : ends[i - 1]
            return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<ends[i]])) }
        }
    }

    /// Byte-level parser calling `record` for each record (including blank lines, as one empty field).
    /// Fields after the first `maxFields` of a record are scanned but not kept (a line of 20 MB of commas stays small).
    static func parseBytes(_ b: UnsafeBufferPointer<UInt8>, maxFields: Int = .max, record: (Record) throws -> Void) rethrows {
        let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(0x0A), cr = UInt8(0x0D)
        var delim = comma
        var firstLineEnd = 0
        while firstLineEnd < b.count && b[firstLineEnd] != lf { firstLineEnd += 1 }
        let firstLine = UnsafeBufferPointer(rebasing: b[0..<firstLineEnd])
        if !firstLine.contains(comma) && firstLine.contains(0x09) { delim = 0x09 }

        var rec = Record()
        var i = 0
        let n = b.count
        while i < n {
            // One field.
            let keep = rec.ends.count < maxFields
            if b[i] == quote {
                i += 1
                while i < n {
                    let c = b[i]
                    if c == quote {
                        if i + 1 < n && b[i + 1] == quote { if keep { rec.bytes.append(quote) }; i += 2; continue }
                        i += 1
                        break
                    }
                    if keep { rec.bytes.append(c) }
                    i += 1
                }
                // Text after the closing quote up to the delimiter is kept (lenient, like Excel).
                while i < n && b[i] != delim && b[i] != lf && b[i] != cr { if keep { rec.bytes.append(b[i]) }; i += 1 }
            } else {
                let s = i
                while i < n {
                    let c = b[i]
                    if c == delim || c == lf || c == cr { break }
                    i += 1
                }
                if keep { rec.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<i])) }
            }
            if keep { rec.ends.append(rec.bytes.count) }
            if i < n && b[i] == delim {
                i += 1
                if i < n { continue }
                if rec.ends.count < maxFields { rec.ends.append(rec.bytes.count) }   // trailing delimiter: one more empty field
            }
            if i < n && b[i] == cr { i += 1 }
            if i < n && b[i] == lf { i += 1 }
            try record(rec)
            rec.bytes.removeAll(keepingCapacity: true)
            rec.ends.removeAll(keepingCapacity: true)
        }
    }

    /// A CSV upload as a sheet of string cells (empty fields omitted, blank lines skipped), at most `maxCells` cells.
    public static func readSheet(data: Data, name: String = "CSV", maxCells: Int = ReadLimits.default.maxCells) throws -> Sheet {
        var rows: [Row] = []
        var total = 0
        try forEachRow(data: data) { row in
            total += row.cells.count
            if total > maxCells { throw SpreadsheetError.tooManyCells(maxCells) }
            rows.append(row)
        }
        return Sheet(name: name, rows: rows, mergedRanges: [])
    }

    /// Streams a CSV upload row by row (record N is row N; empty fields omitted, blank lines skipped).
    /// Fields right of `maxColumns` are skipped without being kept.
    public static func forEachRow(data: Data, maxColumns: Int = .max, _ body: (Row) throws -> Void) throws {
        let text = try decode(data)
        var number = 0
        var cells: [Cell] = []
        let utf8 = Array(text.utf8)
        try utf8.withUnsafeBufferPointer { buf in
            try parseBytes(buf, maxFields: maxColumns) { rec in
                number += 1
                cells.removeAll(keepingCapacity: true)
                for j in 0..<rec.count {
                    guard let f = rec.withField(j, { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) }) else { continue }
                    cells.append(Cell(column: j + 1, value: .string(f), raw: f))
                }
                if !cells.isEmpty { try body(Row(number: number, cells: cells)) }
            }
        }
    }

    /// Appends one field, quoted when it holds a comma, quote, CR or LF.
    @inline(__always)
    static func appendField(_ f: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var needs = false
        for c in f where c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D { needs = true; break }
        if !needs { out.append(contentsOf: f); return }
        out.append(0x22)
        for c in f {
            if c == 0x22 { out.append(0x22) }
            out.append(c)
        }
        out.append(0x22)
    }
}
