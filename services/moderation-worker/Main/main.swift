import ModerationWorker
import ServiceKit

await ServiceRunner.run(ModerationWorker.self)
