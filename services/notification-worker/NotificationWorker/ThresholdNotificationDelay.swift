import Foundation
import Metrics

/// How long after a petition crossed its threshold staff were told (their notification
/// recorded and their mails queued): the assembly must take such a petition up, so a delay
/// past five minutes is an alert of its own (`DialogueThresholdNotificationLate`).
enum ThresholdNotificationDelay {
    static let lateAfterSeconds: Double = 300

    static func observe(reachedAt: Date, now: Date = Date()) {
        let seconds = max(0, now.timeIntervalSince(reachedAt))
        Gauge(label: "dialogue_threshold_notification_last_delay_seconds").record(seconds)
        let late = Counter(label: "dialogue_threshold_notifications_late_total")
        // Made at each crossing even when on time, so the series exists at 0 for the alert.
        if seconds > lateAfterSeconds { late.increment() }
    }
}
