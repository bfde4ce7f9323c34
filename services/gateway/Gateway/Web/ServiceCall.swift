import DialogueContracts
import HTTPTypes
import Messaging
import ServiceKit

/// Asks a service over RPC and maps its refusals to the API's errors (pages show them as French pages).
struct ServiceCall: Sendable {
    let rpc: RPCClient
    let timeout: Duration

    init(rpc: RPCClient, timeout: Duration) {
        self.rpc = rpc
        self.timeout = timeout
    }

    init(web: WebDependencies) {
        self.init(rpc: web.rpc, timeout: web.settings.rpcTimeout)
    }

    func ask<Request: DialogueRequest>(_ request: Request) async throws -> Request.Response {
        do {
            return try await rpc.request(request, timeout: timeout)
        } catch let failure as RequestFailure {
            throw APIError(failure)
        } catch let error as AMQPError {
            // The broker or the service is away (an unroutable request means no service consumes): retry later.
            if error.isTransient { throw APIError.unavailable }
            if case .unroutable = error { throw APIError.unavailable }
            throw error
        }
    }
}
