import Foundation
public import Hummingbird
public import Identity
import Synchronization

/// Who may use a route. Every page and API operation declares one: nothing is open by default.
public enum Access: Sendable, Equatable, CustomStringConvertible {
    /// Anyone, signed in or not.
    case everyone
    /// Any signed-in account (citizen or staff).
    case signedIn
    /// A staff account holding at least one of these roles.
    case staff(Set<StaffRole>)

    /// Every staff role.
    public static let anyStaff = Access.staff(Set(StaffRole.allCases))

    public func allows(_ account: Account?) -> Bool {
        switch self {
        case .everyone: true
        case .signedIn: account != nil
        case .staff(let roles): account.map { !$0.roles.isDisjoint(with: roles) } ?? false
        }
    }

    public var description: String {
        switch self {
        case .everyone: "tout le monde"
        case .signedIn: "compte connecté"
        case .staff(let roles): roles.sorted().map(\.rawValue).joined(separator: ", ")
        }
    }
}

/// A request the visitor may not make: not signed in (401, or the sign-in page) or lacking a role (403).
public struct AccessDenied: Error, Sendable {
    public var signedIn: Bool
}

/// A route as declared, for the authorization matrix and the closing documentation.
public struct DeclaredRoute: Sendable, Hashable {
    /// Where a route answers.
    public enum Listener: Sendable {
        /// The public site and API (`HTTP_PORT`).
        case site
        /// The operations listener (`OPERATIONS_PORT`), reached by probes and the metrics scraper only.
        case operations
    }

    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
    public var listener: Listener = .site

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
    }
}

/// Every route the gateway declared, with who may use it.
public final class RouteCatalog: Sendable {
    private let routes = Mutex<[DeclaredRoute]>([])

    public init() {}

    public var all: [DeclaredRoute] { routes.withLock { $0 } }

    func add(_ route: DeclaredRoute) {
        routes.withLock { $0.append(route) }
    }

    /// The methods the site serves at a concrete request path (HEAD wherever GET is), or nil
    /// when no route of the site listener matches it. Read only for requests the router found
    /// no handler for, so a linear scan of the declared patterns is cheap enough.
    func methods(servingPath path: String) -> Set<HTTPRequest.Method>? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<HTTPRequest.Method>()
        for route in all where route.listener == .site && Self.pattern(route.path, matches: segments) {
            methods.insert(route.method)
            if route.method == .get { methods.insert(.head) }
        }
        return methods.isEmpty ? nil : methods
    }

    /// Whether a declared path (`/petitions/{id}/cloture`, `:id`, `*` and a final `**` as the
    /// router reads them) matches the request's segments.
    public static func pattern(_ pattern: String, matches segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count else { return false }
            let isParameter = part == "*" || part.hasPrefix(":") || (part.hasPrefix("{") && part.hasSuffix("}"))
            if !isParameter && part != segments[index] { return false }
        }
        return parts.count == segments.count
    }
}

/// Registers routes on a group, each with the access it declares, checked before its handler runs.
struct SecuredRoutes {
    typealias Handler = @Sendable (Request, WebContext) async throws -> Response

    let group: RouterGroup<WebContext>
    /// The group's path, for the catalog.
    let prefix: String
    let catalog: RouteCatalog

    func group(_ path: String) -> SecuredRoutes {
        SecuredRoutes(group: group.group(RouterPath(path)), prefix: join(path), catalog: catalog)
    }

    func get(_ path: String = "", _ access: Access, _ handler: @escaping Handler) {
        on(.get, path, access, handler)
    }

    func post(_ path: String = "", _ access: Access, _ handler: @escaping Handler) {
        on(.post, path, access, handler)
    }

    func on(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) {
        catalog.add(DeclaredRoute(method: method, path: join(path), access: access))
        group.on(RouterPath(path), method: method) { request, context in
            guard access.allows(context.account) else { throw AccessDenied(signedIn: context.account != nil) }
            return try await handler(request, context)
        }
    }

    private func join(_ path: String) -> String {
        let parts = [prefix, path].filter { !$0.isEmpty && $0 != "/" }
        return "/" + parts.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "/")) }.joined(separator: "/")
    }
}
