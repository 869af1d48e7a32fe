import Foundation
import MutualImpact

/// The Impact page's charts as inline SVG: no script, no external resources, and readable
/// without colour (every series has its own marker shape and a printed value; the page puts
/// each chart's data in a table beside it).
enum ImpactCharts {
    static let ink = "#1b1f24"
    static let muted = "#57606a"

    /// One row of the effect chart: a point, and optionally its interval.
    struct EffectRow {
        let label: String
        let value: Double
        let low: Double?
        let high: Double?
        let marker: Marker
    }

    enum Marker { case hollowSquare, filledCircle, filledDiamond, hollowCircle }

    /// The raw difference beside the matched effects (everyone, completers) with their 95 %
    /// intervals, on one axis in the outcome's units, so the gap between raw and matched shows.
    static func effectChart(id: String, outcome: String, kind: OutcomeKind, rows: [EffectRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let scale = kind == .proportion ? 100.0 : 1.0
        let unit = kind == .proportion ? " points" : ""
        let labelWidth = 230.0, plotWidth = 380.0, rowHeight = 40.0, top = 16.0, axisHeight = 34.0
        let width = labelWidth + plotWidth + 90
        let height = top + Double(rows.count) * rowHeight + axisHeight
        var extent = rows.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] }.map { $0 * scale }
        extent.append(0)
        let (minimum, maximum) = niceRange(extent.min() ?? 0, extent.max() ?? 0)
        func x(_ value: Double) -> Double { labelWidth + (value * scale - minimum) / (maximum - minimum) * plotWidth }
        var svg = """
            <svg class="chart" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-title">\(escape(outcome)): raw difference and matched effect</title>
            <desc id="\(id)-desc">Differences between participants and others in \(escape(outcome))\(kind == .proportion ? ", in percentage points" : ""). A hollow square is the raw difference; a filled circle (everyone matched) and a filled diamond (completers) are the matched effects, with lines for their 95 % intervals. The dashed line is no difference. The figures are in the table below.</desc>
            <g font-family="system-ui, sans-serif" font-size="13" fill="\(ink)">

            """
        let zero = x(0)
        svg += "<line x1=\"\(f(zero))\" y1=\"\(f(top - 6))\" x2=\"\(f(zero))\" y2=\"\(f(height - axisHeight + 4))\" stroke=\"\(muted)\" stroke-dasharray=\"4 3\"/>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2
            svg += "<text x=\"\(f(labelWidth - 10))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(row.label))</text>\n"
            if let low = row.low, let high = row.high {
                svg += "<line x1=\"\(f(x(low)))\" y1=\"\(f(y))\" x2=\"\(f(x(high)))\" y2=\"\(f(y))\" stroke=\"\(ink)\" stroke-width=\"2\"/>\n"
                for end in [low, high] {
                    svg += "<line x1=\"\(f(x(end)))\" y1=\"\(f(y - 7))\" x2=\"\(f(x(end)))\" y2=\"\(f(y + 7))\" stroke=\"\(ink)\" stroke-width=\"2\"/>\n"
                }
            }
            svg += marker(row.marker, x: x(row.value), y: y)
            let valueText = signed(row.value * scale, digits: kind == .proportion ? 1 : 2) + unit
            let labelX = max(x(row.value), x(row.high ?? row.value)) + 10
            svg += "<text x=\"\(f(min(labelX, width - 4)))\" y=\"\(f(y + 4))\"\(labelX > width - 80 ? " text-anchor=\"end\"" : "")>\(escape(valueText))</text>\n"
        }
        svg += axis(minimum: minimum, maximum: maximum, x0: labelWidth, width: plotWidth, y: height - axisHeight + 8)
        svg += "</g></svg>"
        return svg
    }

    /// Standardised mean differences before (hollow circle) and after (filled circle) matching
    /// for each covariate, with the ±0.1 band marked.
    static func balanceChart(id: String, outcome: String, rows: [BalanceRow]) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = 250.0, plotWidth = 360.0, rowHeight = 26.0, top = 34.0, axisHeight = 34.0
        let width = labelWidth + plotWidth + 30
        let height = top + Double(rows.count) * rowHeight + axisHeight
        let values = rows.flatMap { [$0.smdBefore, $0.smdAfter] } + [-0.1, 0.1]
        let (minimum, maximum) = niceRange(values.min() ?? -0.1, values.max() ?? 0.1)
        func x(_ value: Double) -> Double { labelWidth + (value - minimum) / (maximum - minimum) * plotWidth }
        var svg = """
            <svg class="chart" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-title">\(escape(outcome)): balance of the covariates before and after matching</title>
            <desc id="\(id)-desc">For each covariate, the standardised mean difference between participants and others: a hollow circle before matching, a filled circle after. Dashed lines mark ±0.1; a point outside them is imbalanced. The figures are in the table below.</desc>
            <g font-family="system-ui, sans-serif" font-size="12" fill="\(ink)">
            \(marker(.hollowCircle, x: labelWidth + 6, y: 14))<text x="\(f(labelWidth + 16))" y="18">before matching</text>
            \(marker(.filledCircle, x: labelWidth + 136, y: 14))<text x="\(f(labelWidth + 146))" y="18">after matching</text>

            """
        let bottom = top + Double(rows.count) * rowHeight
        for edge in [-0.1, 0.1] {
            svg += "<line x1=\"\(f(x(edge)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(edge)))\" y2=\"\(f(bottom))\" stroke=\"\(muted)\" stroke-dasharray=\"4 3\"/>\n"
        }
        svg += "<line x1=\"\(f(x(0)))\" y1=\"\(f(top - 4))\" x2=\"\(f(x(0)))\" y2=\"\(f(bottom))\" stroke=\"\(muted)\"/>\n"
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2
            svg += "<text x=\"\(f(labelWidth - 10))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(escape(row.covariate))\(row.imbalanced ? " (!)" : "")</text>\n"
            svg += "<line x1=\"\(f(x(row.smdBefore)))\" y1=\"\(f(y))\" x2=\"\(f(x(row.smdAfter)))\" y2=\"\(f(y))\" stroke=\"\(muted)\"/>\n"
            svg += marker(.hollowCircle, x: x(row.smdBefore), y: y)
            svg += marker(.filledCircle, x: x(row.smdAfter), y: y, radius: 4)
        }
        svg += axis(minimum: minimum, maximum: maximum, x0: labelWidth, width: plotWidth, y: bottom + 8)
        svg += "</g></svg>"
        return svg
    }

    private static func marker(_ marker: Marker, x: Double, y: Double, radius: Double = 6) -> String {
        switch marker {
        case .hollowSquare:
            "<rect x=\"\(f(x - radius))\" y=\"\(f(y - radius))\" width=\"\(f(radius * 2))\" height=\"\(f(radius * 2))\" fill=\"#ffffff\" stroke=\"\(ink)\" stroke-width=\"2\"/>\n"
        case .filledCircle:
            "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"\(ink)\"/>\n"
        case .hollowCircle:
            "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(f(radius))\" fill=\"#ffffff\" stroke=\"\(ink)\" stroke-width=\"1.5\"/>\n"
        case .filledDiamond:
            "<path d=\"M\(f(x)) \(f(y - radius - 1)) L\(f(x + radius + 1)) \(f(y)) L\(f(x)) \(f(y + radius + 1)) L\(f(x - radius - 1)) \(f(y)) Z\" fill=\"\(ink)\"/>\n"
        }
    }

    /// Ticks at five round values across the range.
    private static func axis(minimum: Double, maximum: Double, x0: Double, width: Double, y: Double) -> String {
        var svg = "<line x1=\"\(f(x0))\" y1=\"\(f(y))\" x2=\"\(f(x0 + width))\" y2=\"\(f(y))\" stroke=\"\(muted)\"/>\n"
        for step in 0...4 {
            let value = minimum + (maximum - minimum) * Double(step) / 4
            let x = x0 + width * Double(step) / 4
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y + 5))\" stroke=\"\(muted)\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(y + 18))\" text-anchor=\"middle\" fill=\"\(muted)\">\(short(value))</text>\n"
        }
        return svg
    }

    /// A symmetric-enough range with round ends that holds every value.
    static func niceRange(_ low: Double, _ high: Double) -> (Double, Double) {
        var low = low, high = high
        if high - low < 1e-9 { low -= 1; high += 1 }
        let span = high - low
        let magnitude = pow(10, floor(log10(span)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude / 4 }.first { span / $0 <= 4 } ?? magnitude
        return (floor(low / step) * step, ceil(high / step) * step)
    }

    private static func short(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded).replacingOccurrences(of: "-", with: "−")
    }

    static func signed(_ value: Double, digits: Int = 1) -> String {
        (value >= 0 ? "+" : "−") + String(format: "%.\(digits)f", abs(value))
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
