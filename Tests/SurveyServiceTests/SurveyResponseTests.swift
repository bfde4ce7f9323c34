import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// `survey.response.submit` through the real queue, consumer and database.
@Suite struct SurveyResponseTests {
    let topology = TestEnvironment.isolatedTopology()

    /// A full answer to `everyTypeDefinition`, by car (so « pourquoi » shows).
    static let fullAnswers: [String: SurveyAnswer] = [
        "mode": .choice("voiture"),
        "pourquoi": .text("  Pas de gare près de chez moi  "),
        "freins": .choices(["temps", "prix"]),
        "satisfaction": .number(2),
        "km": .number(42.5),
        "priorites": .ranking(["frequence", "securite"]),
        "qualite": .matrix(["proprete": 4, "ponctualite": 1]),
        "depuis": .date("2019-09-02"),
        "commune": .place("59350"),
        "avis": .text("Plus de bus le soir."),
    ]

    @Test func aResponseIsStoredWholeAsRowsWithItsProfileAndEvents() async throws {
        // setup
        let database = try await surveyDatabase()
        let account = UUID()
        let profile = SurveyProfile(departement: .nord, ageBand: .from25To34, occupation: .employed, association: .member)

        let (survey, mine) = try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())

            // act
            try await harness.submit(SubmitSurveyResponse(
                surveyID: survey, respondent: .account(account, confirmedEmail: "Camille.Martin@example.fr"), answers: Self.fullAnswers, profile: profile
            ))
            try await eventually("the response stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 1 }
            return (survey, try await harness.rpc.request(GetMySurveyResponse(surveyID: survey, respondent: .account(account))))
        }

