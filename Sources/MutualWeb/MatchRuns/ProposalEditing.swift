import Foundation
import Hummingbird
import MutualStore

/// The run page's editing part: lock, break, swap, leave out, the log of edits with their
/// effect on the score, what a re-run was run around, and the re-run form.
enum ProposalEditing {
    struct Person { let id: String, name: String }
    struct EditRow { let summary: String, by: String, at: String }
    struct Model {
        var editable = false
        /// The number of edits the page shows, sent back so a stale page cannot edit blindly.
        var editCount = 0
        var matchedPeople: [Person] = [], everyone: [Person] = []
        var edits: [EditRow] = [], hasEdits = false
        var fromRun = "", isRerun = false
        var locked: [String] = [], hasLocked = false
        var broken: [String] = [], hasBroken = false
        var excluded: [String] = [], hasExcluded = false
    }

    static func model(_ run: MatchRunSummary, names: [String: String], editable: Bool, store: Store, identity: Identity) async throws -> Model {
        let name = { (id: String) in names[id] ?? id }
        let pairText = { (pair: [String]) in pair.map(name).joined(separator: " and ") }
        let groups = run.groups
        let matched = Set(groups.flatMap(\.members))
        let everyone = Set(matched).union(run.unmatched.map(\.id))
        let people = { (ids: Set<String>) in ids.map { Person(id: $0, name: name($0)) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) } }
        let style = Date.FormatStyle(date: .abbreviated, time: .shortened)
        var model = Model()
        model.editable = editable && run.model != .groups
        model.editCount = run.edits.count
        model.matchedPeople = people(matched)
        model.everyone = people(everyone)
        model.edits = run.edits.map { EditRow(summary: $0.summary, by: $0.by, at: $0.at.formatted(style)) }
        model.hasEdits = !model.edits.isEmpty
        if let from = run.frame.fromRun {
            model.fromRun = from.uuidString
            model.isRerun = true
        }
        model.locked = run.lockedPairs.map(pairText)
        model.hasLocked = !model.locked.isEmpty
        model.broken = run.brokenPairs.map(pairText)
        model.hasBroken = !model.broken.isEmpty
        model.excluded = run.excludedPeople.map(name)
        model.hasExcluded = !model.excluded.isEmpty
        return model
    }

    /// The change a run page's edit form asks for, or what is missing from it.
    static func change(_ form: FormFields) throws -> ProposalChange {
        let value = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
        let (a, b) = (value("a"), value("b"))
        func pair() throws -> (String, String) {
            guard !a.isEmpty, !b.isEmpty else {
                throw StoreError.invalid(field: "a", message: "Pick a pair from the list of matches.")
            }
            return (a, b)
        }
        switch value("action") {
        case "lock": return .lock(try pair().0, b)
        case "unlock": return .unlock(try pair().0, b)
        case "break": return .breakPair(try pair().0, b)
        case "swap":
            let (x, y) = (value("x"), value("y"))
            guard !x.isEmpty, !y.isEmpty else { throw StoreError.invalid(field: "x", message: "Choose the two people to swap.") }
            return .swap(x, y)
        case "exclude":
            let person = value("person")
            guard !person.isEmpty else { throw StoreError.invalid(field: "person", message: "Choose the person to leave out.") }
            return .exclude(person)
        default:
            throw StoreError.invalid(field: "action", message: "Choose what to do: lock, unlock or break a pair, swap two people, or leave someone out.")
        }
    }
}

extension MatchRunPages {
    @Sendable func edit(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        do {
            let change = try ProposalEditing.change(context.form)
            let expected = Int(context.form["expected_edits"] ?? "")
            let outcome = try await store.editProposal(runID: id, change, expectedEdits: expected, by: context.identity)
            var model = try await model(context, id: id)
            model.status = outcome.edit.summary
            return try pages.render("match-run", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("match-run", model, status: APIProblem(error).status)
        }
    }

    @Sendable func rerun(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        do {
            let seedText = (context.form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
            var seed: Int?
            if !seedText.isEmpty {
                guard let number = Int(seedText) else {
                    throw StoreError.invalid(field: "seed", message: "The seed must be a whole number, such as 1, or empty to keep this run's seed.")
                }
                seed = number
            }
            let run = try await store.matchRunner.rerun(runID: id, seed: seed, by: context.identity)
            return .redirect(to: "/runs/\(run.id.uuidString)", type: .normal)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("match-run", model, status: APIProblem(error).status)
        }
    }
}
