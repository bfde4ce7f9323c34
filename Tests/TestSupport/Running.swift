import Foundation
import Logging
public import ServiceLifecycle

/// Runs services for the duration of a test body, then shuts them down gracefully.
public func withRunningServices<Result: Sendable>(
    _ services: [any Service], _ body: @Sendable () async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(configuration: .init(
        services: services.map { .init(service: $0) }, gracefulShutdownSignals: [], logger: TestEnvironment.logger
    ))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Waits until `condition` holds, checking often, and fails after `timeout`.
///
/// Messages arrive when they arrive: tests await the effect with a deadline rather than
/// sleeping a fixed time.
public func eventually(
    timeout: Duration = .seconds(15), _ what: String = "condition",
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(50))
    }
    if try await condition() { return }
    throw TimedOut(what: what, timeout: timeout)
}

/// `eventually` gave up.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration
    public var description: String { "timed out after \(timeout) waiting for \(what)" }
}
