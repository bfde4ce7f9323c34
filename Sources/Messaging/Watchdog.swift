import NIOConcurrencyHelpers

/// Waits for a piece of work at most so long.
///
/// Some waits never end: after a PostgreSQL restart, the fault suite saw a query whose
/// connection the restart cut never return, neither with rows nor with an error. A consumer
/// or a relay that awaited it would stop for good while the process looked alive. The work
/// runs in a task of its own, so that such a wait (which may ignore cancellation) cannot
/// hold the caller: past the deadline the task is cancelled and left to end alone, and the
/// caller goes on. Only work that is safe to run again while an abandoned copy may still
/// finish belongs here: handlers behind the inbox, relays and senders that lock their rows.
public enum Watchdog {
    /// `work`'s result, or nil if it is still running after `deadline`.
    public static func result<Result: Sendable>(
        within deadline: Duration, of work: @escaping @Sendable () async -> Result
    ) async -> Result? {
        let waiter = NIOLockedValueBox<CheckedContinuation<Result?, Never>?>(nil)
        let timer = NIOLockedValueBox<Task<Void, Never>?>(nil)
        // Whoever comes first, the work or the timer, resumes the caller; the other finds nothing.
        let takeWaiter: @Sendable () -> CheckedContinuation<Result?, Never>? = {
            waiter.withLockedValue { current in
                defer { current = nil }
                return current
            }
        }
        return await withCheckedContinuation { continuation in
            waiter.withLockedValue { $0 = continuation }
            let worker = Task {
                let result = await work()
                timer.withLockedValue { $0 }?.cancel()
                takeWaiter()?.resume(returning: result)
            }
            let deadlineTask = Task {
                try? await Task.sleep(for: deadline)
                guard !Task.isCancelled, let waiting = takeWaiter() else { return }
                worker.cancel()
                waiting.resume(returning: nil)
            }
            timer.withLockedValue { $0 = deadlineTask }
        }
    }
}
