public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import Storage

/// Why an account operation was refused.
public enum AccountError: Error, Equatable, Sendable {
    /// An account already uses this address (after normalisation). For a citizen's
    /// registration, its owner has been told by mail, and the page answers as for a success.
    case emailTaken
    case notFound
    /// The link was unknown, already used, or expired.
    case invalidToken
}

/// The row of an account needed to sign in.
public struct SignInRecord: Sendable {
    public var account: Account
    public var passwordHash: String?
}

/// Reads and writes accounts and their single-use tokens in schema `identity`.
public struct AccountStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// How long the links mailed to a person stay valid.
    public static let confirmationLifetime: Duration = .seconds(48 * 3600)
    public static let resetLifetime: Duration = .seconds(3600)
    /// A new staff member sets their password through a reset link that waits longer.
    public static let invitationLifetime: Duration = .seconds(72 * 3600)

    static let columns = """
        id, email, display_name, postcode, commune, departement, age_band, occupation, demographics_consent_at, \
        roles, email_confirmed_at, disabled_at, created_at
        """

    typealias Row = (UUID, String?, String?, String?, String?, String?, String?, String?, Date?, [String], Date?, Date?, Date)

    static func account(_ row: Row) -> Account {
        Account(
            id: row.0, email: row.1 ?? "", displayName: row.2, postcode: row.3, commune: row.4, departement: row.5,
            ageBand: row.6, occupation: row.7, demographicsConsentAt: row.8,
            roles: Set(row.9.compactMap(StaffRole.init(rawValue:))), emailConfirmedAt: row.10, disabledAt: row.11, createdAt: row.12
        )
    }

    // MARK: Creating accounts

    /// Creates a citizen account (unconfirmed) and queues the mail with its confirmation link.
    ///
    /// When an account has the address already (whatever its spelling), nothing is created:
    /// its owner is told by mail that someone tried (`account.registration_attempted`), and
    /// this throws `emailTaken` for the caller to answer exactly as for a success.
    public func registerCitizen(
        email: String, passwordHash: String, displayName: String?, postcode: String?, commune: String?, links: LinkBuilder
    ) async throws -> Account {
        let id = UUID()
        let departement = postcode.flatMap(Region.departement(ofPostcode:))
        let created: Account? = try await client.transaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO accounts (id, email, email_normalized, password_hash, display_name, postcode, commune, departement)
                VALUES (\(id), \(email), \(EmailAddress.normalized(email)), \(passwordHash), \(displayName), \(postcode), \(commune), \(departement))
                ON CONFLICT (email_normalized) DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let account = try await Self.first(inserted) else {
                try await tellOwnerOfAttempt(email: email, on: connection)
                return nil
            }
            try await issueConfirmation(for: account, links: links, on: connection)
            try await announce(account, on: connection)
            return account
        }
        guard let created else { throw AccountError.emailTaken }
        return created
    }

    /// Queues the mail telling an address's owner that someone tried to register it (not for
    /// a disabled account: its owner is not to be mailed).
    private func tellOwnerOfAttempt(email: String, on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT id, email FROM accounts
            WHERE email_normalized = \(EmailAddress.normalized(email)) AND erased_at IS NULL AND disabled_at IS NULL
            """,
            logger: logger
        )
        var owners: [(UUID, String)] = []
        for try await owner in rows.decode((UUID, String).self) { owners.append(owner) }
        for (id, ownEmail) in owners {
            try await Outbox.enqueue(AccountRegistrationAttempted(accountID: id, email: ownEmail, attemptedAt: Date()), on: connection, logger: logger)
        }
    }

    /// Creates a staff account with no password; the mailed invitation link lets them choose one.
    public func createStaff(email: String, displayName: String?, roles: Set<StaffRole>, links: LinkBuilder, by actor: Account?) async throws -> Account {
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let inserted = try await connection.query(
                """
                INSERT INTO accounts (id, email, email_normalized, display_name, roles)
                VALUES (\(id), \(email), \(EmailAddress.normalized(email)), \(displayName), \(roles.map(\.rawValue).sorted()))
                ON CONFLICT (email_normalized) DO NOTHING
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let account = try await Self.first(inserted) else { throw AccountError.emailTaken }
            try await issueReset(for: account, lifetime: Self.invitationLifetime, links: links, on: connection)
            try await announce(account, on: connection)
            try await AuditLog.record(
                actor: actor, action: "staff.created", objectType: "account", objectID: account.id.uuidString.lowercased(),
                details: ["email": email, "roles": roles.map(\.rawValue).sorted().joined(separator: ",")], on: connection, logger: logger
            )
            return account
        }
    }

    /// Creates (or gives a password and roles to) a staff account directly, for `dialoguectl`.
    public func upsertStaff(email: String, displayName: String?, roles: Set<StaffRole>, passwordHash: String) async throws -> Account {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO accounts (id, email, email_normalized, display_name, roles, password_hash, email_confirmed_at)
                VALUES (\(UUID()), \(email), \(EmailAddress.normalized(email)), \(displayName), \(roles.map(\.rawValue).sorted()), \(passwordHash), now())
                ON CONFLICT (email_normalized) DO UPDATE
                SET roles = EXCLUDED.roles, password_hash = EXCLUDED.password_hash,
                    display_name = coalesce(EXCLUDED.display_name, accounts.display_name),
                    email_confirmed_at = coalesce(accounts.email_confirmed_at, now()),
                    disabled_at = NULL
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            )
            guard let account = try await Self.first(rows) else { throw AccountError.notFound }
            try await announce(account, on: connection)
            try await AuditLog.record(
                actor: nil, action: "staff.provisioned", objectType: "account", objectID: account.id.uuidString.lowercased(),
                details: ["email": email, "roles": roles.map(\.rawValue).sorted().joined(separator: ",")], on: connection, logger: logger
            )
            return account
        }
    }

    // MARK: Reading

    public func account(id: UUID) async throws -> Account? {
        try await Self.first(try await client.query(
            "SELECT \(unescaped: Self.columns) FROM accounts WHERE id = \(id) AND erased_at IS NULL", logger: logger
        ))
    }

    public func signInRecord(email: String) async throws -> SignInRecord? {
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns), password_hash FROM accounts
            WHERE email_normalized = \(EmailAddress.normalized(email)) AND erased_at IS NULL
            """,
            logger: logger
        )
        typealias Full = (UUID, String?, String?, String?, String?, String?, String?, String?, Date?, [String], Date?, Date?, Date, String?)
        for try await row in rows.decode(Full.self) {
            let account = Self.account((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8, row.9, row.10, row.11, row.12))
            return SignInRecord(account: account, passwordHash: row.13)
        }
        return nil
    }

    public func passwordHash(of id: UUID) async throws -> String? {
        let rows = try await client.query("SELECT password_hash FROM accounts WHERE id = \(id) AND erased_at IS NULL", logger: logger)
        for try await (hash,) in rows.decode((String?,).self) { return hash }
        return nil
    }

    /// Staff accounts first, then citizens, newest first; `search` matches address or name.
    public func list(search: String?, staffOnly: Bool, offset: Int, limit: Int) async throws -> [Account] {
        let pattern = search.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%" }
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM accounts
            WHERE erased_at IS NULL
              AND (\(staffOnly) = false OR cardinality(roles) > 0)
              AND (\(pattern)::text IS NULL OR email ILIKE \(pattern) OR display_name ILIKE \(pattern))
            ORDER BY cardinality(roles) > 0 DESC, created_at DESC, id
            OFFSET \(offset) LIMIT \(limit)
            """,
            logger: logger
        )
        var accounts: [Account] = []
        for try await row in rows.decode(Row.self) { accounts.append(Self.account(row)) }
        return accounts
    }

    // MARK: Single-use links

    /// Queues a new confirmation mail (for a citizen who lost the first).
    public func resendConfirmation(for account: Account, links: LinkBuilder) async throws {
        try await client.transaction(logger: logger) { connection in
            try await issueConfirmation(for: account, links: links, on: connection)
        }
    }

    /// Queues a reset mail for the account of `email`, if there is one. The caller answers the
    /// same either way, so the form does not tell who has an account.
    public func requestPasswordReset(email: String, links: LinkBuilder) async throws {
        guard let record = try await signInRecord(email: email), record.account.disabledAt == nil else { return }
        try await client.transaction(logger: logger) { connection in
            try await issueReset(for: record.account, lifetime: Self.resetLifetime, links: links, on: connection)
        }
    }

    /// Whether a link's token is still usable, without using it (the page shown on GET).
    public func tokenIsUsable(_ token: String, purpose: TokenPurpose) async throws -> Bool {
        let rows = try await client.query(
            """
            SELECT 1 FROM account_tokens
            WHERE token_hash = \(SecretToken.hash(token)) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND expires_at > now()
            """,
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }

    /// Uses a confirmation link: the address is confirmed, and every session of the account
    /// ends but the one confirming (when it is the account's own): whoever registered the
    /// address before its owner and stayed signed in loses the account the owner confirms.
    /// Throws `invalidToken` for an unknown, used or expired link.
    public func confirmEmail(token: String, keepingSession sessionToken: String? = nil) async throws -> Account {
        try await client.transaction(logger: logger) { connection in
            let id = try await consume(token, purpose: .emailConfirmation, on: connection)
            let keep = sessionToken.map(SecretToken.hash) ?? ByteBuffer()
            try await connection.query("DELETE FROM sessions WHERE account_id = \(id) AND token_hash <> \(keep)", logger: logger)
            let account = try await Self.required(try await connection.query(
                """
                UPDATE accounts SET email_confirmed_at = coalesce(email_confirmed_at, now()) WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
            try await announce(account, on: connection)
            return account
        }
    }

    /// Uses a reset link: the new password replaces the old one, and every session, API token
    /// and other pending reset link of the account ends. Receiving the link
    /// proves the address, so it also counts as confirmed.
    public func resetPassword(token: String, newHash: String) async throws -> Account {
        try await client.transaction(logger: logger) { connection in
            let id = try await consume(token, purpose: .passwordReset, on: connection)
            try await connection.query("DELETE FROM sessions WHERE account_id = \(id)", logger: logger)
            try await APITokenStore.revokeAll(of: id, on: connection, logger: logger)
            try await connection.query(
                "UPDATE account_tokens SET used_at = now() WHERE account_id = \(id) AND purpose = 'password_reset' AND used_at IS NULL",
                logger: logger
            )
            let account = try await Self.required(try await connection.query(
                """
                UPDATE accounts SET password_hash = \(newHash),
                    email_confirmed_at = coalesce(email_confirmed_at, now())
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
            try await announce(account, on: connection)
            return account
        }
    }

    /// Replaces the password of a signed-in person; their other sessions and their API tokens
    /// end (a new password is what one chooses after fearing that someone else got in).
    public func changePassword(of id: UUID, newHash: String, keepingSession sessionToken: String?) async throws {
        try await client.transaction(logger: logger) { connection in
            try await connection.query("UPDATE accounts SET password_hash = \(newHash) WHERE id = \(id)", logger: logger)
            let keep = sessionToken.map(SecretToken.hash) ?? ByteBuffer()
            try await connection.query("DELETE FROM sessions WHERE account_id = \(id) AND token_hash <> \(keep)", logger: logger)
            try await APITokenStore.revokeAll(of: id, on: connection, logger: logger)
        }
    }

    // MARK: Profile

    /// The optional facts a citizen may give; age band and occupation only with consent.
    public struct Profile: Sendable {
        public var displayName: String?
        public var postcode: String?
        public var commune: String?
        public var ageBand: AgeBand?
        public var occupation: Occupation?
        public var demographicsConsent: Bool

        public init(
            displayName: String?, postcode: String?, commune: String?, ageBand: AgeBand?, occupation: Occupation?, demographicsConsent: Bool
        ) {
            self.displayName = displayName
            self.postcode = postcode
            self.commune = commune
            self.ageBand = ageBand
            self.occupation = occupation
            self.demographicsConsent = demographicsConsent
        }
    }

    public func updateProfile(of id: UUID, _ profile: Profile) async throws -> Account {
        let departement = profile.postcode.flatMap(Region.departement(ofPostcode:))
        let consent = profile.demographicsConsent
        return try await client.transaction(logger: logger) { connection in
            let account = try await Self.required(try await connection.query(
                """
                UPDATE accounts SET display_name = \(profile.displayName), postcode = \(profile.postcode), commune = \(profile.commune),
                    departement = \(departement),
                    age_band = CASE WHEN \(consent) THEN \(profile.ageBand?.rawValue) END,
                    occupation = CASE WHEN \(consent) THEN \(profile.occupation?.rawValue) END,
                    demographics_consent_at = CASE WHEN \(consent) THEN coalesce(demographics_consent_at, now()) END
                WHERE id = \(id) AND erased_at IS NULL
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
            try await announce(account, on: connection)
            return account
        }
    }

    // MARK: Staff administration

    public func setRoles(of id: UUID, to roles: Set<StaffRole>, by actor: Account) async throws -> Account {
        try await client.transaction(logger: logger) { connection in
            let before = try await Self.required(try await connection.query(
                "SELECT \(unescaped: Self.columns) FROM accounts WHERE id = \(id) AND erased_at IS NULL FOR UPDATE", logger: logger
            ))
            let after = try await Self.required(try await connection.query(
                "UPDATE accounts SET roles = \(roles.map(\.rawValue).sorted()) WHERE id = \(id) RETURNING \(unescaped: Self.columns)",
                logger: logger
            ))
            try await announce(after, on: connection)
            try await AuditLog.record(
                actor: actor, action: "staff.roles_changed", objectType: "account", objectID: id.uuidString.lowercased(),
                details: ["before": before.roles.map(\.rawValue).sorted().joined(separator: ","), "after": roles.map(\.rawValue).sorted().joined(separator: ",")],
                on: connection, logger: logger
            )
            return after
        }
    }

    /// Disables (or enables again) an account: a disabled account cannot sign in and its sessions end.
    public func setDisabled(_ id: UUID, _ disabled: Bool, by actor: Account) async throws -> Account {
        try await client.transaction(logger: logger) { connection in
            let account = try await Self.required(try await connection.query(
                """
                UPDATE accounts SET disabled_at = CASE WHEN \(disabled) THEN coalesce(disabled_at, now()) END
                WHERE id = \(id) AND erased_at IS NULL RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ))
            try await announce(account, on: connection)
            if disabled {
                try await connection.query("DELETE FROM sessions WHERE account_id = \(id)", logger: logger)
                try await APITokenStore.revokeAll(of: id, on: connection, logger: logger)
            }
            try await AuditLog.record(
                actor: actor, action: disabled ? "account.disabled" : "account.enabled", objectType: "account",
                objectID: id.uuidString.lowercased(), details: [:], on: connection, logger: logger
            )
            return account
        }
    }

    // MARK: Personal data

    /// Everything the identity schema holds about a person, for the download of their data.
    public func export(_ id: UUID) async throws -> PersonalDataExport? {
        guard let account = try await account(id: id) else { return nil }
        var sessions: [PersonalDataExport.Session] = []
        let rows = try await client.query(
            "SELECT created_at, last_seen_at, expires_at FROM sessions WHERE account_id = \(id) ORDER BY created_at", logger: logger
        )
        for try await (created, seen, expires) in rows.decode((Date, Date, Date).self) {
            sessions.append(.init(createdAt: created, lastSeenAt: seen, expiresAt: expires))
        }
        var tokens: [PersonalDataExport.APIToken] = []
        let tokenRows = try await client.query(
            "SELECT label, scope, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE account_id = \(id) ORDER BY created_at",
            logger: logger
        )
        for try await row in tokenRows.decode((String, String, Date, Date, Date?, Date?).self) {
            tokens.append(.init(label: row.0, scope: row.1, createdAt: row.2, expiresAt: row.3, lastUsedAt: row.4, revokedAt: row.5))
        }
        return PersonalDataExport(account: account, sessions: sessions, apiTokens: tokens, exportedAt: Date())
    }

    /// Deletes a person's personal data. The row stays, empty, for what other services
    /// keep under its id; they anonymise their part on the `account.erased` event queued here.
    public func erase(_ id: UUID) async throws {
        try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "SELECT email_normalized FROM accounts WHERE id = \(id) AND erased_at IS NULL FOR UPDATE", logger: logger
            )
            var emails: [String] = []
            for try await (email,) in rows.decode((String?,).self) { emails += email.map { [$0] } ?? [] }
            guard !emails.isEmpty else { throw AccountError.notFound }
            try await connection.query(
                """
                UPDATE accounts SET email = NULL, email_normalized = NULL, password_hash = NULL, display_name = NULL,
                    postcode = NULL, commune = NULL, departement = NULL, age_band = NULL, occupation = NULL,
                    demographics_consent_at = NULL, roles = '{}', erased_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await connection.query("DELETE FROM sessions WHERE account_id = \(id)", logger: logger)
            try await connection.query("DELETE FROM account_tokens WHERE account_id = \(id)", logger: logger)
            try await connection.query("DELETE FROM api_tokens WHERE account_id = \(id)", logger: logger)
            try await Outbox.enqueue(AccountErased(accountID: id, normalizedEmails: emails, erasedAt: Date()), on: connection, logger: logger)
        }
    }

    // MARK: Helpers

    /// Tells the services that keep a copy of the account's contact (the notification worker).
    private func announce(_ account: Account, on connection: PostgresConnection) async throws {
        try await Outbox.enqueue(
            AccountContactChanged(
                accountID: account.id, email: account.email, displayName: account.displayName, emailConfirmed: account.isConfirmed,
                disabled: account.disabledAt != nil, staffRoles: account.roles.map(\.rawValue).sorted(), changedAt: Date()
            ),
            on: connection, logger: logger
        )
    }

    private func issueConfirmation(for account: Account, links: LinkBuilder, on connection: PostgresConnection) async throws {
        let (token, expiresAt) = try await insertToken(for: account.id, purpose: .emailConfirmation, lifetime: Self.confirmationLifetime, on: connection)
        try await Outbox.enqueue(
            AccountEmailConfirmationRequested(
                accountID: account.id, email: account.email, displayName: account.displayName,
                confirmationURL: links.url(.emailConfirmation(token: token)), expiresAt: expiresAt
            ),
            on: connection, logger: logger
        )
    }

    private func issueReset(for account: Account, lifetime: Duration, links: LinkBuilder, on connection: PostgresConnection) async throws {
        let (token, expiresAt) = try await insertToken(for: account.id, purpose: .passwordReset, lifetime: lifetime, on: connection)
        try await Outbox.enqueue(
            AccountPasswordResetRequested(
                accountID: account.id, email: account.email, displayName: account.displayName,
                resetURL: links.url(.passwordReset(token: token)), expiresAt: expiresAt
            ),
            on: connection, logger: logger
        )
    }

    private func insertToken(for id: UUID, purpose: TokenPurpose, lifetime: Duration, on connection: PostgresConnection) async throws -> (String, Date) {
        let token = SecretToken.generate()
        let expiresAt = Date().addingTimeInterval(Double(lifetime.components.seconds))
        try await connection.query(
            """
            INSERT INTO account_tokens (token_hash, account_id, purpose, expires_at)
            VALUES (\(SecretToken.hash(token)), \(id), \(purpose.rawValue), \(expiresAt))
            """,
            logger: logger
        )
        return (token, expiresAt)
    }

    /// Marks a token used, atomically: of two concurrent uses, one wins.
    private func consume(_ token: String, purpose: TokenPurpose, on connection: PostgresConnection) async throws -> UUID {
        let rows = try await connection.query(
            """
            UPDATE account_tokens SET used_at = now()
            WHERE token_hash = \(SecretToken.hash(token)) AND purpose = \(purpose.rawValue) AND used_at IS NULL AND expires_at > now()
            RETURNING account_id
            """,
            logger: logger
        )
        for try await (id,) in rows.decode((UUID,).self) { return id }
        throw AccountError.invalidToken
    }

    static func first(_ rows: PostgresRowSequence) async throws -> Account? {
        for try await row in rows.decode(Row.self) { return account(row) }
        return nil
    }

    static func required(_ rows: PostgresRowSequence) async throws -> Account {
        guard let account = try await first(rows) else { throw AccountError.notFound }
        return account
    }
}

/// What a single-use token is for.
public enum TokenPurpose: String, Sendable {
    case emailConfirmation = "email_confirmation"
    case passwordReset = "password_reset"
}

/// Builds the absolute links mailed to people, from the platform's public address.
public struct LinkBuilder: Sendable {
    private let site: SiteAddress

    public init(baseURL: String) {
        self.site = SiteAddress(baseURL: baseURL)
    }

    public var baseURL: String { site.baseURL }

    /// The absolute link to a page of the site.
    public func url(_ path: SitePath) -> String { site.url(path) }
}

/// A person's data from the identity schema, as the JSON file they download.
public struct PersonalDataExport: Encodable, Sendable {
    struct Session: Encodable {
        let createdAt: Date
        let lastSeenAt: Date
        let expiresAt: Date
    }
    /// An API token as its owner knows it: never its secret nor its hash.
    struct APIToken: Encodable {
        let label: String
        let scope: String
        let createdAt: Date
        let expiresAt: Date
        let lastUsedAt: Date?
        let revokedAt: Date?
    }
    let account: Account
    let sessions: [Session]
    let apiTokens: [APIToken]
    let exportedAt: Date

    enum CodingKeys: String, CodingKey {
        case compte, sessions, jetonsAPI, exporteLe
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let profile: [String: String?] = [
            "identifiant": account.id.uuidString.lowercased(),
            "adresseElectronique": account.email,
            "nomAffiche": account.displayName,
            "codePostal": account.postcode,
            "commune": account.commune,
            "departement": account.departement,
            "trancheAge": account.ageBand,
            "situation": account.occupation,
            "consentementDonneesStatistiques": account.demographicsConsentAt.map { $0.ISO8601Format() },
            "adresseConfirmeeLe": account.emailConfirmedAt.map { $0.ISO8601Format() },
            "roles": account.roles.isEmpty ? nil : account.roles.map(\.rawValue).sorted().joined(separator: ","),
            "creeLe": account.createdAt.ISO8601Format(),
        ]
        try container.encode(profile, forKey: .compte)
        try container.encode(sessions, forKey: .sessions)
        try container.encode(apiTokens, forKey: .jetonsAPI)
        try container.encode(exportedAt, forKey: .exporteLe)
    }
}
