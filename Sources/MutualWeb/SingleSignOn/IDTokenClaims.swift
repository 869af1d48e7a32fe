import Foundation
import JWTKit

/// The claims of an OpenID Connect ID token that Mutual reads.
public struct IDTokenClaims: JWTPayload {
    public var iss: IssuerClaim
    public var sub: SubjectClaim
    public var aud: AudienceClaim
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim?
    public var nonce: String?
    /// The authorised party; must be Mutual's client id when there are several audiences.
    public var azp: String?
    public var email: String?
    public var emailVerified: BoolClaim?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, nonce, azp, email
        case emailVerified = "email_verified"
    }

    public init(
        iss: String, sub: String, aud: [String], exp: Date, iat: Date?, nonce: String?, azp: String? = nil, email: String?,
        emailVerified: Bool?
    ) {
        self.iss = IssuerClaim(value: iss)
        self.sub = SubjectClaim(value: sub)
        self.aud = AudienceClaim(value: aud)
        self.exp = ExpirationClaim(value: exp)
        self.iat = iat.map { IssuedAtClaim(value: $0) }
        self.nonce = nonce
        self.azp = azp
        self.email = email
        self.emailVerified = emailVerified.map { BoolClaim(value: $0) }
    }

    /// Nothing here: ``IdentityProvider`` checks the claims against the injected clock, the
    /// configured issuer and client, and the attempt's nonce, each with its own message.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
