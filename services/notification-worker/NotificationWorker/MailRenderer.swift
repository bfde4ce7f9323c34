import DialogueContracts
public import Foundation
import Mustache
import ServiceKit

/// The kinds of mail the worker writes: each has `<kind>.html.mustache` and
/// `<kind>.txt.mustache` in `MailTemplates/`, over the layouts `layout.html` and `layout.txt`.
enum MailKind: String, Sendable, CaseIterable {
    case emailConfirmation = "email-confirmation"
    case passwordReset = "password-reset"
    case signatureConfirmation = "signature-confirmation"
    case signedAgain = "signed-again"
    case signatoryAnswer = "signatory-answer"
    case registrationAttempt = "registration-attempt"
    case surveyAnswerLink = "survey-answer-link"
    case workshopRegistration = "workshop-registration"
    case topic
    case digest
}

/// The values one mail shows. Its templates read its stored properties by name, so
/// everything they use is a stored property (Mustache does not see computed ones).
protocol MailModel: Sendable {
    static var kind: MailKind { get }
    var subject: String { get }
    /// The RFC 2369 `List-Unsubscribe` address, for mails about a topic.
    var listUnsubscribe: String? { get }
}

extension MailModel {
    var listUnsubscribe: String? { nil }
}

/// A link a mail invites the person to follow.
struct MailLink: Sendable {
    let label: String
    let url: String

    /// Only a web address, never `javascript:` or another scheme a mail client would act
    /// on. A bad link is a bug of the sender: the event is dead-lettered, not mailed.
    static func web(_ text: String) throws(EnvelopeError) -> String {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = components.host, !host.isEmpty
        else {
            throw EnvelopeError(description: "the mail's link is not an http(s) address")
        }
        return text
    }
}

/// The name a mail greets ("Bonjour Camille,"), or nil for a plain "Bonjour,".
func greetingName(_ name: String?) -> String? {
    guard let name = name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
    return name
}

/// A template of `MailTemplates/` that is missing or does not parse.
public struct MailTemplateError: Error, CustomStringConvertible {
    public let description: String
}

/// Writes every mail from the Mustache templates shipped in `MailTemplates/`, read and
/// parsed once when the worker starts. The HTML part escapes every value (`{{value}}`);
/// the text part is declared `{{% CONTENT_TYPE: TEXT}}` and escapes nothing.
public struct MailRenderer: Sendable {
    private struct Parts: Sendable {
        let html: MustacheTemplate
        let text: MustacheTemplate
    }

    private let library: MustacheLibrary
    private let parts: [MailKind: Parts]

    /// The layouts every mail's templates inherit from.
    static let layouts = ["layout.html", "layout.txt"]

    /// Reads every `*.mustache` of `directory`; throws, naming them, when a template of a
    /// mail kind or a layout is missing or does not parse.
    public init(directory: URL) throws(MailTemplateError) {
        var library = MustacheLibrary()
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        } catch {
            throw MailTemplateError(description: "the mail templates folder \(directory.path) cannot be read: \(error)")
        }
        for file in files where file.pathExtension == "mustache" {
            let name = file.deletingPathExtension().lastPathComponent
            do {
                try library.register(String(contentsOf: file, encoding: .utf8), named: name)
            } catch {
                throw MailTemplateError(description: "the mail template \(file.lastPathComponent) does not parse: \(error)")
            }
        }
        var parts: [MailKind: Parts] = [:]
        var missing = Self.layouts.filter { library.getTemplate(named: $0) == nil }
        for kind in MailKind.allCases {
            let html = library.getTemplate(named: "\(kind.rawValue).html")
            let text = library.getTemplate(named: "\(kind.rawValue).txt")
            if html == nil { missing.append("\(kind.rawValue).html") }
            if text == nil { missing.append("\(kind.rawValue).txt") }
            if let html, let text { parts[kind] = Parts(html: html, text: text) }
        }
        guard missing.isEmpty else {
            throw MailTemplateError(
                description: "mail templates missing from \(directory.path): " + missing.map { "\($0).mustache" }.joined(separator: ", ")
            )
        }
        self.library = library
        self.parts = parts
    }

    /// The mail of `model` to `address`: its subject, its text and HTML parts, its headers.
    func render<Model: MailModel>(_ model: Model, to address: String) -> OutgoingMail {
        // Present for every kind: `init` refuses a folder that lacks one.
        guard let parts = parts[Model.kind] else { preconditionFailure("no templates for mail kind \(Model.kind)") }
        return OutgoingMail(
            to: address, subject: model.subject,
            text: parts.text.render(model, library: library).trimmingCharacters(in: .whitespacesAndNewlines),
            html: parts.html.render(model, library: library),
            listUnsubscribe: model.listUnsubscribe
        )
    }

    // MARK: The shipped templates

    /// The folder `MailTemplates/` of the worker's bundle.
    static var shippedDirectory: URL? { Bundle.module.url(forResource: "MailTemplates", withExtension: nil) }

    /// The worker's bundled templates, read and parsed once per process.
    private static let shippedOutcome = Result<MailRenderer, MailTemplateError> { () throws(MailTemplateError) in
        guard let directory = shippedDirectory else {
            throw MailTemplateError(description: "the folder MailTemplates is missing from the notification worker's bundle")
        }
        return try MailRenderer(directory: directory)
    }

    /// The templates shipped with the worker. `NotificationWorker.services` calls this at
    /// start-up, so a missing or broken template stops the worker before it takes a message.
    public static func shipped() throws(MailTemplateError) -> MailRenderer {
        try shippedOutcome.get()
    }

    /// The shipped templates where the caller cannot throw (defaults for tests and tools).
    /// The worker's start-up has already read them through `shipped()`, so this never stops
    /// a running worker; a broken template stops a test at once, which is what it should do.
    public static var bundled: MailRenderer {
        do {
            return try shipped()
        } catch {
            fatalError("\(error)")
        }
    }
}
