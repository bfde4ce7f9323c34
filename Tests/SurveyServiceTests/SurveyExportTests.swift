import DialogueContracts
import Foundation
import Messaging
import PostgresNIO
import ServiceKit
import SurveyService
import Testing
import TestSupport

/// The pages of a survey's responses that exports stream: every response exactly once across
/// page boundaries, with its answers, profile and channel, and the export in the staff audit.
@Suite struct SurveyExportTests {
    let topology = TestEnvironment.isolatedTopology()

    @Test func pagesCoverEveryResponseExactlyOnceAcrossPageBoundaries() async throws {
        // setup: the results tests' 8 sheets in one survey, 2 in another survey
        let database = try await surveyDatabase()
        let (pages, lastAlone, stored, other) = try await withSurveyResponses(database, topology: topology) { harness in
            let survey = try await harness.openSurvey(everyTypeDefinition())
            let otherSurvey = try await harness.openSurvey(everyTypeDefinition())
            for sheet in SurveyResultsTests.sheets { try await harness.submit(SurveyResultsTests.command(sheet, survey: survey)) }
            for sheet in SurveyResultsTests.sheets.prefix(2) { try await harness.submit(SurveyResultsTests.command(sheet, survey: otherSurvey)) }
            try await eventually("every sheet stored") { try await harness.int("SELECT count(*)::int8 FROM surveys.responses") == 10 }

            // act: pages of 3, so that 8 responses take 3 pages, the last one partly full
            var pages: [SurveyResponseExportPage] = []
            var after: UUID?
            repeat {
                let page = try await harness.rpc.request(ListSurveyResponsesForExport(
                    surveyID: survey, after: after, limit: 3, format: "csv", staffID: staff.id, staffName: staff.name
                ))
                pages.append(page)
                after = page.next
            } while after != nil && pages.count < 10
            // a page that ends exactly on the last response says no page follows
            let lastAlone = try await harness.rpc.request(ListSurveyResponsesForExport(
                surveyID: survey, after: pages[1].next, limit: 2, format: "csv", staffID: staff.id, staffName: staff.name
            ))
            let stored = try await Probe.on(database) { probe in
                try await probe.texts("SELECT id::text FROM surveys.responses WHERE survey_id = \(survey) ORDER BY id")
            }
            let other = try await harness.rpc.request(ListSurveyResponsesForExport(
                surveyID: otherSurvey, limit: 5, format: "json", staffID: staff.id, staffName: staff.name
            ))
            return (pages, lastAlone, stored, other)
        }

        // check: 3 + 3 + 2, each response once, in id order, no other survey's response
        #expect(pages.map(\.responses.count) == [3, 3, 2])
        let exported = pages.flatMap(\.responses)
        #expect(exported.map { $0.id.uuidString.lowercased() } == stored.compactMap { $0 })
        #expect(Set(exported.map(\.id)).count == SurveyResultsTests.sheets.count)
        #expect(pages.map { $0.next == nil } == [false, false, true])
        #expect(pages[0].next == pages[0].responses.last?.id)
        #expect(lastAlone.responses.count == 2 && lastAlone.next == nil)
        #expect(other.responses.count == 2 && other.next == nil)
        #expect(Set(other.responses.map(\.id)).isDisjoint(with: exported.map(\.id)))

        // each response carries what was sent: channel, profile, every answer
        for sheet in SurveyResultsTests.sheets {
            var sent = SurveyResultsTests.command(sheet, survey: UUID())
            // chosen options come back in the definition's order
            sent.answers["freins"]?.optionIDs = ["prix", "temps", "confort"].filter(sheet.freins.contains)
            let matching = exported.filter { $0.answers["km"]?.number == sheet.km }
            #expect(matching.count == 1)
            #expect(matching.first?.channel == sheet.channel)
            #expect(matching.first?.profile == sheet.profile)
            #expect(matching.first?.answers == sent.answers)
        }

        // the export is in the audit once per export, not once per page
        let audited = try await Probe.on(database) { probe in
            try await probe.texts("SELECT details ->> 'format' FROM surveys.staff_audit WHERE action = 'survey.responses_exported' ORDER BY id")
        }
        #expect(audited.compactMap { $0 } == ["csv", "json"])
    }

    @Test func aBadPageSizeOrAnUnknownSurveyIsRefused() async throws {
        let database = try await surveyDatabase()
        let failures = try await withSurveyService(database, topology: topology) { rpc in
            var failures: [RequestFailure?] = []
            let survey = try await rpc.request(CreateSurvey(definition: sampleDefinition(), staffID: staff.id, staffName: staff.name)).id
            for (id, limit) in [(survey, 0), (survey, ListSurveyResponsesForExport.largestPage + 1), (UUID(), 10)] {
                failures.append(await #expect(throws: RequestFailure.self) {
                    try await rpc.request(ListSurveyResponsesForExport(surveyID: id, limit: limit, format: "csv", staffID: staff.id, staffName: staff.name))
                })
            }
            return failures
        }
        #expect(failures.map { $0?.code } == [.invalid, .invalid, .notFound])
        #expect(failures.map { $0?.field } == ["limit", "limit", nil])
        await deleteQueues(of: topology, services: [.surveys])
    }
}
