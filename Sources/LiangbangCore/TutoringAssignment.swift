// 附件1: which university tutors which county, with `*` meaning "every other county of the city".

public struct AssignmentRow: Sendable, Equatable {
    public let city: String
    /// County names, or empty for `*` / 其他区县.
    public let counties: [String]
    public let university: String

    public init(city: String, counties: [String], university: String) {
        self.city = city; self.counties = counties; self.university = university
    }
}

public enum AssignmentResolver {
    public struct Problem: Error, Equatable, Sendable { public let message: String }

    /// Resolves rows to one university per county. `countiesOfCity` lists each city's county names.
    /// Explicit rows win over `*` rows of the same city, whatever their order.
    public static func resolve(_ rows: [AssignmentRow], countiesOfCity: [String: [String]]) throws -> [(city: String, county: String, university: String)] {
        var explicit: [String: [String: String]] = [:]
        var wildcard: [String: String] = [:]
        for row in rows {
            guard let counties = countiesOfCity[row.city] else {
                throw Problem(message: "附件1中的地市“\(row.city)”不是广东省的地级市")
            }
            if row.counties.isEmpty {
                if let other = wildcard[row.city], other != row.university {
                    throw Problem(message: "\(row.city)的“其他区县”同时对接了\(other)和\(row.university)")
                }
                wildcard[row.city] = row.university
            } else {
                for county in row.counties {
                    guard counties.contains(county) else {
                        throw Problem(message: "附件1中的“\(county)”不是\(row.city)的县（市、区）")
                    }
                    if let other = explicit[row.city]?[county], other != row.university {
                        throw Problem(message: "\(county)同时对接了\(other)和\(row.university)")
                    }
                    explicit[row.city, default: [:]][county] = row.university
                }
            }
        }
        var out: [(String, String, String)] = []
        for city in countiesOfCity.keys.sorted() {
            for county in countiesOfCity[city]! {
                if let u = explicit[city]?[county] ?? wildcard[city] { out.append((city, county, u)) }
            }
        }
        return out
    }
}