        // check: one row per answered question, per chosen option, ranked option, matrix row
        let rows = try await Probe.on(database) { probe in
            try await probe.texts(
                """
                SELECT question_id || '|' || kind || '|' || value || '|' || coalesce(number::text, '') || '|' || coalesce(text, '') || '|' || coalesce(day::text, '')
                FROM surveys.answers ORDER BY question_id, value
                """
            )
        }
        #expect(rows == [
            "avis|text|||Plus de bus le soir.|",
            "commune|place|59350|||",
            "depuis|date||||2019-09-02",
            "freins|option|prix|||",
            "freins|option|temps|||",
            "km|number||42.5||",
            "mode|option|voiture|||",
            "pourquoi|text|||Pas de gare près de chez moi|",
            "priorites|rank|frequence|1||",
            "priorites|rank|securite|2||",
            "qualite|row|ponctualite|1||",
            "qualite|row|proprete|4||",
            "satisfaction|point|2|2||",
        ])
        let stored = try await Probe.on(database) { probe in
            try await probe.texts(
                "SELECT channel || '|' || departement || '|' || age_band || '|' || occupation || '|' || association || '|' || email_normalized FROM surveys.responses WHERE account_id = \(account)"
            )
        }
        #expect(stored == ["web|59|25_34|employed|member|camille.martin@example.fr"])

        // the person reads back what they gave, trimmed
        var expected = Self.fullAnswers
        expected["pourquoi"] = .text("Pas de gare près de chez moi")
        expected["freins"] = .choices(["prix", "temps"])
        let response = try #require(mine.response)
        #expect(mine.editable)
        #expect(response.answers == expected)
        #expect(response.profile == profile)
        #expect(response.channel == .web)
        #expect(response.revisedAt == nil)

        // the synthesis event has the profile and the closed answers, no text; each text goes to moderation
        let events = try await Probe.on(database) { probe in
            try await probe.texts("SELECT convert_from(body, 'UTF8') FROM surveys.outbox WHERE message_type = \(SurveyResponseSubmitted.messageType)")
        }
        #expect(events.count == 1)
        let event = try MessageCoding.decode(SurveyResponseSubmitted.self, from: Array(((events.first ?? nil) ?? "").utf8))
        #expect(event.surveyID == survey)
        #expect(event.responseID == response.id)
        #expect(event.profile == profile)
        #expect(event.channel == .web)
        #expect(Set(event.closedAnswers.keys) == ["mode", "freins", "satisfaction", "km", "priorites", "qualite", "depuis", "commune"])
        #expect(event.closedAnswers["priorites"] == .ranking(["frequence", "securite"]))
        #expect(!event.replacesEarlier)
        let texts = try await Probe.on(database) { probe in
            try await probe.texts("SELECT convert_from(body, 'UTF8') FROM surveys.outbox WHERE message_type = \(SurveyAnswerSubmitted.messageType)")
        }
        let submitted = try texts.map { try MessageCoding.decode(SurveyAnswerSubmitted.self, from: Array(($0 ?? "").utf8)).content }
        #expect(Set(submitted.map(\.text)) == ["Pas de gare près de chez moi", "Plus de bus le soir."])
        #expect(submitted.allSatisfy { $0.ownerService == .surveys && $0.authorAccountID == account })
        let textIDs = try await Probe.on(database) { probe in
            try await probe.texts("SELECT text_id::text FROM surveys.answers WHERE text_id IS NOT NULL ORDER BY text_id")
        }
        #expect(textIDs == submitted.map { $0.contentID.uuidString.lowercased() }.sorted().map(Optional.some))
    }

    @Test func badSubmissionsAreRefusedWholeNamingTheQuestion() async throws {
        // setup
        let database = try await surveyDatabase()
        let closedDefinition = everyTypeDefinition()
        let notYetOpen = everyTypeDefinition(opensAt: Date(timeIntervalSinceNow: 86_400), closesAt: Date(timeIntervalSinceNow: 30 * 86_400))

        let (refusals, ids) = try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            let closed = try await harness.openSurvey(closedDefinition)
            let future = try await harness.openSurvey(notYetOpen)
            try await Probe.on(database) { probe in
                try await probe.execute("UPDATE surveys.surveys SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' WHERE id = \(closed)")
            }
            func answers(_ changes: [String: SurveyAnswer?]) -> [String: SurveyAnswer] {
                var answers = Self.fullAnswers
                for (id, answer) in changes { answers[id] = answer }
                return answers
            }
            func person() -> SurveyRespondent { .account(UUID()) }
            let cases: [String: SubmitSurveyResponse] = [
                "unknown": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["inconnue": .text("?")])),
                // « pourquoi » shows only for the car
                "hidden": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["mode": .choice("train")])),
                "forged": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["freins": .choices(["prix", "gratuit"])])),
                "range": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["km": .number(501)])),
                "scale": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["satisfaction": .number(6)])),
                "choices": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["freins": .choices(["prix", "temps", "confort"])])),
                "required": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["mode": nil, "pourquoi": nil])),
                "matrix": SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: answers(["qualite": .matrix(["proprete": 9])])),
                "closed": SubmitSurveyResponse(surveyID: closed, respondent: person(), answers: Self.fullAnswers),
                "future": SubmitSurveyResponse(surveyID: future, respondent: person(), answers: Self.fullAnswers),
                "unknownSurvey": SubmitSurveyResponse(surveyID: UUID(), respondent: person(), answers: Self.fullAnswers),
                "nobody": SubmitSurveyResponse(surveyID: survey, respondent: .unidentified, answers: Self.fullAnswers),
                "paperWithoutStaff": SubmitSurveyResponse(surveyID: survey, respondent: .unidentified, channel: .paper, answers: Self.fullAnswers),
            ]
            // act
            var ids: [String: String] = [:]
            for (name, command) in cases { ids[name] = try await harness.submit(command) }
            try await eventually("every bad submission parked") { try await harness.refusals().count == cases.count }
            // a good one after them is stored: the consumer went past the refusals
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: person(), answers: Self.fullAnswers))
            try await eventually("the good one stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 1 }
            return (try await harness.refusals(), ids)
        }

        // check: each reason names the question or what is wrong; nothing partial was stored
        func reason(_ name: String) -> String { refusals[ids[name] ?? ""] ?? "" }
        #expect(reason("unknown").contains("questions.inconnue"))
        #expect(reason("hidden").contains("questions.pourquoi"))
        #expect(reason("forged").contains("questions.freins") && reason("forged").contains("gratuit"))
        #expect(reason("range").contains("questions.km"))
        #expect(reason("scale").contains("questions.satisfaction"))
        #expect(reason("choices").contains("questions.freins") && reason("choices").contains("au plus 2"))
        #expect(reason("required").contains("questions.mode"))
        #expect(reason("matrix").contains("questions.qualite"))
        #expect(reason("closed").contains("close"))
        #expect(reason("future").contains("pas encore ouverte"))
        #expect(reason("unknownSurvey").contains("n'existe pas"))
        #expect(reason("nobody").contains("respondent"))
        #expect(reason("paperWithoutStaff").contains("enteredBy"))
        #expect(try await Probe.on(database) { try await $0.int("SELECT count(*)::int8 FROM surveys.answers") } == 13)
        #expect(try await Probe.on(database) { try await $0.int("SELECT count(DISTINCT response_id)::int8 FROM surveys.answers") } == 1)
    }

    @Test func onePersonHasOneResponseUnderParallelSubmissions() async throws {
        // setup: two replicas take from the same queue
        let database = try await surveyDatabase()
        let account = UUID()
        let address = "Lucie.Bernard@example.fr"

        try await withSurveyResponses(database, topology: topology, replicas: 2) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())

            // act: the same account, and the same address in other spellings, twenty times each at once
            let modes = ["train", "bus", "voiture"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for attempt in 0..<20 {
                    group.addTask {
                        var answers = Self.fullAnswers
                        answers["mode"] = .choice(modes[attempt % 3])
                        if attempt % 3 != 2 { answers["pourquoi"] = nil }
                        try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .account(account), answers: answers))
                    }
                    group.addTask {
                        let spelling = attempt % 2 == 0 ? address : address.uppercased()
                        try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .email(spelling), answers: Self.fullAnswers))
                    }
                }
                try await group.waitForAll()
            }
            try await eventually("every submission handled") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.inbox WHERE message_type = \(SubmitSurveyResponse.messageType)") == 40
            }

            // check: one response each, whole (one row per question of its path), one event each
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 2)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE account_id = \(account)") == 1)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE email_normalized = 'lucie.bernard@example.fr'") == 1)
            let perResponse = try await Probe.on(database) { probe in
                try await probe.texts("SELECT count(*)::text FROM surveys.answers WHERE question_id = 'mode' GROUP BY response_id")
            }
            #expect(perResponse == ["1", "1"])
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.outbox WHERE message_type = \(SurveyResponseSubmitted.messageType)") == 2)
            #expect(try await harness.refusals().isEmpty)
        }
    }

    @Test func anEditReplacesTheResponseUntilTheSurveyCloses() async throws {
        // setup
        let database = try await surveyDatabase()
        let account = UUID()

        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            let first = Date()
            try await harness.submit(SubmitSurveyResponse(
                surveyID: survey, respondent: .account(account), answers: Self.fullAnswers, profile: SurveyProfile(departement: .somme), submittedAt: first
            ))
            try await eventually("first response") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 1 }
            let before = try #require(try await harness.rpc.request(GetMySurveyResponse(surveyID: survey, respondent: .account(account))).response)

            // act: a second response is not an edit; the edit replaces; an older edit arriving late changes nothing
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .account(account), answers: ["mode": .choice("bus")]))
            let edit = SubmitSurveyResponse(
                surveyID: survey, respondent: .account(account), answers: ["mode": .choice("train"), "satisfaction": .number(5)],
                profile: SurveyProfile(departement: .oise, ageBand: .from18To24), submittedAt: first.addingTimeInterval(10), replacesEarlier: true
            )
            try await harness.submit(edit)
            var late = edit
            late.answers = ["mode": .choice("bus")]
            late.submittedAt = first.addingTimeInterval(5)
            try await harness.submit(late)
            try await eventually("the three handled") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.inbox WHERE message_type = \(SubmitSurveyResponse.messageType)") == 4
            }
            let after = try await harness.rpc.request(GetMySurveyResponse(surveyID: survey, respondent: .account(account)))

            // check
            let response = try #require(after.response)
            #expect(response.id == before.id)
            #expect(response.answers == ["mode": .choice("train"), "satisfaction": .number(5)])
            #expect(response.profile == SurveyProfile(departement: .oise, ageBand: .from18To24))
            #expect(response.revisedAt != nil)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.answers") == 2)
            // the results filter on the edited profile, never on the replaced one
            let oise = try await harness.rpc.request(GetSurveyResults(surveyID: survey, filter: SurveyResultsFilter(departements: [.oise])))
            let somme = try await harness.rpc.request(GetSurveyResults(surveyID: survey, filter: SurveyResultsFilter(departements: [.somme])))
            #expect(oise.questions.first { $0.questionID == "mode" }?.counts.first { $0.value == "train" }?.count == 1)
            #expect(somme.questions.allSatisfy { $0.answeredCount == 0 })
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.outbox WHERE message_type = \(SurveyResponseSubmitted.messageType) AND convert_from(body, 'UTF8')::jsonb ->> 'replacesEarlier' = 'true'") == 1)

            // after closing, no edit is taken and the response says so
            try await Probe.on(database) { probe in
                try await probe.execute("UPDATE surveys.surveys SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' WHERE id = \(survey)")
            }
            var tooLate = edit
            tooLate.submittedAt = Date()
            tooLate.answers = ["mode": .choice("bus")]
            let refused = try await harness.submit(tooLate)
            try await eventually("the late edit parked") { try await harness.refusals()[refused] != nil }
            let closed = try await harness.rpc.request(GetMySurveyResponse(surveyID: survey, respondent: .account(account)))
            #expect(!closed.editable)
            #expect(closed.response?.answers["mode"] == .choice("train"))
        }
    }

    @Test func paperResponsesAreEnteredByStaffAndLinkedToNobody() async throws {
        // setup
        let database = try await surveyDatabase()

        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            let desk = SurveyStaffEntry(staffID: staff.id, staffName: staff.name)

            // act: two sheets, one leaving the required question blank (the person wrote nothing there)
            try await harness.submit(SubmitSurveyResponse(
                surveyID: survey, respondent: .unidentified, channel: .paper, answers: ["satisfaction": .number(4)], enteredBy: desk
            ))
            try await harness.submit(SubmitSurveyResponse(
                surveyID: survey, respondent: .unidentified, channel: .inPerson, answers: ["mode": .choice("bus")], enteredBy: desk
            ))
            try await eventually("both sheets stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 2 }

            // check
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE account_id IS NULL AND email_normalized IS NULL AND entered_by = \(staff.id)") == 2)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE channel = 'paper'") == 1)
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE channel = 'in_person'") == 1)
        }
    }

    @Test func accountErasureUnlinksTheResponseWhichStillCounts() async throws {
        // setup
        let database = try await surveyDatabase()
        let account = UUID()

        try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .account(account, confirmedEmail: "leo@example.fr"), answers: Self.fullAnswers))
            try await harness.submit(SubmitSurveyResponse(surveyID: survey, respondent: .email("ines@example.fr"), answers: Self.fullAnswers))
            try await eventually("both stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 2 }

            // act: the event arrives twice
            let erased = AccountErased(accountID: account, normalizedEmails: ["leo@example.fr"], erasedAt: Date())
            let messageID = UUID().uuidString.lowercased()
            try await harness.publishEvent(erased, messageID: messageID)
            try await harness.publishEvent(erased, messageID: messageID)

            // check: the response stays and counts, linked to nobody; the other person's is untouched
            try await eventually("the response unlinked") {
                try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE account_id IS NULL AND email_normalized IS NULL") == 1
            }
            #expect(try await harness.int("SELECT count(*)::int8 FROM surveys.responses WHERE email_normalized = 'ines@example.fr'") == 1)
            #expect(try await harness.int("SELECT count(DISTINCT response_id)::int8 FROM surveys.answers") == 2)
            let mine = try await harness.rpc.request(GetMySurveyResponse(surveyID: survey, respondent: .account(account)))
            #expect(mine.response == nil)
            let results = try await harness.rpc.request(GetSurveyResults(surveyID: survey))
            #expect(results.responseCount == 2)
        }
    }
}
