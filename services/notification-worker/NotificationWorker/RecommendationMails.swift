import DialogueContracts
import Foundation
import ServiceKit
import Wording

extension TopicMessages {
    /// A recommendation of an orientation report took up a contribution the person wrote or supports.
    static func recommendationPublished(_ event: RecommendationPublished) -> TopicMessage {
        TopicMessage(
            topic: .contributionAnswers,
            title: "Votre contribution est reprise dans le rapport d'orientation",
            headline: "« \(event.processTitle) » : reprise dans la recommandation n° \(event.number)",
            paragraphs: [
                "Une contribution que vous avez écrite ou soutenue est reprise dans la recommandation n° \(event.number) du rapport d'orientation de la démarche « \(event.processTitle) » : « \(event.title) ».",
                "La page de la recommandation cite les contributions dont elle s'inspire ; vous y suivrez la décision des élus puis sa mise en œuvre.",
            ],
            link: .recommendation(event.recommendationID), actionLabel: "Voir la recommandation"
        )
    }

    /// What the council made of a recommendation that took up the person's contribution.
    static func recommendationDecided(_ event: RecommendationDecided) -> TopicMessage {
        let fate = event.decision.fate
        var paragraphs = [
            "La recommandation n° \(event.number) « \(event.title) » du rapport d'orientation de la démarche « \(event.processTitle) », qui reprend une contribution que vous avez écrite ou soutenue, a reçu la décision des élus : \(fate.label.lowercased()).",
        ]
        if let reason = event.decision.reason { paragraphs.append("\(fate.reasonLabel) : \(reason)") }
        return TopicMessage(
            topic: .contributionAnswers,
            title: "Décision sur la recommandation n° \(event.number) : \(fate.label.lowercased())",
            headline: "« \(event.processTitle) », recommandation n° \(event.number) : \(fate.label.lowercased())",
            paragraphs: paragraphs, link: .recommendation(event.recommendationID), actionLabel: "Voir la recommandation et sa décision"
        )
    }

    /// An implementation milestone of that recommendation was added or moved.
    static func milestoneUpdated(_ event: MilestoneUpdated) -> TopicMessage {
        let milestone = event.milestone
        let due = ProcessDay.start(of: milestone.dueOn).map(FrenchDate.day) ?? milestone.dueOn
        let progress = event.previousProgress.map { $0 == milestone.progress ? "\(milestone.progress) %" : "de \($0) % à \(milestone.progress) %" }
            ?? "\(milestone.progress) %"
        return TopicMessage(
            topic: .contributionAnswers,
            title: "Mise en œuvre de la recommandation n° \(event.number) : « \(milestone.title) »",
            headline: "« \(event.processTitle) », recommandation n° \(event.number) : jalon « \(milestone.title) », \(milestone.status.label.lowercased())",
            paragraphs: [
                "La mise en œuvre de la recommandation n° \(event.number) « \(event.recommendationTitle) » (démarche « \(event.processTitle) »), qui reprend une contribution que vous avez écrite ou soutenue, avance.",
                "Jalon « \(milestone.title) », échéance le \(due) : \(milestone.status.label.lowercased()), avancement \(progress).",
            ],
            link: .recommendation(event.recommendationID), actionLabel: "Voir la mise en œuvre"
        )
    }
}
