public import NotificationWorker
public import ServiceKit
public import ServiceLifecycle

/// The signing settings of the notification worker in tests.
public let testNotificationLinks = NotificationLinks(baseURL: "http://dialogue.test", secret: "une clé de test assez longue pour signer des liens")

/// The notification worker's parts for a test, mailing the test command's SMTP server.
public func notificationWorkerParts(
    on platform: ServicePlatform,
    delivery: MailDeliveryPolicy = MailDeliveryPolicy(retryDelays: [.seconds(1)], lease: .seconds(40), pollInterval: .milliseconds(200))
) -> [any Service] {
    NotificationWorker.parts(
        on: platform, smtp: SMTPSettings(url: TestEnvironment.smtpURL, tls: .none, timeout: .seconds(10)), delivery: delivery,
        links: testNotificationLinks
    )
}
