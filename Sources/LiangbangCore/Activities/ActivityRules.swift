// Every rule one 附件3 line (or one API request) must pass before the activity is stored.

/// One validated activity.
public struct ActivityEntry: Sendable, Equatable, Codable {
    public var row: Int
    /// 主办单位 as typed; empty when the line leaves it to the reporting unit (the caller fills in its name).
    public var host: String
    public var coHosts: String
    public var startDate: LocalDate
    public var endDate: LocalDate
    public var category: ActivityCategory
    public var workItem: WorkItem?
    public var title: String
    public var summary: String
    public var peopleCovered: Int
    public var reportLinks: [String]
    public var keyPublicity: Bool
    public var demonstration: Bool
    public var status: ActivityStatus

    public init(row: Int = 0, host: String = "", coHosts: String = "", startDate: LocalDate, endDate: LocalDate,
                category: ActivityCategory, workItem: WorkItem? = nil, title: String, summary: String = "",
                peopleCovered: Int = 0, reportLinks: [String] = [], keyPublicity: Bool = false,
                demonstration: Bool = false, status: ActivityStatus = .planned) {
        self.row = row; self.host = host; self.coHosts = coHosts; self.startDate = startDate; self.endDate = endDate
        self.category = category; self.workItem = workItem; self.title = title; self.summary = summary
        self.peopleCovered = peopleCovered; self.reportLinks = reportLinks; self.keyPublicity = keyPublicity
        self.demonstration = demonstration; self.status = status
    }
}

public enum ActivityRules {
    /// 活动概况和特色亮点: at most 100 characters as a reader counts them (Swift `Character`s, so 中, 😀 and é are one each).
    public static let summaryLimit = 100
    public static let titleLimit = 100

    /// Validates one line. Returns the entry when it has no errors (warnings allowed), and every problem found.
    /// `today`, when given, decides the status of a line that leaves 状态 empty: held when it ended before today.
    public static func validate(_ input: ActivityInput, campaignYear: Int, today: LocalDate? = nil) -> (ActivityEntry?, [RowProblem]) {
        typealias C = ActivityColumns
        var problems: [RowProblem] = []
        func error(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message)) }
        func warn(_ column: String, _ message: String) { problems.append(RowProblem(row: input.row, column: column, message: message, warning: true)) }

        let title = input.plain(C.title)
        if title.isEmpty { error(C.title, "“活动主题”不能为空") }
        else if title.count > titleLimit { error(C.title, "活动主题共\(title.count)字，最多\(titleLimit)字；概况请写在“活动概况和特色亮点”一列") }

        let summary = input.summaryText
        if summary.count > summaryLimit {
            error(C.summary, "活动概况和特色亮点共\(summary.count)字，超过\(summaryLimit)字的上限，请删减\(summary.count - summaryLimit)字")
        } else if summary.isEmpty { warn(C.summary, "未填写活动概况和特色亮点") }

        var span: DateSpan?
        let timeText = input.clean(C.time)
        if timeText.isEmpty { error(C.time, "“开展时间”不能为空，请写成 2022-07-15 或 7.15-7.20") }
        else if let result = ActivityDates.parse(timeText, year: campaignYear) {
            let parsed = result.span
            result.warnings.forEach { warn(C.time, $0) }
            if parsed.end < parsed.start {
                error(C.time, "开展时间的结束日期\(parsed.end.iso)早于开始日期\(parsed.start.iso)")
            } else if parsed.start.year != campaignYear || parsed.end.year != campaignYear {
                let outside = parsed.start.year != campaignYear ? parsed.start : parsed.end
                error(C.time, "开展时间\(outside.iso)不在\(campaignYear)年度内，请核对年份")
            } else { span = parsed }
        } else {
            error(C.time, "开展时间“\(timeText)”无法识别，请写成 2022-07-15、7月15日，或 7.15-7.20 这样的起止日期")
        }

        let workText = input.clean(C.workItem)
        let workItem = WorkItem.parse(workText)
        if !workText.isEmpty && workItem == nil {
            error(C.workItem, "工作事项“\(workText)”无法识别，请填写通知列出的11项之一，如“青年云支教”“健康直通车”，或其序号1–11")
        }

        var category: ActivityCategory?
        let categoryText = input.clean(C.category)
        if categoryText.isEmpty {
            if let workItem {
                category = workItem.category
                warn(C.category, "未填写活动类别，已按工作事项“\(workItem.label)”记为“\(workItem.category.label)”")
            } else { error(C.category, "“活动类别”不能为空，请填写\(ActivityCategory.choices)之一") }
        } else if let parsed = ActivityCategory.parse(categoryText) {
            category = parsed
            if let workItem, workItem.category != parsed {
                warn(C.category, "工作事项“\(workItem.label)”属于“\(workItem.category.label)”方面，本行活动类别填写为“\(parsed.label)”，请核对")
            }
        } else if ActivityCategory.allCases.filter({ categoryText.contains($0.label) }).count > 1 {
            error(C.category, "活动类别只能填一个，“\(categoryText)”包含了多个，请选择最主要的一类")
        } else {
            error(C.category, "活动类别“\(categoryText)”不是规定的类别，请填写\(ActivityCategory.choices)之一")
        }

        var people = 0
        let peopleText = input.clean(C.peopleCovered)
        if peopleText.isEmpty { warn(C.peopleCovered, "未填写覆盖人数，按0人计") }
        else {
            let parsed = ActivityFields.coverage(peopleText)
            if let value = parsed.value { people = value } else if let problem = parsed.problem { error(C.peopleCovered, problem) }
            if let warning = parsed.warning { warn(C.peopleCovered, warning) }
        }

        let (links, refused, labelled) = ActivityFields.links(input[C.reportLinks])
        if !labelled.isEmpty { warn(C.reportLinks, "报道链接前的说明文字已去掉，只保留网址：“" + labelled.joined(separator: "”“") + "”") }
        if !refused.isEmpty {
            // A web address typed without its scheme (www.…, mp.weixin.qq.com/…): say exactly what to write.
            let fixes = refused.filter { $0.contains(".") && !$0.contains(" ") && !$0.contains("://") }.map { "https://" + $0 }
            error(C.reportLinks, "报道链接只能是以 http:// 或 https:// 开头的网址，以下内容不是：“" + refused.joined(separator: "”“")
                  + "”。" + (fixes.isEmpty ? "" : "请以 http:// 或 https:// 开头，如“" + fixes.joined(separator: "”“") + "”。") + "多个网址请用换行或逗号分隔")
        }

        func flag(_ column: String) -> Bool {
            let text = input.clean(column)
            if let value = ActivityFields.flag(text) { return value }
            error(column, "“\(column)”填写为“\(text)”，请打“√”或填写“是”，不是则留空")
            return false
        }
        let keyPublicity = flag(C.keyPublicity)
        let demonstration = flag(C.demonstration)

        var status: ActivityStatus = .planned
        let statusText = input.clean(C.status)
        if let parsed = ActivityStatus.parse(statusText) { status = parsed }
        else if !statusText.isEmpty { error(C.status, "状态“\(statusText)”无法识别，请填写“计划”或“已开展”") }
        else if let today, let span, span.end < today { status = .held }

        guard !problems.contains(where: { !$0.warning }), let span, let category else { return (nil, problems) }
        return (ActivityEntry(row: input.row, host: input.plain(C.host), coHosts: input.plain(C.coHosts), startDate: span.start,
                              endDate: span.end, category: category, workItem: workItem, title: title, summary: summary,
                              peopleCovered: people, reportLinks: links, keyPublicity: keyPublicity,
                              demonstration: demonstration, status: status), problems)
    }
}
