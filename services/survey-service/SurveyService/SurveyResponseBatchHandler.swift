import DialogueContracts
import Foundation
public import Logging
public import Messaging
import ServiceKit

/// Records `survey.response.submit` commands, each in its own transaction: one response is
/// checked and stored whole, so a refused one never takes the others of its batch down.
///
/// A refused submission (unknown or closed survey, respondent not allowed, an answer that
/// does not fit — the gateway checked the same rules before answering 202, so only a race
/// with the closing or a forged command gets here) is dead-lettered with the reason, naming
/// the question. A second response from the same person is acknowledged and changes nothing.
public struct SurveyResponseBatchHandler: MessageBatchHandler {
    let responses: SurveyResponseStore
    let logger: Logger

    public init(responses: SurveyResponseStore, logger: Logger) {
        self.responses = responses
        self.logger = logger
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes = Array(repeating: DeliveryOutcome.ack, count: batch.count)
        for (index, message) in batch.enumerated() {
            guard let messageID = message.messageID else {
                outcomes[index] = .deadLetter(reason: "message without message_id")
                continue
            }
            let command: SubmitSurveyResponse
            do {
                command = try message.decode(SubmitSurveyResponse.self)
            } catch {
                outcomes[index] = .deadLetter(reason: "\(error)")
                continue
            }
            do {
                try await TraceContext.$current.withValue(TraceContext(handling: message)) {
                    log(try await responses.record(command, messageID: messageID), survey: command.surveyID)
                }
            } catch let refusal as RequestFailure {
                logger.notice("survey response refused", metadata: ["survey_id": "\(command.surveyID)", "field": "\(refusal.field ?? "")"])
                outcomes[index] = .deadLetter(reason: "\(refusal.field.map { "\($0): " } ?? "")\(refusal.message)")
            } catch {
                outcomes[index] = .retry(reason: String(reflecting: error))
            }
        }
        return outcomes
    }

    private func log(_ recorded: SurveyResponseStore.Recorded, survey: UUID) {
        let metadata: Logger.Metadata = ["survey_id": "\(survey)"]
        switch recorded {
        case .stored: logger.debug("survey response stored", metadata: metadata)
        case .replaced: logger.debug("survey response replaced by its person's edit", metadata: metadata)
        case .alreadyAnswered: logger.info("second survey response of one person ignored", metadata: metadata)
        case .olderThanStored: logger.info("survey response edit older than the stored one ignored", metadata: metadata)
        case .handledBefore: break
        }
    }
}
