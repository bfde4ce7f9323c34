import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The lifecycle forms of a petition's staff page, through the real gateway and services:
/// each step offered when its status allows it, refused forms re-shown with what was typed,
/// every step audited, and the answer on the public page.
@Suite struct StaffPetitionLifecycleTests {
    @Test func staffReferAnswerAndCloseFromThePetitionsPage() async throws {
        let stack = try await GatewayStack.make(threshold: 2)
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup: a published petition past its threshold, and a staff member's browser
            let petition = try await stack.rpc.request(CreatePetition(title: "Rouvrir la gare de Feuquières", text: "Nous demandons la réouverture de la gare.", reasons: "Les habitants vont travailler à Amiens chaque jour."))
            try await probe.openThroughModeration(petition.id, topology: stack.topology)
            try await probe.execute("UPDATE petitions.petitions SET status = 'threshold_reached' WHERE id = \(petition.id)")
            let staff = try await stack.makeStaff([.staff])
            let web = WebSession(client)
            web.setCookie(web.sessionCookieName, try await stack.openSession(for: staff))
            let path = "/admin/petitions/\(petition.id.uuidString.lowercased())"

            // act and check: only the referral is offered
            let before = try await web.get(path)
            #expect(before.status == .ok)
            #expect(before.text.contains("action=\"\(path)/transmission\""))
            #expect(!before.text.contains("action=\"\(path)/reponse\""))
            #expect(!before.text.contains("action=\"\(path)/cloture\""))

            let referred = try await web.submit(path + "/transmission", [("precision", "Commission Mobilités")], from: path)
            #expect(referred.status == .seeOther)
            #expect(referred.location == path + "?statut=petition-transmise")
            let afterReferral = try await web.get(referred.location ?? path)
            #expect(afterReferral.text.contains("La pétition est transmise"))
            #expect(afterReferral.text.contains("<td>Commission Mobilités</td>"))
            #expect(afterReferral.text.contains("action=\"\(path)/reponse\""))

            // A refused answer keeps what was typed and ties each error to its field.
            let refused = try await web.submit(path + "/reponse", [("reponse", "Trop court"), ("rapport", "ftp://exemple.fr/rapport")], from: path)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Choisissez la décision de l"))
            #expect(refused.text.contains(">Trop court</textarea>"))
            #expect(refused.text.contains("value=\"ftp://exemple.fr/rapport\""))
            #expect(refused.text.contains("id=\"rapport-error\""))
            let short = try await web.submit(path + "/reponse", [("decision", "opinion_adopted"), ("reponse", "Bref")], from: path)
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains(">Bref</textarea>"))
            #expect(short.text.contains("value=\"opinion_adopted\" checked"))

            let answered = try await web.submit(path + "/reponse", [
                ("decision", "opinion_adopted"), ("reponse", "L'assemblée a adopté un avis sur la desserte de la côte picarde."),
                ("rapport", "https://ceser.example/avis/cote-picarde.pdf"),
            ], from: path)
            #expect(answered.status == .seeOther)
            #expect(answered.location == path + "?statut=reponse-publiee")

            // A step no longer allowed is refused by the service, in French.
            let again = try await web.submit(path + "/transmission", [], from: path)
            #expect(again.status == .conflict)
            #expect(again.text.contains("Seule une pétition qui a atteint son seuil de saisine peut être transmise"))

            // The public page shows the answer.
            let publicPage = try await client.get("/petitions/\(petition.id.uuidString.lowercased())")
            #expect(publicPage.text.contains("id=\"answer-title\""))
            #expect(publicPage.text.contains("Avis adopté par l"))
            #expect(publicPage.text.contains("un avis sur la desserte de la côte picarde."))
            #expect(publicPage.text.contains("href=\"https://ceser.example/avis/cote-picarde.pdf\""))
            #expect(publicPage.text.contains("Transmise à l"))

            let closed = try await web.submit(path + "/cloture", [], from: path)
            #expect(closed.location == path + "?statut=petition-close")
            let final = try await web.get(closed.location ?? path)
            #expect(final.text.contains("La pétition est close ; son auteur en est informé."))
            #expect(final.text.contains("Close le "))
            #expect(!final.text.contains("action=\"\(path)/cloture\""))

            // Every step is in the audit log, by the staff member.
            try await eventually("the three steps in the audit log") {
                try await probe.texts(
                    """
                    SELECT action || ' ' || actor_label FROM identity.audit_log
                    WHERE object_type = 'petition' AND object_id = \(petition.id.uuidString.lowercased()) ORDER BY id
                    """
                ) == ["petition.referred \(staff.email)", "petition.answered \(staff.email)", "petition.closed \(staff.email)"]
            }
            #expect(try await probe.texts("SELECT status FROM petitions.petitions WHERE id = \(petition.id)") == ["closed"])
        }
    }
}
