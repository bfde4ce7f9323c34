public import Foundation

// The words of surveys: statuses, audiences, when results show, and the definition a survey
// is built from (sections, questions of every type, options with stable ids, conditions).
// The rules a definition and its answers follow live in the `SurveyRules` library.

/// Where a survey stands, as stored and sent (its raw values).
public enum SurveyStatus: String, Codable, Sendable, CaseIterable {
    /// Being written by staff: it may change freely, nobody can answer it.
    case draft
    /// Published: answers are taken between its opening and closing dates; only changes that
    /// cannot corrupt answers already given are allowed.
    case open
    /// No answer is taken any more.
    case closed
}

/// Who may answer a survey.
public enum SurveyAudience: String, Codable, Sendable, CaseIterable {
    /// Anyone who confirms an e-mail address (a link mailed to them).
    case confirmedEmail = "confirmed_email"
    /// Only citizens signed in to their account.
    case signedIn = "signed_in"
}

/// When a survey's results become public.
public enum SurveyResultsVisibility: String, Codable, Sendable, CaseIterable {
    /// Never: staff only.
    case never
    /// Once the survey is closed (the default: early answers must not steer later ones).
    case afterClosing = "after_closing"
    /// While it is open, as answers come in.
    case during
}

/// A survey as staff build it and as it is exported and imported (JSON).
public struct SurveyDefinition: Codable, Sendable, Equatable {
    public var title: String
    public var introduction: String
    /// What the answers will be used for, stated to people before they answer (required).
    public var purpose: String
    public var opensAt: Date?
    public var closesAt: Date?
    public var audience: SurveyAudience
    public var resultsVisibility: SurveyResultsVisibility
    /// The consultation the survey belongs to, when it is not a survey on its own.
    public var consultationID: UUID?
    public var sections: [SurveySection]

    public init(
        title: String, introduction: String = "", purpose: String, opensAt: Date? = nil, closesAt: Date? = nil,
        audience: SurveyAudience = .confirmedEmail, resultsVisibility: SurveyResultsVisibility = .afterClosing,
        consultationID: UUID? = nil, sections: [SurveySection] = []
    ) {
        self.title = title
        self.introduction = introduction
        self.purpose = purpose
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.audience = audience
        self.resultsVisibility = resultsVisibility
        self.consultationID = consultationID
        self.sections = sections
    }

    private enum CodingKeys: String, CodingKey {
        case title, introduction, purpose, opensAt, closesAt, audience, resultsVisibility, consultationID, sections
    }

    /// An imported definition may leave out what has a default: results after closing,
    /// answers from a confirmed e-mail, no introduction, no sections yet.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            title: try container.decode(String.self, forKey: .title),
            introduction: try container.decodeIfPresent(String.self, forKey: .introduction) ?? "",
            purpose: try container.decode(String.self, forKey: .purpose),
            opensAt: try container.decodeIfPresent(Date.self, forKey: .opensAt),
            closesAt: try container.decodeIfPresent(Date.self, forKey: .closesAt),
            audience: try container.decodeIfPresent(SurveyAudience.self, forKey: .audience) ?? .confirmedEmail,
            resultsVisibility: try container.decodeIfPresent(SurveyResultsVisibility.self, forKey: .resultsVisibility) ?? .afterClosing,
            consultationID: try container.decodeIfPresent(UUID.self, forKey: .consultationID),
            sections: try container.decodeIfPresent([SurveySection].self, forKey: .sections) ?? []
        )
    }

    /// Every question in the order people meet them, with the section each belongs to.
    public var orderedQuestions: [(section: SurveySection, question: SurveyQuestion)] {
        sections.flatMap { section in section.questions.map { (section, $0) } }
    }

    /// The question with this id, wherever it is.
    public func question(_ id: String) -> SurveyQuestion? {
        for section in sections {
            if let question = section.questions.first(where: { $0.id == id }) { return question }
        }
        return nil
    }
}

