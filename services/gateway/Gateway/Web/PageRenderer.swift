import Foundation
public import Hummingbird
import Identity
import Mustache
import NIOCore

/// A page to render: its template, its title and its model — a small struct of the values the
/// template shows (`Foo+Model.swift` beside the page). User-supplied strings go in as values
/// and come out HTML-escaped (`{{value}}`); templates never use triple braces.
public struct Page {
    public var template: String
    public var title: String
    public var status: HTTPResponse.Status = .ok
    /// What the template reads: the stored properties of a small struct.
    var model: Any

    /// A page whose template reads the fields of `model`; nil optionals close their `{{#name}}` sections.
    public init(_ template: String, title: String, status: HTTPResponse.Status = .ok, model: Any = NoModel()) {
        self.template = template
        self.title = title
        self.status = status
        self.model = model
    }

    /// « Erreur – » before the title of a form sent back with errors, as screen readers announce it first.
    public static func title(_ title: String, hasErrors: Bool) -> String {
        hasErrors ? "Erreur – \(title)" : title
    }
}

/// The model of a page that shows only fixed text (legal pages, a confirmation).
public struct NoModel {
    public init() {}
}

/// The signed-in person as the layout shows them (the menu, the banner of an unconfirmed address).
private struct SignedInVisitor {
    let name: String
    let isStaff: Bool
    let unconfirmed: Bool
}

/// What every page's template may read besides its model: the layout's values, then the
/// model's fields (a model field never hides one of the layout's).
private struct RenderedPage: MustacheParent {
    let frame: [String: Any]
    let model: [String: Any]

    init(frame: [String: Any], model: Any) {
        self.frame = frame
        self.model = ModelValues.tree(of: model) as? [String: Any] ?? [:]
    }

    func child(named name: String) -> Any? {
        frame[name] ?? model[name]
    }
}

/// A model as Mustache reads it, made once per page: structs become dictionaries of their
/// stored properties, arrays stay arrays, a nil optional disappears (its section stays
/// closed). Mustache would otherwise reflect on a struct at every `{{name}}` it looks up,
/// hundreds of times on a busy petition page; here each value is reflected once.
enum ModelValues {
    static func tree(of value: Any) -> Any? {
        switch value {
        case is String, is Int, is Bool, is Double, is any MustacheParent: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { tree(of: $0.value) }
        case .collection, .set:
            return mirror.children.compactMap { tree(of: $0.value) }
        case .struct, .class:
            var fields: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let field = tree(of: child.value) else { continue }
                fields[label] = field
            }
            return fields
        default:
            return value
        }
    }
}

/// Renders the French pages from the Mustache templates shipped with the gateway.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let csrfKey: CSRFKey
    private let notices: NoticeBook

    /// Loads every template under `Templates/` (one folder per feature) by its file name,
    /// which must be unique across features since partials are named that way.
    init(csrfKey: CSRFKey, notices: NoticeBook) throws {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw HTTPError(.internalServerError, message: "the gateway's templates are missing from its bundle")
        }
        var library = MustacheLibrary()
        var names: [String: URL] = [:]
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files.sorted(by: { $0.path < $1.path }) where file.pathExtension == "mustache" {
            let name = file.deletingPathExtension().lastPathComponent
            if let other = names.updateValue(file, forKey: name) {
                throw HTTPError(.internalServerError, message: "two templates are named \(name): \(other.path) and \(file.path)")
            }
            try library.register(String(contentsOf: file, encoding: .utf8), named: name)
        }
        self.library = library
        self.csrfKey = csrfKey
        self.notices = notices
    }

    public func render(_ page: Page, for request: Request, context: WebContext) -> Response {
        var frame: [String: Any] = ["pageTitle": page.title, "currentPath": request.uri.path]
        if let csrf = csrfKey.token(for: context.visitor) { frame["csrf"] = csrf }
        if let notice = notices.message(for: request) { frame["notice"] = notice }
        if let account = context.account {
            frame["visitor"] = SignedInVisitor(name: account.shownName, isStaff: account.isStaff, unconfirmed: !account.isConfirmed)
            frame["isAdministrator"] = account.roles.contains(.administrator)
            frame["isModerator"] = !account.roles.isDisjoint(with: [.moderator, .administrator])
        }
        let html = library.render(RenderedPage(frame: frame, model: page.model), withTemplate: page.template)
            ?? "<!doctype html><title>Erreur</title><p>Page indisponible.</p>"
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

/// A form field as the `field` partial renders it, with its hint and error tied to it
/// (`aria-describedby`); a password's value is never sent back.
struct FormField: MustacheParent {
    var name: String
    var label: String
    var type: String = "text"
    var value: String? = nil
    var hint: String? = nil
    var error: String? = nil
    var autocomplete: String? = nil
    var required: Bool = false
    /// The height of a `textarea-field`, in lines.
    var rows: Int? = nil

    func child(named key: String) -> Any? {
        switch key {
        case "id", "name": name
        case "label": label
        case "type": type
        case "required": required
        case "value": type == "password" ? nil : value
        case "hint": hint
        case "error": error
        case "autocomplete": autocomplete
        case "describedBy": describedBy
        case "rows": rows
        default: nil
        }
    }

    private var describedBy: String? {
        let ids = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }
        return ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

/// One option of a `<select>` (`selected`) or one of a group of radio buttons or checkboxes (`checked`).
struct Choice {
    let value: String
    let label: String
    var selected = false
    var checked = false
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
    var summary: ErrorSummary? {
        guard !items.isEmpty else { return nil }
        return ErrorSummary(count: items.count, plural: items.count > 1, items: items.map { .init(field: $0.field, message: $0.message) })
    }
}

/// What the `error-summary` partial shows.
struct ErrorSummary {
    struct Item {
        let field: String
        let message: String
    }

    let count: Int
    let plural: Bool
    let items: [Item]
}
