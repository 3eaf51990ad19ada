// `liangbang xlsx …`: to-csv, info, from-csv. The app's executable only forwards its arguments here.

import Foundation

public enum SpreadsheetCLI {
    static let usage = """
    usage: liangbang xlsx to-csv FILE [--sheet NAME|INDEX]
           liangbang xlsx info FILE
           liangbang xlsx from-csv IN.csv --out OUT.xlsx [--text-columns 3,4] [--header-rows 1] [--sheet-name NAME]
                  [--title TEXT] [--dropdown COL=选项1/选项2]... [--note CELL=TEXT]...
    """

    /// Runs a subcommand; `args` excludes the program name and `xlsx`. Returns the exit code:
    /// 0 ok, 2 unreadable or refused file (one line on stderr), 64 usage error.
    public static func run(_ args: [String]) -> Int32 {
        guard let cmd = args.first else { return usageError("missing subcommand") }
        let rest = Array(args.dropFirst())
        do {
            switch cmd {
            case "to-csv": return try toCSV(rest)
            case "info": return try info(rest)
            case "from-csv": return try fromCSV(rest)
            case "-h", "--help", "help":
                printErr(usage); return 0
            default: return usageError("unknown subcommand \(cmd)")
            }
        } catch let e as SpreadsheetError {
            printErr("错误: " + e.message.replacingOccurrences(of: "\n", with: " "))
            return 2
        } catch let e as UsageError {
            return usageError(e.text)
        } catch {
            printErr("错误: \(error)")
            return 2
        }
    }

    struct UsageError: Error { var text: String }

    static func usageError(_ why: String) -> Int32 {
        printErr("\(why)\n\(usage)")
        return 64
    }

    static func printErr(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    /// Splits `FILE --opt value` style arguments.
    static func parse(_ args: [String], options: Set<String>) throws -> (positional: [String], opts: [String: String]) {
        let (pos, multi) = try parseMulti(args, options: options)
        return (pos, multi.mapValues { $0.last! })
    }

    /// Like `parse`, keeping every value of repeated options.
    static func parseMulti(_ args: [String], options: Set<String>) throws -> (positional: [String], opts: [String: [String]]) {
        var pos: [String] = [], opts: [String: [String]] = [:]
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                var key = a, value: String?
                if let eq = a.firstIndex(of: "=") { key = String(a[..<eq]); value = String(a[a.index(after: eq)...]) }
                guard options.contains(key) else { throw UsageError(text: "unknown option \(key)") }
                if value == nil {
                    guard i + 1 < args.count else { throw UsageError(text: "\(key) needs a value") }
                    i += 1; value = args[i]
                }
                opts[key, default: []].append(value!)
            } else {
                pos.append(a)
            }
            i += 1
        }
        return (pos, opts)
    }

    static func openWorkbook(_ path: String) throws -> Workbook {
        guard FileManager.default.fileExists(atPath: path) else { throw SpreadsheetError.io("文件不存在 \(path)") }
        return try Workbook(contentsOfFile: path)
    }

    static func toCSV(_ args: [String]) throws -> Int32 {
        let (pos, opts) = try parse(args, options: ["--sheet"])
        guard pos.count == 1 else { throw UsageError(text: "to-csv needs exactly one FILE") }
        let wb = try openWorkbook(pos[0])
        var selector = SheetSelector.index(0)
        if let s = opts["--sheet"] {
            if wb.sheets.contains(where: { $0.name == s }) { selector = .name(s) }
            else if let n = Int(s) { selector = .index(n - 1) }
            else { selector = .name(s) }
        }
        let out = ByteSink(fd: 1, threshold: 1 << 20)
        var sink = CSVSink(workbook: wb, out: out)
        _ = try wb.stream(try wb.sheetInfo(selector), into: &sink)
        try out.flush()
        return 0
    }

    static func info(_ args: [String]) throws -> Int32 {
        let (pos, _) = try parse(args, options: [])
        guard pos.count == 1 else { throw UsageError(text: "info needs exactly one FILE") }
        let wb = try openWorkbook(pos[0])
        var lines = ["index\tname\trows\tcolumns\thidden\tmerged"]
        for s in wb.sheets {
            var rows = 0, cols = 0
            let merges = try wb.forEachRow(in: .index(s.index)) { r in
                rows = max(rows, r.number); cols = max(cols, r.cells.last?.column ?? 0)
            }
            let hidden = s.isHidden ? "yes" : "no"
            lines.append("\(s.index + 1)\t\(s.name)\t\(rows)\t\(cols)\t\(hidden)\t\(merges.map(\.description).joined(separator: " "))")
        }
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        return 0
    }

    static func fromCSV(_ args: [String]) throws -> Int32 {
        let (pos, multi) = try parseMulti(args, options: ["--out", "--text-columns", "--header-rows", "--sheet-name",
                                                          "--title", "--dropdown", "--note"])
        let opts = multi.mapValues { $0.last! }
        var dropdowns: [Int: [String]] = [:]
        for d in multi["--dropdown"] ?? [] {
            let kv = d.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let col = Int(kv[0]), col >= 1 else { throw UsageError(text: "bad --dropdown \(d)") }
            dropdowns[col] = kv[1].split(separator: "/").map(String.init)
        }
        var notes: [CellRefKey: String] = [:]
        for n in multi["--note"] ?? [] {
            let kv = n.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let ref = CellRef.parse(String(kv[0])) else { throw UsageError(text: "bad --note \(n)") }
            notes[CellRefKey(row: ref.row, column: ref.column)] = String(kv[1])
        }
        guard pos.count == 1, let outPath = opts["--out"] else { throw UsageError(text: "from-csv needs IN.csv and --out OUT.xlsx") }
        var textColumns = Set<Int>()
        if let t = opts["--text-columns"] {
            for p in t.split(separator: ",") {
                guard let n = Int(p.trimmingCharacters(in: .whitespaces)), n >= 1 else { throw UsageError(text: "bad --text-columns \(t)") }
                textColumns.insert(n)
            }
        }
        guard let headerRows = Int(opts["--header-rows"] ?? "0"), headerRows >= 0 else { throw UsageError(text: "bad --header-rows") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: pos[0]), options: .alwaysMapped) }
        catch { throw SpreadsheetError.io("无法打开 \(pos[0])") }
        try CSVImport.write(csv: data, to: outPath, sheetName: opts["--sheet-name"] ?? "Sheet1",
                            textColumns: textColumns, headerRows: headerRows, title: opts["--title"],
                            dropdowns: dropdowns, notes: notes)
        return 0
    }
}

