import CStemmer
import Synchronization

/// Snowball's French stemmer (libstemmer): « hôpitaux », « hôpital » → « hôpital ».
///
/// The one Swift type that calls libstemmer. A Snowball stemmer writes its result into a
/// buffer it owns, so one stemmer serves one caller at a time: calls go through a mutex,
/// which also guards the cache of words already stemmed (a corpus repeats its words).
public final class FrenchStemmer: Sendable {
    private struct State {
        let handle: OpaquePointer
        var cache: [String: String] = [:]
    }

    private let state: Mutex<State>

    /// The stemmer shared by a process; building one costs an allocation, using it a lock.
    public static let shared = FrenchStemmer()

    public init() {
        // libstemmer returns NULL only for an unknown algorithm or encoding (both fixed here)
        // or when out of memory: neither is something a caller could handle.
        guard let handle = sb_stemmer_new("french", "UTF_8") else { fatalError("libstemmer has no French stemmer for UTF-8") }
        state = Mutex(State(handle: handle))
    }

    deinit {
        state.withLock { sb_stemmer_delete($0.handle) }
    }

    /// The stem of one lowercase word (Snowball expects lowercase input).
    public func stem(_ word: String) -> String {
        state.withLock { state in
            if let known = state.cache[word] { return known }
            let bytes = Array(word.utf8)
            let stem: String
            if let result = sb_stemmer_stem(state.handle, bytes, Int32(bytes.count)) {
                let length = Int(sb_stemmer_length(state.handle))
                stem = String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
            } else {
                // Out of memory inside libstemmer: the word itself is the best stem left.
                stem = word
            }
            state.cache[word] = stem
            return stem
        }
    }
}
