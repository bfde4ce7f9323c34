import ContentChecks
import Testing

@Suite struct ContentFindingTests {
    @Test func scoreIsClamped() {
        #expect(ContentFinding(rule: "x", score: 140, reason: "r").score == 100)
        #expect(ContentFinding(rule: "x", score: -3, reason: "r").score == 0)
    }
}
