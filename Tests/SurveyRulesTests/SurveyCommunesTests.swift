import DialogueContracts
import Foundation
import SurveyRules
import Testing

/// The official list of communes shipped with the project (INSEE COG 2026), and how a typed
/// code or name is matched to a commune of Hauts-de-France.
@Suite struct SurveyCommunesTests {
    @Test func theListHoldsEveryCommuneOfTheFiveDepartements() {
        // Counts of the COG 2026 per département, as INSEE publishes them.
        let expected = ["02": 797, "59": 647, "60": 680, "62": 887, "80": 771]
        for (departement, count) in expected {
            #expect(SurveyCommunes.communes(in: departement).count == count, "département \(departement)")
        }
        #expect(SurveyCommunes.all.count == 3_782)
        #expect(Set(SurveyCommunes.all.map(\.code)).count == SurveyCommunes.all.count)
        #expect(SurveyCommunes.all.allSatisfy { expected[$0.departement] != nil && $0.code.count == 5 && !$0.name.isEmpty })
        #expect(SurveyCommunes.communes(in: "75").isEmpty)
        #expect(SurveyCommunes.sourceYear == 2026)
    }

    @Test func aCommuneIsFoundByCodeOrByNameWhateverItsSpelling() {
        #expect(SurveyCommunes.commune("80021")?.name == "Amiens")
        #expect(SurveyCommunes.match("80021") == .commune(SurveyCommunes.Commune(code: "80021", name: "Amiens")))
        #expect(SurveyCommunes.match(" amiens ") == SurveyCommunes.match("80021"))
        #expect(SurveyCommunes.match("saint quentin") == .commune(SurveyCommunes.Commune(code: "02691", name: "Saint-Quentin")))
        #expect(SurveyCommunes.match("VILLENEUVE D ASCQ").code == "59009")
        #expect(SurveyCommunes.match("Villeneuve-d'Ascq (59)").code == "59009")
        // « Le Quesnoy » keeps its article; « Béthune » its accent, optional when typed.
        #expect(SurveyCommunes.match("le quesnoy").code == "59481")
        #expect(SurveyCommunes.match("bethune").code == "62119")
        // Abbécourt (Aisne) and Abbecourt (Oise) differ by an accent only: the département decides.
        #expect(SurveyCommunes.match("Abbécourt (02)").code == "02001")
        #expect(SurveyCommunes.match("Abbecourt (60)").code == "60002")
    }

    @Test func aNameOfSeveralDepartementsAsksForOneAndAnUnknownOneIsRefused() {
        // Bailleul is a commune of the Nord and of the Somme.
        guard case .ambiguous(let communes) = SurveyCommunes.match("Bailleul") else {
            Issue.record("Bailleul names communes of several départements")
            return
        }
        #expect(Set(communes.map(\.departement)).count == communes.count && communes.count >= 2)
        #expect(SurveyCommunes.match("Bailleul (59)").code?.hasPrefix("59") == true)
        #expect(SurveyCommunes.match("Paris") == .unknown)
        #expect(SurveyCommunes.match("75056") == .unknown)
        #expect(SurveyCommunes.match("59999") == .unknown)
        #expect(SurveyCommunes.match("Amiens (59)") == .unknown)
    }

    @Test func aCommuneAnswerIsCheckedAgainstTheList() {
        #expect(SurveyPlaces.isKnown("62041", level: .commune))
        // A well-formed code of the region that names no commune.
        #expect(!SurveyPlaces.isKnown("59999", level: .commune))
        let question = SurveyQuestion(id: "commune", prompt: "Votre commune", kind: .place(.commune))
        let definition = Fixture.survey([question])
        #expect(SurveyAnswerCheck.review(["commune": .place("62041")], to: definition, hiddenAnswers: .refuse).problems.isEmpty)
        let refused = SurveyAnswerCheck.review(["commune": .place("59999")], to: definition, hiddenAnswers: .refuse).problems
        #expect(refused.first?.message.contains("« 59999 » n'est pas une commune des Hauts-de-France") == true)
    }
}

extension SurveyCommunes.Match {
    /// The code of the commune matched, if exactly one.
    var code: String? {
        if case .commune(let commune) = self { return commune.code }
        return nil
    }
}
