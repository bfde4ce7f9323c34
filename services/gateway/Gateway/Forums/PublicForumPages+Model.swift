import DialogueContracts
import Foundation
import ServiceKit

// What the public forum templates (`forums`, `forum`, `forum-thread-new`, `forum-unconfirmed`) show.

/// `/forums`: the forums opened so far, the latest first.
struct ForumListPage {
    struct Item {
        let id: String
        let title: String
        let theme: String
        let question: String
        let status: String
        let dates: String
        let threads: Int
        let pluralThreads: Bool

        init(_ forum: ForumView) {
            id = forum.id.uuidString.lowercased()
            title = forum.title
            theme = forum.theme
            question = forum.question
            status = ForumLabels.status(forum)
            dates = ForumLabels.dates(forum)
            threads = forum.threadCount
            pluralThreads = forum.threadCount > 1
        }
    }

    let items: [Item]
    let empty: Bool
}

/// `/forums/{id}`: the forum's question, its threads, the way to open one.
struct ForumPageModel {
    struct ThreadRow {
        let link: String
        let title: String
        let author: String
        let posts: Int
        let pluralPosts: Bool
        let reactions: Int
        let lastActivity: String
        let closed: Bool
    }

    struct OrderLink {
        let label: String
        let link: String
        let current: Bool
    }

    let id: String
    let title: String
    let theme: String
    let question: String
    let description: [String]
    let status: String
    let dates: String
    let moderation: String
    let takesPosts: Bool
    let signedIn: Bool
    let threads: [ThreadRow]
    let hasThreads: Bool
    let orders: [OrderLink]
    /// What staff concluded once it ended.
    let conclusion: [String]
    let hasConclusion: Bool
    /// The opinion map, once shown.
    let opinionMap: OpinionMapSection?

    /// As `?tri=` names each order.
    static func orderValue(_ order: ForumThreadOrder) -> String {
        switch order {
        case .activity: "activite"
        case .reactions: "reactions"
        case .newest: "recents"
        }
    }

    static func orderLabel(_ order: ForumThreadOrder) -> String {
        switch order {
        case .activity: "Activité récente"
        case .reactions: "Le plus de réactions"
        case .newest: "Les plus récents"
        }
    }

    init(_ page: ForumPage, signedIn: Bool, order: ForumThreadOrder, opinionMap: OpinionMapSection? = nil) {
        let forum = page.forum
        self.opinionMap = opinionMap
        id = forum.id.uuidString.lowercased()
        title = forum.title
        theme = forum.theme
        question = forum.question
        description = ForumText.paragraphs(forum.description)
        status = ForumLabels.status(forum)
        dates = ForumLabels.dates(forum)
        moderation = ForumLabels.moderation(forum.moderationMode)
        takesPosts = forum.takesPosts()
        self.signedIn = signedIn
        threads = page.threads.map { thread in
            ThreadRow(
                link: "/forums/fils/\(thread.id.uuidString.lowercased())", title: thread.title, author: thread.authorName ?? ForumWriter.anonymous,
                posts: thread.postCount, pluralPosts: thread.postCount > 1, reactions: thread.reactionCount,
                lastActivity: FrenchDate.dateTime(thread.lastActivityAt),
                closed: thread.status == .closed
            )
        }
        hasThreads = !threads.isEmpty
        conclusion = ForumText.paragraphs(forum.conclusion ?? "")
        hasConclusion = forum.conclusion != nil
        let forumLink = "/forums/\(forum.id.uuidString.lowercased())"
        orders = ForumThreadOrder.allCases.map {
            OrderLink(label: Self.orderLabel($0), link: "\(forumLink)?tri=\(Self.orderValue($0))", current: $0 == order)
        }
    }
}

/// `/forums/{id}/nouveau-fil`.
struct ThreadForm {
    let forumLink: String
    let forumTitle: String
    let question: String
    let action: String
    let errors: ErrorSummary?
    let titleField: FormField
    let bodyField: FormField

    init(forum: ForumView, title: String, body: String, errors: FormErrors) {
        forumLink = "/forums/\(forum.id.uuidString.lowercased())"
        forumTitle = forum.title
        question = forum.question
        action = "/forums/\(forum.id.uuidString.lowercased())/nouveau-fil"
        self.errors = errors.summary
        titleField = FormField(
            name: "titre", label: "Titre du fil", value: title, hint: "Le sujet en une phrase (3 à 150 caractères).", error: errors["titre"], required: true
        )
        bodyField = ForumText.bodyField(value: body, error: errors["texte"], label: "Votre premier message")
    }
}

/// The page of a citizen whose address is not confirmed yet.
struct ForumUnconfirmedPage {
    let backLink: String
    let backLabel: String
}

/// Texts as the forum pages show them.
enum ForumText {
    /// A text's paragraphs (its blank-line or line breaks), escaped by the template.
    static func paragraphs(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func bodyField(value: String, error: String?, label: String = "Votre message") -> FormField {
        FormField(
            name: "texte", label: label, value: value, hint: "5 000 caractères au plus. Restez courtois : la modération relit chaque message.",
            error: error, required: true, rows: 8
        )
    }
}
