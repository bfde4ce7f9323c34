import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// Survey definitions over RPC, against the real service, database and broker.
@Suite struct SurveyRequestTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func aDraftIsCreatedReadUpdatedAndListed() async throws {
        // setup
        let database = try await surveyDatabase()

        // act
        let (created, read, updated, list, drafts, open) = try await withSurveyService(database, topology: topology) { rpc in
            let created = try await rpc.request(CreateSurvey(definition: sampleDefinition(title: "  Les transports du quotidien  "), staffID: staff.id, staffName: staff.name))
            let read = try await rpc.request(GetSurvey(surveyID: created.id))
            var changed = read.definition
            changed.sections[0].questions.append(SurveyQuestion(id: "age", prompt: "Votre âge", kind: .number(minimum: 0, maximum: 120, unit: "ans", wholeNumber: true)))
            let updated = try await rpc.request(UpdateSurvey(surveyID: created.id, revision: read.revision, definition: changed, staffID: staff.id, staffName: staff.name))
            _ = try await rpc.request(CreateSurvey(definition: sampleDefinition(title: "Une autre enquête"), staffID: staff.id, staffName: staff.name))
            return (
                created, read, updated, try await rpc.request(ListSurveys()), try await rpc.request(ListSurveys(status: .draft, limit: 1)),
                try await rpc.request(ListSurveys(status: .open))
            )
        }

        // check
        #expect(created.status == .draft)
        #expect(created.revision == 1)
        #expect(created.definition.title == "Les transports du quotidien")
        #expect(created.publishedAt == nil)
        #expect(read == created)
        #expect(read.definition.sections[0].questions[1].condition == .equals(question: "train", value: "non"))
        #expect(updated.revision == 2)
        #expect(updated.definition.question("age") != nil)
        #expect(list.total == 2)
        #expect(list.items.map(\.title) == ["Une autre enquête", "Les transports du quotidien"])
        #expect(list.items.last?.questionCount == 3)
        #expect(drafts.items.count == 1 && drafts.total == 2)
        #expect(open.items.isEmpty && open.total == 0)
        let stored = try await Probe.on(database) { probe in
            try await probe.texts("SELECT definition -> 'sections' -> 0 -> 'questions' -> 0 ->> 'type' FROM surveys.surveys WHERE id = \(created.id)")
        }
        #expect(stored == ["single_choice"])
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func publishingOpensTheSurveyAndEmitsTheEventInTheSameTransaction() async throws {
        // setup
        let database = try await surveyDatabase()

        // act
        let (draft, published, again) = try await withSurveyService(database, topology: topology) { rpc in
            let draft = try await rpc.request(CreateSurvey(definition: sampleDefinition(), staffID: staff.id, staffName: staff.name))
            let published = try await rpc.request(PublishSurvey(surveyID: draft.id, staffID: staff.id, staffName: staff.name))
            let again = await #expect(throws: RequestFailure.self) {
                try await rpc.request(PublishSurvey(surveyID: draft.id, staffID: staff.id, staffName: staff.name))
            }
            return (draft, published, again)
        }

