import DialogueContracts
import Foundation
import ServiceKit
import Wording

extension TopicMessages {
    /// A new phase of a process, to one of its followers.
    static func processPhase(_ event: ProcessPhaseNoticeRequested) -> TopicMessage {
        let phase = event.phase
        let days = phase.startsOn == phase.endsOn ? "le \(day(phase.startsOn))" : "du \(day(phase.startsOn)) au \(day(phase.endsOn))"
        return TopicMessage(
            topic: .processPhases,
            title: "Nouvelle étape : \(phase.shownTitle)",
            headline: "« \(phase.processTitle) » : étape \(phase.position) sur \(phase.phaseCount), \(phase.shownTitle)",
            paragraphs: [
                "La démarche « \(phase.processTitle) » que vous suivez entre dans son étape \(phase.position) sur \(phase.phaseCount) : \(phase.shownTitle), \(days).",
                "Sa page dit ce qui est ouvert pendant cette étape et ce qui s'est passé dans les précédentes.",
            ],
            link: .process(phase.processID), actionLabel: "Voir la démarche"
        )
    }

    /// « 1er mars 2027 » for a `yyyy-MM-dd` day (its midnight in Paris, where `FrenchDate` reads it).
    private static func day(_ day: String) -> String {
        ProcessDay.start(of: day).map(FrenchDate.day) ?? day
    }
}
