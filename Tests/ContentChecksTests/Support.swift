import ContentChecks

/// One checker for all tests, as the worker builds one for all items.
let checker = ContentChecker()

extension ContentChecker {
    /// The finding of `rule` for `text`, if any.
    func finding(_ rule: ContentFinding.Rule, in text: String) -> ContentFinding? {
        check(text).first { $0.rule == rule }
    }

    /// The rules that fire on `text`.
    func rules(in text: String) -> Set<ContentFinding.Rule> {
        Set(check(text).map(\.rule))
    }
}

extension ContentFinding.Rule {
    /// The lexicon's rules.
    static let lexiconRules: Set<ContentFinding.Rule> = [.insult, .hateSpeech, .threat]
}
