import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// An edit as it was applied: the log entry and the run with its new proposal.
public struct ProposalEditOutcome: Sendable, Equatable {
    public let edit: ProposalEdit
    public let run: MatchRunSummary
}

extension Store {
    /// Changes a finished, unpublished run's proposal: lock or unlock a pair, break a pair, swap
    /// two people between their pairs, or leave someone out. The run's `result` stays the
    /// engine's JSON for the current proposal (so publishing reads it unchanged) and the edit is
    /// logged with who, when and what it did to the score. A swap or lock that a hard rule
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
        try await requireEditable(run)
        let summary = Self.summary(run)
        if let expectedEdits, expectedEdits != summary.edits.count {
            throw StoreError.conflict(
                field: nil, message: "Someone changed this proposal while you were looking at it. Here it is as it is now; make your change again if it still applies.")
        }
        guard let programme = try await Programme.find(run.programmeID, on: try db()) else { throw StoreError.notFound(what: "programme") }
        var proposal = try Proposal(run: run)
        let context = try await editContext(run: run, summary: summary, programme: programme, proposal: proposal)
        let names = Dictionary(context.people.map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let name = { (id: String) in names[id] ?? id }
        let before = proposal.total

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
                locking ? .lock : .unlock, [first, second], identity, now: clock.now, delta: 0, total: proposal.total,
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
            edit = Self.edit(
                .breakPair, [first, second], identity, now: clock.now, delta: proposal.total - before, total: proposal.total,
                summary: "Breaking \(name(first)) and \(name(second)): \(Self.signed(proposal.total - before)) (their pair scored \(removed.score)), total \(Self.totalText(proposal)). They are not proposed together again.")

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
            var scored: [Proposal.Pair] = []
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
                scored.append(Proposal.Pair(a: a, b: b, weight: Int(weight), score: context.displayScore(weight), reasons: PairExplainer.reasons(context, i, j)))
            }
            proposal.pairs[p1] = scored[0]
            proposal.pairs[p2] = scored[1]
            let delta = proposal.total - before
            edit = Self.edit(
                .swap, [x, y], identity, now: clock.now, delta: delta, total: proposal.total,
                summary: "Swapping \(name(x)) and \(name(y)): \(Self.pairText(scored[0], name)) scores \(scored[0].score) (\(Self.pairText(old1, name)) scored \(old1.score)), "
                    + "\(Self.pairText(scored[1], name)) scores \(scored[1].score) (\(Self.pairText(old2, name)) scored \(old2.score)); \(Self.signed(delta)), total \(Self.totalText(proposal)).")

