import Foundation
import Hummingbird

/// Makes Mutual's cookies with the same safe attributes everywhere: `HttpOnly`, `SameSite=Lax`,
/// `Path=/`, and `Secure` when the public address is https.
struct CookieFactory: Sendable {
    let secure: Bool

    func make(_ name: String, value: String, expires: Date? = nil) -> Cookie {
        Cookie(name: name, value: value, expires: expires, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