/// A group of questions shown together; with a condition, shown only when earlier answers match.
public struct SurveySection: Codable, Sendable, Equatable {
    /// Stable id, chosen by the builder (`[a-z0-9_-]`).
    public var id: String
    public var title: String
    public var condition: SurveyCondition?
    public var questions: [SurveyQuestion]

    public init(id: String, title: String = "", condition: SurveyCondition? = nil, questions: [SurveyQuestion]) {
        self.id = id
        self.title = title
        self.condition = condition
        self.questions = questions
    }
}

/// One question; with a condition, shown only when earlier answers match.
public struct SurveyQuestion: Codable, Sendable, Equatable {
    /// Stable id, chosen by the builder (`[a-z0-9_-]`): answers and results refer to it.
    public var id: String
    public var prompt: String
    /// A line of help under the question.
    public var help: String?
    /// A visible required question must be answered; a hidden one never blocks.
    public var required: Bool
    public var condition: SurveyCondition?
    public var kind: SurveyQuestionKind

    public init(id: String, prompt: String, help: String? = nil, required: Bool = false, condition: SurveyCondition? = nil, kind: SurveyQuestionKind) {
        self.id = id
        self.prompt = prompt
        self.help = help
        self.required = required
        self.condition = condition
        self.kind = kind
    }

    private enum CodingKeys: String, CodingKey { case id, prompt, help, required, condition }

    // The kind's fields sit beside the question's (`"type": "scale", "minimum": 1, …`), so an
    // exported definition reads as one flat object per question.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        prompt = try container.decode(String.self, forKey: .prompt)
        help = try container.decodeIfPresent(String.self, forKey: .help)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        condition = try container.decodeIfPresent(SurveyCondition.self, forKey: .condition)
        kind = try SurveyQuestionKind(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(prompt, forKey: .prompt)
        try container.encodeIfPresent(help, forKey: .help)
        try container.encode(required, forKey: .required)
        try container.encodeIfPresent(condition, forKey: .condition)
        try kind.encode(to: encoder)
    }
}

/// The type of a question, by its raw value in JSON.
public enum SurveyQuestionType: String, Codable, Sendable, CaseIterable {
    case singleChoice = "single_choice"
    case multipleChoice = "multiple_choice"
    case scale
    case ranking
    case matrix
    case number
    case shortText = "short_text"
    case longText = "long_text"
    case date
    case place
    /// A heading between questions: it takes no answer.
    case sectionHeader = "section_header"
}

/// A question's type and the settings that type needs.
public enum SurveyQuestionKind: Sendable, Equatable {
    /// One option; with `allowsOther`, « autre, précisez » and a text.
    case singleChoice(options: [SurveyOption], allowsOther: Bool)
    /// Between `minimumChoices` and `maximumChoices` options (counting « autre » when allowed).
    case multipleChoice(options: [SurveyOption], allowsOther: Bool, minimumChoices: Int?, maximumChoices: Int?)
    case scale(SurveyScale)
    /// The options put in order of preference: all of them, or the first `rankedCount`.
    case ranking(options: [SurveyOption], rankedCount: Int?)
    /// Rows, each rated on the same scale.
    case matrix(rows: [SurveyOption], scale: SurveyScale)
    case number(minimum: Double?, maximum: Double?, unit: String?, wholeNumber: Bool)
    case shortText(maximumLength: Int)
    case longText(maximumLength: Int)
    /// A day (`yyyy-MM-dd`), optionally between two days.
    case date(earliest: String?, latest: String?)
    /// A commune (INSEE code) or a département of the region.
    case place(SurveyPlaceLevel)
    case sectionHeader

    public var type: SurveyQuestionType {
        switch self {
        case .singleChoice: .singleChoice
        case .multipleChoice: .multipleChoice
        case .scale: .scale
        case .ranking: .ranking
        case .matrix: .matrix
        case .number: .number
        case .shortText: .shortText
        case .longText: .longText
        case .date: .date
        case .place: .place
        case .sectionHeader: .sectionHeader
        }
    }

    /// The options people choose among (the rows of a matrix), empty for other types.
    public var options: [SurveyOption] {
        switch self {
        case .singleChoice(let options, _), .multipleChoice(let options, _, _, _), .ranking(let options, _): options
        case .matrix(let rows, _): rows
        default: []
        }
    }

