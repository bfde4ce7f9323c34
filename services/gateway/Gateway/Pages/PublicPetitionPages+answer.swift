import DialogueContracts
import Foundation
import ServiceKit

extension PublicPetitionPages {
    /// The assembly's answer as the public and staff pages show it: decision, text in
    /// paragraphs, the report's link and the date.
    static func answerValues(_ answer: PetitionAnswer) -> [String: Any] {
        var values: [String: Any] = [
            "decision": answer.decision.frenchLabel,
            "paragraphs": answer.text.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            "answeredAt": FrenchDate.day(answer.answeredAt),
            "isoAnsweredAt": answer.answeredAt.ISO8601Format(),
        ]
        values["reportURL"] = answer.reportURL
        return values
    }
}
