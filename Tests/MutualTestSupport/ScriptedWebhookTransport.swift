import Foundation
import MutualStore
import Synchronization

/// A webhook transport for tests: records every request and answers from a script (a status,
/// or no answer at all), then 200 once the script is used up.
public final class ScriptedWebhookTransport: WebhookTransport {
    public enum Answer: Sendable {
        case status(Int)
        case noAnswer
    }

    public struct Unreachable: Error, CustomStringConvertible {
        public var description: String { "connection refused" }
    }

    private struct State {
        var requests: [WebhookRequest] = []
        var script: [Answer] = []
        var always: Answer?
    }
    private let state: Mutex<State>

    /// Answers `script` in order, then `always` (200 when nil).
    public init(_ script: [Answer] = [], always: Answer? = nil) {
        state = Mutex(State(script: script, always: always))
    }

    public var requests: [WebhookRequest] { state.withLock { $0.requests } }

    public func answer(always answer: Answer?) { state.withLock { $0.always = answer } }

    public func send(_ request: WebhookRequest) async throws -> WebhookResponse {
        let answer = state.withLock { state -> Answer in
            state.requests.append(request)
            if !state.script.isEmpty { return state.script.removeFirst() }
            return state.always ?? .status(200)
        }
        switch answer {
        case .status(let status): return WebhookResponse(status: status, bodyExcerpt: status == 200 ? "ok" : "nope")
        case .noAnswer: throw Unreachable()
        }
    }
}
