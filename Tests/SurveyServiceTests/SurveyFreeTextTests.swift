import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// Free texts after moderation: `moderation.decision_made` on a `survey_answer` is kept on its
/// answer row; staff list only the published ones, a page at a time, with the results' filters.
@Suite struct SurveyFreeTextTests {
    let topology = TestEnvironment.isolatedTopology()

    static func decision(on text: UUID, _ status: ModerationStatus, revision: Int = 1) -> ModerationDecisionMade {
        ModerationDecisionMade(
            itemID: UUID(), contentType: .surveyAnswer, contentID: text, ownerService: .surveys, status: status, visible: status.isVisible,
            reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: revision
        )
    }

    @Test func onlyPublishedTextsAreListedWithTheFiltersAPageAtATime() async throws {
        let database = try await surveyDatabase()
        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(sampleDefinition())
            let texts: [(String, SurveyDepartement)] = [
                ("Trop cher pour moi", .somme), ("Pas de gare au village", .nord), ("Texte refusé par la modération", .nord),
                ("Texte encore en attente", .nord), ("Publié puis refusé", .oise),
            ]
            for (index, (text, departement)) in texts.enumerated() {
                try await harness.submit(SubmitSurveyResponse(
                    surveyID: survey, respondent: .email("personne\(index)@exemple.fr"), answers: ["train": .choice("non"), "pourquoi": .text(text)],
                    profile: SurveyProfile(departement: departement), submittedAt: Date().addingTimeInterval(Double(index))
                ))
            }
            try await eventually("every text stored") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.answers WHERE text_id IS NOT NULL") == texts.count
            }
            func textID(_ text: String) async throws -> UUID {
                let found = try await Probe.on(database) { try await $0.texts("SELECT text_id::text FROM surveys.answers WHERE text = \(text)") }
                return try #require(found.first.flatMap { $0 }.flatMap(UUID.init(uuidString:)))
            }
            try await harness.publishEvent(Self.decision(on: try await textID("Trop cher pour moi"), .published))
            try await harness.publishEvent(Self.decision(on: try await textID("Pas de gare au village"), .retained))
            try await harness.publishEvent(Self.decision(on: try await textID("Texte refusé par la modération"), .rejected))
            let reversed = try await textID("Publié puis refusé")
            try await harness.publishEvent(Self.decision(on: reversed, .rejected, revision: 2))
            // An older decision arriving late changes nothing.
            try await harness.publishEvent(Self.decision(on: reversed, .published, revision: 1))
            try await eventually("the decisions applied") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.inbox WHERE message_type = \(ModerationDecisionMade.messageType)") == 5
            }

            let all = try await harness.rpc.request(ListSurveyFreeTexts(surveyID: survey, questionID: "pourquoi"))
            #expect(all.total == 2)
            // Newest response first.
            #expect(all.items.map(\.text) == ["Pas de gare au village", "Trop cher pour moi"])
            #expect(all.items.first?.departement == .nord)

            let firstPage = try await harness.rpc.request(ListSurveyFreeTexts(surveyID: survey, questionID: "pourquoi", offset: 0, limit: 1))
            let secondPage = try await harness.rpc.request(ListSurveyFreeTexts(surveyID: survey, questionID: "pourquoi", offset: 1, limit: 1))
            #expect(firstPage.items.map(\.text) == ["Pas de gare au village"] && firstPage.total == 2)
            #expect(secondPage.items.map(\.text) == ["Trop cher pour moi"] && secondPage.total == 2)
            let beyond = try await harness.rpc.request(ListSurveyFreeTexts(surveyID: survey, questionID: "pourquoi", offset: 10, limit: 1))
            #expect(beyond.items.isEmpty && beyond.total == 2)

            let somme = try await harness.rpc.request(ListSurveyFreeTexts(
                surveyID: survey, questionID: "pourquoi", filter: SurveyResultsFilter(departements: [.somme])
            ))
            #expect(somme.items.map(\.text) == ["Trop cher pour moi"] && somme.total == 1)

            // The staff export leaves out what moderation rejected, and keeps the pending text.
            let export = try await harness.rpc.request(ListSurveyResponsesForExport(
                surveyID: survey, limit: 10, format: "csv", staffID: UUID(), staffName: "Équipe des enquêtes"
            ))
            #expect(export.responses.count == texts.count)
            #expect(Set(export.responses.compactMap { $0.answers["pourquoi"]?.text }) == [
                "Trop cher pour moi", "Pas de gare au village", "Texte encore en attente",
            ])

            do {
                _ = try await harness.rpc.request(ListSurveyFreeTexts(surveyID: survey, questionID: "train"))
                Issue.record("a closed question has no free texts to list")
            } catch let failure as RequestFailure {
                #expect(failure.code == .invalid && failure.field == "questionID")
            }
        }
    }
}
