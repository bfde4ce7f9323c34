import Foundation

/// Finding the published texts closest to a draft with PostgreSQL's French full-text search,
/// the same way for every feature (similar petitions, similar contributions): the draft's
/// stemmed words, stop words dropped, matched as *any* of them — a draft words its subject its
/// own way — and ranked by how many match and where (`ts_rank` on the feature's weighted
/// `tsvector`).
public enum SimilarText {
    /// Enough of a long text to find its subject, without a query of thousands of words.
    public static let searchedTextLength = 2_000

    /// Common French words that PostgreSQL's `french` stop-word list lacks. Left in, « les »
    /// (stemmed « le ») or « il faut » match nearly every text, and every draft would look
    /// similar to everything; words that carry a subject (« sans », « plus ») stay.
    public static let moreStopWords: Set<String> = [
        "les", "cet", "cette", "ils", "elles", "leurs", "où", "donc", "car", "ni", "si", "comme", "aussi", "quand", "très",
        "tout", "tous", "toute", "toutes", "faut", "être", "avoir",
    ]

    /// The words searched: the title, then the start of the text, without `moreStopWords`.
    public static func words(title: String, text: String) -> String {
        "\(title) \(text.prefix(searchedTextLength))"
            .split(whereSeparator: \.isWhitespace)
            .filter { word in !moreStopWords.contains(word.lowercased().trimmingCharacters(in: .punctuationCharacters)) }
            .joined(separator: " ")
    }

    /// A SQL expression of the `tsquery` matching any stemmed word of the column `words` of
    /// the query's `wanted_words` (bind the text there: `WITH wanted_words AS (SELECT $1::text
    /// AS words)`); NULL when the text has no searchable word. `plainto_tsquery` joins the
    /// words with `&`; as an OR they find texts sharing any of them.
    public static let anyWordQuery = "nullif(replace(plainto_tsquery('french', wanted_words.words)::text, '&', '|'), '')::tsquery"
}
