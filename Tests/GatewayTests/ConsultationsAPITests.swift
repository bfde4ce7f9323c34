import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// `/api/v1/consultations`: everyone reads; a citizen's bearer token contributes and supports,
/// each refusal a JSON error naming its field.
@Suite struct ConsultationsAPITests {
    static func body(_ fields: [String: String]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func everyoneReadsAndACitizensTokenContributesAndSupports() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests()) { client, _ in
            let consultation = try await ConsultationPagesTests.create(stack)
            let id = consultation.id.uuidString.lowercased()
            let anonymous = client.anonymous

            let list = try await anonymous.get("/api/v1/consultations")
            #expect(list.status == .ok)
            #expect(try list.decode(ConsultationList.self).items.map(\.id) == [consultation.id])
            #expect(try await anonymous.get("/api/v1/consultations/\(id)").decode(ConsultationView.self).definition.use == consultation.definition.use)
            #expect(try await anonymous.get("/api/v1/consultations/\(UUID().uuidString)").status == .notFound)

            let proposal = [
                "kind": "proposal", "theme": ConsultationTheme.code(for: "Emploi associatif"), "title": "Un guichet unique",
                "text": "Un seul dossier pour toutes les aides.", "reasons": "Les bénévoles y passent leurs soirées.",
            ]
            #expect(try await anonymous.post("/api/v1/consultations/\(id)/contributions", json: Self.body(proposal)).status == .unauthorized)

            // A personal token needs a confirmed address; an address no longer confirmed is refused as on the form.
            let unconfirmedCitizen = try await stack.makeCitizen()
            let unconfirmed = BearerClient(base: anonymous, token: try await stack.issuePersonalToken(for: unconfirmedCitizen))
            try await stack.gateway.database.query(
                "UPDATE accounts SET email_confirmed_at = NULL WHERE id = \(unconfirmedCitizen.id)", logger: TestEnvironment.logger
            )
            let refusedUnconfirmed = try await unconfirmed.post("/api/v1/consultations/\(id)/contributions", json: Self.body(proposal))
            #expect(refusedUnconfirmed.status == .forbidden)

            let author = try await stack.makeCitizen(displayName: "Claire")
            let authorClient = BearerClient(base: anonymous, token: try await stack.issuePersonalToken(for: author))
            var noReasons = proposal
            noReasons["reasons"] = nil
            let missing = try await authorClient.post("/api/v1/consultations/\(id)/contributions", json: Self.body(noReasons))
            #expect(missing.status == .badRequest)
            #expect(missing.apiError?.field == "reasons")
            var badKind = proposal
            badKind["kind"] = "petition"
            #expect(try await authorClient.post("/api/v1/consultations/\(id)/contributions", json: Self.body(badKind)).apiError?.field == "kind")

            let created = try await authorClient.post("/api/v1/consultations/\(id)/contributions", json: Self.body(proposal))
            #expect(created.status == .created)
            let contribution = try created.decode(ContributionView.self)
            #expect(contribution.state == .inModeration)
            #expect(contribution.authorName == "Claire")
            #expect(!created.text.contains(author.email))

            // Published by moderation, then listed and supported by someone else.
            let decision = ModerationDecisionMade(
                itemID: UUID(), contentType: .proposal, contentID: contribution.id, ownerService: .consultations, status: .published, visible: true,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: 5
            )
            try await publishEvent(decision, topology: stack.topology)
            try await eventually("listed") {
                try await anonymous.get("/api/v1/consultations/\(id)/contributions").decode(ContributionList.self).items.map(\.id) == [contribution.id]
            }
            #expect(try await anonymous.get("/api/v1/consultations/\(id)/contributions?order=sideways").apiError?.field == "order")

            let supportPath = "/api/v1/consultations/contributions/\(contribution.id.uuidString.lowercased())/support"
            let own = try await authorClient.post(supportPath, json: "{}")
            #expect(own.status == .conflict)
            let supporter = BearerClient(base: anonymous, token: try await stack.issuePersonalToken(for: try await stack.makeCitizen()))
            let supported = try await supporter.post(supportPath, json: "{}")
            #expect(supported.status == .ok)
            #expect(try supported.decode(SupportOutcome.self) == SupportOutcome(contributionID: contribution.id, supporting: true, changed: true, supportCount: 1))
            #expect(try await supporter.post(supportPath, json: "{}").decode(SupportOutcome.self).changed == false)
            let mine = try await supporter.get("/api/v1/consultations/\(id)/contributions").decode(ContributionList.self)
            #expect(mine.items.first?.supportedByViewer == true)
            let withdrawn = try await supporter.execute(uri: supportPath, method: .delete)
            #expect(try withdrawn.decode(SupportOutcome.self).supportCount == 0)
        }
    }
}
