import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// Links to answer without an account: made only for an open survey open to confirmed
/// addresses, kept as a hash, opened for the normalised address they were mailed to, refused
/// once expired or when forged; the response they lead to counts one per address.
@Suite struct SurveyAnswerLinkTests {
    let topology = TestEnvironment.isolatedTopology()

    /// The refusal a request ends with.
    static func failure<Request: DialogueRequest>(_ request: Request, _ rpc: RPCClient) async -> RequestFailure? {
        do {
            _ = try await rpc.request(request)
            return nil
        } catch {
            return error as? RequestFailure
        }
    }

    /// A link with a known secret, as the service stores one.
    static func insertLink(_ token: String, survey: UUID, email: String, expiresIn seconds: Int, _ harness: SurveyHarness) async throws {
        try await Probe.on(harness.database) { probe in
            try await probe.execute(
                """
                INSERT INTO surveys.answer_links (token_hash, survey_id, email_normalized, expires_at)
                VALUES (sha256(convert_to(\(token), 'UTF8')), \(survey), \(EmailAddress.normalized(email)), now() + make_interval(secs => \(Double(seconds))))
                """
            )
        }
    }

    @Test func aLinkIsMadeForAnOpenSurveyOpenToConfirmedAddressesOnly() async throws {
        let database = try await surveyDatabase()
        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(sampleDefinition())
            let sent = try await harness.rpc.request(RequestSurveyAnswerLink(surveyID: survey, email: " Lucie.Bernard+enquete@Gmail.com "))
            // Never beyond the survey's closing, at most a week.
            #expect(sent.expiresAt <= Date().addingTimeInterval(SurveyAnswerLinkStore.lifetime + 5))
            #expect(sent.expiresAt > Date().addingTimeInterval(SurveyAnswerLinkStore.lifetime - 60))
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.answer_links WHERE email_normalized = 'luciebernard@gmail.com'") == 1)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.outbox WHERE message_type = \(SurveyAnswerLinkMailRequested.messageType)") == 1)

            let invalid = await Self.failure(RequestSurveyAnswerLink(surveyID: survey, email: "lucie.bernard"), harness.rpc)
            #expect(invalid?.code == .invalid && invalid?.field == "email")

            var signedIn = sampleDefinition(title: "Réservée aux comptes")
            signedIn.audience = .signedIn
            let reserved = try await harness.openSurvey(signedIn)
            let refused = await Self.failure(RequestSurveyAnswerLink(surveyID: reserved, email: "lucie@exemple.fr"), harness.rpc)
            #expect(refused?.code == .conflict)

            let draft = try await harness.rpc.request(CreateSurvey(definition: sampleDefinition(title: "Brouillon"), staffID: staff.id, staffName: staff.name))
            #expect(await Self.failure(RequestSurveyAnswerLink(surveyID: draft.id, email: "lucie@exemple.fr"), harness.rpc)?.code == .conflict)
            #expect(await Self.failure(RequestSurveyAnswerLink(surveyID: UUID(), email: "lucie@exemple.fr"), harness.rpc)?.code == .notFound)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.answer_links") == 1)
        }
    }

    @Test func aLinkOpensForItsNormalisedAddressUntilItExpires() async throws {
        let database = try await surveyDatabase()
        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(sampleDefinition())
            let other = try await harness.openSurvey(sampleDefinition(title: "Une autre"))
            try await Self.insertLink("lien-valide", survey: survey, email: "Lucie.Bernard@gmail.com", expiresIn: 3600, harness)
            try await Self.insertLink("autre-graphie", survey: survey, email: "luciebernard+velo@GOOGLEMAIL.com", expiresIn: 3600, harness)
            try await Self.insertLink("lien-expire", survey: survey, email: "lucie.bernard@gmail.com", expiresIn: -60, harness)

            let holder = try await harness.rpc.request(OpenSurveyAnswerLink(surveyID: survey, token: "lien-valide"))
            #expect(holder.email == "luciebernard@gmail.com")
            #expect(try await harness.rpc.request(OpenSurveyAnswerLink(surveyID: survey, token: "autre-graphie")).email == holder.email)

            let expired = await Self.failure(OpenSurveyAnswerLink(surveyID: survey, token: "lien-expire"), harness.rpc)
            #expect(expired?.code == .conflict && expired?.field == "token")
            #expect(expired?.message.hasPrefix("Ce lien a expiré le") == true)
            let forged = await Self.failure(OpenSurveyAnswerLink(surveyID: survey, token: "lien-invente"), harness.rpc)
            #expect(forged?.code == .notFound)
            #expect(await Self.failure(OpenSurveyAnswerLink(surveyID: other, token: "lien-valide"), harness.rpc)?.code == .notFound)

            // One response per address, whichever spelling's link it came through.
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .email(holder.email), answers: ["train": .choice("oui")]))
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .email("Lucie.Bernard+velo@gmail.com"), answers: ["train": .choice("non")]))
            try await eventually("both handled") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.inbox WHERE message_type = \(SubmitSurveyResponse.messageType)") == 2
            }
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE survey_id = \(survey)") == 1)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.answers WHERE survey_id = \(survey) AND value = 'oui'") == 1)

            // account.erased forgets the address's links.
            try await harness.publishEvent(AccountErased(accountID: UUID(), normalizedEmails: [holder.email], erasedAt: Date()))
            try await eventually("links forgotten") { try await harness.int("SELECT count(*)::int8 FROM surveys.answer_links") == 0 }
        }
    }
}
