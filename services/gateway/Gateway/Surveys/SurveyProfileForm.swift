import DialogueContracts
import Foundation
import Identity

/// The four profile questions asked once with a response, their purpose stated; each may be
/// left unanswered. The answer is kept with the response as given that day.
struct SurveyProfileForm {
    struct Question {
        let name: String
        let label: String
        let choices: [Choice]
    }

    let purpose: String
    let questions: [Question]

    static let fieldNames = (departement: "profil-departement", ageBand: "profil-age", occupation: "profil-situation", association: "profil-association")

    init(_ profile: SurveyProfile) {
        purpose = "Ces quatre questions sont facultatives. Elles permettent de voir si les avis diffèrent selon le territoire, l'âge ou la situation ; elles sont gardées avec vos réponses telles que vous les donnez aujourd'hui, et ne sont jamais publiées une par une."
        func choices<Value: RawRepresentable<String> & CaseIterable>(_ all: Value.AllCases, _ chosen: Value?, _ label: (Value) -> String) -> [Choice] {
            [Choice(value: "", label: "Je préfère ne pas répondre", selected: chosen == nil)]
                + all.map { Choice(value: $0.rawValue, label: label($0), selected: $0.rawValue == chosen?.rawValue) }
        }
        questions = [
            Question(name: Self.fieldNames.departement, label: "Où habitez-vous ?", choices: choices(SurveyDepartement.allCases, profile.departement, Self.label)),
            Question(name: Self.fieldNames.ageBand, label: "Votre âge", choices: choices(SurveyAgeBand.allCases, profile.ageBand, Self.label)),
            Question(name: Self.fieldNames.occupation, label: "Votre situation", choices: choices(SurveyOccupation.allCases, profile.occupation, Self.label)),
            Question(
                name: Self.fieldNames.association, label: "Êtes-vous membre d'une association ?",
                choices: choices(SurveyAssociationMembership.allCases, profile.association, Self.label)
            ),
        ]
    }

    /// The profile chosen in the form (an unknown value counts as not said).
    static func profile(from form: FormFields) -> SurveyProfile {
        SurveyProfile(
            departement: form[fieldNames.departement].flatMap(SurveyDepartement.init(rawValue:)),
            ageBand: form[fieldNames.ageBand].flatMap(SurveyAgeBand.init(rawValue:)),
            occupation: form[fieldNames.occupation].flatMap(SurveyOccupation.init(rawValue:)),
            association: form[fieldNames.association].flatMap(SurveyAssociationMembership.init(rawValue:))
        )
    }

    /// What a signed-in citizen's account already says (its optional profile), to start from.
    static func profile(of account: Account) -> SurveyProfile {
        let ageBand: SurveyAgeBand? = switch account.ageBand.flatMap(AgeBand.init(rawValue:)) {
        case .under18: .under18
        case .from18to24: .from18To24
        case .from25to34: .from25To34
        case .from35to49: .from35To49
        case .from50to64: .from50To64
        case .from65: .from65
        case nil: nil
        }
        let occupation: SurveyOccupation? = switch account.occupation.flatMap(Occupation.init(rawValue:)) {
        case .student: .student
        case .employed: .employed
        case .selfEmployed: .selfEmployed
        case .jobSeeker: .jobSeeker
        case .retired: .retired
        case .other: .other
        case nil: nil
        }
        return SurveyProfile(departement: account.departement.flatMap(SurveyDepartement.init(rawValue:)), ageBand: ageBand, occupation: occupation)
    }

    static func label(_ departement: SurveyDepartement) -> String {
        Region.departements[departement.rawValue].map { "\($0) (\(departement.rawValue))" } ?? "Hors des Hauts-de-France"
    }

    static func label(_ band: SurveyAgeBand) -> String {
        switch band {
        case .under18: AgeBand.under18.label
        case .from18To24: AgeBand.from18to24.label
        case .from25To34: AgeBand.from25to34.label
        case .from35To49: AgeBand.from35to49.label
        case .from50To64: AgeBand.from50to64.label
        case .from65: AgeBand.from65.label
        }
    }

    static func label(_ occupation: SurveyOccupation) -> String {
        switch occupation {
        case .student: Occupation.student.label
        case .employed: Occupation.employed.label
        case .selfEmployed: Occupation.selfEmployed.label
        case .jobSeeker: Occupation.jobSeeker.label
        case .retired: Occupation.retired.label
        case .other: Occupation.other.label
        }
    }

    static func label(_ membership: SurveyAssociationMembership) -> String {
        switch membership {
        case .member: "Oui"
        case .notMember: "Non"
        }
    }
}
