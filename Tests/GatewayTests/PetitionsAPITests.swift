import DialogueContracts
import Foundation
import Gateway
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// `/api/v1/petitions` through the real gateway, broker, services and database.
@Suite struct PetitionsAPITests {
    @Test func petitionIsCreatedReadSignedAndReachesItsThreshold() async throws {
        let stack = try await GatewayStack.make(threshold: 2)
        try await stack.run { client, probe in
            // act: create
            let created = try await client.post(
                "/api/v1/petitions", ["title": "Un abri vélo à la gare d'Arras", "text": "Cinquante places couvertes et surveillées.", "reasons": "Les vélos sont volés faute d'abri.", "theme": "transports-mobilites"]
            )
            #expect(created.status == .created)
            #expect(created.isJSON)
            let petition = try created.decode(PetitionView.self)
            #expect(petition.threshold == 2)
            #expect(petition.signatureCount == 0)
            #expect(petition.status == .inModeration)
            #expect(petition.visible == false)
            #expect(petition.title == "Un abri vélo à la gare d'Arras")
            let location = try #require(created.headers[.location])
            #expect(location == "/api/v1/petitions/\(petition.id.uuidString.lowercased())")

            // moderation publishes it, then read
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let read = try await client.get(location)
            #expect(read.status == .ok)
            #expect(read.isJSON)
            var opened = petition
            (opened.status, opened.visible) = (.open, true)
            #expect(try read.decode(PetitionView.self) == opened)

            // sign: stored, but counted only once the mailed link is confirmed
            let signed = try await client.sign(petition.id, email: "marie.dupont@gmail.com")
            #expect(signed.status == .accepted)
            #expect(signed.isJSON)
            #expect(try signed.decode(AcceptedBody.self).status == "confirmation_sent")
            let token = try await probe.signatureToken(to: "marie.dupont@gmail.com")
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures WHERE confirmed_at IS NULL") == 1)
            #expect(try await client.petition(petition.id).signatureCount == 0)
            let confirmed = try await client.confirmSignature(token)
            #expect(confirmed.status == .accepted)
            #expect(try confirmed.decode(AcceptedBody.self).status == "signed")
            try await eventually("the count shown") { try await client.petition(petition.id).signatureCount == 1 }
            // The link works once: pressing again says it is confirmed already.
            try await eventually("the confirmation recorded") { try await client.confirmSignature(token).status == .conflict }
            #expect(try await client.confirmSignature(token).apiError?.code == "already_confirmed")

            // a second person reaches the threshold of 2
            try await client.signAndConfirm(petition.id, email: "jean.martin@orange.fr", postcode: "80000", probe: probe)
            try await eventually("the staff notified") { try await probe.staffNotifications() == 1 }
            let final = try await client.petition(petition.id)
            #expect(final.signatureCount == 2)
            #expect(final.status == .thresholdReached)

            // signing stays open after the threshold; the same person does not count twice,
            // and is told so by mail
            #expect(try await client.sign(petition.id, email: "Marie.Dupont+bis@gmail.com").status == .accepted)
            try await client.signAndConfirm(petition.id, email: "paul@example.org", postcode: "75001", probe: probe)
            try await eventually("the third person counted") { try await client.petition(petition.id).signatureCount == 3 }
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.outbox WHERE message_type = 'petition.signed_again'") == 1)
            #expect(try await probe.staffNotifications() == 1)
        }
    }

    @Test func badRequestsAreRefusedWithJSONErrors() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            let signatures = "/api/v1/petitions/\(petition.id.uuidString.lowercased())/signatures"

