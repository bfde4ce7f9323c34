import Foundation
import Identity
import ServiceKit

// What the back-office account templates (`admin-users`, `admin-user-new`, `admin-user`,
// `role-choices`, `admin-audit`, `admin-tokens`) show.

/// One account as the list of accounts and the account's own page show it.
struct AccountRow {
    let id: String
    let email: String
    let name: String
    /// The roles in words, « Citoyen·ne » without any.
    let roles: String
    let confirmed: Bool
    let disabled: Bool
    let createdAt: String

    init(_ account: Account) {
        id = account.id.uuidString.lowercased()
        email = account.email
        name = account.displayName ?? ""
        roles = account.roles.isEmpty ? "Citoyen·ne" : account.roles.sorted().map(\.label).joined(separator: ", ")
        confirmed = account.isConfirmed
        disabled = account.disabledAt != nil
        createdAt = FrenchDate.dateTime(account.createdAt)
    }
}

/// `/admin/utilisateurs`: the search form as sent, one page of accounts and the links to the others.
struct AccountListPage {
    let search: String?
    let staffOnly: Bool
    let accounts: [AccountRow]
    let empty: Bool
    /// Query strings (`?…`) of the next and previous pages.
    let next: String?
    let previous: String?
}

/// `/admin/utilisateurs/nouveau`: the new staff member's address, name and roles.
struct NewStaffPage {
    let errors: ErrorSummary?
    let email: FormField
    let displayName: FormField
    let roleChoices: [Choice]
    let rolesError: String?
}

/// `/admin/utilisateurs/{id}`: an account, its roles and whether it may sign in.
struct StaffAccountPage {
    let account: AccountRow
    let roleChoices: [Choice]
    /// The administrator's own account, whose last administrator role and access they cannot remove.
    let isSelf: Bool
    let rolesError: String?
    let errors: ErrorSummary?
}

/// `/admin/journal`: one page of the audit log, newest first.
struct AuditLogPage {
    struct Entry {
        let at: String
        let isoAt: String
        let actor: String
        let action: String
        let object: String
        let details: String
        /// The service that recorded it, in the transaction of the action.
        let recordedBy: String

        init(_ entry: AuditEntry) {
            at = FrenchDate.dateTime(entry.occurredAt)
            isoAt = entry.occurredAt.ISO8601Format()
            actor = entry.actor
            action = entry.action
            object = [entry.objectType, entry.objectID].compactMap { $0 }.joined(separator: " ")
            details = entry.details.sorted { $0.key < $1.key }.map { "\($0.key) : \($0.value)" }.joined(separator: " ; ")
            recordedBy = entry.recordedBy
        }
    }

    let entries: [Entry]
    let empty: Bool
    /// The query string (`?avant=…`) of the older entries.
    let next: String?
}

/// `/admin/jetons`: the staff member's API tokens, the form for a new one, and a new token once.
struct APITokensPage {
    struct Token {
        let id: String
        let label: String
        let createdAt: String
        let expiresAt: String
        let lastUsedAt: String
        /// Neither revoked nor expired, so it may still be revoked.
        let active: Bool

        init(_ token: APITokenSummary, now: Date) {
            id = token.id.uuidString.lowercased()
            label = token.label
            createdAt = FrenchDate.dateTime(token.createdAt)
            expiresAt = FrenchDate.dateTime(token.expiresAt)
            lastUsedAt = token.lastUsedAt.map(FrenchDate.dateTime) ?? "jamais"
            active = token.revokedAt == nil && token.expiresAt > now
        }
    }

    /// The token just issued, shown on this page only.
    let newToken: String?
    let errors: ErrorSummary?
    /// The new token's name field.
    let label: FormField
    let lifetimeDays: Int
    let tokens: [Token]
    let empty: Bool
}
