extension Array {
    /// The array in consecutive slices of at most `size` elements: id lists go to the database
    /// in `IN (…)` clauses of ``Store/idsPerQuery`` at a time, far below every backend's limit
    /// on bound parameters (SQLite's is 32,766) however large the programme.
    func queryBatches(_ size: Int = Store.idsPerQuery) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min(count, $0 + size)] }
    }
}

extension Store {
    /// How many ids one `IN (…)` query carries.
    static let idsPerQuery = 500
}
