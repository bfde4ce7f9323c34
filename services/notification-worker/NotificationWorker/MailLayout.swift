import DialogueContracts
import Foundation
import ServiceKit

/// What a mail says, before it is laid out as plain text and HTML.
struct MailContent: Sendable {
    var subject: String
    /// The person's display name, for "Bonjour Camille,".
    var name: String?
    var paragraphs: [String]
    /// The one thing the mail invites the person to do.
    var action: Link?
    /// Why the person receives it and how to stop it (topic mails).
    var footer: [String] = []
    var footerLinks: [Link] = []
    /// The RFC 2369 `List-Unsubscribe` address, for mails about a topic.
    var listUnsubscribe: String?

    struct Link: Sendable {
        var label: String
        var url: String
    }
}

/// The one layout of every mail: French plain text, and the same as simple HTML in which
/// every value is escaped (a display name or a title is text, never markup).
enum MailLayout {
    static func render(_ content: MailContent, to address: String) -> OutgoingMail {
        let greeting = content.name.flatMap { $0.isEmpty ? nil : "Bonjour \($0)," } ?? "Bonjour,"
        var text = [greeting] + content.paragraphs
        if let action = content.action { text.append("\(action.label) : \(action.url)") }
        if !content.footer.isEmpty || !content.footerLinks.isEmpty {
            text.append("—")
            text += content.footer
            text += content.footerLinks.map { "\($0.label) : \($0.url)" }
        }
        text.append("Dialogue — CESER Hauts-de-France")

        var html = [escape(greeting)] + content.paragraphs.map(escape)
        if let action = content.action { html.append(link(action)) }
        let footer = (content.footer.map(escape) + content.footerLinks.map(link))
            .map { "<p style=\"color: #4a5560; font-size: 0.9em;\">\($0)</p>" }
        let body = """
            <!doctype html>
            <html lang="fr"><head><meta charset="utf-8"><title>\(escape(content.subject))</title></head>
            <body style="font-family: Arial, sans-serif; line-height: 1.5; color: #1b1f24;">
            \(html.map { "<p>\($0)</p>" }.joined(separator: "\n"))
            \(footer.joined(separator: "\n"))
            <p style="color: #4a5560;">Dialogue — CESER Hauts-de-France</p>
            </body></html>
            """
        return OutgoingMail(
            to: address, subject: content.subject, text: text.joined(separator: "\n\n"), html: body, listUnsubscribe: content.listUnsubscribe
        )
    }

    private static func link(_ link: MailContent.Link) -> String {
        "<a href=\"\(escape(link.url))\">\(escape(link.label))</a>"
    }

    /// Only a web address, never `javascript:` or another scheme a mail client would act
    /// on. A bad link is a bug of the sender: the event is dead-lettered, not mailed.
    static func webLink(_ text: String) throws(EnvelopeError) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else {
            throw EnvelopeError(description: "the mail's link is not an http(s) address")
        }
        return text
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
