import Foundation
import MutualStore

/// The dashboard's charts as inline SVG: no script, no external resources, readable without
/// colour (every bar carries its figure as text, every line its points as marks), each with a
/// title and a description; the page puts the same figures in a table next to each.
enum DashboardCharts {
    static let ink = "#1b1f24"
    static let bar = "#0b5cad"
    static let muted = "#5b6570"

    /// The funnel: one horizontal bar per stage, its people and share of those enrolled at its end.
    static func funnel(_ stages: [ProgrammeDashboard.FunnelStage], id: String) -> String {
        guard !stages.isEmpty else { return "" }
        let labelWidth = 200.0, area = 360.0, row = 30.0
        let height = Double(stages.count) * row + 12
        let maximum = Double(max(1, stages.map(\.people).max() ?? 1))
        var svg = open(
            id: id, width: labelWidth + area + 110, height: height, title: "The programme's funnel",
            description: "For each of \(stages.count) stages from invitation to completion, a bar of the people who reached it, labelled with their number and share of those enrolled. The same figures are in the table below.")
        for (index, stage) in stages.enumerated() {
            let y = 6 + Double(index) * row
            let width = area * Double(stage.people) / maximum
            let share = stage.ofEnrolled.value.map { " · " + percent($0) } ?? ""
            svg += """
                <text x="\(Int(labelWidth) - 8)" y="\(fmt(y + 17))" text-anchor="end" fill="\(ink)">\(escape(stage.label))</text>
                <rect x="\(Int(labelWidth))" y="\(fmt(y + 4))" width="\(fmt(max(width, 1)))" height="18" fill="\(bar)"/>
                <text x="\(fmt(labelWidth + width + 6))" y="\(fmt(y + 17))" fill="\(ink)">\(stage.people)\(share)</text>

                """
        }
        return svg + "</g></svg>"
    }

    /// Meetings per relationship, one column per month, each labelled with its figure.
    static func meetingsByMonth(_ months: [ProgrammeDashboard.MonthOfMeetings], id: String) -> String {
        guard !months.isEmpty else { return "" }
        let left = 40.0, bottom = 40.0, top = 24.0, plot = 200.0, column = 52.0
        let width = left + Double(months.count) * column + 16
        let maximum = max(1, months.compactMap(\.perRelationship).max() ?? 1)
        var svg = open(
            id: id, width: width, height: top + plot + bottom, title: "Meetings per relationship, by month",
            description: "For each of \(months.count) months, a column of the meetings held per relationship open that month, labelled with its figure. The same figures are in the table below.")
        svg += "<line x1=\"\(Int(left))\" y1=\"\(fmt(top + plot))\" x2=\"\(fmt(width - 8))\" y2=\"\(fmt(top + plot))\" stroke=\"\(muted)\"/>\n"
        for (index, month) in months.enumerated() {
            let x = left + Double(index) * column + 8
            let value = month.perRelationship ?? 0
            let height = plot * value / maximum
            svg += """
                <rect x="\(fmt(x))" y="\(fmt(top + plot - height))" width="\(fmt(column - 16))" height="\(fmt(max(height, 0.5)))" fill="\(bar)"/>
                <text x="\(fmt(x + (column - 16) / 2))" y="\(fmt(top + plot - height - 5))" text-anchor="middle" fill="\(ink)">\(month.perRelationship.map { decimal($0) } ?? "–")</text>
                <text x="\(fmt(x + (column - 16) / 2))" y="\(fmt(top + plot + 16))" text-anchor="middle" fill="\(ink)">\(escape(shortMonth(month.month)))</text>

                """
        }
        return svg + "</g></svg>"
    }

    /// A KPI's trend: its value at each month's end as marked points joined by a line, and the
    /// target as a dashed line labelled "target".
    static func trend(_ result: ProgrammeDashboard.KPIResult, id: String) -> String {
        let points = result.trend
        guard points.contains(where: { $0.value != nil }) else { return "" }
        let left = 44.0, right = 60.0, top = 14.0, plot = 110.0, bottom = 26.0, step = 46.0
        let width = left + Double(max(points.count - 1, 1)) * step + right
        let values = points.compactMap(\.value) + [result.kpi.target]
        let maximum = max(values.max() ?? 1, 1) * 1.1
        func y(_ value: Double) -> Double { top + plot - plot * value / maximum }
        var svg = open(
            id: id, width: width, height: top + plot + bottom, title: "Trend of \(result.kpi.sentence)",
            description: "The value at the end of each month, marked with a circle and its figure, and the target \(decimal(result.kpi.target)) as a dashed line. The same figures are in the table next to it.")
        svg += """
            <line x1="\(Int(left))" y1="\(fmt(y(result.kpi.target)))" x2="\(fmt(width - right + 8))" y2="\(fmt(y(result.kpi.target)))" stroke="\(muted)" stroke-dasharray="6 4"/>
            <text x="\(fmt(width - right + 12))" y="\(fmt(y(result.kpi.target) + 4))" fill="\(muted)">target</text>

            """
        var path: [String] = []
        for (index, point) in points.enumerated() {
            let x = left + Double(index) * step
            svg += "<text x=\"\(fmt(x))\" y=\"\(fmt(top + plot + 18))\" text-anchor=\"middle\" fill=\"\(ink)\" font-size=\"11\">\(escape(point.label == "now" ? "now" : shortMonth(point.label)))</text>\n"
            guard let value = point.value else { continue }
            path.append("\(path.isEmpty ? "M" : "L")\(fmt(x)) \(fmt(y(value)))")
            svg += """
                <circle cx="\(fmt(x))" cy="\(fmt(y(value)))" r="3.5" fill="\(bar)"/>
                <text x="\(fmt(x))" y="\(fmt(y(value) - 7))" text-anchor="middle" fill="\(ink)" font-size="11">\(decimal(value))</text>

                """
        }
        svg += "<path d=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(bar)\" stroke-width=\"2\"/>\n"
        return svg + "</g></svg>"
    }

    // MARK: Pieces

    /// The opening tag: drawn at its natural size (one unit a CSS pixel), narrower on a phone.
    private static func open(id: String, width: Double, height: Double, title: String, description: String) -> String {
        """
        <svg class="chart natural" role="img" aria-labelledby="\(id)-title \(id)-desc" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
        <title id="\(id)-title">\(escape(title))</title>
        <desc id="\(id)-desc">\(escape(description))</desc>
        <g font-family="system-ui, sans-serif" font-size="13">

        """
    }

    static func percent(_ value: Double) -> String { "\(Int(value.rounded())) %" }

    /// A figure with at most one decimal: 6, 4.5, 0.3.
    static func decimal(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// "2026-09" → "Sep 26".
    static func shortMonth(_ month: String) -> String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = month.split(separator: "-")
        guard parts.count == 2, let number = Int(parts[1]), (1...12).contains(number) else { return month }
        return "\(names[number - 1]) \(parts[0].suffix(2))"
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
