import DialogueContracts
import Foundation
import Wording

extension TopicMessages {
    /// What became of a contribution (`contribution.status_changed`), to its author or to one
    /// of the people supporting it: the new status, the reason, the report and the public answer.
    static func contributionAnswered(_ event: ContributionStatusChanged, toAuthor: Bool) -> TopicMessage {
        let answer = event.answer
        let status = answer.status.label.lowercased()
        let opening = toAuthor
            ? "Le CESER Hauts-de-France a donné une suite à votre contribution « \(event.title) » : \(status)."
            : "Le CESER Hauts-de-France a donné une suite à la proposition « \(event.title) », que vous soutenez : \(status)."
        var paragraphs = [opening]
        if let reason = answer.reason { paragraphs.append("Pourquoi : \(reason)") }
        if let report = answer.reportURL { paragraphs.append("Le rapport qui la reprend : \(report)") }
        if let text = answer.text { paragraphs.append("Réponse du CESER : \(text)") }
        return TopicMessage(
            topic: .contributionAnswers,
            title: toAuthor ? "Votre contribution : \(status)" : "Une proposition que vous soutenez : \(status)",
            headline: "« \(event.title) » : \(status)",
            paragraphs: paragraphs, link: .contribution(event.contributionID), actionLabel: "Voir la contribution et sa réponse"
        )
    }
}
