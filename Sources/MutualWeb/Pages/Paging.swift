import MutualStore

/// Reads paging and other whole-number query parameters, refusing what is not a number in range
/// with a message that says what to send.
enum Paging {
    static func number(_ text: String?, field: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw StoreError.invalid(field: field, message: "\(field) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\".")
        }
        return number
    }
}