    /// Whether the question takes an answer (a heading does not).
    public var takesAnswer: Bool { self != .sectionHeader }

    /// Whether its answers hold a text a person typed (a text question, or « autre, précisez »),
    /// which goes to moderation before it is listed.
    public var takesFreeText: Bool {
        switch self {
        case .shortText, .longText: true
        case .singleChoice(_, let allowsOther), .multipleChoice(_, let allowsOther, _, _): allowsOther
        default: false
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, options, allowsOther, minimumChoices, maximumChoices, scale, rankedCount, rows
        case minimum, maximum, minimumLabel, maximumLabel, unit, wholeNumber, maximumLength, earliest, latest, level
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(SurveyQuestionType.self, forKey: .type) {
        case .singleChoice:
            self = .singleChoice(
                options: try container.decode([SurveyOption].self, forKey: .options),
                allowsOther: try container.decodeIfPresent(Bool.self, forKey: .allowsOther) ?? false
            )
        case .multipleChoice:
            self = .multipleChoice(
                options: try container.decode([SurveyOption].self, forKey: .options),
                allowsOther: try container.decodeIfPresent(Bool.self, forKey: .allowsOther) ?? false,
                minimumChoices: try container.decodeIfPresent(Int.self, forKey: .minimumChoices),
                maximumChoices: try container.decodeIfPresent(Int.self, forKey: .maximumChoices)
            )
        case .scale:
            self = .scale(try SurveyScale(from: decoder))
        case .ranking:
            self = .ranking(
                options: try container.decode([SurveyOption].self, forKey: .options),
                rankedCount: try container.decodeIfPresent(Int.self, forKey: .rankedCount)
            )
        case .matrix:
            self = .matrix(rows: try container.decode([SurveyOption].self, forKey: .rows), scale: try container.decode(SurveyScale.self, forKey: .scale))
        case .number:
            self = .number(
                minimum: try container.decodeIfPresent(Double.self, forKey: .minimum),
                maximum: try container.decodeIfPresent(Double.self, forKey: .maximum),
                unit: try container.decodeIfPresent(String.self, forKey: .unit),
                wholeNumber: try container.decodeIfPresent(Bool.self, forKey: .wholeNumber) ?? false
            )
        case .shortText:
            self = .shortText(maximumLength: try container.decodeIfPresent(Int.self, forKey: .maximumLength) ?? SurveyLimits.shortTextLength)
        case .longText:
            self = .longText(maximumLength: try container.decodeIfPresent(Int.self, forKey: .maximumLength) ?? SurveyLimits.longTextLength)
        case .date:
            self = .date(
                earliest: try container.decodeIfPresent(String.self, forKey: .earliest),
                latest: try container.decodeIfPresent(String.self, forKey: .latest)
            )
        case .place:
            self = .place(try container.decode(SurveyPlaceLevel.self, forKey: .level))
        case .sectionHeader:
            self = .sectionHeader
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .singleChoice(let options, let allowsOther):
            try container.encode(options, forKey: .options)
            try container.encode(allowsOther, forKey: .allowsOther)
        case .multipleChoice(let options, let allowsOther, let minimum, let maximum):
            try container.encode(options, forKey: .options)
            try container.encode(allowsOther, forKey: .allowsOther)
            try container.encodeIfPresent(minimum, forKey: .minimumChoices)
            try container.encodeIfPresent(maximum, forKey: .maximumChoices)
        case .scale(let scale):
            try scale.encode(to: encoder)
        case .ranking(let options, let rankedCount):
            try container.encode(options, forKey: .options)
            try container.encodeIfPresent(rankedCount, forKey: .rankedCount)
        case .matrix(let rows, let scale):
            try container.encode(rows, forKey: .rows)
            try container.encode(scale, forKey: .scale)
        case .number(let minimum, let maximum, let unit, let wholeNumber):
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
            try container.encodeIfPresent(unit, forKey: .unit)
            try container.encode(wholeNumber, forKey: .wholeNumber)
        case .shortText(let maximumLength), .longText(let maximumLength):
            try container.encode(maximumLength, forKey: .maximumLength)
        case .date(let earliest, let latest):
            try container.encodeIfPresent(earliest, forKey: .earliest)
            try container.encodeIfPresent(latest, forKey: .latest)
        case .place(let level):
            try container.encode(level, forKey: .level)
        case .sectionHeader:
            break
        }
    }
}

extension SurveyQuestionKind: Codable {}

/// An option of a choice or ranking question, or a row of a matrix. Its id never changes once
/// people may have chosen it: answers and results refer to the id, not to the label.
public struct SurveyOption: Codable, Sendable, Equatable {
    public var id: String
    public var label: String

    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

/// A scale from `minimum` to `maximum` (1–5, 0–10…) with a label at each end.
public struct SurveyScale: Codable, Sendable, Equatable {
    public var minimum: Int
    public var maximum: Int
    public var minimumLabel: String
    public var maximumLabel: String

