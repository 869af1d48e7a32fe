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

    /// An API list's `limit`: like ``number(_:field:default:range:)``, except that `limit=` with
    /// no value is refused (the document says it is a whole number) rather than read as the
    /// default; leaving the parameter out gives the default.
    static func limit(_ text: String?, field: String = "limit", default value: Int, range: ClosedRange<Int>) throws -> Int {
        if let text, text.isEmpty {
            throw StoreError.invalid(
                field: field, message: "\(field) is empty. Give a whole number from \(range.lowerBound) to \(range.upperBound), or leave it out for \(value).")
        }
        return try number(text, field: field, default: value, range: range)
    }

    /// The `after` cursor of a keyset-paged list: nil for the first page. An empty value is
    /// refused (a client that sends `after=` has lost the previous page's `next`), so is one
    /// that is not a cursor (checked by the store when it reads it).
    static func after(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard !text.isEmpty else {
            throw StoreError.invalid(field: "after", message: "after is empty. Leave it out for the first page, or give the previous page's next.")
        }
        return text
    }

    /// A search text from the query (`q`), at most 200 characters.
    static func searchText(_ text: String?, field: String = "q") throws -> String {
        guard let text else { return "" }
        guard text.count <= 200 else { throw StoreError.invalid(field: field, message: "\(field) is \(text.count) characters long; search with at most 200.") }
        return text
    }
}
