import Foundation
import Hummingbird
import MutualStore

/// Keeps an admin who has not set up two-factor sign-in out of every signed-in page but the
/// set-up itself and choosing an organisation (signing out needs no sign-in), when their
/// organisation requires it: a page is a redirect to the set-up page, a form post a 403 saying
/// what to do. Participant pages are gated too: from them an admin could make an admin API
/// token or edit anyone's profile. Only browser sessions are gated: API
/// requests carry a bearer token (no session), which is a separate credential the admin made
/// and can revoke, so scripts keep working (docs/architecture.md says so).
struct TwoFactorRequirementGate: Sendable {
    let store: Store

    @Sendable func check(_ request: Request, _ context: SignedInContext) async throws -> Response? {
        guard context.sessionToken != nil, context.identity.role == .admin, !Self.isExempt(request.uri.path) else { return nil }
        guard try await store.mustEnrolInTwoFactor(context.identity) else { return nil }
        if request.method == .get || request.method == .head {
            return .redirect(to: TwoFactorPages.path, type: .normal)
        }
        throw StoreError.forbidden(
            message: "Your organisation requires admins to use two-factor sign-in. Set it up under Two-factor sign-in (\(TwoFactorPages.path)), then try again.")
    }

    /// The set-up pages, and the organisation chooser (an admin of several organisations picks
    /// one before anything else).
    static func isExempt(_ path: String) -> Bool {
        path == TwoFactorPages.path || path.hasPrefix(TwoFactorPages.path + "/") || path == "/organisations"
            || path.hasPrefix("/organisations/")
    }
}