    public init(minimum: Int, maximum: Int, minimumLabel: String, maximumLabel: String) {
        self.minimum = minimum
        self.maximum = maximum
        self.minimumLabel = minimumLabel
        self.maximumLabel = maximumLabel
    }
}

/// What a place question asks for.
public enum SurveyPlaceLevel: String, Codable, Sendable, CaseIterable {
    /// A commune of the region, by its INSEE code.
    case commune
    /// A département of the region, by its code.
    case departement
}

/// A condition on earlier answers, as a small tree: a question or a section shows only when
/// its condition holds. An answer to a question that is not shown counts as no answer.
public indirect enum SurveyCondition: Sendable, Equatable {
    /// The question's answer is this option (or includes it, for a multiple choice), or this
    /// place code for a place question.
    case equals(question: String, value: String)
    /// The answer is (or includes) one of these options or place codes.
    case oneOf(question: String, values: [String])
    /// The question was answered.
    case answered(question: String)
    /// The number (or scale point) answered lies within the bounds, both included.
    case numberRange(question: String, minimum: Double?, maximum: Double?)
    case not(SurveyCondition)
    case all([SurveyCondition])
    case any([SurveyCondition])

    /// Every condition of the tree that names a question (its leaves).
    public var leaves: [SurveyCondition] {
        switch self {
        case .not(let inner): inner.leaves
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.leaves)
        default: [self]
        }
    }

    /// The question a leaf condition names (nil for `not`, `all`, `any`).
    public var questionID: String? {
        switch self {
        case .equals(let question, _), .oneOf(let question, _), .answered(let question), .numberRange(let question, _, _): question
        case .not, .all, .any: nil
        }
    }
}

extension SurveyCondition: Codable {
    /// The operator, as written in JSON (`"op": "one_of"`).
    public enum Operator: String, Codable, Sendable, CaseIterable {
        case equals, oneOf = "one_of", answered, numberRange = "number_range", not, all, any
    }

