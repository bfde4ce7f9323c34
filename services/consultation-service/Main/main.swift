import ConsultationService
import ServiceKit

await ServiceRunner.run(ConsultationService.self)