        case .exclude(let x):
            guard !summary.excludedPeople.contains(x) else { throw StoreError.conflict(field: nil, message: "\(name(x)) is already left out.") }
            guard proposal.contains(x) else {
                throw StoreError.invalid(field: "person", message: "\(name(x)) is not in this run. Pick someone from its matches or its unmatched list.")
            }
            if proposal.triads.contains(where: { $0.members.contains(x) }) {
                throw StoreError.conflict(field: nil, message: "\(name(x)) is in a group of three. Break the group's pair first, then leave \(name(x)) out.")
            }
            let theirs = proposal.pairs.filter { $0.a == x || $0.b == x }
            if let locked = theirs.first(where: { summary.isLocked($0.a, $0.b) }) {
                throw StoreError.conflict(field: nil, message: "\(name(locked.a)) and \(name(locked.b)) are locked. Unlock them first if you want to leave \(name(x)) out.")
            }
            proposal.pairs.removeAll { $0.a == x || $0.b == x }
            proposal.unmatched.removeAll { $0.id == x }
            proposal.openPlaces?.removeAll { $0.id == x }
            let partners = theirs.map { $0.a == x ? $0.b : $0.a }
            for partner in partners { proposal.release(partner, reason: "their partner \(name(x)) was left out by the programme manager") }
            let delta = proposal.total - before
            let broke = partners.isEmpty ? "\(name(x)) had no partner" : "their pair with \(partners.map(name).joined(separator: " and ")) is taken apart"
            edit = Self.edit(
                .exclude, [x], identity, now: clock.now, delta: delta, total: proposal.total,
                summary: "Leaving \(name(x)) out: \(Self.signed(delta)) (\(broke)), total \(Self.totalText(proposal)). A re-run leaves \(name(x)) out too.")
        }

        // Apply, unless someone else edited in between (the row is locked on PostgreSQL; SQLite writes one at a time).
        let oldEdits = run.edits
        let result = proposal.json()
        let edits = try ProposalCoding.text(summary.edits + [edit])
        let (matched, total, upperBound, gap) = (proposal.matched, proposal.total, proposal.upperBound, proposal.gapMillipercent)
        try await transaction { transaction in
            if let sql = transaction as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT id FROM match_runs WHERE id = \(bind: runID) FOR UPDATE").run()
            }
            guard let current = try await MatchRun.find(runID, on: transaction), current.edits == oldEdits else {
                throw StoreError.conflict(field: nil, message: "Someone changed this proposal at the same moment. Here it is as it is now; make your change again if it still applies.")
            }
            current.result = result
            current.edits = edits
            current.matched = matched
            current.totalWeight = total
            current.optimality = total >= upperBound ? "optimal" : "gap"
            current.gapMillipercent = gap
            try await current.save(on: transaction)
        }
        return ProposalEditOutcome(edit: edit, run: try await matchRun(id: runID, of: identity))
    }

    /// Starts a new run of the same programme with the same rules (and the given seed, or the
    /// same), around this run's proposal: its locked pairs are kept as they are, its broken
    /// pairs are never proposed again, and the people left out stay out. ``executeMatchRun(id:)``
    /// does the work.
    public func rerunMatchRun(id: UUID, seed: Int? = nil, by identity: Identity) async throws -> MatchRunSummary {
        try requireRole(.programmeManager, identity)
        guard let source = try await MatchRun.query(on: try db()).filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match run") }
        try await requireEditable(source)
        let seed = seed ?? source.seed
        try MatchRun.checkSeed(seed)
        let summary = Self.summary(source)
        let run = MatchRun(
            queuedIn: identity.organisationID, programmeID: source.programmeID, model: source.model, rules: source.rules, seed: seed,
            participants: source.participants)
        run.frame = try ProposalCoding.text(
            RunFrame(fromRun: id, locked: summary.lockedPairs, broken: summary.brokenPairs, excluded: summary.excludedPeople))
        return try await queue(run, by: identity)
    }

    /// The engine's result for a run: its own recorded rules (the defaults when none were
    /// recorded) and, for a re-run, its frame. The same run inputs give the same bytes.
    func engineResult(
        for run: MatchRun, people: [MutualMatching.Person], history: [(String, String)], options: MatchOptions,
        progress: (@Sendable (MatchPhase, Double) -> Void)? = nil
    ) async throws -> MatchResult {
        let rules: MatchRules
        if run.rules.isEmpty {
            rules = MatchRules.defaults(for: options.model)
        } else {
            do {
                rules = try RulesFile.decode(run.rules, model: options.model)
            } catch {
                throw StoreError.invalid(field: "rules", message: "The run's rules could not be read (\(error.description)). Fix the programme's rules and run again.")
            }
        }
        let frame = ProposalCoding.frame(run.frame)
        guard !(frame.locked.isEmpty && frame.broken.isEmpty && frame.excluded.isEmpty) else {
            return await MatchEngine.run(people: people, rules: rules, history: history, options: options, progress: progress)
        }
        func pairs(_ list: [[String]]) -> [ProposalFrame.Pair] { list.filter { $0.count == 2 }.map { ProposalFrame.Pair($0[0], $0[1]) } }
        let around = ProposalFrame(locked: pairs(frame.locked), broken: pairs(frame.broken), excluded: frame.excluded)
        return await MatchEngine.run(people: people, rules: rules, history: history, around: around, options: options, progress: progress)
    }

    // MARK: Helpers

    private func requireEditable(_ run: MatchRun) async throws {
        guard run.status == .done else {
            throw StoreError.conflict(field: nil, message: "This run has not finished (it is \(run.status.rawValue)). Wait for it to finish, or run matching again.")
        }
        guard MatchModel(rawValue: run.model) != nil else {
            throw StoreError.conflict(field: nil, message: "Editing works on runs of pairs, buddies and mentoring; this run forms groups. Run it again with other settings instead.")
        }
        let published = try await PublishedMatch.query(on: try db()).filter(\.$runID == (try run.requireID())).count()
        guard published == 0 else {
            throw StoreError.conflict(field: nil, message: "This run is published, so its matches can no longer be edited. Edit or re-run an unpublished run instead.")
        }
    }

    /// The run's people as the engine reads them today, scored under the run's rules, with the
    /// programme's history and the pairs broken so far.
    private func editContext(run: MatchRun, summary: MatchRunSummary, programme: Programme, proposal: Proposal) async throws -> ScoringContext {
        guard let model = MatchModel(rawValue: run.model) else { throw StoreError.notFound(what: "match run") }
        let rules = run.rules.isEmpty ? MatchRules.defaults(for: model) : try Self.decodeRules(run.rules, model: programme.model)
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

    private static func pairText(_ pair: Proposal.Pair, _ name: (String) -> String) -> String { "\(name(pair.a)) with \(name(pair.b))" }

    /// "4,120 of at most 4,390".
    static func totalText(_ proposal: Proposal) -> String { "\(grouped(proposal.total)) of at most \(grouped(proposal.upperBound))" }

    /// "+12", "−78", "±0".
    static func signed(_ value: Int) -> String { value > 0 ? "+\(grouped(value))" : value < 0 ? "−\(grouped(-value))" : "±0" }

    /// Thousands separated by commas, whatever the server's locale.
    static func grouped(_ value: Int) -> String {
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

/// A run's proposal as the engine's JSON reads, for editing: pairs, triads, unmatched and the
/// totals, written back in the same shape (``MatchResult/json(includeTimings:)``).
struct Proposal {
    struct Pair: Equatable {
        var a: String, b: String, weight: Int, score: Int, reasons: [String]
    }
    struct Triad {
        var members: [String], weight: Int, score: Int, reasons: [String]
    }
    struct Unmatched {
        var id: String, reason: String
    }
    struct OpenPlace {
        var id: String, capacity: Int, partners: Int, reason: String
    }

    var document: [(String, JSONValue)]
    var pairs: [Pair]
    var triads: [Triad]
    var unmatched: [Unmatched]
    /// Present only on capacitated runs.
    var openPlaces: [OpenPlace]?
    let upperBound: Int
    /// Capacity per person, from the open places and the pairs (for people who lose a partner).
    let capacity: Int

    init(run: MatchRun) throws {
        guard case .object(let members)? = try? JSONParser.parse(run.result) else {
            throw StoreError.conflict(field: nil, message: "This run has no proposal to edit. Run matching again.")
        }
        document = members
        let root = JSONValue.object(members)
        func string(_ value: JSONValue?) -> String { if case .string(let text)? = value { text } else { "" } }
        func int(_ value: JSONValue?) -> Int { if case .number(let text)? = value { Int(text) ?? 0 } else { 0 } }
        func strings(_ value: JSONValue?) -> [String] {
            if case .array(let items)? = value { items.map { string($0) } } else { [] }
        }
        func objects(_ key: String) -> [JSONValue] { if case .array(let items)? = root[key] { items } else { [] } }
        pairs = objects("pairs").map { Pair(a: string($0["a"]), b: string($0["b"]), weight: int($0["weight"]), score: int($0["score"]), reasons: strings($0["reasons"])) }
        triads = objects("triads").map { Triad(members: strings($0["members"]), weight: int($0["weight"]), score: int($0["score"]), reasons: strings($0["reasons"])) }
        unmatched = objects("unmatched").map { Unmatched(id: string($0["id"]), reason: string($0["reason"])) }
        if root["open_places"] != nil {
            openPlaces = objects("open_places").map {
                OpenPlace(id: string($0["id"]), capacity: int($0["capacity"]), partners: int($0["partners"]), reason: string($0["reason"]))
            }
        }
        upperBound = int(root["upper_bound"])
        capacity = max(1, openPlaces?.map(\.capacity).max() ?? 1)
    }

    var total: Int { pairs.reduce(0) { $0 + $1.weight } + triads.reduce(0) { $0 + $1.weight } }

    var matched: Int { Set(pairs.flatMap { [$0.a, $0.b] } + triads.flatMap(\.members)).count }

    var people: Set<String> { Set(pairs.flatMap { [$0.a, $0.b] } + triads.flatMap(\.members) + unmatched.map(\.id)) }

    func contains(_ id: String) -> Bool { people.contains(id) }

    /// Thousandths of a percent below the upper bound, rounded up (as the engine reports it).
    var gapMillipercent: Int {
        guard upperBound > 0, upperBound > total else { return 0 }
        return ((upperBound - total) * 100_000 + upperBound - 1) / upperBound
    }

    func pairIndex(_ a: String, _ b: String) -> Int? {
        pairs.firstIndex { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }
    }

    /// After a pair was removed: unmatched when the person has no partner left, otherwise (on a
    /// capacitated run) one more open place.
    mutating func release(_ id: String, reason: String) {
        let left = pairs.filter { $0.a == id || $0.b == id }.count
        if left == 0 {
            openPlaces?.removeAll { $0.id == id }
            unmatched.append(Unmatched(id: id, reason: reason))
        } else if openPlaces != nil {
            let capacity = openPlaces?.first { $0.id == id }?.capacity ?? max(self.capacity, left + 1)
            openPlaces?.removeAll { $0.id == id }
            openPlaces?.append(OpenPlace(id: id, capacity: capacity, partners: left, reason: "\(capacity - left) of \(capacity) places open: \(reason)"))
        }
    }

    /// The engine's document with the current pairs, triads, unmatched and totals.
    func json() -> String {
        var members = document
        func set(_ key: String, _ value: JSONValue) {
            if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = value } else { members.append((key, value)) }
        }
        set("matched", .int(matched))
        set("total_weight", .int(total))
        set("status", .string(total >= upperBound ? "optimal" : "gap"))
        set("gap_percent", .fixed(Int64(gapMillipercent), decimals: 3))
        set("pairs", .array(pairs.map { pair in
            .object([
                ("a", .string(pair.a)), ("b", .string(pair.b)), ("weight", .int(pair.weight)), ("score", .int(pair.score)),
                ("reasons", .array(pair.reasons.map(JSONValue.string))),
            ])
        }))
        set("triads", .array(triads.map { triad in
            .object([
                ("members", .array(triad.members.map(JSONValue.string))), ("weight", .int(triad.weight)), ("score", .int(triad.score)),
                ("reasons", .array(triad.reasons.map(JSONValue.string))),
            ])
        }))
        set("unmatched", .array(unmatched.map { .object([("id", .string($0.id)), ("reason", .string($0.reason))]) }))
        if let openPlaces {
            set("open_places", .array(openPlaces.map {
                .object([("id", .string($0.id)), ("capacity", .int($0.capacity)), ("partners", .int($0.partners)), ("reason", .string($0.reason))])
            }))
        }
        return JSONWriter.write(.object(members))
    }
}
