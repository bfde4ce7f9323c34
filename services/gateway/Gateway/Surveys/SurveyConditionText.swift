import DialogueContracts
import Foundation

/// A survey condition as staff write it in the builder, in a few French words, so that « et »,
/// « ou » and « non » can be combined in a plain form field without any script:
///
///     train = non
///     departement parmi 59, 62 et age entre 18 et 25
///     non (velo répondu ou voiture = oui)
///     enfants >= 1
///
/// `et` binds tighter than `ou`; parentheses group. Writing and reading agree: reading what
/// `text(of:)` wrote gives back the same condition.
enum SurveyConditionText {
    /// A condition that does not read, with what was expected, in French.
    struct Unreadable: Error, Equatable {
        let message: String
    }

    /// The condition written in a field, nil for a blank one.
    static func condition(from text: String) throws(Unreadable) -> SurveyCondition? {
        let tokens = try tokenize(text)
        guard !tokens.isEmpty else { return nil }
        var parser = Parser(tokens: tokens)
        let condition = try parser.expression()
        if let extra = parser.peek { throw Unreadable(message: "La condition est illisible à partir de « \(extra.text) ».") }
        return condition
    }

    /// How the builder writes a stored condition back in its field.
    static func text(of condition: SurveyCondition) -> String {
        switch condition {
        case .equals(let question, let value): "\(question) = \(value)"
        case .oneOf(let question, let values): "\(question) parmi \(values.joined(separator: ", "))"
        case .answered(let question): "\(question) répondu"
        case .numberRange(let question, let minimum?, let maximum?): "\(question) entre \(number(minimum)) et \(number(maximum))"
        case .numberRange(let question, let minimum?, nil): "\(question) >= \(number(minimum))"
        case .numberRange(let question, nil, let maximum?): "\(question) <= \(number(maximum))"
        case .numberRange(let question, nil, nil): "\(question) entre  et "
        case .not(let inner): "non " + grouped(inner, unless: inner.questionID != nil)
        case .all(let conditions): conditions.map { grouped($0, unless: !isAny($0)) }.joined(separator: " et ")
        case .any(let conditions): conditions.map { grouped($0, unless: true) }.joined(separator: " ou ")
        }
    }

    private static func isAny(_ condition: SurveyCondition) -> Bool {
        if case .any = condition { return true }
        return false
    }

    private static func grouped(_ condition: SurveyCondition, unless plain: Bool) -> String {
        plain ? text(of: condition) : "(\(text(of: condition)))"
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    // MARK: Reading

    struct Token: Equatable {
        enum Kind: Equatable { case word, symbol }
        let kind: Kind
        let text: String
        /// The word lowercased without accents, to recognise keywords (« répondu », « repondu »).
        var keyword: String {
            text.lowercased().folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
        }
    }

    private static func tokenize(_ text: String) throws(Unreadable) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        func closeWord() {
            if !word.isEmpty { tokens.append(Token(kind: .word, text: word)) }
            word = ""
        }
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isLetter || character.isNumber || "_-.".contains(character) {
                word.append(character)
            } else if character.isWhitespace {
                closeWord()
            } else if "(),=".contains(character) {
                closeWord()
                tokens.append(Token(kind: .symbol, text: String(character)))
            } else if "<>".contains(character), index + 1 < characters.count, characters[index + 1] == "=" {
                closeWord()
                tokens.append(Token(kind: .symbol, text: "\(character)="))
                index += 1
            } else if "≥≤".contains(character) {
                closeWord()
                tokens.append(Token(kind: .symbol, text: character == "≥" ? ">=" : "<="))
            } else {
                throw Unreadable(message: "La condition contient « \(character) », qui n'y a pas de sens : écrivez par exemple « train = non ».")
            }
            index += 1
        }
        closeWord()
        return tokens
    }

    private struct Parser {
        let tokens: [Token]
        var position = 0

        var peek: Token? { position < tokens.count ? tokens[position] : nil }

        mutating func next() -> Token? {
            defer { position += 1 }
            return peek
        }

        func isKeyword(_ keyword: String) -> Bool {
            peek.map { $0.kind == .word && $0.keyword == keyword } ?? false
        }

        mutating func expression() throws(Unreadable) -> SurveyCondition {
            var terms = [try term()]
            while isKeyword("ou") {
                position += 1
                terms.append(try term())
            }
            return terms.count == 1 ? terms[0] : .any(terms)
        }

        mutating func term() throws(Unreadable) -> SurveyCondition {
            var factors = [try factor()]
            while isKeyword("et") {
                position += 1
                factors.append(try factor())
            }
            return factors.count == 1 ? factors[0] : .all(factors)
        }

        mutating func factor() throws(Unreadable) -> SurveyCondition {
            if isKeyword("non") {
                position += 1
                return .not(try factor())
            }
            if peek?.text == "(" {
                position += 1
                let inner = try expression()
                guard next()?.text == ")" else { throw Unreadable(message: "Une parenthèse ouverte dans la condition n'est pas refermée.") }
                return inner
            }
            return try leaf()
        }

        mutating func leaf() throws(Unreadable) -> SurveyCondition {
            guard let question = next(), question.kind == .word, !["et", "ou", "non", "parmi", "entre"].contains(question.keyword) else {
                throw Unreadable(message: "Une condition commence par l'identifiant d'une question, par exemple « train = non ».")
            }
            let id = question.text
            guard let operation = next() else {
                throw Unreadable(message: "Après « \(id) », indiquez = , parmi, répondu, entre, >= ou <=.")
            }
            switch operation.kind == .word ? operation.keyword : operation.text {
            case "=":
                return .equals(question: id, value: try value(after: "="))
            case "parmi":
                var values = [try value(after: "parmi")]
                while peek?.text == "," {
                    position += 1
                    values.append(try value(after: ","))
                }
                return .oneOf(question: id, values: values)
            case "repondu":
                return .answered(question: id)
            case "entre":
                let minimum = try number(after: "entre")
                guard isKeyword("et") else { throw Unreadable(message: "Écrivez « \(id) entre 1 et 5 » : il manque « et » et la borne haute.") }
                position += 1
                return .numberRange(question: id, minimum: minimum, maximum: try number(after: "et"))
            case ">=":
                return .numberRange(question: id, minimum: try number(after: ">="), maximum: nil)
            case "<=":
                return .numberRange(question: id, minimum: nil, maximum: try number(after: "<="))
            default:
                throw Unreadable(message: "« \(operation.text) » n'est pas une comparaison connue : utilisez = , parmi, répondu, entre, >= ou <=.")
            }
        }

        mutating func value(after word: String) throws(Unreadable) -> String {
            guard let token = next(), token.kind == .word else {
                throw Unreadable(message: "Après « \(word) », indiquez l'identifiant d'une option (ou un code de lieu).")
            }
            return token.text
        }

        mutating func number(after word: String) throws(Unreadable) -> Double {
            guard let token = next(), token.kind == .word, let value = Double(token.text), value.isFinite else {
                throw Unreadable(message: "Après « \(word) », indiquez un nombre (avec un point pour les décimales).")
            }
            return value
        }
    }
}
