import DialogueContracts
import Foundation
import Logging
import PostgresNIO

/// Policies per content type, the reasons lists, and blocked accounts.
enum ModerationSettings {
    static func policy(for type: ContentType, on connection: PostgresConnection, logger: Logger) async throws -> ModerationPolicy {
        let rows = try await connection.query(
            """
            SELECT content_type, mode, hold_score, flags_to_hold, flag_account_minimum_days, audience_per_extra_flag
            FROM policies WHERE content_type = \(type.rawValue)
            """,
            logger: logger
        )
        for try await row in rows.decode(PolicyRow.self) {
            if let policy = Self.policy(row) { return policy }
        }
        // A type without a row is moderated the safe way.
        return ModerationPolicy(contentType: type, mode: "pre", holdScore: 60, flagsToHold: 3)
    }

    /// The limits of the flag rules, with what a moderator reads when a value is outside them.
    static let flagsToHoldRange = 0...1000
    static let flagsToHoldMessage = "Le nombre de signalements va de 0 (jamais de masquage automatique) à 1000."
    static let accountDaysRange = 0...3650
    static let accountDaysMessage = "L'ancienneté des comptes va de 0 à 3 650 jours."
    static let audienceStepRange = 1...1_000_000
    static let audienceStepMessage = "Le nombre de personnes par signalement supplémentaire va de 1 à 1 000 000."

    private typealias PolicyRow = (String, String, Int, Int, Int, Int)

    private static func policy(_ row: PolicyRow) -> ModerationPolicy? {
        guard let type = ContentType(rawValue: row.0) else { return nil }
        return ModerationPolicy(
            contentType: type, mode: row.1, holdScore: row.2, flagsToHold: row.3, flagAccountMinimumDays: row.4, audiencePerExtraFlag: row.5
        )
    }

    static func isBlocked(_ accountID: UUID?, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        guard let accountID else { return false }
        let rows = try await connection.query("SELECT 1 FROM blocked_accounts WHERE account_id = \(accountID)", logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// An active reason of this kind, or a clear refusal.
    static func reason(_ code: String, kind: String, on connection: PostgresConnection, logger: Logger) async throws -> ModerationReason {
        let rows = try await connection.query(
            "SELECT code, label, kind, active FROM reasons WHERE code = \(code) AND kind = \(kind) AND active", logger: logger
        )
        for try await (code, label, kind, active) in rows.decode((String, String, String, Bool).self) {
            return ModerationReason(code: code, label: label, kind: kind, active: active)
        }
        throw RequestFailure(code: .invalid, message: "Choisissez un motif dans la liste.", field: "reason")
    }

    static func view(client: PostgresClient, logger: Logger) async throws -> ModerationSettingsView {
        var policies: [ModerationPolicy] = []
        let policyRows = try await client.query(
            """
            SELECT content_type, mode, hold_score, flags_to_hold, flag_account_minimum_days, audience_per_extra_flag
            FROM policies ORDER BY content_type
            """,
            logger: logger
        )
        for try await row in policyRows.decode(PolicyRow.self) {
            if let policy = Self.policy(row) { policies.append(policy) }
        }
        var reasons: [ModerationReason] = []
        let reasonRows = try await client.query("SELECT code, label, kind, active FROM reasons ORDER BY kind, position, code", logger: logger)
        for try await (code, label, kind, active) in reasonRows.decode((String, String, String, Bool).self) {
            reasons.append(ModerationReason(code: code, label: label, kind: kind, active: active))
        }
        return ModerationSettingsView(policies: policies, reasons: reasons)
    }

    static func update(_ request: UpdateModerationPolicy, client: PostgresClient, logger: Logger) async throws -> ModerationSettingsView {
        let policy = request.policy
        guard policy.mode == "pre" || policy.mode == "post" else {
            throw RequestFailure(code: .invalid, message: "Choisissez prémodération ou postmodération.", field: "mode")
        }
        guard (1...101).contains(policy.holdScore) else {
            throw RequestFailure(code: .invalid, message: "Le score de mise en attente va de 1 à 101 (101 : jamais).", field: "hold_score")
        }
        guard Self.flagsToHoldRange.contains(policy.flagsToHold) else {
            throw RequestFailure(code: .invalid, message: Self.flagsToHoldMessage, field: "flags_to_hold")
        }
        guard Self.accountDaysRange.contains(policy.flagAccountMinimumDays) else {
            throw RequestFailure(code: .invalid, message: Self.accountDaysMessage, field: "flag_account_minimum_days")
        }
        guard Self.audienceStepRange.contains(policy.audiencePerExtraFlag) else {
            throw RequestFailure(code: .invalid, message: Self.audienceStepMessage, field: "audience_per_extra_flag")
        }
        try await client.query(
            """
            INSERT INTO policies (content_type, mode, hold_score, flags_to_hold, flag_account_minimum_days, audience_per_extra_flag,
                                  updated_at, updated_by)
            VALUES (\(policy.contentType.rawValue), \(policy.mode), \(policy.holdScore), \(policy.flagsToHold),
                    \(policy.flagAccountMinimumDays), \(policy.audiencePerExtraFlag), now(), \(request.moderatorName))
            ON CONFLICT (content_type) DO UPDATE SET mode = excluded.mode, hold_score = excluded.hold_score,
                flags_to_hold = excluded.flags_to_hold, flag_account_minimum_days = excluded.flag_account_minimum_days,
                audience_per_extra_flag = excluded.audience_per_extra_flag, updated_at = now(), updated_by = excluded.updated_by
            """,
            logger: logger
        )
        return try await view(client: client, logger: logger)
    }

    static func save(_ request: SaveModerationReason, client: PostgresClient, logger: Logger) async throws -> ModerationSettingsView {
        let reason = request.reason
        let label = reason.label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.code.range(of: "^[a-z0-9_]{2,40}$", options: .regularExpression) != nil else {
            throw RequestFailure(code: .invalid, message: "Le code s'écrit en minuscules, chiffres et _ (2 à 40 caractères).", field: "code")
        }
        guard (3...300).contains(label.count) else {
            throw RequestFailure(code: .invalid, message: "Le libellé doit compter entre 3 et 300 caractères.", field: "label")
        }
        guard reason.kind == "decision" || reason.kind == "flag" else {
            throw RequestFailure(code: .invalid, message: "Un motif sert aux décisions ou aux signalements.", field: "kind")
        }
        try await client.query(
            """
            INSERT INTO reasons (code, label, kind, active, position)
            VALUES (\(reason.code), \(label), \(reason.kind), \(reason.active), (SELECT coalesce(max(position), 0) + 1 FROM reasons))
            ON CONFLICT (code) DO UPDATE SET label = excluded.label, active = excluded.active
            """,
            logger: logger
        )
        return try await view(client: client, logger: logger)
    }
}
