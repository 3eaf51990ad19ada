// Reads the reference data shipped in Resources/Seed (GB/T 2260 divisions, 附件1, universities).
import Foundation
import LiangbangCore

struct ReferenceData: Sendable {
    struct Division: Sendable { let code, name, level, parentCode, region: String }
    struct University: Sendable { let name, cityCode: String }

    let divisions: [Division]
    let universities: [University]
    let assignments: [AssignmentRow]

    init(directory: String) throws {
        func rows(_ file: String) throws -> [[String]] {
            let text = try String(contentsOfFile: directory + file, encoding: .utf8)
            // These files are ours: plain comma-separated, no quoted fields.
            return text.split(whereSeparator: \.isNewline).dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        divisions = try rows("guangdong-divisions.csv").map {
            Division(code: $0[0], name: $0[1], level: $0[2], parentCode: $0[3], region: $0[4])
        }
        universities = try rows("universities.csv").map { University(name: $0[0], cityCode: $0[1]) }
        assignments = try rows("attachment1-cloud-tutoring-assignments.csv").map {
            AssignmentRow(city: $0[0], counties: $0[1] == "*" ? [] : $0[1].split(separator: ";").map(String.init), university: $0[2])
        }
    }
}