    private enum CodingKeys: String, CodingKey { case op, question, value, values, minimum, maximum, condition, conditions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Operator.self, forKey: .op) {
        case .equals:
            self = .equals(question: try container.decode(String.self, forKey: .question), value: try container.decode(String.self, forKey: .value))
        case .oneOf:
            self = .oneOf(question: try container.decode(String.self, forKey: .question), values: try container.decode([String].self, forKey: .values))
        case .answered:
            self = .answered(question: try container.decode(String.self, forKey: .question))
        case .numberRange:
            self = .numberRange(
                question: try container.decode(String.self, forKey: .question),
                minimum: try container.decodeIfPresent(Double.self, forKey: .minimum),
                maximum: try container.decodeIfPresent(Double.self, forKey: .maximum)
            )
        case .not:
            self = .not(try container.decode(SurveyCondition.self, forKey: .condition))
        case .all:
            self = .all(try container.decode([SurveyCondition].self, forKey: .conditions))
        case .any:
            self = .any(try container.decode([SurveyCondition].self, forKey: .conditions))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .equals(let question, let value):
            try container.encode(Operator.equals, forKey: .op)
            try container.encode(question, forKey: .question)
            try container.encode(value, forKey: .value)
        case .oneOf(let question, let values):
            try container.encode(Operator.oneOf, forKey: .op)
            try container.encode(question, forKey: .question)
            try container.encode(values, forKey: .values)
        case .answered(let question):
            try container.encode(Operator.answered, forKey: .op)
            try container.encode(question, forKey: .question)
        case .numberRange(let question, let minimum, let maximum):
            try container.encode(Operator.numberRange, forKey: .op)
            try container.encode(question, forKey: .question)
            try container.encodeIfPresent(minimum, forKey: .minimum)
            try container.encodeIfPresent(maximum, forKey: .maximum)
        case .not(let inner):
            try container.encode(Operator.not, forKey: .op)
            try container.encode(inner, forKey: .condition)
        case .all(let conditions):
            try container.encode(Operator.all, forKey: .op)
            try container.encode(conditions, forKey: .conditions)
        case .any(let conditions):
            try container.encode(Operator.any, forKey: .op)
            try container.encode(conditions, forKey: .conditions)
        }
    }
}

/// One person's answer to one question. Which field is filled depends on the question's type:
/// options for a choice (one id for a single choice), options in order for a ranking, `number`
/// for a number or a scale, `text` for a text, `date` (`yyyy-MM-dd`), `place` (a code),
/// `rows` (row id → scale point) for a matrix; `otherText` with « autre, précisez ».
public struct SurveyAnswer: Codable, Sendable, Equatable {
    public var optionIDs: [String]?
    public var otherText: String?
    public var number: Double?
    public var text: String?
    public var date: String?
    public var place: String?
    public var rows: [String: Int]?

    public init(
        optionIDs: [String]? = nil, otherText: String? = nil, number: Double? = nil, text: String? = nil, date: String? = nil,
        place: String? = nil, rows: [String: Int]? = nil
    ) {
        self.optionIDs = optionIDs
        self.otherText = otherText
        self.number = number
        self.text = text
        self.date = date
        self.place = place
        self.rows = rows
    }

    public static func choice(_ optionID: String) -> SurveyAnswer { SurveyAnswer(optionIDs: [optionID]) }
    public static func choices(_ optionIDs: [String], other: String? = nil) -> SurveyAnswer { SurveyAnswer(optionIDs: optionIDs, otherText: other) }
    /// « Autre, précisez » alone.
    public static func other(_ text: String) -> SurveyAnswer { SurveyAnswer(optionIDs: [], otherText: text) }
    public static func number(_ value: Double) -> SurveyAnswer { SurveyAnswer(number: value) }
    public static func text(_ value: String) -> SurveyAnswer { SurveyAnswer(text: value) }
    public static func date(_ day: String) -> SurveyAnswer { SurveyAnswer(date: day) }
    public static func place(_ code: String) -> SurveyAnswer { SurveyAnswer(place: code) }
    public static func ranking(_ optionIDs: [String]) -> SurveyAnswer { SurveyAnswer(optionIDs: optionIDs) }
    public static func matrix(_ rows: [String: Int]) -> SurveyAnswer { SurveyAnswer(rows: rows) }
}

/// The limits of a survey definition, shared by the builder's pages and the service.
public enum SurveyLimits {
    public static let titleLength = 3...200
    public static let introductionLength = 5_000
    public static let purposeLength = 10...2_000
    public static let promptLength = 1...1_000
    public static let questionCount = 200
    public static let optionCount = 100
    public static let shortTextLength = 200
    public static let longTextLength = 5_000
    public static let textLengthBounds = 1...10_000
    /// Scales start at 0 or 1 and end at 10 at most.
    public static let scaleMinimum = 0...1
    public static let scaleMaximum = 2...10
}

// Responses: who answered, through which channel, and the profile they gave that day.

