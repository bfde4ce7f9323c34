import NotificationWorker
import ServiceKit

await ServiceRunner.run(NotificationWorker.self)
