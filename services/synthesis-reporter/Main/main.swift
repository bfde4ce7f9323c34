import SynthesisReporter
import ServiceKit

await ServiceRunner.run(SynthesisReporter.self)
