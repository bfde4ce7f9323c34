import DialogueContracts
import Foundation
import ServiceKit
import Wording

extension TopicMessages {
    /// A step of their petition after the threshold (referred, answered, closed), to its author.
    static func statusChanged(_ event: PetitionStatusChanged) -> TopicMessage? {
        let petition = "Votre pétition « \(event.title) »"
        let (title, headline, paragraphs): (String, String, [String])
        switch event.to {
        case .referred:
            title = "Votre pétition est transmise à l'assemblée"
            headline = "« \(event.title) » est transmise à l'assemblée"
            paragraphs = [
                "\(petition) a été transmise à l'assemblée du CESER Hauts-de-France, qui va se saisir du sujet.",
            ] + (event.note.map { ["Précision de l'équipe : \($0)"] } ?? []) + [
                "Vous serez informé·e de sa réponse.",
            ]
        case .answered:
            guard let answer = event.answer else { return nil }
            title = "L'assemblée a répondu à votre pétition"
            headline = "« \(event.title) » : \(answer.decision.frenchLabel.lowercased())"
            paragraphs = [
                "L'assemblée du CESER Hauts-de-France a répondu à votre pétition « \(event.title) ».",
                "Décision : \(answer.decision.frenchLabel).",
            ] + (answer.reportURL.map { ["Le rapport : \($0)"] } ?? []) + [
                "La réponse complète est publiée sur la page de la pétition.",
            ]
        case .closed:
            title = "Votre pétition est close"
            headline = "« \(event.title) » est close"
            paragraphs = switch event.from {
            case .answered:
                ["\(petition) est close : l'assemblée y a répondu et son parcours est terminé. Merci de votre engagement."]
            case .open where event.note == nil:
                ["\(petition) est close : sa période de collecte est terminée sans atteindre le seuil de saisine. Merci de votre engagement."]
            default:
                ["\(petition) a été close par l'équipe du CESER avant la fin de sa collecte."]
                    + (event.note.map { ["Motif : \($0)"] } ?? [])
            }
        default:
            return nil
        }
        return TopicMessage(
            topic: .petitionMilestones, title: title, headline: headline, paragraphs: paragraphs,
            link: .petition(event.petitionID), actionLabel: "Voir votre pétition"
        )
    }
}
