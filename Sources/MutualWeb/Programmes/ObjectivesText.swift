import Foundation
import MutualStore

/// Objectives as a programme manager types them in one text box: a goal on its own line, its
/// KPIs below it on lines starting with `-`, each `name >= target unit` (or `<=`, `≥`, `≤`):
///
///     Keep early-career engineers
///     - retention of participants >= 85 %
///     Spread skills across teams
///     - meetings per pair per cycle >= 6
enum ObjectivesText {
    /// The objectives, or an error naming the line that could not be read.
    static func parse(_ text: String) throws -> [ObjectiveDraft] {
        var objectives: [ObjectiveDraft] = []
        for (number, rawLine) in TextLines.numbered(text) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard line.hasPrefix("-") || line.hasPrefix("•") else {
                objectives.append(ObjectiveDraft(goal: line, kpis: []))
                continue
            }
            let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
            guard !objectives.isEmpty else {
                throw StoreError.invalid(
                    field: "objectives", message: "Line \(number) is a KPI (it starts with -) but no goal comes before it. Write the goal on the line above.")
            }
            objectives[objectives.count - 1].kpis.append(try kpi(body, line: number))
        }
        return objectives
    }

    /// The same text back, for editing.
    static func write(_ objectives: [ObjectiveDraft]) -> String {
        objectives.map { objective in
            ([objective.goal] + objective.kpis.map { "- " + $0.sentence.replacingOccurrences(of: "≥", with: ">=").replacingOccurrences(of: "≤", with: "<=") })
                .joined(separator: "\n")
        }
        .joined(separator: "\n")
    }

    private static func kpi(_ text: String, line: Int) throws -> KPI {
        let operators: [(String, KPI.Comparison)] = [(">=", .atLeast), ("≥", .atLeast), ("<=", .atMost), ("≤", .atMost)]
        for (symbol, comparison) in operators {
            guard let range = text.range(of: symbol) else { continue }
            let name = text[..<range.lowerBound].trimmingCharacters(in: .whitespaces)
            let rest = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
            let number = rest.prefix { $0.isNumber || $0 == "." || $0 == "," }
            let unit = rest.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, let target = Double(number.replacingOccurrences(of: ",", with: "")) else { break }
            return KPI(name: name, comparison: comparison, target: target, unit: unit)
        }
        throw StoreError.invalid(
            field: "objectives",
            message: "Line \(line) (\(text)) should read like \"- retention of participants >= 85 %\": what is measured, >= or <=, the target, then the unit.")
    }
}
