import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import Identity
import NIOCore
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import SurveyService
import Testing
import TestSupport

/// `/api/v1/surveys`: answering a survey and reading its results, through the real gateway,
/// broker, survey service and database.
@Suite struct SurveysAPITests {
    /// A small survey: a required choice, a question shown only for the car, a bounded number.
    static func definition() -> SurveyDefinition {
        SurveyDefinition(
            title: "Vos trajets du quotidien", purpose: "Les réponses guideront le plan régional des mobilités.",
            opensAt: Date(timeIntervalSinceNow: -60), closesAt: Date(timeIntervalSinceNow: 30 * 86_400),
            sections: [
                SurveySection(id: "trajets", questions: [
                    SurveyQuestion(
                        id: "mode", prompt: "Comment allez-vous au travail ?", required: true,
                        kind: .singleChoice(options: [SurveyOption(id: "train", label: "Train"), SurveyOption(id: "voiture", label: "Voiture")], allowsOther: false)
                    ),
                    SurveyQuestion(id: "pourquoi", prompt: "Pourquoi la voiture ?", condition: .equals(question: "mode", value: "voiture"), kind: .shortText(maximumLength: 200)),
                    SurveyQuestion(id: "km", prompt: "Combien de kilomètres ?", kind: .number(minimum: 0, maximum: 500, unit: "km", wholeNumber: false)),
                ]),
            ]
        )
    }

    /// Runs the gateway stack with a survey service beside it, and a published survey.
    func withSurveys(_ body: @escaping @Sendable (GatewayStack, any TestClientProtocol, UUID) async throws -> Void) async throws {
        let stack = try await GatewayStack.make()
        try await migrate(.surveys, directory: SurveyService.migrationsDirectory, on: stack.database)
        let surveys = ServicePlatform.forTest(.surveys, database: stack.database, topology: stack.topology)
        try await stack.run { client, _ in
            let process: [any Service] = [surveys.database, surveys.publisher, surveys.outboxRelay()] + SurveyService.parts(on: surveys)
            try await withRunningServices(process) {
                try await eventually(timeout: .seconds(20), "survey service ready") { await surveys.readiness.failing().isEmpty }
                let draft = try await stack.rpc.request(CreateSurvey(definition: Self.definition(), staffID: UUID(), staffName: "Agnès Lefebvre"))
                let survey = try await stack.rpc.request(PublishSurvey(surveyID: draft.id, staffID: UUID(), staffName: "Agnès Lefebvre"))
                try await body(stack, client, survey.id)
            }
        }
        await TestSupport.deleteQueues(of: stack.topology, services: [.surveys])
    }