            // malformed JSON
            let malformed = try await client.post(signatures, json: #"{"name": "Camille", "email": "#)
            #expect(malformed.status == .badRequest)
            #expect(malformed.isJSON)
            #expect(malformed.apiError?.code == "malformed_json")
            #expect(malformed.apiError?.message.isEmpty == false)

            // a missing field, a null one, one of the wrong type
            // (as a visitor: a signed-in citizen signs under the address of their account)
            let noPostcode = try await client.anonymous.post(signatures, ["name": "Camille", "email": "camille@example.fr"])
            #expect(noPostcode.status == .badRequest)
            #expect(noPostcode.apiError?.code == "invalid_request")
            #expect(noPostcode.apiError?.field == "postcode")
            let noText = try await client.post("/api/v1/petitions", ["title": "Un titre suffisant"])
            #expect(noText.status == .badRequest)
            #expect(noText.apiError?.field == "text")
            let nullEmail = try await client.anonymous.post(signatures, json: #"{"name": "Camille", "email": null, "postcode": "59000", "consent": true}"#)
            #expect(nullEmail.status == .badRequest)
            #expect(nullEmail.apiError?.field == "email")
            let noConsent = try await client.anonymous.post(signatures, json: #"{"name": "Camille", "email": "camille@example.fr", "postcode": "59000"}"#)
            #expect(noConsent.status == .badRequest)
            #expect(noConsent.apiError?.field == "consent")
            let refusedConsent = try await client.anonymous.post(
                signatures, json: #"{"name": "Camille", "email": "camille@example.fr", "postcode": "59000", "consent": false}"#
            )
            #expect(refusedConsent.apiError?.field == "consent")
            let numericTitle = try await client.post("/api/v1/petitions", json: #"{"title": 12, "text": "Un texte assez long."}"#)
            #expect(numericTitle.status == .badRequest)
            #expect(numericTitle.apiError?.field == "title")

            // values the gateway checks
            let badEmail = try await client.sign(petition.id, email: "camille.example.fr")
            #expect(badEmail.status == .badRequest)
            #expect(badEmail.isJSON)
            #expect(badEmail.apiError?.code == "invalid_request")
            #expect(badEmail.apiError?.field == "email")
            let badPostcode = try await client.sign(petition.id, email: "camille@example.fr", postcode: "59 00")
            #expect(badPostcode.status == .badRequest)
            #expect(badPostcode.apiError?.field == "postcode")
            let noName = try await client.sign(petition.id, email: "camille@example.fr", name: "   ")
            #expect(noName.status == .badRequest)
            #expect(noName.apiError?.field == "name")

            // values the petitions service checks
            let shortTitle = try await client.post("/api/v1/petitions", ["title": "ab", "text": "Un texte assez long pour passer.", "reasons": "Une raison assez longue."])
            #expect(shortTitle.status == .badRequest)
            #expect(shortTitle.isJSON)
            #expect(shortTitle.apiError?.code == "invalid_request")
            #expect(shortTitle.apiError?.field == "title")

            // unknown petitions and routes
            for uri in ["/api/v1/petitions/\(UUID().uuidString.lowercased())", "/api/v1/petitions/pas-un-uuid", "/api/v1/nulle-part"] {
                let missing = try await client.get(uri)
                #expect(missing.status == .notFound, "\(uri)")
                #expect(missing.isJSON, "\(uri)")
                #expect(missing.apiError?.code == "not_found", "\(uri)")
            }
            let signUnknown = try await client.sign(UUID(), email: "camille@example.fr")
            #expect(signUnknown.status == .notFound)
            #expect(signUnknown.apiError?.code == "not_found")

            // none of the refused signatures reached the service: the next valid one is the first
            #expect(try await client.sign(petition.id, email: "camille@example.fr").status == .accepted)
            _ = try await probe.signatureToken(to: "camille@example.fr")
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.inbox WHERE message_type = 'petition.sign'") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.signatures") == 1)
            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions") == 1)
        }
    }

    @Test func closedPetitionRefusesSignatures() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            try await probe.client.query("UPDATE petitions.petitions SET status = 'closed' WHERE id = \(petition.id)", logger: TestEnvironment.logger)
            let response = try await client.sign(petition.id, email: "camille@example.fr")
            #expect(response.status == .conflict)
            #expect(response.apiError?.code == "petition_closed")
        }
    }

    @Test func bodyOverTheLimitIsRefused() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: GatewaySettings(bodyLimit: 1024, petitionCacheTTL: .zero)) { client, probe in
            let petition = try await client.createPetition()
            let large = String(repeating: "Texte de la pétition. ", count: 240)  // about 5 KB
            #expect(large.utf8.count > 5_000)

            let create = try await client.post("/api/v1/petitions", ["title": "Un titre", "text": large, "reasons": "Une raison assez longue."])
            #expect(create.status == .contentTooLarge)
            #expect(create.isJSON)
            #expect(create.apiError?.code == "body_too_large")

            let sign = try await client.sign(petition.id, email: "camille@example.fr", name: large)
            #expect(sign.status == .contentTooLarge)
            #expect(sign.apiError?.code == "body_too_large")

            #expect(try await probe.int("SELECT count(*)::int8 FROM petitions.petitions") == 1)
        }
    }

    @Test func petitionReadsAreServedFromTheCacheWithinItsLifetime() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: GatewaySettings(petitionCacheTTL: .seconds(120))) { client, probe in
            let petition = try await client.createPetition()
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            #expect(try await client.petition(petition.id).signatureCount == 0)
            try await client.signAndConfirm(petition.id, email: "camille@example.fr", probe: probe)
            try await eventually("the signature counted") { try await probe.signatureCount(petition.id) == 1 }
            // Still the cached view: peaks of page refreshes never reach the service.
            #expect(try await client.petition(petition.id).signatureCount == 0)
        }
    }
}
