import Foundation
import MutualStore

/// Draws the skills map as an accessible inline SVG: for each skill, a bar for the people who
/// can teach it and a bar for the people who want it. No script, no external resources.
enum SkillsMapChart {
    static let teacherColour = "#146c43"
    static let learnerColour = "#0b5cad"

    static func svg(for rows: [SkillDemand]) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = 190.0, barArea = 420.0, rowHeight = 34.0, top = 34.0
        let width = labelWidth + barArea + 60
        let height = top + Double(rows.count) * rowHeight + 10
        let maximum = Double(max(1, rows.map { max($0.teachers, $0.learners) }.max() ?? 1))
        var svg = """
            <svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="chart-title">Skills with the biggest gap between learners and teachers</title>
            <desc id="chart-desc">For each of \(rows.count) skills, a green bar counts people who can teach it and a blue bar counts people who want to learn it. The same figures are in the table below.</desc>
            <g font-family="system-ui, sans-serif" font-size="13">
            <rect x="\(Int(labelWidth))" y="8" width="12" height="12" fill="\(teacherColour)"/><text x="\(Int(labelWidth) + 18)" y="19" fill="#1b1f24">can teach</text>
            <rect x="\(Int(labelWidth) + 110)" y="8" width="12" height="12" fill="\(learnerColour)"/><text x="\(Int(labelWidth) + 128)" y="19" fill="#1b1f24">want to learn</text>

            """
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            let teach = barArea * Double(row.teachers) / maximum
            let learn = barArea * Double(row.learners) / maximum
            svg += """
                <text x="\(Int(labelWidth) - 8)" y="\(fmt(y + 18))" text-anchor="end" fill="#1b1f24">\(escape(row.name))</text>
                <rect x="\(Int(labelWidth))" y="\(fmt(y + 4))" width="\(fmt(teach))" height="12" fill="\(teacherColour)"/>
                <text x="\(fmt(labelWidth + teach + 4))" y="\(fmt(y + 15))" fill="#1b1f24">\(row.teachers)</text>
                <rect x="\(Int(labelWidth))" y="\(fmt(y + 17))" width="\(fmt(learn))" height="12" fill="\(learnerColour)"/>
                <text x="\(fmt(labelWidth + learn + 4))" y="\(fmt(y + 28))" fill="#1b1f24">\(row.learners)</text>

                """
        }
        svg += "</g></svg>"
        return svg
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
