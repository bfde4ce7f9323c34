import Foundation
public import HTTPTypes

/// The proxies whose `X-Forwarded-For` is believed. Anyone else could write any address in
/// that header, so without a trusted proxy it is ignored (and rate limits could not be dodged).
public struct TrustedProxies: Sendable, Equatable {
    private struct IPv4Network: Sendable, Equatable {
        let address: UInt32
        let mask: UInt32
    }
    private var networks: [IPv4Network] = []
    private var exact: Set<String> = []

    public init() {}

    /// Parses a comma-separated list of IPv4 addresses or networks (`10.0.0.0/8`) and IPv6 addresses.
    public init?(list: String) {
        for item in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            if item.contains(":") {
                exact.insert(item.lowercased())
                continue
            }
            let parts = item.split(separator: "/")
            guard let address = Self.ipv4(String(parts[0])) else { return nil }
            var prefix = 32
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...32).contains(length) else { return nil }
                prefix = length
            } else if parts.count > 2 {
                return nil
            }
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << (32 - prefix)
            networks.append(IPv4Network(address: address & mask, mask: mask))
        }
    }

    public func contains(_ address: String) -> Bool {
        if exact.contains(address.lowercased()) { return true }
        guard let value = Self.ipv4(address) else { return false }
        return networks.contains { value & $0.mask == $0.address }
    }

    /// The client's address: the peer, unless the peer is a trusted proxy, in which case the
    /// right-most address of `X-Forwarded-For` that is not itself a trusted proxy.
    public func clientAddress(peer: String?, headers: HTTPFields) -> String {
        guard let peer else { return "unknown" }
        guard contains(peer) else { return peer }
        let forwarded = headers[values: .xForwardedFor]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        for address in forwarded.reversed() where !contains(address) {
            return address
        }
        return forwarded.first ?? peer
    }

    private static func ipv4(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var value: UInt32 = 0
        for octet in octets {
            guard let byte = UInt8(octet), octet.count <= 3 else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
