extension ScoringContext {
    /// The first hard constraint the pair breaks, or `nil` when the pair is allowed.
    /// For mentoring, `a` is the mentor and `b` the mentee.
    public func blockingConstraint(_ a: Int, _ b: Int) -> HardConstraint? {
        if a == b { return .samePerson }
        if capacity[a] <= 0 || capacity[b] <= 0 { return .capacity }
        if model == .mentoring, !(canMentor[a] && canBeMentored[b]) { return .role }
        if let window = rules.levelWindow, level[a] != Int32.min, level[b] != Int32.min,
           abs(Int(level[a]) - Int(level[b])) > window {
            return .levelWindow
        }
        if rules.requireSharedLanguage, !languagesCompatible(a, b) { return .sharedLanguage }
        if let minimum = rules.minimumOverlapHours, utcOffset[a] != Int32.min, utcOffset[b] != Int32.min,
           overlapMinutes(a, b) < minimum * 60 {
            return .workingHoursOverlap
        }
        if rules.forbidReportingLine, manager[a] == Int32(b) || manager[b] == Int32(a) { return .reportingLine }
        if rules.honourExclusions, hasExclusions[a], hasExclusions[b], exclusionPairs.contains(Self.pairKey(a, b)) {
            return .exclusion
        }
        if rules.history == .forbid, hasHistory[a], hasHistory[b], historyPairs.contains(Self.pairKey(a, b)) {
            return .history
        }
        if hasSetAside[a], hasSetAside[b], setAsidePairs.contains(Self.pairKey(a, b)) { return .setAside }
        return nil
    }

    /// Whether the pair satisfies every hard constraint.
    @inlinable
    public func isAllowed(_ a: Int, _ b: Int) -> Bool { blockingConstraint(a, b) == nil }

    /// Whether the two met before according to the history file.
    public func metBefore(_ a: Int, _ b: Int) -> Bool {
        hasHistory[a] && hasHistory[b] && historyPairs.contains(Self.pairKey(a, b))
    }

    /// True when both list languages and share one, or when either lists none (unknown is
    /// not a reason to forbid).
    func languagesCompatible(_ a: Int, _ b: Int) -> Bool {
        if let masks = languageMask {
            return masks[a] == 0 || masks[b] == 0 || masks[a] & masks[b] != 0
        }
        let aRange = Int(languageStart[a])..<Int(languageStart[a + 1])
        let bRange = Int(languageStart[b])..<Int(languageStart[b + 1])
        if aRange.isEmpty || bRange.isEmpty { return true }
        return sharedCount(languageIDs, aRange, bRange) > 0
    }

    /// Number of common elements of two sorted ranges of the same flat array.
    func sharedCount(_ ids: [Int32], _ aRange: Range<Int>, _ bRange: Range<Int>) -> Int {
        var i = aRange.lowerBound, j = bRange.lowerBound, shared = 0
        while i < aRange.upperBound, j < bRange.upperBound {
            if ids[i] == ids[j] {
                shared += 1
                i += 1
                j += 1
            } else if ids[i] < ids[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }

    /// Minutes per day that both people's local working hours overlap.
    public func overlapMinutes(_ a: Int, _ b: Int) -> Int {
        guard utcOffset[a] != Int32.min, utcOffset[b] != Int32.min else {
            return (rules.workingHoursEnd - rules.workingHoursStart) * 60
        }
        let start = rules.workingHoursStart * 60, end = rules.workingHoursEnd * 60
        let aStart = start - Int(utcOffset[a]), aEnd = end - Int(utcOffset[a])
        let bStart = start - Int(utcOffset[b]), bEnd = end - Int(utcOffset[b])
        // The windows may wrap midnight: compare against the partner's window a day either side.
        return max(0, min(aEnd, bEnd - 1440) - max(aStart, bStart - 1440))
            + max(0, min(aEnd, bEnd) - max(aStart, bStart))
            + max(0, min(aEnd, bEnd + 1440) - max(aStart, bStart + 1440))
    }
}
