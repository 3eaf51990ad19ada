// What the two lists of 智能结对 are written in: subjects, dialects and time slots, read into bit sets so that the
// hard rules over millions of candidate pairs are a few AND instructions.

public struct BitSet32: Sendable, Hashable {
    public var bits: UInt32
    public init(_ bits: UInt32 = 0) { self.bits = bits }
    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }
    public func intersection(_ o: BitSet32) -> BitSet32 { BitSet32(bits & o.bits) }
    public func overlaps(_ o: BitSet32) -> Bool { bits & o.bits != 0 }
    public var indices: [Int] { (0..<32).filter { bits & (1 << UInt32($0)) != 0 } }
}

/// A closed list of words (科目, 方言): reads a cell like “语文、数学，英语” into a set, naming what it did not know.
public struct Vocabulary: Sendable {
    public let words: [String]
    private let index: [String: Int]

    public init(_ words: [String], aliases: [String: String] = [:]) {
        self.words = words
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() { index[w] = i }
        for (alias, word) in aliases { if let i = index[word] { index[alias] = i } }
        self.index = index
    }

    public static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { "、，,;；/ \u{3000}\t\n".contains($0) }).map(String.init).filter { !$0.isEmpty }
    }

    /// The set, and the parts that are not words of the list.
    public func read(_ text: String) -> (BitSet32, [String]) {
        var set = BitSet32(), unknown: [String] = []
        for part in Self.split(text) {
            if let i = index[part] { set.bits |= 1 << UInt32(i) } else { unknown.append(part) }
        }
        return (set, unknown)
    }

    public func names(_ set: BitSet32) -> [String] { set.indices.filter { $0 < words.count }.map { words[$0] } }
}

public enum MatchVocabulary {
    public static let subjects = Vocabulary(
        ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治", "科学", "信息技术", "音乐", "美术", "体育", "心理健康"],
        aliases: ["政治": "道德与法治", "思想政治": "道德与法治", "道法": "道德与法治", "外语": "英语", "计算机": "信息技术",
                  "信息科技": "信息技术", "生物学": "生物", "心理": "心理健康", "书法": "美术"])

    public static let dialects = Vocabulary(["普通话", "粤语", "客家话", "潮汕话"],
                                            aliases: ["广州话": "粤语", "白话": "粤语", "广东话": "粤语", "客家": "客家话",
                                                      "潮州话": "潮汕话", "潮汕": "潮汕话", "闽南话": "潮汕话"])

    static let days = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
    static let parts = ["上午", "下午", "晚"]

    /// 21 slots: 周一上午 … 周日晚.
    public static func slotName(_ i: Int) -> String { days[i / 3] + parts[i % 3] }

    /// Reads 可辅导时间: “周一晚、周三晚、周六上午、周日下午”, also 星期三晚上, 周末上午 (both days), 周三 (the whole day).
    public static func slots(_ text: String) -> (BitSet32, [String]) {
        var set = BitSet32(), unknown: [String] = []
        for raw in Vocabulary.split(text) {
            var part = raw.replacingOccurrences(of: "星期", with: "周").replacingOccurrences(of: "礼拜", with: "周")
                .replacingOccurrences(of: "晚上", with: "晚").replacingOccurrences(of: "周天", with: "周日")
                .replacingOccurrences(of: "周七", with: "周日")
            if part.hasSuffix("全天") { part.removeLast(2) }
            var dayIndices: [Int]
            var rest: Substring
            if part.hasPrefix("周末") { dayIndices = [5, 6]; rest = part.dropFirst(2) }
            else if part.hasPrefix("工作日") { dayIndices = [0, 1, 2, 3, 4]; rest = part.dropFirst(3) }
            else if let d = days.firstIndex(where: { part.hasPrefix($0) }) { dayIndices = [d]; rest = part.dropFirst(2) }
            else { unknown.append(raw); continue }
            let partIndices: [Int]
            if rest.isEmpty { partIndices = [0, 1, 2] }
            else if let p = parts.firstIndex(of: String(rest)) { partIndices = [p] }
            else { unknown.append(raw); continue }
            for d in dayIndices { for p in partIndices { set.bits |= 1 << UInt32(d * 3 + p) } }
        }
        return (set, unknown)
    }

    public static func slotNames(_ set: BitSet32) -> [String] { set.indices.filter { $0 < 21 }.map(slotName) }

    /// Which subjects a major prepares for (专业对口): words in the major's name.
    static let majorWords: [(String, [String])] = [
        ("语文", ["汉语", "中文", "文学", "语言", "新闻", "编辑", "秘书"]),
        ("数学", ["数学", "统计", "计算数学", "金融", "经济", "会计", "精算"]),
        ("英语", ["英语", "外语", "翻译", "商务英语", "国际"]),
        ("物理", ["物理", "电子", "电气", "机械", "光电", "力学", "自动化"]),
        ("化学", ["化学", "化工", "材料", "药学", "制药"]),
        ("生物", ["生物", "生命", "医学", "农学", "生态", "食品"]),
        ("历史", ["历史", "考古", "文博"]),
        ("地理", ["地理", "测绘", "环境", "地质"]),
        ("道德与法治", ["法学", "政治", "思政", "马克思", "哲学", "社会"]),
        ("科学", ["科学", "工程"]),
        ("信息技术", ["计算机", "软件", "信息", "网络", "数据", "人工智能"]),
        ("音乐", ["音乐", "声乐", "舞蹈"]),
        ("美术", ["美术", "设计", "绘画", "艺术"]),
        ("体育", ["体育", "运动"]),
        ("心理健康", ["心理"]),
    ]

    /// The subjects a major fits.
    public static func subjects(ofMajor major: String) -> BitSet32 {
        var set = BitSet32()
        for (subject, words) in majorWords where words.contains(where: { major.contains($0) }) {
            if let (bits, _) = Optional(subjects.read(subject)) { set.bits |= bits.bits }
        }
        return set
    }
}