/// How a response reached the assembly; every result can be split by it.
public enum SurveyChannel: String, Codable, Sendable, CaseIterable {
    /// Answered on the site.
    case web
    /// A paper questionnaire, entered by staff.
    case paper
    /// Collected in person (a stand, a workshop), entered by staff.
    case inPerson = "in_person"
}

/// The département a person says they live in: one of the region's five, or outside it.
public enum SurveyDepartement: String, Codable, Sendable, CaseIterable {
    case aisne = "02"
    case nord = "59"
    case oise = "60"
    case pasDeCalais = "62"
    case somme = "80"
    /// Participants from outside the region are welcome and counted as such.
    case outsideRegion = "outside_region"
}

/// The age band a person says they are in (the bands of the account's optional profile, so a
/// signed-in citizen's form can start from it).
public enum SurveyAgeBand: String, Codable, Sendable, CaseIterable {
    case under18 = "under_18"
    case from18To24 = "18_24"
    case from25To34 = "25_34"
    case from35To49 = "35_49"
    case from50To64 = "50_64"
    case from65 = "65_plus"
}

/// What a person says they do (the situations of the account's optional profile).
public enum SurveyOccupation: String, Codable, Sendable, CaseIterable {
    case student
    case employed
    case selfEmployed = "self_employed"
    case jobSeeker = "job_seeker"
    case retired
    /// Any other situation (at home, unable to work…).
    case other
}

/// Whether a person says they belong to an association.
public enum SurveyAssociationMembership: String, Codable, Sendable, CaseIterable {
    case member
    case notMember = "not_member"
}

/// The profile a person gave with their response, kept as it was on that day so that
/// published breakdowns never drift when they move or grow older. Each field is optional:
/// a person may decline to say.
public struct SurveyProfile: Codable, Sendable, Equatable {
    public var departement: SurveyDepartement?
    public var ageBand: SurveyAgeBand?
    public var occupation: SurveyOccupation?
    public var association: SurveyAssociationMembership?

    public init(
        departement: SurveyDepartement? = nil, ageBand: SurveyAgeBand? = nil, occupation: SurveyOccupation? = nil,
        association: SurveyAssociationMembership? = nil
    ) {
        self.departement = departement
        self.ageBand = ageBand
        self.occupation = occupation
        self.association = association
    }

    /// The raw value given for one field, or nil when the person did not say.
    public func value(of field: SurveyProfileField) -> String? {
        switch field {
        case .departement: departement?.rawValue
        case .ageBand: ageBand?.rawValue
        case .occupation: occupation?.rawValue
        case .association: association?.rawValue
        }
    }
}

/// A field of the profile, by which results are broken down and filtered.
public enum SurveyProfileField: String, Codable, Sendable, CaseIterable {
    case departement
    case ageBand = "age_band"
    case occupation
    case association

    /// Every value the field takes, in the order tables list them.
    public var values: [String] {
        switch self {
        case .departement: SurveyDepartement.allCases.map(\.rawValue)
        case .ageBand: SurveyAgeBand.allCases.map(\.rawValue)
        case .occupation: SurveyOccupation.allCases.map(\.rawValue)
        case .association: SurveyAssociationMembership.allCases.map(\.rawValue)
        }
    }
}

/// Who gave a response. A web response names its person (an account, or an address the
/// gateway has confirmed when the survey's audience allows it); a response one person gives
/// is unique per survey by each. A paper or in-person questionnaire entered by staff names nobody.
public struct SurveyRespondent: Codable, Sendable, Equatable, Hashable {
    /// The signed-in citizen's account.
    public var accountID: UUID?
    /// An address the gateway has confirmed (a signed-in citizen's confirmed address, or one
    /// confirmed through a mailed link when the audience is `confirmedEmail`).
    public var confirmedEmail: String?

    public init(accountID: UUID? = nil, confirmedEmail: String? = nil) {
        self.accountID = accountID
        self.confirmedEmail = confirmedEmail
    }

    public static func account(_ id: UUID, confirmedEmail: String? = nil) -> SurveyRespondent {
        SurveyRespondent(accountID: id, confirmedEmail: confirmedEmail)
    }

