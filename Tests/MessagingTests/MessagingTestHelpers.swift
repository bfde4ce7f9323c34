import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Messaging
import TestSupport

extension IncomingMessage {
    /// The body as text (the tests publish short UTF-8 strings).
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A work queue of its own, bound to the commands exchange with `key`, declared on the broker.
@discardableResult
func declareWorkQueue(_ name: String, key: String, topology: MessagingTopology) async throws -> [TopologyElement] {
    let declarations = topology.exchanges + topology.workQueue(name, bindings: [(topology.commandsExchange, key)])
    try await BrokerAdmin.declare(declarations, settings: TestEnvironment.amqp)
    return declarations
}

func readyMessages(_ queue: String) async throws -> Int {
    try await BrokerAdmin.messageCount(queue: queue, settings: TestEnvironment.amqp)
}

extension AMQPError {
    /// The broker could not be reached, or the connection went away.
    var meansNoConnection: Bool {
        switch self {
        case .notConnected, .connectionLost: true
        default: false
        }
    }
}

/// A TCP port that accepts connections (the kernel completes the handshake) and never says a word.
final class SilentListener: Sendable {
    let port: Int
    private let socketDescriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && listen(descriptor, 16) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Glibc.close(socketDescriptor)
    }
}
