import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SynthesisReporter
import Testing
import TestSupport
import TextTrends

/// Consultations' contributions and forums' posts in the reporter's read model: only published
/// texts count, per consultation, theme and forum; a text moderation removes leaves; an erased
/// account's link is forgotten; the groups of a consultation's contributions separate its
/// planted topics and pair its near-duplicates.
@Suite struct ContributionTextTests {
    let topology = TestEnvironment.isolatedTopology()

    func withReporter(_ body: @Sendable (RPCClient, TestDatabase) async throws -> Void) async throws {
        let database = try await TestDatabase.make()
        try await migrate(.synthesis, directory: SynthesisReporter.migrationsDirectory, on: database)
        let platform = ServicePlatform.forTest(.synthesis, database: database, topology: topology)
        let rpc = RPCClient(settings: TestEnvironment.amqp, topology: topology, logger: TestEnvironment.logger)
        try await withRunningServices([platform.database, platform.publisher, platform.outboxRelay()] + SynthesisReporter.parts(on: platform) + [rpc]) {
            try await eventually(timeout: .seconds(20), "synthesis reporter ready") {
                await platform.readiness.failing().isEmpty && rpc.isConnected
            }
            try await body(rpc, database)
        }
        await deleteQueues(of: topology, services: [.synthesis])
    }

    static func facts(_ id: UUID, consultation: UUID, theme: String, title: String, text: String) -> ContributionFacts {
        ContributionFacts(
            contributionID: id, consultationID: consultation, kind: .proposal, theme: theme, themeLabel: theme.capitalized, title: title,
            text: text, reasons: nil, commune: nil, origin: .online, authorDepartement: "59", authorAgeBand: nil
        )
    }

    func decide(_ id: UUID, _ type: ContentType, status: ModerationStatus, revision: Int) async throws {
        try await publishEvent(
            ModerationDecisionMade(
                itemID: UUID(), contentType: type, contentID: id, ownerService: .consultations, status: status, visible: status.isVisible,
                reasonCode: nil, reasonLabel: nil, comment: nil, decidedBy: UUID(), rule: nil, decidedAt: Date(), revision: revision
            ),
            topology: topology
        )
    }

    func postSubmitted(_ id: UUID, author: UUID?, title: String, text: String) -> ForumPostSubmitted {
        ForumPostSubmitted(content: SubmittedContent(
            contentID: id, ownerService: .consultations, title: title, text: text, authorAccountID: author, authorName: "Camille",
            publicPath: "/forums/messages/\(id.uuidString.lowercased())", submittedAt: Date()
        ))
    }

    static let wholeYear = (from: Date(timeIntervalSinceNow: -86_400), until: Date(timeIntervalSinceNow: 86_400))

