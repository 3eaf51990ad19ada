// The one way files leave the server: xlsx built in a temporary file, CSV as Excel opens it, and the response headers.
import Foundation
import Spreadsheet
import Vapor

enum ExportFormat: String, Codable, CaseIterable, Sendable {
    case xlsx, docx, csv

    var contentType: String {
        switch self {
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .csv: return "text/csv; charset=utf-8"
        }
    }
}

enum Download {
    /// An attachment response; the Chinese file name travels in `filename*` (RFC 5987), an ASCII one beside it.
    static func response(_ data: Data, filename: String, format: ExportFormat) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: format.contentType)
        let name = filename.hasSuffix("." + format.rawValue) ? filename : filename + "." + format.rawValue
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "export." + format.rawValue
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"export.\(format.rawValue)\"; filename*=UTF-8''\(encoded)")
        return response
    }

    /// Builds a workbook with the streaming writer (it needs a file) and returns its bytes.
    static func xlsx(_ build: (XLSXWriter) throws -> Void) throws -> Data {
        let path = NSTemporaryDirectory() + "liangbang-" + UUID().uuidString + ".xlsx"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(path: path)
        try build(writer)
        try writer.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// UTF-8 with a BOM and CRLF, so Excel opens Chinese text correctly; quoted where needed; a leading
    /// = + - @ is neutralised so a cell cannot become a formula.
    static func csv(_ rows: [[String]]) -> Data {
        func field(_ value: String) -> String {
            var s = value
            if let f = s.first, "=+-@".contains(f) { s = "'" + s }
            return s.contains(where: { ",\"\n\r".contains($0) }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        return Data(("\u{FEFF}" + rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()).utf8)
    }
}
