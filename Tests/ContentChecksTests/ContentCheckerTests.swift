import ContentChecks
import Foundation
import Testing

@Suite struct ContentCheckerTests {
    @Test(arguments: [
        """
        Bonjour, je prends le TER tous les jours entre Abbeville et Amiens. Depuis la rentrée, le train de 7 h 05 \
        est supprimé une fois sur trois. Pourrait-on rétablir une desserte fiable, au moins aux heures où les \
        lycéens et les salariés en ont besoin ? Merci au CESER de porter cette demande auprès de la Région.
        """,
        """
        Le lycée Félix-Faure de Beauvais manque de places à l'internat ; plusieurs familles du Vexin doivent \
        loger leurs enfants chez des proches. La construction d'un bâtiment supplémentaire, évoquée lors de la \
        concertation de 2023, devrait être inscrite au budget.
        """,
        """
        Sur la métropole lilloise, les pistes cyclables s'arrêtent net aux limites des communes. Une continuité \
        entre Roubaix, Tourcoing et Villeneuve-d'Ascq serait un vrai progrès pour l'économie locale et la santé.
        """,
    ])
    func ordinaryContributionsHaveNoFindings(text: String) {
        #expect(checker.check(text) == [])
    }

    @Test func findingsComeHighestScoreFirst() {
        // act
        let findings = checker.check("CE CONNARD DE CONTRÔLEUR M'A MIS UNE AMENDE, APPELEZ-MOI AU 06 12 34 56 78 !!!! VITE !!!!")

        // check
        #expect(findings.map(\.rule) == [.phone, .insult, .shouting, .excessivePunctuation])
        #expect(findings.map(\.score) == findings.map(\.score).sorted(by: >))
    }

    @Test func emptyTextHasNoFindings() {
        #expect(checker.check("") == [])
        #expect(checker.check(" \n\t ") == [])
    }

    @Test func ruleIdentifiersAreStable() {
        // These strings are stored by the moderation worker and used in its policy.
        #expect(
            ContentFinding.Rule.allCases.map(\.rawValue) == [
                "personal_data.email", "personal_data.phone", "personal_data.address", "personal_data.social_security", "insult",
                "hate_speech", "threat", "link_spam", "shouting", "shouting.punctuation", "near_duplicate",
            ])
    }

    @Test func findingIsStoredWithItsRuleIdentifier() throws {
        // setup
        let finding = ContentFinding(rule: .phone, score: 80, reason: "Contient un numéro de téléphone (06 •• •• •• 78).", excerpt: "06 •• •• •• 78")

        // act
        let json = try #require(String(data: JSONEncoder().encode(finding), encoding: .utf8))
        let decoded = try JSONDecoder().decode(ContentFinding.self, from: Data(json.utf8))

        // check
        #expect(json.contains(#""rule":"personal_data.phone""#))
        #expect(decoded == finding)
    }

    @Test func scoreIsKeptBetweenZeroAndHundred() {
        #expect(ContentFinding(rule: .insult, score: 140, reason: "r").score == 100)
        #expect(ContentFinding(rule: .insult, score: -3, reason: "r").score == 0)
    }

    @Test func checkerIsUsableFromConcurrentTasks() async {
        // The worker shares one checker between its consumers.
        let scores = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { checker.finding(.insult, in: "Quel connard !")?.score ?? 0 }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(scores == Array(repeating: 60, count: 8))
    }
}
