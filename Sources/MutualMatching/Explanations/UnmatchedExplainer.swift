/// Says why someone was left without a partner, in terms an admin can act on.
public enum UnmatchedExplainer {
    /// The reason for one unmatched person.
    ///
    /// - Parameters:
    ///   - onlyOneLeft: the pool of eligible people is odd and this is the only one left over.
    ///   - detailBudget: when positive, the whole pool is scanned to count which hard
    ///     constraints ruled out otherwise useful partners.
    public static func reason(
        _ context: ScoringContext, person: Int, positivePartners: Int32, exhaustive: Bool,
        onlyOneLeft: Bool, detailed: Bool
    ) -> String {
        if context.capacity[person] <= 0 {
            return "capacity: takes no partner this round (capacity 0)"
        }
        if positivePartners == 0 && exhaustive {
            var reason = context.model == .mentoring
                ? "no feasible mentor: nobody allowed by the rules is ahead in what they want to learn"
                : "no feasible partner: nobody allowed by the rules has learning value with them"
            if detailed {
                var counts: [HardConstraint: Int] = [:]
                for other in 0..<context.count where other != person {
                    let (x, y) = context.model == .mentoring ? (other, person) : (person, other)
                    guard context.unconstrainedWeight(x, y) > 0, let blocking = context.blockingConstraint(x, y) else { continue }
                    counts[blocking, default: 0] += 1
                }
                let parts = HardConstraint.allCases.compactMap { constraint in
                    counts[constraint].map { "\(constraint.rawValue) \($0)" }
                }
                if !parts.isEmpty { reason += "; useful partners ruled out by " + parts.joined(separator: ", ") }
            }
            return reason
        }
        if onlyOneLeft {
            return "odd count: everyone else has a partner"
        }
        let count = exhaustive ? "\(positivePartners)" : "\(positivePartners)+"
        if context.model == .mentoring {
            return "capacity: all \(count) suitable mentors are full with mentees they fit better"
        }
        return "partners taken: all \(count) feasible partners are matched with people they fit better"
    }

    /// Why someone with several places got fewer partners than places.
    public static func openPlaceReason(
        _ context: ScoringContext, person: Int, partners: Int, positivePartners: Int32, exhaustive: Bool
    ) -> String {
        let open = Int(context.capacity[person]) - partners
        let places = "\(open) of \(context.capacity[person]) places open"
        if exhaustive && Int(positivePartners) <= partners {
            return "\(places): no other feasible partner has learning value with them"
        }
        let count = exhaustive ? "\(Int(positivePartners) - partners)" : "\(Int(positivePartners) - partners)+"
        return "\(places): the other \(count) feasible partners are full with people they fit better"
    }
}
