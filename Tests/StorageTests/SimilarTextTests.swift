import DialogueContracts
import PostgresNIO
import Storage
import Testing
import TestSupport

/// The words a similar-text search looks for: PostgreSQL's French stop words, and the common
/// words its list lacks, leave only the words that carry the draft's subject.
@Suite struct SimilarTextTests {
    @Test func commonWordsMissingFromPostgreSQLsListAreDroppedWhateverTheirCaseAndPunctuation() {
        let words = SimilarText.words(title: "Les bus du soir", text: "Il faut, TOUS, des bus ; cette ligne où les trains passent.")
        #expect(words == "bus du soir Il des bus ; ligne trains passent.")
        // Words that carry a subject stay.
        #expect(SimilarText.words(title: "Sans voiture", text: "plus de trains") == "Sans voiture plus de trains")
    }

    @Test func theQuerySearchedHoldsOnlyTheDraftsSubject() async throws {
        let database = try await TestDatabase.make()
        let query = try await asService(.petitions, in: database) { client in
            let words = SimilarText.words(title: "Les bus du soir", text: "Il faut que tous les bus passent aussi quand il pleut.")
            let rows = try await client.query(
                "WITH wanted_words AS (SELECT \(words)::text AS words) SELECT (\(unescaped: SimilarText.anyWordQuery))::text FROM wanted_words",
                logger: TestEnvironment.logger
            )
            var found: String?
            for try await text in rows.decode(String?.self) { found = text }
            return found
        }
        // « les » would have been « 'le' », matching nearly every French text.
        #expect(query == "'bus' | 'soir' | 'bus' | 'passent' | 'pleut'")
    }
}
