import NIOConcurrencyHelpers

/// Deliveries read by the connection thread, waiting for the consumer task.
///
/// The consumer takes everything that arrived since its last batch (up to a maximum), so
/// batches grow by themselves under load and stay small when traffic is light.
final class DeliveryInbox: Sendable {
    private struct State {
        var buffered: [Delivery] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let state = NIOLockedValueBox(State())

    func append(_ deliveries: [Delivery]) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.closed else { return nil }
            state.buffered.append(contentsOf: deliveries)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// The next batch, or nil once closed or when the calling task is cancelled.
    func nextBatch(maximum: Int) async -> [Delivery]? {
        while !Task.isCancelled {
            let batch = state.withLockedValue { state -> [Delivery]?? in
                if state.closed { return .some(nil) }
                guard !state.buffered.isEmpty else { return .none }
                let count = min(maximum, state.buffered.count)
                defer { state.buffered.removeFirst(count) }
                return .some(Array(state.buffered.prefix(count)))
            }
            if let batch { return batch }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLockedValue { state -> Bool in
                        if state.closed || !state.buffered.isEmpty || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                    defer { state.waiter = nil }
                    return state.waiter
                }?.resume()
            }
        }
        return nil
    }

    /// Stops handing out batches and returns what was still buffered.
    func close() -> [Delivery] {
        let (rest, waiter) = state.withLockedValue { state -> ([Delivery], CheckedContinuation<Void, Never>?) in
            state.closed = true
            defer {
                state.buffered = []
                state.waiter = nil
            }
            return (state.buffered, state.waiter)
        }
        waiter?.resume()
        return rest
    }
}
