import DialogueContracts
import Foundation

/// Petitions read recently, so a peak of visits to a viral petition does not reach the
/// petitions service: each entry lives `petitionCacheTTL`, and requests that miss together
/// share one read.
struct PetitionCaches: Sendable {
    /// Lists (`/petitions`, its filters and pages).
    let lists: ShortLivedCache<String, PetitionList>
    /// A petition as signing and the API read it.
    let views: ShortLivedCache<UUID, PetitionView>
    /// A petition's public page.
    let details: ShortLivedCache<UUID, PetitionDetail>

    init(timeToLive: Duration) {
        lists = ShortLivedCache(timeToLive: timeToLive, capacity: 1_000)
        views = ShortLivedCache(timeToLive: timeToLive)
        details = ShortLivedCache(timeToLive: timeToLive)
    }
}
