import FluentKit
import Foundation
import MutualMatching

/// An edit as it was applied: the log entry and the run with its new proposal.
public struct ProposalEditOutcome: Sendable, Equatable {
    public let edit: ProposalEdit
    public let run: MatchRunSummary
}

extension Store {
    /// Changes a finished, unpublished run's proposal: lock or unlock a pair, break a pair, swap
    /// two people between their pairs, or leave someone out. The proposal's rows change in the
    /// same transaction as the edit log (who, when and what it did to the score) and the run's
    /// totals. A swap or lock that a hard rule
    /// forbids is refused with the rule in words.
    ///
    /// - Parameter expectedEdits: the number of edits the caller saw; when another edit came
    ///   in between, the change is refused rather than applied to a proposal nobody looked at.
    public func editProposal(
        runID: UUID, _ change: ProposalChange, expectedEdits: Int? = nil, by identity: Identity
    ) async throws -> ProposalEditOutcome {
        try requireRole(.programmeManager, identity)
        guard let run = try await MatchRun.query(on: try db()).filter(\.$id == runID)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match run") }
        try await requireManager(ofProgrammeID: run.programmeID, identity)
        try await requireEditable(run)
        let summary = try await self.summary(run, on: try db())
        if let expectedEdits, expectedEdits != summary.edits.count {
            throw StoreError.conflict(
                field: nil, message: "Someone changed this proposal while you were looking at it. Here it is as it is now; make your change again if it still applies.")
        }
        guard let programme = try await Programme.find(run.programmeID, on: try db()) else { throw StoreError.notFound(what: "programme") }
        guard var proposal = summary.result else {
            throw StoreError.conflict(field: nil, message: "This run has no proposal to edit. Run matching again.")
        }
        let context = try await editContext(run: run, summary: summary, programme: programme, proposal: proposal)
        let names = Dictionary(context.people.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let name = { (id: String) in names[id] ?? id }
        let before = proposal.totalWeight

        var edit: ProposalEdit
        switch change {
        case .lock(let a, let b), .unlock(let a, let b):
            let locking = if case .lock = change { true } else { false }
            guard let pair = proposal.pairIndex(a, b) else { throw Self.noSuchPair(name(a), name(b)) }
            let (first, second) = (proposal.pairs[pair].a, proposal.pairs[pair].b)
            if locking {
                guard !summary.isLocked(a, b) else {
                    throw StoreError.conflict(field: nil, message: "\(name(a)) and \(name(b)) are already locked.")
                }
                if let i = context.indexOfID[first], let j = context.indexOfID[second], let rule = context.blockingConstraint(i, j) {
                    throw StoreError.conflict(field: nil, message: "\(name(first)) and \(name(second)) cannot be locked: \(Self.words(rule, context, i, j)).")
                }
            } else if !summary.isLocked(a, b) {
                throw StoreError.conflict(field: nil, message: "\(name(a)) and \(name(b)) are not locked.")
            }
            let score = proposal.pairs[pair].score
            edit = Self.edit(
                locking ? .lock : .unlock, [first, second], identity, now: clock.now, delta: 0, total: proposal.totalWeight,
                summary: locking
                    ? "Locked \(name(first)) and \(name(second)) (score \(score)): a re-run keeps them as they are. Total unchanged: \(Self.totalText(proposal))."
                    : "Unlocked \(name(first)) and \(name(second)): a re-run may change them. Total unchanged: \(Self.totalText(proposal)).")

        case .breakPair(let a, let b):
            guard let pair = proposal.pairIndex(a, b) else { throw Self.noSuchPair(name(a), name(b)) }
            let (first, second) = (proposal.pairs[pair].a, proposal.pairs[pair].b)
            guard !summary.isLocked(first, second) else {
                throw StoreError.conflict(field: nil, message: "\(name(first)) and \(name(second)) are locked. Unlock them first if you want to break them.")
            }
            let removed = proposal.pairs.remove(at: pair)
            proposal.release(first, reason: "the programme manager broke their pair with \(name(second))")
            proposal.release(second, reason: "the programme manager broke their pair with \(name(first))")
            proposal.settleAfterEdit()
            edit = Self.edit(
                .breakPair, [first, second], identity, now: clock.now, delta: proposal.totalWeight - before, total: proposal.totalWeight,
                summary: "Breaking \(name(first)) and \(name(second)): \(Self.signed(proposal.totalWeight - before)) (their pair scored \(removed.score)), total \(Self.totalText(proposal)). They are not proposed together again.")

        case .swap(let x, let y):
            guard x != y else { throw StoreError.invalid(field: "people", message: "Pick two different people to swap.") }
            for person in [x, y] {
                if proposal.triads.contains(where: { $0.members.contains(person) }) {
                    throw StoreError.conflict(field: nil, message: "\(name(person)) is in a group of three; swapping works between two pairs. Break the group's pair instead.")
                }
                let count = proposal.pairs.filter { $0.a == person || $0.b == person }.count
                if count == 0 {
                    throw StoreError.conflict(field: nil, message: "\(name(person)) has no partner in this proposal; pick two people who are each in a pair.")
                }
                if count > 1 {
                    throw StoreError.conflict(
                        field: nil, message: "\(name(person)) has \(count) partners in this proposal, so a swap would be ambiguous. Break the pair you want to change instead, then re-run.")
                }
            }
            let p1 = proposal.pairs.firstIndex { $0.a == x || $0.b == x }!, p2 = proposal.pairs.firstIndex { $0.a == y || $0.b == y }!
            guard p1 != p2 else {
                throw StoreError.conflict(field: nil, message: "\(name(x)) and \(name(y)) are partners already; pick people from two different pairs.")
            }
            let old1 = proposal.pairs[p1], old2 = proposal.pairs[p2]
            for old in [old1, old2] where summary.isLocked(old.a, old.b) {
                throw StoreError.conflict(field: nil, message: "\(name(old.a)) and \(name(old.b)) are locked. Unlock them first if you want to swap.")
            }
            // Each takes the other's place (in mentoring, the mentor's or the mentee's place).
            let new1 = old1.a == x ? (y, old1.b) : (old1.a, y)
            let new2 = old2.a == y ? (x, old2.b) : (old2.a, x)
            var scored: [RunResult.Pair] = []
            for (a, b) in [new1, new2] {
                guard let i = context.indexOfID[a], let j = context.indexOfID[b] else {
                    let missing = context.indexOfID[a] == nil ? a : b
                    throw StoreError.conflict(
                        field: nil, message: "\(name(missing)) is no longer in the programme's pool (enrolment removed, or matched in a published run). Run matching again.")
                }
                if let rule = context.blockingConstraint(i, j) {
                    throw StoreError.conflict(field: nil, message: "That swap is not allowed: \(Self.words(rule, context, i, j)).")
                }
                if proposal.pairIndex(a, b) != nil {
                    throw StoreError.conflict(field: nil, message: "\(name(a)) and \(name(b)) are already partners in this proposal.")
                }
                let weight = context.weight(i, j)
                scored.append(RunResult.Pair(a: a, b: b, weight: Int(weight), score: context.displayScore(weight), reasons: PairExplainer.reasons(context, i, j)))
            }
            proposal.pairs[p1] = scored[0]
            proposal.pairs[p2] = scored[1]
            proposal.settleAfterEdit()
            let delta = proposal.totalWeight - before
            edit = Self.edit(
                .swap, [x, y], identity, now: clock.now, delta: delta, total: proposal.totalWeight,
                summary: "Swapping \(name(x)) and \(name(y)): \(Self.pairText(scored[0], name)) scores \(scored[0].score) (\(Self.pairText(old1, name)) scored \(old1.score)), "
                    + "\(Self.pairText(scored[1], name)) scores \(scored[1].score) (\(Self.pairText(old2, name)) scored \(old2.score)); \(Self.signed(delta)), total \(Self.totalText(proposal)).")

        case .exclude(let x):
            guard !summary.excludedPeople.contains(x) else { throw StoreError.conflict(field: nil, message: "\(name(x)) is already left out.") }
            guard proposal.people.contains(x) else {
                throw StoreError.invalid(field: "person", message: "\(name(x)) is not in this run. Pick someone from its matches or its unmatched list.")
            }
            if proposal.triads.contains(where: { $0.members.contains(x) }) {
                throw StoreError.conflict(field: nil, message: "\(name(x)) is in a group of three. Break the group's pair first, then leave \(name(x)) out.")
            }
            let theirs = proposal.pairs.filter { $0.a == x || $0.b == x }
            if let locked = theirs.first(where: { summary.isLocked($0.a, $0.b) }) {
                throw StoreError.conflict(field: nil, message: "\(name(locked.a)) and \(name(locked.b)) are locked. Unlock them first if you want to leave \(name(x)) out.")
            }
            proposal.pairs.removeAll { $0.contains(x) }
            proposal.unmatched.removeAll { $0.id == x }
            proposal.openPlaces?.removeAll { $0.id == x }
            let partners = theirs.map { $0.a == x ? $0.b : $0.a }
            for partner in partners { proposal.release(partner, reason: "their partner \(name(x)) was left out by the programme manager") }
            proposal.settleAfterEdit()
            let delta = proposal.totalWeight - before
            let broke = partners.isEmpty ? "\(name(x)) had no partner" : "their pair with \(partners.map(name).joined(separator: " and ")) is taken apart"
            edit = Self.edit(
                .exclude, [x], identity, now: clock.now, delta: delta, total: proposal.totalWeight,
                summary: "Leaving \(name(x)) out: \(Self.signed(delta)) (\(broke)), total \(Self.totalText(proposal)). A re-run leaves \(name(x)) out too.")
        }

        // Apply, unless someone else edited in between (the row is locked on PostgreSQL; SQLite writes one at a time).
        let oldEdits = run.edits
        let edited = proposal
        let edits = try ProposalCoding.text(summary.edits + [edit])
        try await transaction { transaction in
            try await Self.lockRun(runID, on: transaction)
            guard let current = try await MatchRun.find(runID, on: transaction), current.edits == oldEdits else {
                throw StoreError.conflict(field: nil, message: "Someone changed this proposal at the same moment. Here it is as it is now; make your change again if it still applies.")
            }
            // Publishing takes the same lock: a publish that committed meanwhile shows here.
            guard try await PublishedMatch.query(on: transaction).filter(\.$runID == runID).count() == 0 else {
                throw StoreError.conflict(field: nil, message: "This run was published a moment ago, so its matches can no longer be edited.")
            }
            current.edits = edits
            current.recordTotals(of: edited)
            try await current.save(on: transaction)
            try await ProposalRows.apply(edited, runID: runID, organisationID: current.organisationID, on: transaction)
        }
        return ProposalEditOutcome(edit: edit, run: try await matchRun(id: runID, of: identity))
    }

    // MARK: Helpers

    /// Refuses edits and re-runs of a run that is not finished, forms groups, or is published.
    func requireEditable(_ run: MatchRun) async throws {
        guard run.status == .done else {
            throw StoreError.conflict(field: nil, message: "This run has not finished (it is \(run.status.rawValue)). Wait for it to finish, or run matching again.")
        }
        guard Self.engineModel(run.model) != nil else {
            throw StoreError.conflict(field: nil, message: "Editing works on runs of pairs, buddies and mentoring; this run forms groups. Run it again with other settings instead.")
        }
        let published = try await PublishedMatch.query(on: try db()).filter(\.$runID == (try run.requireID())).count()
        guard published == 0 else {
            throw StoreError.conflict(field: nil, message: "This run is published, so its matches can no longer be edited. Edit or re-run an unpublished run instead.")
        }
    }

    /// The run's people as the engine reads them today, scored under the run's rules, with the
    /// programme's history and the pairs broken so far.
    private func editContext(run: MatchRun, summary: MatchRunSummary, programme: Programme, proposal: RunResult) async throws -> ScoringContext {
        guard let model = Self.engineModel(run.model) else { throw StoreError.notFound(what: "match run") }
        let rules = try Self.runRules(of: run)
        let ids = proposal.people
        let people = try await matchingPeople(of: programme).filter { ids.contains($0.id) }
        let broken = summary.brokenPairs.filter { $0.count == 2 }.map { ($0[0], $0[1]) }
        return ScoringContext(people: people, rules: rules, model: model, history: try await previousPairs(in: run.programmeID), setAside: broken)
    }

    private static func edit(
        _ kind: ProposalEdit.Kind, _ people: [String], _ identity: Identity, now: Date, delta: Int, total: Int, summary: String
    ) -> ProposalEdit {
        ProposalEdit(kind: kind, people: people, summary: summary, delta: delta, total: total, accountID: identity.accountID, by: identity.name, at: now)
    }

    private static func noSuchPair(_ a: String, _ b: String) -> StoreError {
        StoreError.conflict(field: nil, message: "\(a) and \(b) are not a pair in this proposal. Reload the run and pick a pair from its matches.")
    }

    private static func pairText(_ pair: RunResult.Pair, _ name: (String) -> String) -> String { "\(name(pair.a)) with \(name(pair.b))" }

    /// "4,120 of at most 4,390", or, once edits took the total past the run's bound, says so.
    static func totalText(_ proposal: RunResult) -> String {
        proposal.optimality.hasBound
            ? "\(grouped(proposal.totalWeight)) of at most \(grouped(proposal.upperBound))"
            : "\(grouped(proposal.totalWeight)) (above the run's bound of \(grouped(proposal.upperBound)), which no longer applies to this edited proposal)"
    }

    /// "+12", "−78", "±0".
    static func signed(_ value: Int) -> String { value > 0 ? "+\(grouped(value))" : value < 0 ? "−\(grouped(-value))" : "±0" }

    /// Thousands separated by commas, whatever the server's locale.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }

    static func hours(_ minutes: Int) -> String {
        minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
    }

    /// A hard rule as a programme manager would say it, about these two people.
    static func words(_ rule: HardConstraint, _ context: ScoringContext, _ a: Int, _ b: Int) -> String {
        let first = context.people[a], second = context.people[b]
        let x = first.displayName, y = second.displayName
        switch rule {
        case .samePerson: return "that is the same person twice"
        case .capacity:
            let none = context.capacity[a] <= 0 ? x : y
            return "\(none) takes no partners in this programme (capacity 0)"
        case .role:
            return first.role == .mentee ? "\(x) is enrolled as a mentee, not a mentor" : "\(y) is enrolled as a mentor, not a mentee"
        case .levelWindow:
            let gap = abs((first.level ?? 0) - (second.level ?? 0))
            return "\(x) (level \(first.level ?? 0)) and \(y) (level \(second.level ?? 0)) are \(gap) levels apart; the rules allow at most \(context.rules.levelWindow ?? 0)"
        case .sharedLanguage:
            let list = { (person: MutualMatching.Person) in person.languages.joined(separator: ", ") }
            return "\(x) and \(y) share no language (\(x): \(list(first)); \(y): \(list(second)))"
        case .workingHoursOverlap:
            return "\(x) and \(y)'s working hours overlap \(Self.hours(context.overlapMinutes(a, b))); the rules ask for at least \(context.rules.minimumOverlapHours ?? 0) h"
        case .reportingLine:
            return first.managerID == second.id ? "\(y) is \(x)'s manager" : "\(x) is \(y)'s manager"
        case .exclusion: return "\(x) or \(y) asked not to be matched with the other"
        case .history: return "\(x) and \(y) were partners before, and the rules forbid repeats"
        case .setAside: return "\(x) and \(y)'s pair was broken earlier; broken pairs are not proposed again"
        }
    }
}