    @Test func onlyPublishedContributionsAndPostsCountPerConsultationThemeAndForum() async throws {
        try await withReporter { rpc, database in
            // setup: consultation A (mobility and health), consultation B, forum F
            let (consultationA, consultationB, forum, thread) = (UUID(), UUID(), UUID(), UUID())
            let published = (bus: UUID(), train: UUID(), hospital: UUID(), other: UUID())
            let (pending, removed) = (UUID(), UUID())
            let contributions: [(UUID, UUID, String, String, String)] = [
                (published.bus, consultationA, "mobilite", "Des bus le soir", "Les bus du soir manquent entre les villages."),
                (published.train, consultationA, "mobilite", "Des trains à l'heure", "Les bus de remplacement des trains manquent."),
                (published.hospital, consultationA, "sante", "Urgences", "Les urgences de l'hôpital ferment la nuit, les bus aussi."),
                (pending, consultationA, "mobilite", "Bus en attente", "Les bus du dimanche, texte pas encore modéré."),
                (removed, consultationA, "mobilite", "Bus retiré", "Les bus, texte retiré par la modération."),
                (published.other, consultationB, "mobilite", "Bus ailleurs", "Les bus d'une autre consultation."),
            ]
            let (postShown, postEarly, postRejected) = (UUID(), UUID(), UUID())
            let author = UUID()

            // act: contributions received, published by their owner (one of them later removed by moderation)
            for (id, consultation, theme, title, text) in contributions {
                let facts = Self.facts(id, consultation: consultation, theme: theme, title: title, text: text)
                try await publishEvent(ContributionReceived(contribution: facts, submittedAt: Date()), topology: topology)
                if id != pending { try await publishEvent(ContributionPublished(contribution: facts, publishedAt: Date()), topology: topology) }
            }
            try await decide(removed, .proposal, status: .rejected, revision: 2)
            // forum posts: one whose publication arrives before its text, one rejected
            try await publishEvent(
                ForumPostPublished(postID: postEarly, threadID: thread, forumID: forum, parentPostID: nil, authorAccountID: nil, publishedAt: Date()),
                topology: topology
            )
            for (id, text) in [(postShown, "Les vélos en libre service dans les gares."), (postEarly, "Des vélos dans les trains régionaux."), (postRejected, "Des vélos, texte injurieux.")] {
                try await publishEvent(postSubmitted(id, author: author, title: "Les vélos", text: text), topology: topology)
            }
            for id in [postShown, postRejected] {
                try await publishEvent(
                    ForumPostPublished(postID: id, threadID: thread, forumID: forum, parentPostID: nil, authorAccountID: author, publishedAt: Date()),
                    topology: topology
                )
            }
            try await decide(postRejected, .forumPost, status: .rejected, revision: 2)
            try await publishEvent(
                ForumOpened(forumID: forum, title: "Le vélo au quotidien", theme: "mobilite", question: "Comment ?", opensAt: Date(), closesAt: Date(),
                    moderationMode: .afterPublication, openedAt: Date()),
                topology: topology
            )
            try await eventually("texts, places and decisions kept") {
                try await Probe.on(database) { probe in
                    try await probe.texts(
                        """
                        SELECT (SELECT count(*) FROM synthesis.text_documents)::text || '/' || (SELECT count(*) FROM synthesis.text_moderation)::text
                            || '/' || (SELECT count(*) FROM synthesis.text_moderation WHERE NOT shown)::text
                            || '/' || (SELECT count(*) FROM synthesis.scope_titles)::text
                        """
                    ) == ["9/8/2/1"]
                }
            }

            // check: consultation A counts its three published contributions, its mobility theme two
            let period = Self.wholeYear
            let all = try await rpc.request(GetTextTrends(source: .contributions, from: period.from, until: period.until))
            let inA = try await rpc.request(GetTextTrends(source: .contributions, from: period.from, until: period.until, scopeID: consultationA))
            let mobility = try await rpc.request(GetTextTrends(
                source: .contributions, from: period.from, until: period.until, scopeID: consultationA, theme: "mobilite"
            ))
            #expect(all.documentCount == 4)
            #expect(inA.documentCount == 3)
            #expect(mobility.documentCount == 2)
            let bus = inA.keyWords.first { $0.label == "bus" }
            #expect(Set(bus?.documentIDs ?? []) == [published.bus, published.train, published.hospital])
            #expect(Set(mobility.keyWords.first { $0.label == "bus" }?.documentIDs ?? []) == [published.bus, published.train])
            #expect(inA.documents.allSatisfy { $0.scopeID == consultationA })
            // the forum counts its two shown posts, the early one included
            let posts = try await rpc.request(GetTextTrends(source: .forumPosts, from: period.from, until: period.until, scopeID: forum))
            #expect(posts.documentCount == 2)
            #expect(Set(posts.keyWords.first { $0.label == "vélos" }?.documentIDs ?? []) == [postShown, postEarly])
            // the scopes staff choose from, with the forum's title
            let scopes = try await rpc.request(ListTextScopes()).scopes
            #expect(scopes.first { $0.id == forum } == TextScope(id: forum, source: .forumPosts, title: "Le vélo au quotidien", documentCount: 2))
            #expect(scopes.first { $0.id == consultationA }?.documentCount == 3)

            // act: moderation removes a published contribution afterwards; a late publication does not bring it back
            try await decide(published.train, .proposal, status: .rejected, revision: 3)
            let train = contributions[1]
            try await publishEvent(
                ContributionPublished(contribution: Self.facts(train.0, consultation: train.1, theme: train.2, title: train.3, text: train.4), publishedAt: Date()),
                topology: topology
            )
            try await eventually("the removed contribution leaves") {
                try await rpc.request(GetTextTrends(source: .contributions, from: period.from, until: period.until, scopeID: consultationA)).documentCount == 2
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await rpc.request(GetTextTrends(source: .contributions, from: period.from, until: period.until, scopeID: consultationA)).documentCount == 2)

            // act: the forum posts' author erases their account
            try await publishEvent(AccountErased(accountID: author, normalizedEmails: ["camille@example.org"], erasedAt: Date()), topology: topology)

            // check: nothing leads to them any more, and their posts still count
            try await eventually("the author forgotten") {
                try await Probe.on(database) { probe in
                    try await probe.texts("SELECT count(*)::text FROM synthesis.text_documents WHERE author_account_id = \(author)") == ["0"]
                }
            }
            #expect(try await rpc.request(GetTextTrends(source: .forumPosts, from: period.from, until: period.until, scopeID: forum)).documentCount == 2)
        }
    }

