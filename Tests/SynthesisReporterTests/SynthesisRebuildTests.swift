import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SynthesisReporter
import Testing
import TestSupport

/// `dialoguectl synthesis rebuild`: exported events replayed through the reporter's own
/// handlers give the read model the broker would have built; twice gives the same tables; an
/// unreadable line stops it with its number and changes nothing.
@Suite struct SynthesisRebuildTests {
    static func line<Event: DialogueEvent>(_ event: Event) throws -> String {
        let body = String(decoding: try MessageCoding.encode(event), as: UTF8.self)
        return #"{"type": "\#(Event.messageType)", "schemaVersion": \#(Event.schemaVersion), "body": \#(body)}"#
    }

    /// Every row of the text tables, as text, in a stable order.
    static func snapshot(_ database: TestDatabase) async throws -> [String?] {
        try await Probe.on(database) { probe in
            try await probe.texts(
                """
                SELECT string_agg(row, ' | ' ORDER BY row) FROM (
                    SELECT 'd:' || source || ':' || id || ':' || title || ':' || body || ':' || coalesce(theme, '-') || ':' || coalesce(author_account_id::text, '-') AS row FROM synthesis.text_documents
                    UNION ALL SELECT 'm:' || source || ':' || id || ':' || status || ':' || shown || ':' || revision || ':' || coalesce(first_shown_at::text, '-') FROM synthesis.text_moderation
                    UNION ALL SELECT 's:' || source || ':' || id || ':' || scope_id FROM synthesis.text_scopes
                    UNION ALL SELECT 't:' || scope_id || ':' || title FROM synthesis.scope_titles
                ) rows
                """
            )
        }
    }

    @Test func replayingExportedEventsRebuildsTheReadModelIdempotently() async throws {
        let database = try await TestDatabase.make()
        try await migrate(.synthesis, directory: SynthesisReporter.migrationsDirectory, on: database)
        let (consultation, shown, removed, forum, post, author) = (UUID(), UUID(), UUID(), UUID(), UUID(), UUID())
        let at = Date(timeIntervalSince1970: 1_780_000_000)
        func facts(_ id: UUID, _ text: String) -> ContributionFacts {
            ContributionFacts(
                contributionID: id, consultationID: consultation, kind: .testimony, theme: "sante", themeLabel: "Santé", title: "Urgences",
                text: text, reasons: nil, commune: nil, origin: .inPerson, authorDepartement: "80", authorAgeBand: nil
            )
        }
        let lines = [
            try Self.line(ContributionReceived(contribution: facts(shown, "Les urgences ferment la nuit."), submittedAt: at)),
            try Self.line(ContributionPublished(contribution: facts(shown, "Les urgences ferment la nuit."), publishedAt: at)),
            try Self.line(ContributionReceived(contribution: facts(removed, "Texte retiré."), submittedAt: at)),
            try Self.line(ModerationDecisionMade(
                itemID: UUID(), contentType: .testimony, contentID: removed, ownerService: .consultations, status: .rejected, visible: false,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: at, revision: 1
            )),
            "",
            try Self.line(ForumPostSubmitted(content: SubmittedContent(
                contentID: post, ownerService: .consultations, title: "Vélo", text: "Des pistes cyclables.", authorAccountID: author,
                authorName: "Camille", submittedAt: at
            ))),
            try Self.line(ForumPostPublished(postID: post, threadID: UUID(), forumID: forum, parentPostID: nil, authorAccountID: author, publishedAt: at)),
            try Self.line(AccountErased(accountID: author, normalizedEmails: [], erasedAt: at)),
            // an event the reporter does not handle, as another service's export holds it
            try Self.line(ForumClosed(forumID: forum, title: "Clos", closedAt: at)),
        ]

        try await TestDatabase.withClient(database.settings(for: .synthesis), searchPath: ServiceName.synthesis.schema) { client in
            // act
            let first = try await SynthesisRebuild.rebuild(lines: lines, client: client, logger: TestEnvironment.logger)
            let afterFirst = try await Self.snapshot(database)
            let second = try await SynthesisRebuild.rebuild(lines: lines, client: client, logger: TestEnvironment.logger)
            let afterSecond = try await Self.snapshot(database)

            // check: every reporter event applied, the stranger skipped, the same tables twice
            #expect(first == second)
            #expect(first.applied == 7)
            #expect(first.skippedTypes == [ForumClosed.messageType: 1])
            #expect(afterFirst == afterSecond)
            let rows = afterFirst.first.flatMap { $0 }?.components(separatedBy: " | ") ?? []
            #expect(rows.count == 3 + 3 + 3)
            #expect(rows.contains("s:contributions:\(shown.uuidString.lowercased()):\(consultation.uuidString.lowercased())"))
            #expect(rows.contains { $0.hasPrefix("m:contributions:\(removed.uuidString.lowercased()):rejected:false") })
            // the erased author's link is gone, their post kept
            #expect(rows.contains("d:forum_posts:\(post.uuidString.lowercased()):Vélo:Des pistes cyclables.:-:-"))

            // act: an export with an unreadable line
            let broken = lines.prefix(2) + [#"{"type": "contribution.published", "body": {"contribution": 3}}"#]
            let failure = await #expect(throws: SynthesisRebuild.Failure.self) {
                try await SynthesisRebuild.rebuild(lines: Array(broken), client: client, logger: TestEnvironment.logger)
            }
            let notJSON = await #expect(throws: SynthesisRebuild.Failure.self) {
                try await SynthesisRebuild.rebuild(lines: ["pas du JSON"], client: client, logger: TestEnvironment.logger)
            }

            // check: named by line, and the tables as they were
            #expect(failure?.line == 3)
            #expect(notJSON?.line == 1)
            #expect(try await Self.snapshot(database) == afterFirst)
        }
    }
}
