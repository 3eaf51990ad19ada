// Property-based mutation fuzzing of the xlsx/csv reader: every input must end in rows or a typed error,
// quickly and within bounded memory. Seeds: the corpus files plus the hostile workbooks of `ZipFixture`.
// Usage: spreadsheet-fuzz [--iterations N] [--seed S] [--corpus DIR]

import Foundation
import Spreadsheet
#if canImport(Glibc)
import Glibc
#endif

// MARK: crash capture: the input being read is written to disk by the signal handler.
nonisolated(unsafe) var crashBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 22)
nonisolated(unsafe) var crashLength = 0

func installCrashHandler() {
    for sig in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
        signal(sig) { s in
            let fd = open("fuzz-crash.xlsx", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 { _ = write(fd, crashBuffer, crashLength); _ = close(fd) }
            let msg = "\nCRASH (signal \(s)): input written to fuzz-crash.xlsx\n"
            _ = msg.withCString { write(2, $0, strlen($0)) }
            signal(s, SIG_DFL)
            raise(s)
        }
    }
}

struct RNG {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
    mutating func int(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Int) -> Bool { int(100) < p }
}

// MARK: arguments
var iterations = 100_000
var seed: UInt64 = 1
var corpusDir = "Tests/SpreadsheetTests/Corpus"
var args = Array(CommandLine.arguments.dropFirst())
while !args.isEmpty {
    let a = args.removeFirst()
    switch a {
    case "--iterations": iterations = Int(args.first ?? "") ?? iterations; if !args.isEmpty { args.removeFirst() }
    case "--seed": seed = UInt64(args.first ?? "") ?? seed; if !args.isEmpty { args.removeFirst() }
    case "--corpus": corpusDir = args.first ?? corpusDir; if !args.isEmpty { args.removeFirst() }
    default:
        FileHandle.standardError.write(Data("usage: spreadsheet-fuzz [--iterations N] [--seed S] [--corpus DIR]\n".utf8))
        exit(64)
    }
}

// MARK: corpus
let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpusDir)) ?? []).sorted()
var seeds: [[UInt8]] = []
var seedParts: [[(name: String, bytes: [UInt8])]] = []
for f in files {
    guard let d = FileManager.default.contents(atPath: corpusDir + "/" + f) else { continue }
    seeds.append([UInt8](d))
    seedParts.append((try? ZipFixture.unzip(d)) ?? [])
}
guard !seeds.isEmpty else {
    FileHandle.standardError.write(Data("no corpus files in \(corpusDir)\n".utf8))
    exit(2)
}
// The hostile workbooks probed against the server (issue 10), built like the tests build them:
// one-cell rows at column XFD (fewer rows than the test's 20,000, to keep each input quick) and whole-row merges.
for hostile in [try? ZipFixture.farColumnRows(1_000), try? ZipFixture.sheetWideMerges(4)] {
    guard let d = hostile else { continue }
    seeds.append([UInt8](d))
    seedParts.append((try? ZipFixture.unzip(d)) ?? [])
}

let snippets: [String] = [
    "<!DOCTYPE x [<!ENTITY a \"b\">]>", "&a;", "&amp;", "&#x10FFFF;", "&#0;", "&#xD800;", "&lt", "<![CDATA[x]]>", "]]>", "<!--", "-->",
    "<c r=\"XFD1048576\"><v>1</v></c>", "<c r=\"XFE1\"><v>1</v></c>", "<row r=\"0\">", "<row r=\"1048577\">", "<row>", "</row>",
    "<c>", "</c>", "<v>", "</v>", "<v>99999999999</v>", "<v>-1</v>", "<v>1e308</v>", "<v>NaN</v>", " t=\"s\"", " t=\"d\"", " t=\"b\"",
    " t=\"inlineStr\"", "<is><t>x</t></is>", " s=\"99999\"", " s=\"-1\"", "\"", "'", "<", ">", "&", "=", "/>", "_x0000_", "_xD800_",
    "<mergeCell ref=\"A1:XFD1048576\"/>", "<mergeCell ref=\"B2:A1\"/>", "<mergeCell ref=\"\"/>", "<si><t>", "</t></si>", "<rPh><t>",
    "<sheet name=\"x\" r:id=\"rId9\"/>", "Target=\"../../x\"", "<workbookPr date1904=\"1\"/>", "<xf numFmtId=\"14\"/>",
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>", "\u{0}", "\u{FFFF}", "中文", String(repeating: "A", count: 300),
]

