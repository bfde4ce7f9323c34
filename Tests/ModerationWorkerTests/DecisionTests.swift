import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Moderators' decisions: bulk with one reason, reasons required and checked, conflicts
/// between moderators, reversible decisions, and the audit log of each.
@Suite struct DecisionTests {
    private static let proposals = [
        "Installer des abris couverts à chaque arrêt de car du réseau régional dans l'Aisne.",
        "Créer une carte de transport unique pour les lycéens de l'Oise, valable sur tous les réseaux.",
        "Ouvrir les cantines des lycées aux producteurs locaux de la Somme au moins deux jours par semaine.",
    ]

    @Test func bulkDecisionAppliesOneReasonToEveryItem() async throws {
        try await withModerationWorker { harness in
            // setup: three proposals waiting
            var contents: [UUID] = []
            for text in Self.proposals { contents.append(try await harness.submit(ProposalSubmitted.self, text: text)) }
            var items: [ModerationItemSummary] = []
            for content in contents { items.append(try await harness.item(of: content).summary) }

            // act
            let outcome = try await harness.decide(items, .notRetained, reason: "hors_sujet", comment: "Relève de l'État, pas de la Région.")

            // check: all decided, none in conflict
            #expect(Set(outcome.decided) == Set(items.map(\.id)))
            #expect(outcome.conflicts.isEmpty)
            let label = "Le texte ne relève pas des compétences de la Région ni des travaux du CESER."
            for (content, item) in zip(contents, items) {
                let detail = try await harness.rpc.request(GetModerationItem(itemID: item.id))
                #expect(detail.summary.status == .notRetained)
                #expect(detail.summary.visible)
                #expect(detail.summary.revision == item.revision + 1)
                // the audit row: before/after, the moderator's name, the reason
                let rows = try await harness.auditRows(of: item.id)
                #expect(rows.count == 2)
                #expect(rows.last == "pending>not_retained|true|Claire Moreau|-|hors_sujet")
                let last = try #require(detail.history.last)
                #expect(last.before == .pending)
                #expect(last.after == .notRetained)
                #expect(last.reasonLabel == label)
                #expect(last.comment == "Relève de l'État, pas de la Région.")
                #expect(last.decidedBy == "Claire Moreau")
                // one event each, naming the moderator and the reason
                let events = try await harness.decisionEvents(of: content)
                #expect(events.count == 2)
                let decision = try #require(events.last)
                #expect(decision.status == .notRetained)
                #expect(decision.visible)
                #expect(decision.reasonCode == "hors_sujet")
                #expect(decision.reasonLabel == label)
                #expect(decision.decidedBy == ModerationHarness.moderator.id)
                #expect(decision.rule == nil)
                #expect(decision.revision == item.revision + 1)
            }
            let ids = try await harness.probe.texts(
                "SELECT decided_by::text FROM moderation.decisions WHERE after_status = 'not_retained'"
            )
            #expect(ids == Array(repeating: ModerationHarness.moderator.id.uuidString.lowercased(), count: 3))

            // check: the audit log lists them, newest first
            let log = try await harness.rpc.request(ListModerationDecisions(limit: 3))
            #expect(log.entries.count == 3)
            #expect(log.entries.allSatisfy { $0.record.after == .notRetained && $0.contentType == .proposal })
            #expect(log.entries.map(\.sequence) == log.entries.map(\.sequence).sorted(by: >))
            let rest = try await harness.rpc.request(ListModerationDecisions(before: log.next, limit: 10))
            #expect(rest.entries.count == 3)
            #expect(rest.entries.allSatisfy { $0.record.after == .pending })
            #expect(rest.next == nil)
        }
    }

    @Test func rejectionNeedsAKnownDecisionReason() async throws {
        try await withModerationWorker { harness in
            // setup
            let item = try await harness.submitAndRead(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean).summary

            // act
            var failures: [String: RequestFailure] = [:]
            let attempts: [(String, ModerationStatus, String?)] = [
                ("rejected without reason", .rejected, nil),
                ("rejected with an empty reason", .rejected, ""),
                ("not retained without reason", .notRetained, nil),
                ("unknown reason", .rejected, "pas_un_motif"),
                ("a reason for flags", .rejected, "spam"),
                ("pending", .pending, nil),
            ]
            for (name, status, reason) in attempts {
                do {
                    _ = try await harness.decide([item], status, reason: reason)
                } catch let failure as RequestFailure {
                    failures[name] = failure
                }
            }

            // check: every attempt refused as invalid, naming the field; nothing changed
            #expect(failures.count == attempts.count)
            #expect(failures.values.allSatisfy { $0.code == .invalid && !$0.message.isEmpty })
            #expect(failures["rejected without reason"]?.field == "reason")
            #expect(failures["not retained without reason"]?.field == "reason")
            #expect(failures["unknown reason"]?.field == "reason")
            #expect(failures["a reason for flags"]?.field == "reason")
            #expect(failures["pending"]?.field == "status")
            let after = try await harness.rpc.request(GetModerationItem(itemID: item.id)).summary
            #expect(after == item)
            #expect(try await harness.auditRows(of: item.id).count == 1)

            // a deactivated reason is refused too
            _ = try await harness.rpc.request(SaveModerationReason(reason: ModerationReason(
                code: "doublon", label: "Un texte très proche a déjà été déposé.", kind: "decision", active: false
            )))
            let inactive = await #expect(throws: RequestFailure.self) { try await harness.decide([item], .rejected, reason: "doublon") }
            #expect(inactive?.code == .invalid)
            // publication and retention need no reason
            #expect(try await harness.decide([item], .retained).decided == [item.id])
        }
    }