    @Test func theGroupsOfAConsultationSeparateItsTopicsAndPairItsNearDuplicates() async throws {
        try await withReporter { rpc, _ in
            // setup: two topics of five contributions each (three of five sentences each), one of them copied; one contribution hidden
            let consultation = UUID()
            let topics: [[String]] = [
                [
                    "Les transports en commun manquent le soir.", "Il faut plus de bus entre les villages.",
                    "Le train régional arrive souvent en retard.", "La gare routière reste fermée le dimanche.",
                    "Le billet de train coûte trop cher aux étudiants.",
                ],
                [
                    "Les urgences de l'hôpital ferment la nuit.", "On attend des mois un rendez-vous chez le médecin.",
                    "La maternité de proximité doit rester ouverte.", "Le centre de santé manque de généralistes.",
                    "La pharmacie de garde est trop loin.",
                ],
            ]
            let triples = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [0, 3, 4], [0, 1, 4]]
            var planted: [Set<UUID>] = []
            var texts: [(UUID, String)] = []
            for sentences in topics {
                var ids: Set<UUID> = []
                for triple in triples {
                    let id = UUID()
                    ids.insert(id)
                    texts.append((id, triple.map { sentences[$0] }.joined(separator: " ")))
                }
                planted.append(ids)
            }
            let copy = UUID()
            texts.append((copy, texts[0].1))
            planted[0].insert(copy)
            let hidden = UUID()
            for (id, text) in texts + [(hidden, "Les urgences de l'hôpital ferment la nuit, texte caché.")] {
                let facts = Self.facts(id, consultation: consultation, theme: "libre", title: "", text: text)
                try await publishEvent(ContributionReceived(contribution: facts, submittedAt: Date()), topology: topology)
                if id != hidden { try await publishEvent(ContributionPublished(contribution: facts, publishedAt: Date()), topology: topology) }
            }

            // act
            let expected = texts.count
            try await eventually("every contribution counted") {
                try await rpc.request(GetTextGroups(source: .contributions, scopeID: consultation)).documentCount == expected
            }
            let groups = try await rpc.request(GetTextGroups(source: .contributions, scopeID: consultation))
            let refusal = await #expect(throws: RequestFailure.self) { try await rpc.request(GetTextGroups(source: .contributions)) }

            // check: exactly the planted topics, each with representatives and phrases from its texts
            #expect(Set(groups.groups.map { Set($0.documentIDs) }) == Set(planted))
            for group in groups.groups {
                #expect(group.representativeIDs.count == 3 && Set(group.representativeIDs).isSubset(of: Set(group.documentIDs)))
                #expect(group.keyPhrases.allSatisfy { Set($0.documentIDs).isSubset(of: Set(group.documentIDs)) })
                #expect(!group.label.isEmpty)
            }
            #expect(groups.nearDuplicates.map { Set([$0.first, $0.second]) } == [Set([texts[0].0, copy])])
            #expect(!groups.documents.contains { $0.id == hidden })
            #expect(refusal?.code == .invalid && refusal?.field == "scopeID")
        }
    }
}
