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
    /// What the buffer gave: a batch, nothing yet (wait), or nothing ever again.
    private enum Take {
        case batch([Delivery])
        case empty
        case closed
    }

    func nextBatch(maximum: Int) async -> [Delivery]? {
        while !Task.isCancelled {
            let take = state.withLockedValue { state -> Take in
                if state.closed { return .closed }
                guard !state.buffered.isEmpty else { return .empty }
                let count = min(maximum, state.buffered.count)
                defer { state.buffered.removeFirst(count) }
                return .batch(Array(state.buffered.prefix(count)))
            }
            switch take {
            case .closed: return nil
            case .batch(let batch): return batch
            case .empty: break
            }
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