    @Test func decisionOnAStaleRevisionIsAConflictAndOverwritesNothing() async throws {
        try await withModerationWorker { harness in
            // setup: two moderators load the same queue; one more item only the second one decides
            let first = try await harness.submitAndRead(PetitionSubmitted.self, title: "Le TER du soir", text: Samples.clean).summary
            let second = try await harness.submitAndRead(PetitionSubmitted.self, title: "Des bus le dimanche", text: Samples.original).summary
            let published = try await harness.decide([first], .published, by: ModerationHarness.otherModerator)
            #expect(published.decided == [first.id])

            // act: Claire rejects both, from the page she loaded before Hugo's decision
            let outcome = try await harness.decide([first, second], .rejected, reason: "doublon")

            // check: the item Hugo decided is a conflict naming him; the other one is decided
            #expect(outcome.decided == [second.id])
            let conflict = try #require(outcome.conflicts.first)
            #expect(outcome.conflicts.count == 1)
            #expect(conflict.itemID == first.id)
            #expect(conflict.status == .published)
            #expect(conflict.decidedBy == "Hugo Lefèvre")
            #expect(abs(conflict.decidedAt.timeIntervalSinceNow) < 60)
            let kept = try await harness.rpc.request(GetModerationItem(itemID: first.id))
            #expect(kept.summary.status == .published)
            #expect(kept.summary.visible)
            #expect(kept.summary.revision == first.revision + 1)
            #expect(kept.history.map(\.decidedBy).last == "Hugo Lefèvre")
            #expect(try await harness.auditRows(of: first.id).count == 2)
            #expect(try await harness.probe.int(
                "SELECT count(*)::int8 FROM moderation.decisions WHERE item_id = \(first.id) AND decided_by_name = 'Claire Moreau'"
            ) == 0)

            // the same stale decision alone is a conflict too, and a fresh one goes through
            let again = try await harness.decide([first], .rejected, reason: "doublon")
            #expect(again.decided.isEmpty)
            #expect(again.conflicts.map(\.itemID) == [first.id])
            let fresh = try await harness.decide([kept.summary], .rejected, reason: "doublon")
            #expect(fresh.decided == [first.id])
        }
    }

    @Test func decisionOnAnUnknownItemIsNotFound() async throws {
        try await withModerationWorker { harness in
            let item = try await harness.submitAndRead(ForumPostSubmitted.self, text: Samples.clean).summary
            var unknown = item
            unknown.id = UUID()
            let failure = await #expect(throws: RequestFailure.self) { try await harness.decide([item, unknown], .published) }
            #expect(failure?.code == .notFound)
            // the whole decision is refused: the known item is untouched
            #expect(try await harness.rpc.request(GetModerationItem(itemID: item.id)).summary == item)
        }
    }

    @Test func decisionsAreReversibleAndKeptInOrder() async throws {
        try await withModerationWorker { harness in
            // setup
            let content = try await harness.submit(PetitionSubmitted.self, title: "Des bus le dimanche", text: Samples.original)
            let item = try await harness.item(of: content).summary

            // act: rejected, then published after all, then not retained
            _ = try await harness.decide([item], .rejected, reason: "hors_sujet")
            let rejected = try await harness.rpc.request(GetModerationItem(itemID: item.id)).summary
            #expect(rejected.status == .rejected)
            #expect(rejected.visible == false)
            _ = try await harness.decide([rejected], .published, comment: "Relu : la ligne est bien régionale.", by: ModerationHarness.otherModerator)
            let republished = try await harness.rpc.request(GetModerationItem(itemID: item.id))

            // check
            #expect(republished.summary.status == .published)
            #expect(republished.summary.visible)
            #expect(republished.history.map(\.after) == [.pending, .rejected, .published])
            #expect(republished.history.map(\.before) == [nil, .pending, .rejected])
            #expect(republished.history.map(\.visibleAfter) == [false, false, true])
            #expect(republished.history.map(\.decidedBy).suffix(2) == ["Claire Moreau", "Hugo Lefèvre"])
            #expect(republished.history[1].reasonLabel != nil)
            #expect(republished.history[2].reasonLabel == nil)
            #expect(republished.history.map(\.decidedAt) == republished.history.map(\.decidedAt).sorted())
            let events = try await harness.decisionEvents(of: content)
            #expect(events.map(\.status) == [.pending, .rejected, .published])
            #expect(events.map(\.visible) == [false, false, true])
            #expect(events.map(\.revision) == [1, 2, 3])
            #expect(events.last?.comment == "Relu : la ligne est bien régionale.")
            #expect(events.last?.decidedBy == ModerationHarness.otherModerator.id)
        }
    }
}
