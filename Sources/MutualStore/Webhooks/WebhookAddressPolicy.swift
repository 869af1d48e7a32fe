import Foundation
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps webhooks off the server's own network (SSRF): an endpoint must be an `http` or `https`
/// address whose host resolves only to public addresses. Checked when an endpoint is
/// subscribed and again before every delivery, since what a name resolves to can change.
/// `MUTUAL_WEBHOOK_ALLOW_PRIVATE=true` lifts the address rule (a receiver on the same host,
/// tests); the scheme rule stays.
public struct WebhookAddressPolicy: Sendable {
    public var allowPrivate: Bool

    public init(allowPrivate: Bool) {
        self.allowPrivate = allowPrivate
    }

    /// Why `url` may not receive webhooks, or nil when it may.
    public func refusal(of url: String) async -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https"
        else {
            return "The address \"\(url)\" is not an http:// or https:// URL. Give the full address of the receiver, e.g. https://hooks.example.org/mutual."
        }
        guard var host = components.host, !host.isEmpty else {
            return "The address \"\(url)\" has no host. Give the full address of the receiver, e.g. https://hooks.example.org/mutual."
        }
        guard components.user == nil, components.password == nil else {
            return "The address must not carry a user name or password; put a secret in its path or query instead, or verify the signature Mutual sends."
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if allowPrivate { return nil }
        let addresses: [[UInt8]]
        do {
            addresses = try await Self.resolve(host)
        } catch {
            return "The host \(host) could not be resolved (\(error)). Check the address; it must be reachable from the Mutual server."
        }
        guard !addresses.isEmpty else {
            return "The host \(host) could not be resolved. Check the address; it must be reachable from the Mutual server."
        }
        if let blocked = addresses.first(where: { !Self.isPublic($0) }) {
            return "The host \(host) resolves to \(Self.describe(blocked)), a private, loopback or link-local address, so Mutual will not send webhooks there. Use a public address (or set MUTUAL_WEBHOOK_ALLOW_PRIVATE=true on a server whose own network may receive them)."
        }
        return nil
    }

    /// The addresses a host name (or literal) resolves to: 4 bytes for IPv4, 16 for IPv6.
    static func resolve(_ host: String) async throws -> [[UInt8]] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Darwin)
            hints.ai_socktype = SOCK_STREAM
            #else
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #endif
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(host, nil, &hints, &result)
            guard status == 0, let first = result else {
                throw ResolutionError(message: String(cString: gai_strerror(status)))
            }
            defer { freeaddrinfo(first) }
            var addresses: [[UInt8]] = []
            var next: UnsafeMutablePointer<addrinfo>? = first
            while let info = next {
                if let address = info.pointee.ai_addr {
                    switch Int32(address.pointee.sa_family) {
                    case AF_INET:
                        address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                            var raw = v4.pointee.sin_addr
                            addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
                        }
                    case AF_INET6:
                        address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                            var raw = v6.pointee.sin6_addr
                            addresses.append(withUnsafeBytes(of: &raw) { Array($0) })
                        }
                    default: break
                    }
                }
                next = info.pointee.ai_next
            }
            return addresses
        }
    }

    struct ResolutionError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Whether an address is on the public internet: not private (10/8, 172.16/12, 192.168/16,
    /// 100.64/10, fc00::/7), loopback (127/8, ::1), link-local (169.254/16, fe80::/10),
    /// unspecified (0.0.0.0/8, ::), multicast, reserved or documentation-only; an IPv4 address
    /// inside IPv6 (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
    /// `2002::/16`) is judged as the IPv4 address it carries.
    public static func isPublic(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return isPublicV4(address)
        case 16: return isPublicV6(address)
        default: return false
        }
    }

    static func isPublicV4(_ a: [UInt8]) -> Bool {
        let (b0, b1, b2) = (a[0], a[1], a[2])
        if b0 == 0 || b0 == 10 || b0 == 127 { return false }  // this network, private, loopback
        if b0 == 100 && (b1 & 0xC0) == 64 { return false }  // 100.64/10 carrier-grade NAT
        if b0 == 169 && b1 == 254 { return false }  // link-local (cloud metadata lives here)
        if b0 == 172 && (b1 & 0xF0) == 16 { return false }  // 172.16/12
        if b0 == 192 && b1 == 168 { return false }  // 192.168/16
        if b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2) { return false }  // IETF protocol, TEST-NET-1
        if b0 == 198 && (b1 & 0xFE) == 18 { return false }  // 198.18/15 benchmarking
        if b0 == 198 && b1 == 51 && b2 == 100 { return false }  // TEST-NET-2
        if b0 == 203 && b1 == 0 && b2 == 113 { return false }  // TEST-NET-3
        if b0 >= 224 { return false }  // multicast, reserved, broadcast
        return true
    }

    static func isPublicV6(_ a: [UInt8]) -> Bool {
        let firstTen = a[0..<10].allSatisfy { $0 == 0 }
        if firstTen && a[10] == 0xFF && a[11] == 0xFF { return isPublicV4(Array(a[12..<16])) }  // ::ffff:a.b.c.d
        if a[0..<12].allSatisfy({ $0 == 0 }) {
            // :: and ::1, or a deprecated IPv4-compatible ::a.b.c.d.
            if a[12..<15].allSatisfy({ $0 == 0 }) && a[15] <= 1 { return false }
            return isPublicV4(Array(a[12..<16]))
        }
        if a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B { return isPublicV4(Array(a[12..<16])) }  // NAT64
        if a[0] == 0x20 && a[1] == 0x02 { return isPublicV4(Array(a[2..<6])) }  // 6to4
        if (a[0] & 0xFE) == 0xFC { return false }  // fc00::/7 unique local
        if a[0] == 0xFE && (a[1] & 0xC0) == 0x80 { return false }  // fe80::/10 link-local
        if a[0] == 0xFE && (a[1] & 0xC0) == 0xC0 { return false }  // fec0::/10 site-local (deprecated)
        if a[0] == 0xFF { return false }  // multicast
        if a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0D && a[3] == 0xB8 { return false }  // 2001:db8::/32 documentation
        return true
    }

    static func describe(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map { String(UInt16(address[$0]) << 8 | UInt16(address[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}
