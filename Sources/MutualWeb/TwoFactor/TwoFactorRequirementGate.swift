import Foundation
import Hummingbird
import MutualStore

/// Keeps an admin who has not set up two-factor sign-in out of the pages that need more than
/// the participant role, when their organisation requires it: a page is a redirect to the
/// set-up page, a form post a 403 saying what to do. Only browser sessions are gated: API
/// requests carry a bearer token (no session), which is a separate credential the admin made
/// and can revoke, so scripts keep working (docs/architecture.md says so).
struct TwoFactorRequirementGate: Sendable {
    let store: Store

    @Sendable func check(_ request: Request, _ context: SignedInContext) async throws -> Response? {
        guard context.sessionToken != nil, context.identity.role == .admin else { return nil }
        guard try await store.mustEnrolInTwoFactor(context.identity) else { return nil }
        if request.method == .get || request.method == .head {
            return .redirect(to: TwoFactorPages.path, type: .normal)
        }
        throw StoreError.forbidden(
            message: "Your organisation requires admins to use two-factor sign-in. Set it up under Two-factor sign-in (\(TwoFactorPages.path)), then try again.")
    }
}
