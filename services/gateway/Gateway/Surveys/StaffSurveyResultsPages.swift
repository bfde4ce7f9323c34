import DialogueContracts
import Foundation
import Hummingbird
import ServiceKit
import SurveyStatistics

/// The results of a survey for staff: one GET form (works without script) whose filter applies
/// to every figure and whose breakdown crosses any two of a profile field, the channel or a
/// closed question; each question's counts and shares, numbers with median and quartiles, and
/// the cross-tab with its test and plain-French reading. Every count under the small-cell
/// minimum shows as « < 10 », and counts that would give one away are masked too.
struct StaffSurveyResultsPages: Sendable {
    let web: WebDependencies
    /// The smallest count shown: the platform's setting, read for each request.
    var rule: SmallCellRule = .default

    func register(on admin: SecuredRoutes) {
        admin.get("enquetes/{id}/resultats", StaffSurveyPages.surveyStaff) { request, context in
            // A change of the setting applies from the next page shown.
            var page = self
            page.rule = try await call.ask(GetSurveySettings()).smallCellRule
            return try await page.results(request, context)
        }
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    private var figures: SurveyQuestionFigures { SurveyQuestionFigures(rule: rule) }

    private func count(_ published: PublishedCount) -> String { figures.count(published) }

    /// The form's names: the filter's are the API's (`SurveysAPI.filter` reads both).
    enum Field {
        static let rows = "lignes"
        static let columns = "colonnes"
        /// The question crossed with every profile field and the channel.
        static let sweep = "question"
        static let filters = ["departement", "ageBand", "occupation", "association", "channel"]
    }

    private func results(_ request: Request, _ context: WebContext) async throws -> Response {
        let survey = try await call.ask(GetSurvey(surveyID: try context.requiredID()))
        let parameters = request.uri.queryParameters
        var errors = FormErrors()

        var filter = SurveyResultsFilter.all
        do {
            filter = try SurveysAPI.filter(parameters)
        } catch let error as APIError {
            errors.add(error.field ?? "departement", error.message)
        }

        let dimensions = Self.dimensions(of: survey.definition)
        func dimension(_ name: String, among dimensions: [SurveyDimension]) -> SurveyDimension? {
            guard let text = parameters.get(name), !text.isEmpty else { return nil }
            guard let dimension = SurveyDimension(rawValue: text), dimensions.contains(dimension) else {
                errors.add(name, "« \(text) » n'est pas un critère de croisement de cette enquête : choisissez-en un dans la liste.")
                return nil
            }
            return dimension
        }
        let rows = dimension(Field.rows, among: dimensions)
        let columns = dimension(Field.columns, among: dimensions)
        if (rows == nil) != (columns == nil), errors[Field.rows] == nil, errors[Field.columns] == nil {
            errors.add(rows == nil ? Field.rows : Field.columns, "Choisissez ce que montrent les lignes et ce que montrent les colonnes du croisement.")
        }

        let sweepQuestion = dimension(Field.sweep, among: Self.sweepQuestions(of: survey.definition))

        var results: SurveyResults?
        var breakdown: ResultsBreakdown?
        var sweep: ResultsSweepSection?
        if !Field.filters.contains(where: { errors[$0] != nil }) {
            results = try await call.ask(GetSurveyResults(surveyID: survey.id, filter: filter))
            if let rows, let columns {
                do {
                    let table = try await call.ask(GetSurveyCrossTab(surveyID: survey.id, rows: rows, columns: columns, filter: filter))
                    breakdown = try breakdownModel(table, definition: survey.definition)
                } catch let error as APIError where [.badRequest, .unprocessableContent].contains(error.status) {
                    errors.add(error.field == "columns" ? Field.columns : Field.rows, error.message)
                }
            }
            if let sweepQuestion {
                sweep = try await sweepModel(sweepQuestion, surveyID: survey.id, filter: filter, definition: survey.definition)
            }
        }

        let model = SurveyResultsPage(
            id: survey.id.uuidString.lowercased(), title: survey.definition.title, errors: errors.summary,
            filters: filterGroups(parameters: parameters, errors: errors),
            rowsSelect: dimensionSelect(Field.rows, "Lignes", dimensions, chosen: parameters.get(Field.rows), definition: survey.definition, errors: errors),
            columnsSelect: dimensionSelect(Field.columns, "Colonnes", dimensions, chosen: parameters.get(Field.columns), definition: survey.definition, errors: errors),
            sweepSelect: dimensionSelect(
                Field.sweep, "Question à croiser avec chaque critère", Self.sweepQuestions(of: survey.definition), chosen: parameters.get(Field.sweep),
                definition: survey.definition, errors: errors, none: "Aucune"
            ),
            sweep: sweep,
            filterDescription: Self.describe(filter),
            responseCount: results.map { count(PublishedCount.of($0.responseCount, rule: rule)) },
            questions: results.map { figures.questionModels($0, definition: survey.definition) } ?? [],
            hasResults: results != nil, breakdown: breakdown, legend: rule.frenchLegend
        )
        let title = Page.title("Résultats de « \(survey.definition.title) »", hasErrors: !errors.isEmpty)
        return web.render(
            Page("admin-survey-results", title: title, status: errors.isEmpty ? .ok : .unprocessableContent, model: model), request, context
        )
    }

    // MARK: Form

    /// What a breakdown may cross: each profile field, the channel, each closed question.
    static func dimensions(of definition: SurveyDefinition) -> [SurveyDimension] {
        SurveyProfileField.allCases.map { .profile($0) } + [.channel]
            + definition.orderedQuestions.map(\.question).filter { [.singleChoice, .multipleChoice, .scale].contains($0.kind.type) }.map { .question($0.id) }
    }

    static func label(of dimension: SurveyDimension, in definition: SurveyDefinition) -> String {
        switch dimension {
        case .profile(let field): field.label
        case .channel: "Canal de réponse"
        case .question(let id): definition.orderedQuestions.first { $0.question.id == id }.map { "Question : \($0.question.prompt)" } ?? id
        }
    }

    /// A value of an axis as the page shows it: an option's label, a scale point, a profile value.
    static func label(of value: String, on dimension: SurveyDimension, in definition: SurveyDefinition) -> String {
        switch dimension {
        case .channel: return SurveyChannel(rawValue: value)?.label ?? value
        case .profile(.departement): return SurveyDepartement(rawValue: value).map(SurveyProfileForm.label) ?? value
        case .profile(.ageBand): return SurveyAgeBand(rawValue: value).map(SurveyProfileForm.label) ?? value
        case .profile(.occupation): return SurveyOccupation(rawValue: value).map(SurveyProfileForm.label) ?? value
        case .profile(.association): return SurveyAssociationMembership(rawValue: value).map(SurveyProfileForm.label) ?? value
        case .question(let id):
            guard let question = definition.orderedQuestions.first(where: { $0.question.id == id })?.question else { return value }
            return optionLabel(value, of: question)
        }
    }

    static func optionLabel(_ value: String, of question: SurveyQuestion) -> String {
        if value == SurveyCrossTab.otherValue { return "Autre" }
        return question.kind.options.first { $0.id == value }?.label ?? value
    }

    /// A fieldset of checkboxes per filter: the values ticked are those sent, kept as they
    /// were even when another is refused, so nothing chosen is lost.
    func filterGroups(parameters: Parameters, errors: FormErrors) -> [ResultsCheckboxGroup] {
        func group<Value: RawRepresentable<String> & CaseIterable>(
            _ name: String, _ legend: String, _ all: Value.AllCases, _ valueLabel: (Value) -> String
        ) -> ResultsCheckboxGroup {
            let sent = Set(parameters.getAll(name))
            return ResultsCheckboxGroup(
                name: name, legend: legend,
                choices: all.map { value in
                    ResultsCheckbox(id: "\(name)-\(value.rawValue)", value: value.rawValue, label: valueLabel(value), checked: sent.contains(value.rawValue))
                },
                error: errors[name]
            )
        }
        return [
            group("departement", SurveyProfileField.departement.label, SurveyDepartement.allCases, SurveyProfileForm.label),
            group("ageBand", SurveyProfileField.ageBand.label, SurveyAgeBand.allCases, SurveyProfileForm.label),
            group("occupation", SurveyProfileField.occupation.label, SurveyOccupation.allCases, SurveyProfileForm.label),
            group("association", SurveyProfileField.association.label, SurveyAssociationMembership.allCases, SurveyProfileForm.label),
            group("channel", "Canal de réponse", SurveyChannel.allCases) { (channel: SurveyChannel) in channel.label },
        ]
    }

    private func dimensionSelect(
        _ name: String, _ label: String, _ dimensions: [SurveyDimension], chosen: String?, definition: SurveyDefinition, errors: FormErrors,
        none: String = "Aucun croisement"
    ) -> ResultsSelect {
        ResultsSelect(
            name: name, label: label,
            choices: [ResultsChoice(value: "", label: none, selected: chosen == nil || chosen == "")]
                + dimensions.map { ResultsChoice(value: $0.rawValue, label: Self.label(of: $0, in: definition), selected: $0.rawValue == chosen) },
            error: errors[name]
        )
    }

    /// The filter as a plain-French sentence above the figures: « Réponses des personnes de
    /// 18 à 24 ans ou de 25 à 34 ans, dans l'Aisne ou le Nord ». Values of one field join with
    /// « ou » (a response matches any of them), fields with commas (it matches all of them).
    static func describe(_ filter: SurveyResultsFilter) -> String {
        guard !filter.keepsEverything else { return "Toutes les réponses" }
        func either(_ parts: [String]) -> String? {
            parts.isEmpty ? nil : parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " ou " + parts.last!
        }
        var people: [String] = []
        if let ages = either(filter.ageBands.map(FilterWording.ofPeople)) { people.append(ages) }
        if let occupations = either(filter.occupations.map(FilterWording.ofPeople)) { people.append(occupations) }
        if let associations = either(filter.associations.map(FilterWording.ofPeople)) { people.append(associations) }
        if !filter.departements.isEmpty {
            // « dans l'Aisne ou le Nord »: a preposition said once for the places that share it.
            var places: [String] = []
            var previous: String?
            for departement in filter.departements {
                let (preposition, place) = FilterWording.place(departement)
                places.append(preposition == previous ? place : "\(preposition) \(place)")
                previous = preposition
            }
            people.append(either(places)!)
        }
        var sentence = "Réponses"
        if !people.isEmpty { sentence += " des personnes " + people.joined(separator: ", ") }
        if let channels = either(filter.channels.map(FilterWording.received)) {
            sentence += (people.isEmpty ? " " : ", ") + "reçues " + channels
        }
        return sentence
    }

    // MARK: Every crossing of one question

    /// The questions a sweep may cross: those a test applies to (single choice, scale), not
    /// multiple choices, whose responses may count in several cells.
    static func sweepQuestions(of definition: SurveyDefinition) -> [SurveyDimension] {
        definition.orderedQuestions.map(\.question).filter { [.singleChoice, .scale].contains($0.kind.type) }.map { .question($0.id) }
    }

    /// What a question is crossed with: each profile field and the channel.
    static let sweepCriteria: [SurveyDimension] = SurveyProfileField.allCases.map { .profile($0) } + [.channel]

    private func sweepModel(_ question: SurveyDimension, surveyID: UUID, filter: SurveyResultsFilter, definition: SurveyDefinition) async throws -> ResultsSweepSection {
        var crossings: [SurveyBreakdownSweep.Crossing] = []
        for criterion in Self.sweepCriteria {
            let crossTab = try await call.ask(GetSurveyCrossTab(surveyID: surveyID, rows: question, columns: criterion, filter: filter))
            let table = try CrossTab(
                rowLabels: crossTab.rowValues.map { Self.label(of: $0, on: question, in: definition) },
                columnLabels: crossTab.columnValues.map { Self.label(of: $0, on: criterion, in: definition) },
                counts: crossTab.counts
            )
            crossings.append(.init(criterion: Self.label(of: criterion, in: definition), table: table, responsesMayCountTwice: crossTab.responsesMayCountTwice))
        }
        let prompt = definition.orderedQuestions.first { SurveyDimension.question($0.question.id) == question }?.question.prompt ?? question.rawValue
        return ResultsSweepSection(question: prompt, table: SurveyBreakdownSweep(crossings, rule: rule).model)
    }

    // MARK: Breakdown

    private func breakdownModel(_ crossTab: SurveyCrossTab, definition: SurveyDefinition) throws -> ResultsBreakdown {
        let rowLabels = crossTab.rowValues.map { Self.label(of: $0, on: crossTab.rows, in: definition) }
        let columnLabels = crossTab.columnValues.map { Self.label(of: $0, on: crossTab.columns, in: definition) }
        let table = try CrossTab(rowLabels: rowLabels, columnLabels: columnLabels, counts: crossTab.counts)
        let protected = ProtectedCrossTab(table, rule: rule)
        let withheld = protected.hidesAnyCount
        let rowName = Self.label(of: crossTab.rows, in: definition)
        let columnName = Self.label(of: crossTab.columns, in: definition)

        var verdict: String
        var evidence: String?
        var effectSize: String?
        var cautions: [String] = []
        var method: String?
        var pValue: String?
        var cramersV: String?
        if crossTab.responsesMayCountTwice {
            verdict = "Une même réponse peut compter dans plusieurs cases (question à choix multiple) : aucun test d'indépendance ne s'applique à ce tableau."
        } else {
            let analysis = BreakdownAnalysis(table)
            let explanation = analysis.frenchExplanation(figures: withheld ? .withheld : .quoted)
            verdict = explanation.verdict
            evidence = explanation.evidence
            effectSize = explanation.effectSize
            cautions = explanation.cautions
            method = analysis.method.map { $0 == .fisherExact ? "Test exact de Fisher" : "Test du khi-deux d'indépendance" }
            if !withheld {
                pValue = analysis.pValue.map(ResultsNumber.pValue)
                cramersV = analysis.cramersV.map { ResultsNumber.decimal($0.value) }
            }
        }
        func percent(_ value: Double?) -> String? { value.map(ResultsNumber.percent) }
        return ResultsBreakdown(
            caption: "\(rowName) (lignes) selon \(columnName) (colonnes)", rowHeader: rowName, columns: columnLabels,
            rows: rowLabels.indices.map { row in
                ResultsBreakdown.Row(
                    label: rowLabels[row],
                    cells: columnLabels.indices.map { column in
                        ResultsBreakdown.Cell(
                            count: count(protected.cells[row][column]),
                            rowPercentage: percent(protected.rowPercentages[row][column]),
                            columnPercentage: percent(protected.columnPercentages[row][column])
                        )
                    },
                    total: count(protected.rowTotals[row])
                )
            },
            columnTotals: protected.columnTotals.map(count), grandTotal: count(protected.grandTotal), legend: rule.frenchLegend,
            verdict: verdict, evidence: evidence, effectSize: effectSize, cautions: cautions, method: method, pValue: pValue, cramersV: cramersV,
            figuresWithheld: withheld
        )
    }
}

extension PublishedCount {
    /// A single count published on its own: shown from the minimum up, else « < 10 ».
    static func of(_ count: Int, rule: SmallCellRule) -> PublishedCount {
        count < rule.minimumCount ? .belowMinimum : .shown(count)
    }
}
