public import Hummingbird
public import Logging
import NIOConcurrencyHelpers
public import Prometheus

/// The readiness checks of a process: each part that must be up registers one.
public final class ReadinessChecks: Sendable {
    public typealias Check = @Sendable () async -> Bool
    private let checks = NIOLockedValueBox<[(name: String, check: Check)]>([])

    public init() {}

    public func register(_ name: String, _ check: @escaping Check) {
        checks.withLockedValue { $0.append((name, check)) }
    }

    /// The names of the checks that fail now.
    public func failing() async -> [String] {
        var failing: [String] = []
        for (name, check) in checks.withLockedValue({ $0 }) where !(await check()) {
            failing.append(name)
        }
        return failing
    }
}

/// `/healthz` (the process answers), `/readyz` (its dependencies answer) and `/metrics`.
/// Served by every service on its operations listener (`OPERATIONS_HOST`, `OPERATIONS_PORT`), never on
/// the gateway's public site: the orchestrator's probes and the metrics scraper reach that port, visitors do not.
public struct OperationsEndpoints: Sendable {
    /// The paths served, each answering GET.
    public static let paths = ["/healthz", "/readyz", "/metrics"]
    public var paths: [String] { Self.paths }

    public let readiness: ReadinessChecks
    public let registry: PrometheusCollectorRegistry?

    public init(readiness: ReadinessChecks, registry: PrometheusCollectorRegistry?) {
        self.readiness = readiness
        self.registry = registry
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("readyz") { _, _ in
            let failing = await readiness.failing()
            let text = failing.isEmpty ? "ready\n" : "not ready: \(failing.joined(separator: ", "))\n"
            return Response(
                status: failing.isEmpty ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        router.get("metrics") { _, _ in
            var bytes: [UInt8] = []
            registry?.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// The operations listener: an HTTP server with only these endpoints.
    public func makeServer(host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router()
        register(on: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }
}