/// CSV → xlsx used by `from-csv`: numbers and ISO dates typed, text columns kept as text, header bold and frozen.
public struct CellRefKey: Hashable, Sendable {
    public var row: Int, column: Int
    public init(row: Int, column: Int) { self.row = row; self.column = column }
}

public enum CSVImport {
    /// - Parameters:
    ///   - title: a bold title row merged across the table's width, above the CSV's rows.
    ///   - dropdowns: drop-down options by 1-based column, applied below the header rows.
    ///   - notes: highlighted cells with a comment, by final (row, column) in the sheet.
    public static func write(csv data: Data, to path: String, sheetName: String = "Sheet1",
                             textColumns: Set<Int> = [], headerRows: Int = 0, title: String? = nil,
                             dropdowns: [Int: [String]] = [:], notes: [CellRefKey: String] = [:]) throws {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        else if String(validating: bytes, as: UTF8.self) == nil { bytes = Array(try CSV.decode(data).utf8) }

        // Widths come from the first rows, so those are buffered before the sheet starts.
        var records: [[String]] = []
        var widths: [Int: Double] = [:]
        var writer: XLSXWriter?
        var sheet: SheetWriter?
        var rowIndex = 0

        func start() throws {
            let w = try XLSXWriter(path: path)
            let top = title == nil ? 0 : 1
            let opts = SheetOptions(columnWidths: widths, textColumns: textColumns, frozenRows: headerRows + top)
            sheet = try w.addSheet(sheetName, options: opts)
            writer = w
            if let title {
                try sheet!.appendRow([WriteCell(.string(title), style: .title)], height: 30)
                let width = max(1, widths.keys.max() ?? 1)
                if width > 1 { sheet!.merge(CellRange(firstRow: 1, firstColumn: 1, lastRow: 1, lastColumn: width)) }
            }
            for (col, options) in dropdowns {
                sheet!.addDropDown(CellRange(firstRow: headerRows + top + 1, firstColumn: col, lastRow: CellRef.maxRow, lastColumn: col), options: options)
            }
            for r in records { try emit(r) }
            records.removeAll()
        }
        func emit(_ rec: [String]) throws {
            rowIndex += 1
            let header = rowIndex <= headerRows
            let sheetRow = sheet!.rowCount + 1
            try sheet!.appendRow(rec.enumerated().map { (i, f) in
                var cell: WriteCell
                if header { cell = WriteCell(.string(f), style: .header) }
                else if textColumns.contains(i + 1) { cell = WriteCell(.string(f)) }
                else { cell = WriteCell(infer(f)) }
                if let note = notes[CellRefKey(row: sheetRow, column: i + 1)] {
                    cell.comment = note
                    var st = cell.style ?? .plain
                    st.fill = CellStyle.highlight.fill
                    cell.style = st
                }
                return cell
            })
        }
        try bytes.withUnsafeBufferPointer { buf in
            try CSV.parseBytes(buf) { rec in
                let fields = (0..<rec.count).map { i in rec.withField(i) { String(decoding: $0, as: UTF8.self) } }
                if writer == nil {
                    for (i, f) in fields.enumerated() {
                        let w = f.unicodeScalars.reduce(0.0) { $0 + ($1.value > 0x2E80 ? 2 : 1) }
                        widths[i + 1] = min(50, max(widths[i + 1] ?? 8, w + 2))
                    }
                    records.append(fields)
                    if records.count >= 200 { try start() }
                } else {
                    try emit(fields)
                }
            }
        }
        if writer == nil { try start() }
        try writer!.close()
    }

