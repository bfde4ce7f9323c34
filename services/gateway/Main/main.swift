import Gateway
import ServiceKit

await ServiceRunner.run(Gateway.self)
