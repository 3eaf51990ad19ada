// 附件3 活动汇总表: the columns as the notice prints them, the names offices give them, and one line as typed.

public enum ActivityColumns {
    public static let host = "主办单位"
    public static let coHosts = "联合开展单位"
    public static let time = "开展时间"
    public static let category = "活动类别"
    public static let title = "活动主题"
    public static let summary = "活动概况和特色亮点"
    public static let peopleCovered = "覆盖人数"
    public static let reportLinks = "报道链接"
    public static let keyPublicity = "重点宣传项目"
    // Ours, after the official ten: optional, so the unchanged notice template still imports.
    public static let workItem = "工作事项"
    public static let demonstration = "示范活动"
    public static let status = "状态"

    /// The official columns in the form's order (序号 is left out: templates number rows far below the data).
    /// Only time, category and title are required to find the header: offices delete columns they leave empty.
    public static let specs: [ColumnSpec] = [
        ColumnSpec(host, aliases: ["主办方", "举办单位", "主办单位名称", "牵头单位"], required: false),
        ColumnSpec(coHosts, aliases: ["联合单位", "联办单位", "协办单位", "合作单位", "联合开展单位名称", "联合主办单位"], required: false),
        ColumnSpec(time, aliases: ["活动时间", "时间", "日期", "活动日期", "开展日期", "举办时间", "计划开展时间", "开展时间（起止）"]),
        ColumnSpec(category, aliases: ["类别", "活动类型", "类型", "活动分类"]),
        ColumnSpec(title, aliases: ["活动名称", "主题", "名称", "活动标题", "项目名称", "活动主题（名称）"]),
        ColumnSpec(summary, aliases: ["活动概况和特色亮点（不超过100字）", "活动概况及特色亮点", "活动概况和特色亮点（100字以内）",
                                      "活动概况", "特色亮点", "活动简介", "活动内容", "概况"], required: false),
        ColumnSpec(peopleCovered, aliases: ["覆盖人数（人）", "覆盖人次", "参与人数", "服务人数", "受益人数", "人数", "覆盖人群及人数", "覆盖人群和人数"], required: false),
        ColumnSpec(reportLinks, aliases: ["报道链接（网址）", "宣传报道链接", "新闻链接", "宣传链接", "报道", "链接"], required: false),
        ColumnSpec(keyPublicity, aliases: ["重点宣传项目（√）", "重点宣传项目（打√）", "是否重点宣传项目", "是否为重点宣传项目",
                                           "重点宣传", "推荐重点宣传项目", "是否推荐为重点宣传项目", "是否推荐重点宣传项目"], required: false),
        ColumnSpec(workItem, aliases: ["所属工作事项", "工作内容", "所属项目", "项目类别", "工作项目"], required: false),
        ColumnSpec(demonstration, aliases: ["是否示范活动", "是否为示范活动", "示范活动（√）", "示范"], required: false),
        ColumnSpec(status, aliases: ["活动状态", "开展状态", "是否已开展", "进展"], required: false),
    ]

    /// What the printed template puts in its first sample row; it is a hint, not a summary.
    static let summaryPlaceholders: Set<String> = ["不超过100字", "100字以内"]
}

/// One line of an activity table (or one API request), every value as typed; keys are `ActivityColumns` titles.
public struct ActivityInput: Sendable, Equatable {
    public var row: Int
    public var values: [String: String]

    public init(row: Int, values: [String: String]) { self.row = row; self.values = values }

    /// For the form and the API: `time` is a date or a range (`2022-07-15` or `2022-07-15至2022-07-20`),
    /// `reportLinks` one URL per line, flags as `√`/`是`/`true`.
    public init(row: Int = 0, host: String = "", coHosts: String = "", time: String, category: String, title: String,
                summary: String = "", peopleCovered: String = "", reportLinks: String = "", keyPublicity: String = "",
                workItem: String = "", demonstration: String = "", status: String = "") {
        self.init(row: row, values: [
            ActivityColumns.host: host, ActivityColumns.coHosts: coHosts, ActivityColumns.time: time,
            ActivityColumns.category: category, ActivityColumns.title: title, ActivityColumns.summary: summary,
            ActivityColumns.peopleCovered: peopleCovered, ActivityColumns.reportLinks: reportLinks,
            ActivityColumns.keyPublicity: keyPublicity, ActivityColumns.workItem: workItem,
            ActivityColumns.demonstration: demonstration, ActivityColumns.status: status,
        ])
    }

    /// The raw cell, untouched (links, free text with line breaks).
    public subscript(_ column: String) -> String { values[column] ?? "" }
    /// Codes, numbers, dates, flags: trimmed and full-width folded.
    func clean(_ column: String) -> String { TextNormaliser.clean(self[column]) }
    /// Names and prose: only trimmed, characters kept as typed.
    func plain(_ column: String) -> String { TextNormaliser.trim(self[column]) }

    /// The summary without the template's "（不超过100字）" hint.
    var summaryText: String {
        let text = plain(ActivityColumns.summary)
        if ActivityColumns.summaryPlaceholders.contains(TextNormaliser.headerKey(text)) { return "" }
        // The hint left in front of what the office typed after it: "（不超过100字）组织志愿者……".
        for hint in ["（不超过100字）", "(不超过100字)", "（100字以内）", "(100字以内)"] where text.hasPrefix(hint) {
            return TextNormaliser.trim(String(text.dropFirst(hint.count)))
        }
        return text
    }

    /// The unfilled sample row of the printed template (only the hint and a √): skip it rather than refuse it.
    public var isTemplatePlaceholder: Bool {
        let filled = values.filter { key, value in
            key != ActivityColumns.keyPublicity && key != ActivityColumns.summary && !TextNormaliser.clean(value).isEmpty
        }
        return filled.isEmpty && summaryText.isEmpty
    }
}
