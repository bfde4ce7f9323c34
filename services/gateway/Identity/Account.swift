public import Foundation

/// A staff role. A route names the roles it allows; nothing is allowed by default.
public enum StaffRole: String, CaseIterable, Codable, Sendable, Comparable {
    /// Manages staff accounts, reads the audit log; does everything staff do.
    case administrator
    /// Reviews contributions.
    case moderator
    /// Runs consultations, answers contributors, reads reports.
    case staff
    /// Reads results and reports.
    case analyst

    /// The French name shown in the back-office.
    public var label: String {
        switch self {
        case .administrator: "Administrateur ou administratrice"
        case .moderator: "Modération"
        case .staff: "Équipe (consultations, réponses)"
        case .analyst: "Analyse (résultats, rapports)"
        }
    }

    public static func < (lhs: StaffRole, rhs: StaffRole) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A person's account, as the gateway reads it (never with its password hash).
public struct Account: Sendable, Equatable {
    public var id: UUID
    public var email: String
    public var displayName: String?
    public var postcode: String?
    public var commune: String?
    public var departement: String?
    public var ageBand: String?
    public var occupation: String?
    public var demographicsConsentAt: Date?
    public var roles: Set<StaffRole>
    public var emailConfirmedAt: Date?
    public var disabledAt: Date?
    public var createdAt: Date

    /// Staff accounts hold at least one role; citizens none.
    public var isStaff: Bool { !roles.isEmpty }
    /// Only a confirmed address may contribute.
    public var isConfirmed: Bool { emailConfirmedAt != nil }

    /// The name others may read on public pages: the display name, or nil when the account
    /// chose none (then pages show a neutral name). Never taken from the address, which is
    /// personal data.
    public var publicName: String? {
        guard let name = displayName?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty else { return nil }
        return name
    }

    /// The name shown to the account itself and to staff: the display name, or the part of
    /// the address before `@`. Not for public pages (see `publicName`).
    public var shownName: String {
        if let displayName, !displayName.isEmpty { return displayName }
        return String(email.prefix { $0 != "@" })
    }
}

/// Age bands offered for survey breakdowns (only kept with consent).
public enum AgeBand: String, CaseIterable, Sendable {
    case under18 = "moins-de-18"
    case from18to24 = "18-24"
    case from25to34 = "25-34"
    case from35to49 = "35-49"
    case from50to64 = "50-64"
    case from65 = "65-et-plus"

    public var label: String {
        switch self {
        case .under18: "Moins de 18 ans"
        case .from18to24: "18 à 24 ans"
        case .from25to34: "25 à 34 ans"
        case .from35to49: "35 à 49 ans"
        case .from50to64: "50 à 64 ans"
        case .from65: "65 ans et plus"
        }
    }
}

/// Occupations offered for survey breakdowns (only kept with consent).
public enum Occupation: String, CaseIterable, Sendable {
    case student = "etudiant"
    case employed = "en-emploi"
    case selfEmployed = "independant"
    case jobSeeker = "demandeur-emploi"
    case retired = "retraite"
    case other = "autre"

    public var label: String {
        switch self {
        case .student: "Élève ou étudiant·e"
        case .employed: "Salarié·e"
        case .selfEmployed: "Indépendant·e, chef·fe d'entreprise"
        case .jobSeeker: "En recherche d'emploi"
        case .retired: "Retraité·e"
        case .other: "Autre situation"
        }
    }
}