    @Test func anAccountAnswersIsRefusedNamingTheQuestionAndEditsItsResponse() async throws {
        try await withSurveys { stack, client, survey in
            // setup: the API's bearer tokens are staff accounts'; one answers as itself
            let path = "/api/v1/surveys/\(survey.uuidString.lowercased())"

            // act and check: bad answers are refused with the question named, and nothing is sent
            let outOfRange = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}, "km": {"number": 501}}}"#)
            #expect(outOfRange.status == .badRequest)
            #expect(outOfRange.apiError?.field == "questions.km")
            let hidden = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}, "pourquoi": {"text": "?"}}}"#)
            #expect(hidden.apiError?.field == "questions.pourquoi")
            let forged = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["velo"]}}}"#)
            #expect(forged.apiError?.field == "questions.mode")
            #expect(forged.apiError?.message.contains("velo") == true)
            let unknown = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}, "age": {"number": 3}}}"#)
            #expect(unknown.apiError?.field == "questions.age")
            let missing = try await client.post("\(path)/responses", json: #"{"answers": {"km": {"number": 3}}}"#)
            #expect(missing.apiError?.field == "questions.mode")
            let badProfile = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}}, "profile": {"ageBand": "jeune"}}"#)
            #expect(badProfile.status == .badRequest)
            #expect(badProfile.apiError?.field == "profile.ageBand")
            #expect(try await client.post("/api/v1/surveys/\(UUID().uuidString.lowercased())/responses", json: #"{"answers": {}}"#).status == .notFound)
            #expect(try await client.get("\(path)/responses/mine").status == .notFound)

            // a good response is accepted, then read back
            let accepted = try await client.post(
                "\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["voiture"]}, "pourquoi": {"text": "Pas de gare"}}, "profile": {"departement": "62", "ageBand": "35_49"}}"#
            )
            #expect(accepted.status == .accepted)
            #expect(try accepted.decode(AcceptedBody.self).status == "accepted")
            try await eventually("the response stored") { try await client.get("\(path)/responses/mine").status == .ok }
            let mine = try await client.get("\(path)/responses/mine").decode(MySurveyResponse.self)
            #expect(mine.editable)
            #expect(mine.response?.answers == ["mode": .choice("voiture"), "pourquoi": .text("Pas de gare")])
            #expect(mine.response?.profile == SurveyProfile(departement: .pasDeCalais, ageBand: .from35To49))

            // a second response is refused; the edit replaces the first
            let again = try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}}}"#)
            #expect(again.status == .conflict)
            #expect(again.apiError?.code == "already_answered")
            let edited = try await client.execute(
                uri: "\(path)/responses/mine", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"answers": {"mode": {"optionIDs": ["train"]}, "km": {"number": 12}}}"#)
            )
            #expect(edited.status == .accepted)
            try await eventually("the edit stored") {
                try await client.get("\(path)/responses/mine").decode(MySurveyResponse.self).response?.answers["mode"] == .choice("train")
            }
            let after = try await client.get("\(path)/responses/mine").decode(MySurveyResponse.self)
            #expect(after.response?.answers == ["mode": .choice("train"), "km": .number(12)])
            #expect(after.response?.id == mine.response?.id)
        }
    }

    @Test func staffEnterPaperQuestionnairesAndOnlyStaffMay() async throws {
        try await withSurveys { stack, client, survey in
            // setup
            let path = "/api/v1/surveys/\(survey.uuidString.lowercased())"
            let moderator = BearerClient(base: client, token: try await stack.issueStaffToken(roles: [.moderator]))

            // act: two sheets from the same desk, one leaving the required question blank; a moderator may not enter one
            let first = try await client.post("\(path)/responses", json: #"{"channel": "paper", "answers": {"mode": {"optionIDs": ["train"]}}}"#)
            let second = try await client.post("\(path)/responses", json: #"{"channel": "in_person", "answers": {"km": {"number": 4}}}"#)
            let refused = try await moderator.post("\(path)/responses", json: #"{"channel": "paper", "answers": {"km": {"number": 4}}}"#)
            let unknownChannel = try await client.post("\(path)/responses", json: #"{"channel": "fax", "answers": {"km": {"number": 4}}}"#)

            // check
            #expect(first.status == .accepted)
            #expect(second.status == .accepted)
            #expect(refused.status == .forbidden)
            #expect(refused.apiError?.field == "channel")
            #expect(unknownChannel.apiError?.field == "channel")
            try await eventually("both sheets stored") {
                try await Probe.on(stack.database) { try await $0.int("SELECT count(*)::int8 FROM surveys.responses WHERE account_id IS NULL") } == 2
            }
            let channels = try await Probe.on(stack.database) { try await $0.texts("SELECT channel FROM surveys.responses ORDER BY channel") }
            #expect(channels == ["in_person", "paper"])
        }
    }

    @Test func resultsAreForStaffUntilTheyArePublicAndCrossTabsForStaffOnly() async throws {
        try await withSurveys { stack, client, survey in
            // setup: one account answered, and one paper sheet was entered
            let path = "/api/v1/surveys/\(survey.uuidString.lowercased())"
            let anonymous = try #require((client as? BearerClient)?.base)
            #expect(try await client.post("\(path)/responses", json: #"{"answers": {"mode": {"optionIDs": ["train"]}, "km": {"number": 10}}, "profile": {"departement": "59"}}"#).status == .accepted)
            #expect(try await client.post("\(path)/responses", json: #"{"channel": "paper", "answers": {"mode": {"optionIDs": ["train"]}, "km": {"number": 30}}, "profile": {"departement": "80"}}"#).status == .accepted)
            try await eventually("both counted") { try await client.get("\(path)/results").decode(SurveyResults.self).responseCount == 2 }

            // act and check: staff read everything, filtered
            let nord = try await client.get("\(path)/results?departement=59")
            #expect(nord.status == .ok)
            let filtered = try nord.decode(SurveyResults.self)
            #expect(filtered.responseCount == 1)
            #expect(filtered.questions.first { $0.questionID == "km" }?.summary?.median == 10)
            let all = try await client.get("\(path)/results").decode(SurveyResults.self)
            #expect(all.questions.first { $0.questionID == "km" }?.summary?.median == 20)
            #expect(try await client.get("\(path)/results?channel=paper").decode(SurveyResults.self).responseCount == 1)
            let badFilter = try await client.get("\(path)/results?channel=fax")
            #expect(badFilter.status == .badRequest)
            #expect(badFilter.apiError?.field == "channel")
            let crossTab = try await client.get("\(path)/results/crosstab?rows=question:mode&columns=profile:departement")
            #expect(crossTab.status == .ok)
            let table = try crossTab.decode(SurveyCrossTab.self)
            #expect(table.rowValues == ["train", "voiture"])
            #expect(table.counts[0][try #require(table.columnValues.firstIndex(of: "59"))] == 1)
            #expect(table.counts[0][try #require(table.columnValues.firstIndex(of: "80"))] == 1)
            #expect(try await client.get("\(path)/results/crosstab?rows=question:km&columns=channel").apiError?.field == "rows")
            #expect(try await client.get("\(path)/results/crosstab?rows=question:mode").apiError?.field == "columns")

            // anyone else reads no results before closing, and never a cross-tab
            let early = try await anonymous.get("\(path)/results")
            #expect(early.status == .forbidden)
            #expect(early.apiError?.code == "results_not_public")
            #expect(try await anonymous.get("\(path)/results/crosstab?rows=question:mode&columns=channel").status == .unauthorized)
        }
    }
}
