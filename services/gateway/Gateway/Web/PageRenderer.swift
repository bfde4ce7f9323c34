import Foundation
public import Hummingbird
import Mustache
import NIOCore

/// A page to render: its template and the values it shows. User-supplied strings go in as
/// values and come out HTML-escaped (`{{value}}`); templates never use triple braces.
public struct Page {
    public var template: String
    public var title: String
    public var status: HTTPResponse.Status = .ok
    public var values: [String: Any] = [:]

    /// Absent (nil) values are left out, so `{{#name}}` sections stay closed for them.
    public init(_ template: String, title: String, status: HTTPResponse.Status = .ok, values: [String: Any?] = [:]) {
        self.template = template
        self.title = title
        self.status = status
        self.values = values.compactMapValues { $0 }
    }
}

/// Renders the French pages from the Mustache templates shipped with the gateway.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let csrfKey: CSRFKey

    public init(csrfKey: CSRFKey) throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "the gateway's templates are missing from its bundle")
        }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            try library.register(String(contentsOf: file, encoding: .utf8), named: file.deletingPathExtension().lastPathComponent)
        }
        self.library = library
        self.csrfKey = csrfKey
    }

    public func render(_ page: Page, for request: Request, context: WebContext) -> Response {
        var values = page.values
        values["pageTitle"] = page.title
        values["csrf"] = csrfKey.token(for: context.visitor)
        values["currentPath"] = request.uri.path
        if let account = context.account {
            values["visitor"] = [
                "name": account.shownName,
                "isStaff": account.isStaff,
                "unconfirmed": !account.isConfirmed,
            ] as [String: Any]
            values["isAdministrator"] = account.roles.contains(.administrator)
            values["isModerator"] = !account.roles.isDisjoint(with: [.moderator, .administrator])
        }
        let html = library.render(values, withTemplate: page.template) ?? "<!doctype html><title>Erreur</title><p>Page indisponible.</p>"
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        // Pages show personal data and carry CSRF tokens: never kept by shared caches.
        headers[.cacheControl] = "no-store"
        return Response(status: page.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A 303 to `location` (after a form: the browser then GETs, so a reload does not resubmit).
    public static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}

/// A form field as the `field` partial renders it, with its hint and error tied to it.
struct FormField {
    var name: String
    var label: String
    var type: String = "text"
    var value: String? = nil
    var hint: String? = nil
    var error: String? = nil
    var autocomplete: String? = nil
    var required: Bool = false

    var values: [String: Any] {
        var describedBy: [String] = []
        if hint != nil { describedBy.append("\(name)-hint") }
        if error != nil { describedBy.append("\(name)-error") }
        var result: [String: Any] = ["id": name, "name": name, "label": label, "type": type, "required": required]
        result["value"] = type == "password" ? nil : value
        result["hint"] = hint
        result["error"] = error
        result["autocomplete"] = autocomplete
        result["describedBy"] = describedBy.isEmpty ? nil : describedBy.joined(separator: " ")
        return result
    }
}

/// The errors of a submitted form, by field, in the order of the form.
struct FormErrors {
    private(set) var items: [(field: String, message: String)] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: String, _ message: String) {
        items.append((field, message))
    }

    subscript(_ field: String) -> String? {
        items.first { $0.field == field }?.message
    }

    /// The summary at the top of the form, one link per error to its field; nil without errors.
    var summary: [String: Any]? {
        guard !items.isEmpty else { return nil }
        return ["count": items.count, "plural": items.count > 1, "items": items.map { ["field": $0.field, "message": $0.message] }]
    }
}