    /// Number when the field is a plain decimal that survives a round trip (no leading zeros, ≤ 15 digits);
    /// a date for `yyyy-mm-dd`; else text.
    static func infer(_ f: String) -> WriteValue {
        if f.isEmpty { return .empty }
        let u = Array(f.utf8)
        if u.count == 10, u[4] == 0x2D, u[7] == 0x2D, let d = ISODate.parse(f) { return .date(year: d.year, month: d.month, day: d.day) }
        var digits = 0, dots = 0, i = 0
        if u[0] == UInt8(ascii: "-") { i = 1 }
        guard i < u.count else { return .string(f) }
        let intStart = i
        while i < u.count {
            let c = u[i]
            if c >= 0x30 && c <= 0x39 { digits += 1 } else if c == 0x2E { dots += 1 } else { return .string(f) }
            i += 1
        }
        guard digits >= 1, digits <= 15, dots <= 1, u.last != 0x2E, u[intStart] != 0x2E else { return .string(f) }
        if u[intStart] == 0x30 && u.count > intStart + 1 && u[intStart + 1] != 0x2E { return .string(f) }
        guard let d = Double(f) else { return .string(f) }
        return .number(d)
    }
}

/// Renders raw cells straight to CSV bytes (no Cell/String per value): the fast path of `to-csv`.
struct CSVSink: RawRowSink {
    let workbook: Workbook
    let out: ByteSink
    var row = 0
    var lastWrittenRow = 0
    var col = 0
    var started = false

    init(workbook: Workbook, out: ByteSink) { self.workbook = workbook; self.out = out }

    mutating func beginRow(_ number: Int) throws {
        row = number; col = 0; started = false
    }

    mutating func cell(_ c: RawCell, _ text: UnsafeBufferPointer<UInt8>) throws {
        guard c.hasValue, c.column > col else { return }
        if c.type == .number && text.isEmpty { return }
        if !started {
            started = true
            // Missing rows between two rows become blank lines so row numbers line up.
            if row > lastWrittenRow + 1 {
                for _ in 0..<(row - lastWrittenRow - 1) { out.buf.append(0x0A) }
            }
        }
        let commas = (c.column - 1) - (col > 0 ? col - 1 : 0)
        for _ in 0..<commas { out.buf.append(0x2C) }
        col = c.column
        switch c.type {
        case .shared:
            guard let i = XML.int(text, 0, text.count), let r = workbook.sharedStrings.range(i) else {
                throw SpreadsheetError.malformedXML(part: "worksheet", detail: "共享字符串索引无效")
            }
            workbook.sharedStrings.bytes.withUnsafeBufferPointer {
                CSV.appendField(UnsafeBufferPointer(rebasing: $0[r]), to: &out.buf)
            }
        case .inline, .formulaString, .error:
            CSV.appendField(text, to: &out.buf)
        case .bool:
            let t = text.count == 1 && text[0] == UInt8(ascii: "1") || String(decoding: text, as: UTF8.self).lowercased() == "true"
            out.append(t ? "TRUE" : "FALSE")
        case .number, .isoDate:
            if c.type == .number && workbook.styles.dateKind(c.style) == .none {
                CSV.appendField(text, to: &out.buf)
            } else if let cell = try workbook.typedCell(c, text) {
                out.append(cell.csvText.contains(",") || cell.csvText.contains("\"") || cell.csvText.contains("\n")
                           ? "\"" + cell.csvText.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell.csvText)
            }
        }
    }

    mutating func endRow() throws {
        if started {
            out.buf.append(0x0A)
            lastWrittenRow = max(lastWrittenRow, row)
            try out.flushIfNeeded()
        }
    }
}
