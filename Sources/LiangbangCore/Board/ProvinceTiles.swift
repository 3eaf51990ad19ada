// The province at a glance (issue 11 §9): Guangdong's 21 cities as a tile map — a hand-placed grid that keeps their
// arrangement (粤北 on top, 珠三角 in the middle, 粤东 right, 粤西 left) — and the colour scale its tiles use.

public enum ProvinceTiles {
    /// Column and row of each city's tile (names as in the divisions, without 市).
    /// 粤北 (the divisions' region column) fills the top row; 粤西 the two left columns; 粤东 the columns right of
    /// every 珠三角 city; 珠三角 in between, with 珠海 below 中山 and 深圳 beside 东莞.
    public static let grid: [String: (column: Int, row: Int)] = [
        "云浮": (2, 0), "清远": (3, 0), "韶关": (4, 0), "河源": (5, 0), "梅州": (6, 0),
        "肇庆": (2, 1), "佛山": (3, 1), "广州": (4, 1), "惠州": (5, 1), "揭阳": (7, 1), "潮州": (8, 1),
        "茂名": (0, 2), "阳江": (1, 2), "江门": (2, 2), "中山": (3, 2), "东莞": (4, 2), "深圳": (5, 2), "汕尾": (6, 2), "汕头": (7, 2),
        "湛江": (0, 3), "珠海": (3, 3),
    ]
    public static let columns = 9
    public static let rows = 4

    /// The tile of a city named as in the divisions (`广州市`), nil for anything else.
    public static func tile(for cityName: String) -> (column: Int, row: Int)? {
        grid[cityName.hasSuffix("市") ? String(cityName.dropLast()) : cityName]
    }

    /// Five bands of a percentage, worst first; nil (no data) is its own grey band.
    public struct Band: Sendable, Equatable {
        public let label: String
        /// Fill, and the text colour that keeps 4.5:1 contrast on it.
        public let fill: String
        public let text: String
    }

    public static let bands: [Band] = [
        Band(label: "低于50%", fill: "#b3261e", text: "#ffffff"),
        Band(label: "50%–69%", fill: "#e8833a", text: "#1a1a1a"),
        Band(label: "70%–84%", fill: "#f2c94c", text: "#1a1a1a"),
        Band(label: "85%–99%", fill: "#7cc47f", text: "#1a1a1a"),
        Band(label: "100%", fill: "#1f7a3a", text: "#ffffff"),
    ]
    public static let noData = Band(label: "暂无数据", fill: "#e6e6e6", text: "#333333")

    public static func band(_ percent: Int?) -> Band {
        guard let p = percent else { return noData }
        switch p {
        case ..<50: return bands[0]
        case 50..<70: return bands[1]
        case 70..<85: return bands[2]
        case 85..<100: return bands[3]
        default: return bands[4]
        }
    }

    /// `part` of `whole` as a whole percentage, rounded as the boards round, except that only all is 100% and only
    /// none is 0% (one unit of 300 missing is 99%, so its tile is not the "done" colour); nil when nothing is counted.
    public static func percent(_ part: Int, of whole: Int) -> Int? {
        guard whole > 0 else { return nil }
        let part = max(0, min(part, whole))
        let rounded = (part * 100 + whole / 2) / whole
        return part == whole ? 100 : part == 0 ? 0 : min(99, max(1, rounded))
    }
}
