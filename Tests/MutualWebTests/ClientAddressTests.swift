import Testing

@testable import MutualWeb

@Suite("The client address behind proxies")
struct ClientAddressTests {
    static let nginxOnThisHost = IPNetwork.loopback
    static let balancers = [IPNetwork(cidr: "10.0.0.0/8")!, IPNetwork(cidr: "2001:db8::/32")!] + IPNetwork.loopback

    @Test("Behind the README's nginx, the address nginx appended is the client, whatever the client wrote before it")
    func rightMostUntrustedHop() {
        // The client sends "X-Forwarded-For: 1.2.3.4"; nginx's proxy_add_x_forwarded_for appends the real address.
        let address = ClientAddressMiddleware.clientAddress(
            peer: "127.0.0.1", forwardedFor: ["1.2.3.4, 203.0.113.9"], trusted: Self.nginxOnThisHost)
        #expect(address == "203.0.113.9")
    }

    @Test("Trusted hops are skipped from the right, across several headers and IPv6")
    func severalProxies() {
        #expect(
            ClientAddressMiddleware.clientAddress(
                peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 198.51.100.7", "10.9.9.9"], trusted: Self.balancers) == "198.51.100.7")
        #expect(
            ClientAddressMiddleware.clientAddress(
                peer: "2001:db8::5", forwardedFor: ["2001:db8:ffff::1, 2a00:1450::200e, 2001:db8::7"], trusted: Self.balancers)
                == "2a00:1450::200e")
    }

    @Test("A connection that does not come from a trusted proxy is the client: its header is ignored")
    func untrustedPeer() {
        #expect(ClientAddressMiddleware.clientAddress(peer: "203.0.113.50", forwardedFor: ["1.2.3.4"], trusted: Self.balancers) == "203.0.113.50")
        #expect(ClientAddressMiddleware.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"], trusted: []) == "127.0.0.1")
    }

    @Test("Networks: prefixes, single addresses, IPv4 written as IPv6, and text that is no address")
    func networks() throws {
        let network = try #require(IPNetwork(cidr: "192.168.0.0/23"))
        #expect(network.contains("192.168.1.200"))
        #expect(!network.contains("192.168.2.1"))
        #expect(network.contains("::ffff:192.168.0.9"))
        #expect(try #require(IPNetwork(cidr: "203.0.113.7")).contains("203.0.113.7"))
        #expect(!network.contains("evil.example"))
        #expect(IPNetwork(cidr: "10.0.0.0/33") == nil)
        #expect(IPNetwork(cidr: "10.0.0/8") == nil)
        #expect(IPNetwork(cidr: "nonsense") == nil)
    }

    @Test("MUTUAL_TRUSTED_PROXIES is read as CIDRs, a wrong entry is refused by name, and MUTUAL_TRUST_PROXY means loopback")
    func configuration() async throws {
        let configured = try await AppConfiguration.load(
            flags: [:], environment: ["MUTUAL_TRUSTED_PROXIES": "10.0.0.0/8, 2001:db8::/32", "MUTUAL_TRUST_PROXY": "true"], dotEnvPath: nil)
        #expect(configured.proxiesTrusted.map(\.description) == ["10.0.0.0/8", "2001:db8::/32", "127.0.0.0/8", "::1/128"])
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfiguration.load(flags: [:], environment: ["MUTUAL_TRUSTED_PROXIES": "10.0.0.0/8,office"], dotEnvPath: nil)
        }
    }
}