func mutateBytes(_ input: [UInt8], _ rng: inout RNG) -> [UInt8] {
    var b = input
    for _ in 0..<(1 + rng.int(4)) {
        switch rng.int(6) {
        case 0 where !b.isEmpty:
            for _ in 0..<(1 + rng.int(8)) { let i = rng.int(b.count); b[i] ^= UInt8(1 << rng.int(8)) }
        case 1 where !b.isEmpty:
            b.removeSubrange(rng.int(b.count)...)
        case 2:
            let at = rng.int(b.count + 1)
            b.insert(contentsOf: (0..<(1 + rng.int(16))).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case 3 where b.count > 2:
            let s = rng.int(b.count), e = min(b.count, s + 1 + rng.int(64))
            b.removeSubrange(s..<e)
        case 4 where !b.isEmpty:
            let i = rng.int(b.count)
            b[i] = [0x00, 0xFF, 0x7F, 0x80, 0x50, 0x4B][rng.int(6)]
        default:
            if b.count >= 4 {
                // Overwrite a 4-byte field with an extreme value (sizes, offsets, counts).
                let i = rng.int(b.count - 3)
                let v: UInt32 = [0, 0xFFFF_FFFF, 0x7FFF_FFFF, 0xFFFF, 1][rng.int(5)]
                for k in 0..<4 { b[i + k] = UInt8((v >> (8 * UInt32(k))) & 0xFF) }
            }
        }
    }
    return b
}

func mutateXML(_ parts: [(name: String, bytes: [UInt8])], _ rng: inout RNG) -> [UInt8]? {
    guard !parts.isEmpty else { return nil }
    var ps = parts
    let xmlIdx = ps.indices.filter { ps[$0].name.hasSuffix(".xml") || ps[$0].name.hasSuffix(".rels") }
    let k = xmlIdx.isEmpty ? rng.int(ps.count) : xmlIdx[rng.int(xmlIdx.count)]
    var b = ps[k].bytes
    for _ in 0..<(1 + rng.int(3)) {
        switch rng.int(5) {
        case 0, 1:
            let at = rng.int(b.count + 1)
            b.insert(contentsOf: Array(snippets[rng.int(snippets.count)].utf8), at: at)
        case 2 where b.count > 2:
            let s = rng.int(b.count), e = min(b.count, s + 1 + rng.int(200))
            b.removeSubrange(s..<e)
        case 3 where b.count > 2:
            // Duplicate a region (repeated rows, nested tags).
            let s = rng.int(b.count), e = min(b.count, s + 1 + rng.int(400))
            let chunk = Array(b[s..<e])
            for _ in 0..<(1 + rng.int(3)) { b.insert(contentsOf: chunk, at: rng.int(b.count + 1)) }
        default:
            if !b.isEmpty { b[rng.int(b.count)] = [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "&"), 0][rng.int(5)] }
        }
    }
    ps[k].bytes = b
    if rng.chance(10) { ps.remove(at: rng.int(ps.count)) }
    return (try? ZipFixture.zip(ps.map { ($0.name, $0.bytes) }, deflate: rng.chance(30))).map { [UInt8]($0) }
}

let limits = ReadLimits(maxTotalBytes: 64 << 20, maxEntries: 1_000, maxCells: 500_000)

/// Reads everything a caller could read; returns the outcome name.
func exercise(_ bytes: [UInt8]) -> String {
    let data = Data(bytes)
    _ = FileKind.detect(data, filename: "x.xlsx")
    do {
        let wb = try Workbook(data: data, limits: limits)
        for s in wb.sheets.prefix(4) {
            let sheet = try wb.readSheet(.index(s.index))
            _ = sheet.fillingMergedCells().rows.count
            for r in sheet.rows.prefix(50) { for c in r.cells { _ = c.csvText } }
        }
        return "read"
    } catch let e as SpreadsheetError {
        let m = Mirror(reflecting: e)
        return "refused." + (m.children.first?.label ?? "\(e)")
    } catch {
        return "UNTYPED \(error)"
    }
}

func exerciseCSV(_ bytes: [UInt8]) -> String {
    do {
        let s = try SpreadsheetReader.readSheet(data: Data(bytes), filename: "x.csv", limits: limits)
        return s.rows.isEmpty ? "csv.empty" : "csv.read"
    } catch is SpreadsheetError { return "csv.refused" } catch { return "UNTYPED \(error)" }
}

// MARK: run
installCrashHandler()
var rng = RNG(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
var counts: [String: Int] = [:]
var slowest = 0.0
var failures = 0
let started = Date()
for i in 0..<iterations {
    let si = rng.int(seeds.count)
    let input: [UInt8]
    let strategy = rng.int(10)
    if strategy < 5 { input = mutateBytes(seeds[si], &rng) }
    else if strategy < 9, let m = mutateXML(seedParts[si], &rng) { input = m }
    else { input = mutateBytes(Array("姓名,身份证\n\"张,三\",440982\n".utf8) + seeds[si].prefix(rng.int(64)), &rng) }
    crashLength = min(input.count, 1 << 22)
    input.withUnsafeBufferPointer { crashBuffer.update(from: $0.baseAddress!, count: crashLength) }
    let t0 = Date()
    let outcome = strategy == 9 ? exerciseCSV(input) : exercise(input)
    let dt = Date().timeIntervalSince(t0)
    slowest = max(slowest, dt)
    counts[outcome, default: 0] += 1
    if outcome.hasPrefix("UNTYPED") || dt > 2 {
        failures += 1
        let name = "fuzz-fail-\(i).xlsx"
        FileManager.default.createFile(atPath: name, contents: Data(input))
        FileHandle.standardError.write(Data("FAIL iteration \(i): \(outcome), \(String(format: "%.2f", dt)) s → \(name)\n".utf8))
    }
    if (i + 1) % 20_000 == 0 {
        print("\(i + 1) inputs, \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}
var usage = rusage()
getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
let peakMB = Int(usage.ru_maxrss) / 1024
print("inputs: \(iterations)  seeds: \(seeds.count)  time: \(String(format: "%.1f", Date().timeIntervalSince(started))) s  slowest: \(String(format: "%.3f", slowest)) s  peak RSS: \(peakMB) MB")
for (k, v) in counts.sorted(by: { $0.value > $1.value }) { print("  \(k): \(v)") }
if peakMB > 1024 { print("FAIL: peak RSS over 1024 MB"); failures += 1 }
print(failures == 0 ? "fuzz: \(iterations) passed, 0 failed" : "fuzz: \(iterations - failures) passed, \(failures) failed")
exit(failures == 0 ? 0 : 1)
