import DialogueContracts
import Foundation

/// Petitions read recently, so a peak of visits to a viral petition does not reach the
/// petitions service: each entry lives `petitionCacheTTL`, and requests that miss together
/// share one read. Past it, an entry is still answered for `petitionCacheStaleLimit` while
/// one read refreshes it, so a petitions service that is restarting or frozen does not turn
/// a viral petition's page and signatures into 503s (the service re-checks every signature).
struct PetitionCaches: Sendable {
    /// Lists (`/petitions`, its filters and pages).
    let lists: ShortLivedCache<String, PetitionList>
    /// A petition as signing and the API read it.
    let views: ShortLivedCache<UUID, PetitionView>
    /// A petition's public page.
    let details: ShortLivedCache<UUID, PetitionDetail>

    init(timeToLive: Duration, staleLimit: Duration) {
        lists = ShortLivedCache(timeToLive: timeToLive, serveStaleFor: staleLimit, capacity: 1_000)
        views = ShortLivedCache(timeToLive: timeToLive, serveStaleFor: staleLimit)
        details = ShortLivedCache(timeToLive: timeToLive, serveStaleFor: staleLimit)
    }
}