        // check
        #expect(published.status == .open)
        #expect(published.publishedAt != nil)
        #expect(published.definition == draft.definition)
        #expect(again?.code == .conflict)
        let bodies = try await Probe.on(database) { probe in
            try await probe.texts("SELECT convert_from(body, 'UTF8') FROM surveys.outbox WHERE message_type = \(SurveyPublished.messageType)")
        }
        #expect(bodies.count == 1)
        let event = try MessageCoding.decode(SurveyPublished.self, from: Array(((bodies.first ?? nil) ?? "").utf8))
        #expect(event.surveyID == draft.id)
        #expect(event.title == "Les transports du quotidien")
        #expect(event.resultsVisibility == .afterClosing)
        #expect(abs(event.closesAt.timeIntervalSince(try #require(draft.definition.closesAt))) < 0.01)
        // Each action audited by the service in its own transaction; the refused second publication left nothing.
        let audited = try await Probe.on(database) { probe in
            try await probe.texts("SELECT action || ' ' || staff_name || ' ' || object_id FROM surveys.staff_audit ORDER BY id")
        }
        let surveyID = draft.id.uuidString.lowercased()
        #expect(audited == ["survey.created \(staff.name) \(surveyID)", "survey.published \(staff.name) \(surveyID)"])
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func anOpenSurveyTakesOnlySafeChanges() async throws {
        // setup
        let database = try await surveyDatabase()

        // act
        let (added, refused, stale) = try await withSurveyService(database, topology: topology) { rpc in
            let draft = try await rpc.request(CreateSurvey(definition: sampleDefinition(), staffID: staff.id, staffName: staff.name))
            let open = try await rpc.request(PublishSurvey(surveyID: draft.id, staffID: staff.id, staffName: staff.name))
            var withOption = open.definition
            withOption.sections[0].questions[0].kind = .singleChoice(
                options: [SurveyOption(id: "oui", label: "Oui"), SurveyOption(id: "non", label: "Non"), SurveyOption(id: "parfois", label: "Parfois")],
                allowsOther: false
            )
            let added = try await rpc.request(UpdateSurvey(surveyID: open.id, revision: open.revision, definition: withOption, staffID: staff.id, staffName: staff.name))
            var withoutOption = added.definition
            withoutOption.sections[0].questions[0].kind = .singleChoice(options: [SurveyOption(id: "oui", label: "Oui"), SurveyOption(id: "parfois", label: "Parfois")], allowsOther: false)
            withoutOption.sections[0].questions[1].condition = .equals(question: "train", value: "parfois")
            let refused = await #expect(throws: RequestFailure.self) {
                try await rpc.request(UpdateSurvey(surveyID: open.id, revision: added.revision, definition: withoutOption, staffID: staff.id, staffName: staff.name))
            }
            let stale = await #expect(throws: RequestFailure.self) {
                try await rpc.request(UpdateSurvey(surveyID: open.id, revision: open.revision, definition: withOption, staffID: staff.id, staffName: staff.name))
            }
            return (added, refused, stale)
        }

        // check
        #expect(added.status == .open)
        #expect(added.definition.question("train")?.kind.options.count == 3)
        #expect(refused?.code == .conflict)
        #expect(refused?.field == "questions.train")
        #expect(refused?.message.contains("Non") == true)
        #expect(stale?.code == .conflict)
        #expect(stale?.field == "revision")
        let options = try await Probe.on(database) { probe in
            try await probe.int("SELECT jsonb_array_length(definition -> 'sections' -> 0 -> 'questions' -> 0 -> 'options')::int8 FROM surveys.surveys")
        }
        #expect(options == 3, "the refused change left the survey as it was")
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func twoEditorsSavingFromTheSameRevisionDoNotOverwriteEachOther() async throws {
        // setup
        let database = try await surveyDatabase()

        // act: two updates from revision 1 at once
        let outcomes = try await withSurveyService(database, topology: topology) { rpc in
            let draft = try await rpc.request(CreateSurvey(definition: sampleDefinition(), staffID: staff.id, staffName: staff.name))
            return await withTaskGroup(of: Result<SurveyView, RequestFailure>.self) { group in
                for title in ["Première version", "Seconde version"] {
                    var definition = draft.definition
                    definition.title = title
                    let request = UpdateSurvey(surveyID: draft.id, revision: draft.revision, definition: definition, staffID: staff.id, staffName: staff.name)
                    group.addTask {
                        do { return .success(try await rpc.request(request)) } catch let failure as RequestFailure { return .failure(failure) } catch {
                            return .failure(RequestFailure(code: .internal, message: "\(error)"))
                        }
                    }
                }
                var outcomes: [Result<SurveyView, RequestFailure>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }

        // check: one saved, the other told to reload
        let saved = outcomes.compactMap { try? $0.get() }
        let refused = outcomes.compactMap { outcome -> RequestFailure? in
            if case .failure(let failure) = outcome { return failure }
            return nil
        }
        #expect(saved.count == 1)
        #expect(saved.first?.revision == 2)
        #expect(refused.map(\.code) == [.conflict])
        #expect(refused.first?.field == "revision")
        let stored = try await Probe.on(database) { probe in try await probe.texts("SELECT title FROM surveys.surveys") }
        #expect(stored == [saved.first?.definition.title])
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func anOpenSurveyClosesAtItsDateOnceAndThenTakesNoChange() async throws {
        // setup
        let database = try await surveyDatabase()

        // act
        let (ending, later, closings, refused) = try await withSurveyService(database, topology: topology) { rpc in
            let ending = try await rpc.request(CreateSurvey(definition: sampleDefinition(title: "Une enquête qui finit"), staffID: staff.id, staffName: staff.name))
            let later = try await rpc.request(CreateSurvey(definition: sampleDefinition(title: "Une enquête qui dure"), staffID: staff.id, staffName: staff.name))
            let open = try await rpc.request(PublishSurvey(surveyID: ending.id, staffID: staff.id, staffName: staff.name))
            _ = try await rpc.request(PublishSurvey(surveyID: later.id, staffID: staff.id, staffName: staff.name))
            try await Probe.on(database) { probe in
                try await probe.execute("UPDATE surveys.surveys SET opens_at = now() - interval '2 hours', closes_at = now() - interval '1 minute' WHERE id = \(ending.id)")
            }
            let closings = try await TestDatabase.withClient(database.settings(for: .surveys), searchPath: "surveys") { client in
                let store = SurveyStore(client: client, logger: TestEnvironment.logger)
                return [try await store.closeEnded(), try await store.closeEnded()]
            }
            let refused = await #expect(throws: RequestFailure.self) {
                try await rpc.request(UpdateSurvey(surveyID: open.id, revision: open.revision, definition: open.definition, staffID: staff.id, staffName: staff.name))
            }
            return (ending, later, closings, refused)
        }

        // check
        #expect(closings == [1, 0])
        #expect(refused?.code == .conflict)
        let (ended, running, bodies) = try await Probe.on(database) { probe in
            (
                try await probe.texts("SELECT status FROM surveys.surveys WHERE id = \(ending.id)"),
                try await probe.texts("SELECT status FROM surveys.surveys WHERE id = \(later.id)"),
                try await probe.texts("SELECT convert_from(body, 'UTF8') FROM surveys.outbox WHERE message_type = \(SurveyClosed.messageType)")
            )
        }
        #expect(ended == ["closed"])
        #expect(running == ["open"])
        #expect(bodies.count == 1)
        let event = try MessageCoding.decode(SurveyClosed.self, from: Array(((bodies.first ?? nil) ?? "").utf8))
        #expect(event.surveyID == ending.id)
        #expect(event.title == "Une enquête qui finit")
        #expect(event.resultsVisibility == .afterClosing)
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func badDefinitionsAreRefusedNamingTheFieldAndNothingIsStored() async throws {
        // setup
        let database = try await surveyDatabase()
        var noPurpose = sampleDefinition()
        noPurpose.purpose = "  "
        var selfReference = sampleDefinition()
        selfReference.sections[0].questions[1].condition = .answered(question: "pourquoi")
        var laterReference = sampleDefinition()
        laterReference.sections[0].questions[0].condition = .answered(question: "pourquoi")
        var removedOption = sampleDefinition()
        removedOption.sections[0].questions[1].condition = .equals(question: "train", value: "peut-etre")
        var noOptions = sampleDefinition()
        noOptions.sections[0].questions[0].kind = .singleChoice(options: [], allowsOther: false)
        var badScale = sampleDefinition()
        badScale.sections[0].questions.append(SurveyQuestion(
            id: "note", prompt: "Note", kind: .scale(SurveyScale(minimum: 5, maximum: 1, minimumLabel: "-", maximumLabel: "+"))
        ))
        var duplicate = sampleDefinition()
        duplicate.sections[0].questions[1].id = "train"
        var dates = sampleDefinition()
        dates.closesAt = dates.opensAt

        let cases: [(String, SurveyDefinition)] = [
            ("no purpose", noPurpose), ("self reference", selfReference), ("later reference", laterReference),
            ("removed option", removedOption), ("no options", noOptions), ("bad scale", badScale), ("duplicate", duplicate), ("dates", dates),
        ]

        // act
        let failures = try await withSurveyService(database, topology: topology) { rpc in
            var failures: [String: RequestFailure] = [:]
            for (name, definition) in cases {
                do {
                    _ = try await rpc.request(CreateSurvey(definition: definition, staffID: staff.id, staffName: staff.name))
                } catch let failure as RequestFailure {
                    failures[name] = failure
                }
            }
            return failures
        }

        // check
        #expect(failures.count == 8)
        #expect(failures.values.allSatisfy { $0.code == .invalid && !$0.message.isEmpty })
        #expect(failures["no purpose"]?.field == "purpose")
        #expect(failures["self reference"]?.field == "questions.pourquoi")
        #expect(failures["later reference"]?.field == "questions.train")
        #expect(failures["removed option"]?.field == "questions.pourquoi")
        #expect(failures["no options"]?.field == "questions.train")
        #expect(failures["bad scale"]?.field == "questions.note")
        #expect(failures["duplicate"]?.field == "questions.train")
        #expect(failures["dates"]?.field == "closes_at")
        let (stored, announced) = try await Probe.on(database) { probe in
            (try await probe.int("SELECT count(*)::int8 FROM surveys.surveys"), try await probe.int("SELECT count(*)::int8 FROM surveys.outbox"))
        }
        #expect(stored == 0)
        #expect(announced == 0)
        await deleteQueues(of: topology, services: [.surveys])
    }

    @Test func anIncompleteDraftIsNotPublishedAndAnUnknownSurveyIsNotFound() async throws {
        // setup
        let database = try await surveyDatabase()
        let undated = {
            var definition = sampleDefinition()
            definition.closesAt = nil
            return definition
        }()

        // act
        let (draft, incomplete, unknown, unknownUpdate) = try await withSurveyService(database, topology: topology) { rpc in
            let draft = try await rpc.request(CreateSurvey(definition: undated, staffID: staff.id, staffName: staff.name))
            let incomplete = await #expect(throws: RequestFailure.self) {
                try await rpc.request(PublishSurvey(surveyID: draft.id, staffID: staff.id, staffName: staff.name))
            }
            let unknown = await #expect(throws: RequestFailure.self) { try await rpc.request(GetSurvey(surveyID: UUID())) }
            let unknownUpdate = await #expect(throws: RequestFailure.self) {
                try await rpc.request(UpdateSurvey(surveyID: UUID(), revision: 1, definition: undated, staffID: staff.id, staffName: staff.name))
            }
            return (draft, incomplete, unknown, unknownUpdate)
        }

        // check
        #expect(incomplete?.code == .invalid)
        #expect(incomplete?.field == "closes_at")
        #expect(unknown?.code == .notFound)
        #expect(unknownUpdate?.code == .notFound)
        let (status, announced) = try await Probe.on(database) { probe in
            (
                try await probe.texts("SELECT status FROM surveys.surveys WHERE id = \(draft.id)"),
                try await probe.int("SELECT count(*)::int8 FROM surveys.outbox WHERE message_type <> \(StaffActionRecorded.messageType)")
            )
        }
        #expect(status == ["draft"])
        #expect(announced == 0)
        // The creation is audited; the refused publication is not.
        #expect(try await Probe.on(database) { try await $0.texts("SELECT action FROM surveys.staff_audit") } == ["survey.created"])
        await deleteQueues(of: topology, services: [.surveys])
    }
}
