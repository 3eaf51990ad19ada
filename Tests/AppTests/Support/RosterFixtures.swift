// Synthetic roster lines (generated names, valid check digits, no real person) and upload helpers.
@testable import App
import Foundation
import LiangbangCore
import Vapor
import VaporTesting

enum TestIDs {
    /// A valid ID: county code + birth date (yyyyMMdd) + 3-digit sequence + check character.
    static func make(_ county: String, _ birth: String, _ seq: Int) -> String {
        let first17 = county + birth + String(format: "%03d", seq)
        return first17 + String(IDNumber.checkCharacter(for: first17.map { Int(String($0))! }))
    }
}

struct RosterLine {
    var pupilName = "李小明"
    var sex = "男"
    var pupilID = TestIDs.make("440203", "20100315", 123)
    var studentNo = ""
    var school = "韶关市第一小学"
    var gradeClass = "五年级2班"
    var county = "武江区"
    var volunteerName = "王志愿"
    var volunteerID = TestIDs.make("440104", "20010101", 457)

    static let header = "序号,学生姓名,性别,身份证号,学籍号,在读学校,年级班级,所在县（市、区）,结对志愿者,结对志愿者身份证号"

    /// `n` distinct lines for 韶关学院's counties.
    static func many(_ n: Int, county: String = "武江区", countyCode: String = "440203") -> [RosterLine] {
        (0..<n).map { i in
            RosterLine(pupilName: "学生\(i)", sex: i % 2 == 0 ? "男" : "女", pupilID: TestIDs.make(countyCode, "20100315", 100 + i * 2 + (i % 2 == 0 ? 1 : 0)),
                       county: county, volunteerName: "志愿者\(i)", volunteerID: TestIDs.make("440104", "20010101", 300 + i))
        }
    }

    var csv: String { [pupilName, sex, pupilID, studentNo, school, gradeClass, county, volunteerName, volunteerID].joined(separator: ",") }

    static func csv(_ lines: [RosterLine]) -> String {
        ([header] + lines.enumerated().map { "\($0.offset + 1)," + $0.element.csv }).joined(separator: "\r\n") + "\r\n"
    }
}

extension Application {
    /// Posts a file as multipart/form-data field `file`.
    func upload(_ path: String, headers: HTTPHeaders, filename: String = "roster.csv", content: String) async throws -> TestingHTTPResponse {
        try await upload(path, headers: headers, filename: filename, data: Data(content.utf8))
    }

    /// `fields`: more form fields sent with the file (a page form's `mode`, `campaign`…).
    func upload(_ path: String, headers: HTTPHeaders, filename: String, data: Data, fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        try await upload(path, headers: headers, files: [("file", filename, data)], fields: fields)
    }

    /// Several files, each as its own multipart field (`pupils`, `volunteers`), with more form fields.
    func upload(_ path: String, headers: HTTPHeaders, files: [(field: String, filename: String, data: Data)], fields: [String: String] = [:]) async throws -> TestingHTTPResponse {
        let boundary = "----liangbang\(UUID().uuidString)"
        var body = ByteBuffer()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.data)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        var headers = headers
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await testing().sendRequest(.POST, path, headers: headers, body: body)
    }
}
