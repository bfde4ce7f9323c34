import DialogueContracts
import Foundation
import SurveyRules

/// The answering form of a survey, read and written: one form field per question (`r-<id>`),
/// one per row for a matrix or a ranking (`r-<id>-<row>`), `r-<id>-autre` for « autre,
/// précisez ». What does not read (a word where a number goes) comes back as a French message
/// on the question's field; the rules themselves are `SurveyAnswerCheck`'s.
enum SurveyAnswerForm {
    /// The value of the choice « Autre » among a question's options: never an option id, which has no colon.
    static let otherValue = ":autre"

    static func fieldName(_ questionID: String) -> String { "r-\(questionID)" }
    static func fieldName(_ questionID: String, _ row: String) -> String { "r-\(questionID)-\(row)" }

    /// The answers given to `questions` in the form (a blank one is absent), and what did not read.
    static func read(_ form: FormFields, questions: [SurveyQuestion]) -> (answers: [String: SurveyAnswer], errors: FormErrors) {
        var answers: [String: SurveyAnswer] = [:]
        var errors = FormErrors()
        for question in questions {
            let name = fieldName(question.id)
            var answer: SurveyAnswer?
            switch question.kind {
            case .singleChoice, .multipleChoice:
                let chosen = form.all(name).filter { !$0.isEmpty }
                let other = form[fieldName(question.id, "autre")]
                let options = chosen.filter { $0 != otherValue }
                // The text of « autre » counts only with « autre » chosen, or typed alone.
                let otherText = chosen.contains(otherValue) || (options.isEmpty && other != nil) ? other : nil
                if chosen.contains(otherValue) && other == nil {
                    errors.add(name, "Précisez votre réponse « Autre » pour « \(question.prompt) ».")
                }
                if !options.isEmpty || otherText != nil { answer = SurveyAnswer(optionIDs: options, otherText: otherText) }
            case .scale:
                if let text = form[name] {
                    if let value = Double(text) { answer = .number(value) } else { errors.add(name, "Choisissez un point de l'échelle pour « \(question.prompt) ».") }
                }
            case .number:
                if let text = form[name] {
                    let normalised = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{202F}", with: "")
                    if let value = Double(normalised), value.isFinite { answer = .number(value) } else {
                        errors.add(name, "Indiquez un nombre pour « \(question.prompt) » (chiffres, virgule pour les décimales).")
                    }
                }
            case .shortText, .longText:
                if let text = form[name] { answer = .text(text) }
            case .date:
                if let text = form[name] { answer = .date(text) }
            case .place(.departement):
                if let text = form[name] { answer = .place(text.uppercased()) }
            case .place(.commune):
                // A name or a code, matched to the official list; what matches nothing is kept as
                // typed, for the form to show it back with the check's message.
                if let text = form[name] {
                    switch SurveyCommunes.match(text) {
                    case .commune(let commune): answer = .place(commune.code)
                    case .ambiguous(let communes):
                        answer = .place(text)
                        errors.add(
                            name,
                            "Plusieurs communes s'appellent « \(text) » : précisez laquelle pour « \(question.prompt) », par exemple \(communes.map { "« \($0.label) »" }.joined(separator: " ou "))."
                        )
                    case .unknown: answer = .place(text)
                    }
                }
            case .ranking(let options, _):
                var ranked: [(rank: Int, option: String)] = []
                var unreadable = false
                for option in options {
                    guard let text = form[fieldName(question.id, option.id)] else { continue }
                    if let rank = Int(text) { ranked.append((rank, option.id)) } else { unreadable = true }
                }
                let ranks = ranked.map(\.rank)
                if unreadable || Set(ranks).count != ranks.count {
                    errors.add(name, "Donnez à chaque choix classé un rang différent pour « \(question.prompt) ».")
                } else if !ranked.isEmpty {
                    answer = .ranking(ranked.sorted { $0.rank < $1.rank }.map(\.option))
                }
            case .matrix(let rows, _):
                var values: [String: Int] = [:]
                for row in rows {
                    if let text = form[fieldName(question.id, row.id)], let value = Int(text) { values[row.id] = value }
                }
                if !values.isEmpty { answer = .matrix(values) }
            case .sectionHeader:
                break
            }
            answers[question.id] = answer
        }
        return (answers, errors)
    }

    // MARK: Carrying answers between pages

    /// The answers of the earlier pages, carried in one hidden field as JSON.
    static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The profile carried from page to page (chosen on the last one); nothing readable is nothing said.
    static func decodedProfile(_ text: String?) -> SurveyProfile {
        guard let text, let profile = try? JSONDecoder().decode(SurveyProfile.self, from: Data(text.utf8)) else { return SurveyProfile() }
        return profile
    }

    /// What the hidden field carried; a tampered field counts as nothing carried (the rules check every answer again anyway).
    static func decoded(_ text: String?) -> [String: SurveyAnswer] {
        guard let text, let answers = try? JSONDecoder().decode([String: SurveyAnswer].self, from: Data(text.utf8)) else { return [:] }
        return answers
    }

    /// The answer, in words, as the summary before sending shows it.
    static func summary(of answer: SurveyAnswer?, to question: SurveyQuestion) -> String {
        guard let answer, !answer.isBlank else { return "Sans réponse" }
        let labels = Dictionary(question.kind.options.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        switch question.kind {
        case .singleChoice, .multipleChoice:
            let chosen = (answer.optionIDs ?? []).map { labels[$0] ?? $0 } + (answer.otherText.map { ["Autre : \($0)"] } ?? [])
            return chosen.joined(separator: ", ")
        case .ranking:
            return (answer.optionIDs ?? []).enumerated().map { "\($0.offset + 1). \(labels[$0.element] ?? $0.element)" }.joined(separator: " ; ")
        case .matrix(let rows, _):
            return rows.compactMap { row in answer.rows?[row.id].map { "\(row.label) : \($0)" } }.joined(separator: " ; ")
        case .scale, .number(_, _, nil, _):
            return answer.number.map(number) ?? ""
        case .number(_, _, let unit?, _):
            return answer.number.map { "\(number($0)) \(unit)" } ?? ""
        case .shortText, .longText:
            return answer.text ?? ""
        case .date:
            return answer.date.map(PublicSurveyPages.frenchDay) ?? ""
        case .place(.departement):
            return answer.place.map { Region.departements[$0].map { name in "\(name) (\(answer.place ?? ""))" } ?? $0 } ?? ""
        case .place(.commune):
            return answer.place.map { SurveyCommunes.commune($0).map { "\($0.name) (\($0.code))" } ?? $0 } ?? ""
        case .sectionHeader:
            return ""
        }
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value).replacingOccurrences(of: ".", with: ",")
    }
}