    public static func email(_ address: String) -> SurveyRespondent { SurveyRespondent(confirmedEmail: address) }

    /// A questionnaire entered by staff, linked to nobody.
    public static let unidentified = SurveyRespondent()

    public var isIdentified: Bool { accountID != nil || confirmedEmail != nil }
}

/// The staff member who entered a paper or in-person response.
public struct SurveyStaffEntry: Codable, Sendable, Equatable {
    public var staffID: UUID
    public var staffName: String

    public init(staffID: UUID, staffName: String) {
        self.staffID = staffID
        self.staffName = staffName
    }
}

// Results: filters and the axes of a breakdown.

/// Which responses results count: each list keeps the responses whose value is one of its
/// values; an empty list keeps them all. The same filter applies to every figure of a page.
public struct SurveyResultsFilter: Codable, Sendable, Equatable, Hashable {
    public var departements: [SurveyDepartement]
    public var ageBands: [SurveyAgeBand]
    public var occupations: [SurveyOccupation]
    public var associations: [SurveyAssociationMembership]
    public var channels: [SurveyChannel]

    public init(
        departements: [SurveyDepartement] = [], ageBands: [SurveyAgeBand] = [], occupations: [SurveyOccupation] = [],
        associations: [SurveyAssociationMembership] = [], channels: [SurveyChannel] = []
    ) {
        self.departements = departements
        self.ageBands = ageBands
        self.occupations = occupations
        self.associations = associations
        self.channels = channels
    }

    /// Every response.
    public static let all = SurveyResultsFilter()

    public var keepsEverything: Bool { self == SurveyResultsFilter.all }

    private enum CodingKeys: String, CodingKey { case departements, ageBands, occupations, associations, channels }

    /// A filter may leave out the lists it does not use.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            departements: try container.decodeIfPresent([SurveyDepartement].self, forKey: .departements) ?? [],
            ageBands: try container.decodeIfPresent([SurveyAgeBand].self, forKey: .ageBands) ?? [],
            occupations: try container.decodeIfPresent([SurveyOccupation].self, forKey: .occupations) ?? [],
            associations: try container.decodeIfPresent([SurveyAssociationMembership].self, forKey: .associations) ?? [],
            channels: try container.decodeIfPresent([SurveyChannel].self, forKey: .channels) ?? []
        )
    }
}

/// One axis of a cross-tab: a profile field, the channel, or a closed question (single or
/// multiple choice, scale, place). Written as one string — `profile:age_band`, `channel`,
/// `question:<id>` — in JSON and in query strings.
public enum SurveyDimension: Sendable, Equatable, Hashable, RawRepresentable, Codable {
    case profile(SurveyProfileField)
    case channel
    case question(String)

    public init?(rawValue: String) {
        if rawValue == "channel" {
            self = .channel
        } else if rawValue.hasPrefix("profile:"), let field = SurveyProfileField(rawValue: String(rawValue.dropFirst("profile:".count))) {
            self = .profile(field)
        } else if rawValue.hasPrefix("question:"), rawValue.count > "question:".count {
            self = .question(String(rawValue.dropFirst("question:".count)))
        } else {
            return nil
        }
    }

    public var rawValue: String {
        switch self {
        case .profile(let field): "profile:\(field.rawValue)"
        case .channel: "channel"
        case .question(let id): "question:\(id)"
        }
    }
}

extension SurveyDimension {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let dimension = SurveyDimension(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a survey dimension: \(text)")
        }
        self = dimension
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The platform's survey settings, set by staff.
public struct SurveySettings: Codable, Sendable, Equatable {
    /// The smallest count results publish: a cell under it shows as « < n », and counts that
    /// would give it away are masked too.
    public var smallCellMinimum: Int

    public init(smallCellMinimum: Int = SurveySettings.defaultSmallCellMinimum) {
        self.smallCellMinimum = smallCellMinimum
    }

    /// The minimum until staff choose another.
    public static let defaultSmallCellMinimum = 10
    /// Under 5, a cell could name a person; over 50, little would be left to read.
    public static let allowedSmallCellMinimums = 5...50
}
