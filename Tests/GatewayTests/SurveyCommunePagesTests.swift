import DialogueContracts
import Foundation
@testable import Gateway
import HTTPTypes
import HummingbirdTesting
import Messaging
import ServiceKit
import Testing
import TestSupport

/// A commune question in the answering form, without script: a text input suggesting every
/// commune of the official list, a typed name or code matched on the server, an ambiguous
/// name or an unknown one back with a French message and the text kept.
@Suite struct SurveyCommunePagesTests {
    @Test func aCommuneIsAnsweredByNameOrCodeAndAnUnknownOneIsRefused() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            let staffID = UUID()
            let definition = SurveyDefinition(
                title: "Où habitez-vous ?", purpose: "Savoir d'où viennent les réponses.",
                opensAt: Date(timeIntervalSinceNow: -60), closesAt: Date(timeIntervalSinceNow: 86_400),
                sections: [SurveySection(id: "lieu", title: "", questions: [
                    SurveyQuestion(id: "commune", prompt: "Votre commune", required: true, kind: .place(.commune)),
                ])]
            )
            let draft = try await stack.rpc.request(CreateSurvey(definition: definition, staffID: staffID, staffName: "Agnès"))
            let survey = try await stack.rpc.request(PublishSurvey(surveyID: draft.id, staffID: staffID, staffName: "Agnès"))
            let (citizen, _) = try await SurveyAnsweringPagesTests.citizen(stack, client)
            let path = "/enquetes/\(survey.id.uuidString.lowercased())/repondre"

            let form = try await citizen.get(path)
            #expect(form.text.contains("list=\"r-commune-communes\""))
            #expect(form.text.contains("<option value=\"Amiens (80)\">"))
            #expect(form.text.components(separatedBy: "<option value=").count - 1 == 3_782)

            func send(_ typed: String) async throws -> TestResponse {
                try await citizen.submit(path, [("etape", "0"), ("reponses", "{}"), ("profil", "{}"), ("affichees", "commune"), ("r-commune", typed)], from: path)
            }
            // By name, whatever the spelling, and by code: on to the summary with the commune named.
            let byName = try await send("saint quentin")
            #expect(byName.status == .ok)
            #expect(byName.text.contains("Saint-Quentin (02691)"))
            let byCode = try await send("62041")
            #expect(byCode.text.contains("Arras (62041)"))
            let withDepartement = try await send("Bailleul (80)")
            #expect(withDepartement.text.contains("Bailleul (80051)"))

            // A name of two départements, and a place outside the region: back, with the text kept.
            let ambiguous = try await send("Bailleul")
            #expect(ambiguous.status == .unprocessableContent)
            #expect(ambiguous.text.contains("Plusieurs communes s&#39;appellent « Bailleul »") || ambiguous.text.contains("Plusieurs communes s'appellent « Bailleul »"))
            #expect(ambiguous.text.contains("Bailleul (59)"))
            let unknown = try await send("Paris")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("« Paris » n"))
            #expect(unknown.text.contains("value=\"Paris\""))
            let unknownCode = try await send("59999")
            #expect(unknownCode.status == .unprocessableContent)
            #expect(unknownCode.text.contains("« 59999 » n"))
        }
    }
}
