import SurveyService
import ServiceKit

await ServiceRunner.run(SurveyService.self)
