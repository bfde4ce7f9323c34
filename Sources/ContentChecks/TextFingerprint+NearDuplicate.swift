extension TextFingerprint {
    /// Texts with fewer shingles than this (fewer than 5 words) are not compared: short
    /// answers such as "Je suis d'accord" are legitimately repeated.
    public static let minimumShinglesForNearDuplicate = 3

    /// The near-duplicate finding for this text against earlier items (typically the
    /// candidates sharing a band key): the most similar one at or above `threshold`, or nil.
    public func nearDuplicateFinding<Reference: CustomStringConvertible>(
        among earlier: some Sequence<(reference: Reference, fingerprint: TextFingerprint)>,
        threshold: Double = 0.6
    ) -> ContentFinding? {
        guard shingleCount >= Self.minimumShinglesForNearDuplicate else { return nil }
        var best: (reference: Reference, similarity: Double)?
        for item in earlier where item.fingerprint.shingleCount >= Self.minimumShinglesForNearDuplicate {
            let similarity = similarity(to: item.fingerprint)
            if similarity >= threshold, similarity > best?.similarity ?? -1 {
                best = (item.reference, similarity)
            }
        }
        guard let best else { return nil }
        return ContentFinding(
            rule: .nearDuplicate,
            score: Int((best.similarity * 100).rounded()),
            reason: "Texte quasi identique à un élément antérieur (\(best.reference), similarité \(French.percent(best.similarity))).",
            excerpt: best.reference.description
        )
    }
}
