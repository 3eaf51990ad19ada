// One school's 希望乡村教师 timeline as inline SVG, drawn on the server: a bar per posting (an early end in grey
// after it), gaps over 31 school days in red, the as-of day as a line, years along the bottom.
import LiangbangCore
import Vapor

enum CoverageTimeline {
    static let width = 720, lane = 18, axis = 20, labelWidth = 120

    static func svg(_ school: DeploymentCoverage.School, asOf: LocalDate) -> String {
        let terms = school.deployments.map(\.term)
        let first = min(terms.map(\.lowerBound).min() ?? asOf, asOf)
        let last = max(school.deployments.map(\.plannedEnd).max() ?? asOf, asOf)
        let from = LocalDate(year: first.year, month: 1, day: 1)!, to = LocalDate(year: last.year + 1, month: 1, day: 1)!
        let span = Double(max(1, to.dayNumber - from.dayNumber)), plot = Double(width - labelWidth - 8)
        func x(_ d: LocalDate) -> Int { labelWidth + Int((Double(d.dayNumber - from.dayNumber) / span * plot).rounded()) }
        let height = school.deployments.count * lane + axis + 6
        let gaps = school.coverage.gaps
        let summary = "\(school.name)：\(school.deployments.count)段派驻" + (gaps.isEmpty ? "，无空档" : "，\(gaps.count)处空档（"
            + gaps.map { "\($0.from.iso)至\($0.to.iso)，\($0.days)天" }.joined(separator: "；") + "）")
            + (school.coverage.relayDue ? "，需接续" : "")
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 \(width) \(height)\" role=\"img\""
            + " aria-label=\"\(esc(summary))\" font-family=\"Noto Sans CJK SC, sans-serif\" font-size=\"12\">"
        for g in gaps {
            s += "<rect class=\"gap\" x=\"\(x(g.from))\" y=\"0\" width=\"\(max(2, x(g.to.adding(days: 1)) - x(g.from)))\" height=\"\(height - axis)\" fill=\"#d93025\" fill-opacity=\"0.85\"><title>\(esc("空档 \(g.from.iso)至\(g.to.iso)，\(g.days)天（不含寒暑假）"))</title></rect>"
        }
        for (i, d) in school.deployments.enumerated() {
            let y = i * lane + 2, term = d.term
            let label = "\(d.volunteerName)·\(d.subject)"
            s += "<text x=\"0\" y=\"\(y + 12)\" fill=\"#222\">\(esc(String(label.prefix(9))))</text>"
            s += "<rect class=\"posting\" x=\"\(x(term.lowerBound))\" y=\"\(y)\" width=\"\(max(2, x(term.upperBound.adding(days: 1)) - x(term.lowerBound)))\" height=\"\(lane - 4)\" rx=\"3\" fill=\"#1a5fb4\">"
                + "<title>\(esc("\(d.volunteerName)（\(d.programmeLabel)，\(d.subject)）\(term.lowerBound.iso)至\(term.upperBound.iso)"))</title></rect>"
            if d.endedOn != nil, term.upperBound < d.plannedEnd {
                s += "<rect x=\"\(x(term.upperBound.adding(days: 1)))\" y=\"\(y + 5)\" width=\"\(max(1, x(d.plannedEnd) - x(term.upperBound.adding(days: 1))))\" height=\"4\" fill=\"#9a9a9a\"><title>\(esc("原计划至\(d.endDate)，提前结束"))</title></rect>"
            }
        }
        let base = height - axis
        s += "<line x1=\"\(labelWidth)\" y1=\"\(base)\" x2=\"\(width - 8)\" y2=\"\(base)\" stroke=\"#666\"/>"
        for year in from.year...to.year {
            let d = LocalDate(year: year, month: 1, day: 1)!
            s += "<line x1=\"\(x(d))\" y1=\"\(base)\" x2=\"\(x(d))\" y2=\"\(base + 4)\" stroke=\"#666\"/>"
            if year < to.year { s += "<text x=\"\(x(d) + 3)\" y=\"\(base + 15)\" fill=\"#444\">\(year)</text>" }
        }
        s += "<line class=\"as-of\" x1=\"\(x(asOf))\" y1=\"0\" x2=\"\(x(asOf))\" y2=\"\(base)\" stroke=\"#111\" stroke-dasharray=\"3 2\"><title>\(esc("截至 \(asOf.iso)"))</title></line>"
        return s + "</svg>"
    }

    static func esc(_ text: String) -> String { FieldErrorTag.escape(text) }
}
