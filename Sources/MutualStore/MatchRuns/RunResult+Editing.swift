/// The changes a manager's edits make to a proposal (see ``Store/editProposal(runID:_:expectedEdits:by:)``).
extension RunResult {
    func pairIndex(_ a: String, _ b: String) -> Int? {
        pairs.firstIndex { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }
    }

    /// After a pair was removed: unmatched when the person has no partner left, otherwise (on a
    /// capacitated run) one more open place.
    mutating func release(_ id: String, reason: String) {
        let left = pairs.filter { $0.contains(id) }.count
        if left == 0 {
            openPlaces?.removeAll { $0.id == id }
            unmatched.append(Unmatched(id: id, reason: reason))
        } else if openPlaces != nil {
            // Everyone on a capacitated run has the programme's capacity; the open places say what it is.
            let runCapacity = max(1, openPlaces?.map(\.capacity).max() ?? 1)
            let capacity = openPlaces?.first { $0.id == id }?.capacity ?? max(runCapacity, left + 1)
            openPlaces?.removeAll { $0.id == id }
            openPlaces?.append(OpenPlace(id: id, capacity: capacity, partners: left, reason: "\(capacity - left) of \(capacity) places open: \(reason)"))
        }
    }

    /// Recomputes the total after an edit changed the pairs. The engine's proof was for its own
    /// proposal, so an edited one never claims the best possible: while its total stays within
    /// the run's bound (breaking and leaving out only lower it) the bound and the gap still hold;
    /// past it (a swap scored with profiles changed since the run, or a pair a re-run kept that
    /// was unlocked and swapped) no bound is claimed.
    mutating func settleAfterEdit() {
        totalWeight = listedWeight
        optimality = totalWeight <= upperBound ? .gap : .edited
    }
}
