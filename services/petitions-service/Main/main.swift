import PetitionsService
import ServiceKit

await ServiceRunner.run(PetitionsService.self)
