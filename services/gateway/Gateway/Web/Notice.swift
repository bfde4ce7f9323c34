import Hummingbird

/// A message shown after a redirect, chosen by a fixed code in `?statut=` (never text from
/// the URL). Each feature declares its own as an enum; the renderer finds the message of
/// any page's code in the `NoticeBook`.
protocol PageNotice: RawRepresentable<String>, CaseIterable, Sendable {
    /// What the person reads, in French.
    var message: String { get }
}

extension PageNotice {
    /// Every notice of this kind, as code and message.
    static var entries: [(code: String, message: String)] {
        allCases.map { ($0.rawValue, $0.message) }
    }
}

/// Every notice of the site, by code: the renderer shows the one a page's `?statut=` names.
struct NoticeBook: Sendable {
    private let messages: [String: String]

    /// - Precondition: a code names one message only, whichever features declare it.
    init(_ kinds: [any PageNotice.Type]) {
        var messages: [String: String] = [:]
        for kind in kinds {
            for (code, message) in kind.entries {
                let previous = messages.updateValue(message, forKey: code)
                precondition(previous == nil || previous == message, "notice code \(code) has two messages")
            }
        }
        self.messages = messages
    }

    /// The message of the request's `?statut=` code, if it names one.
    func message(for request: Request) -> String? {
        request.uri.queryParameters.get("statut").flatMap { messages[$0] }
    }
}

extension PageRenderer {
    /// A 303 to `path` that shows `notice` there.
    static func redirect(to path: String, notice: some PageNotice) -> Response {
        redirect(to: "\(path)\(path.contains("?") ? "&" : "?")statut=\(notice.rawValue)")
    }
}
