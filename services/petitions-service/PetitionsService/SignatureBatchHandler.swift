import DialogueContracts
import Foundation
public import Logging
import Metrics
public import Messaging
import PostgresNIO
import ServiceKit
import Signing
import Storage

/// Records `petition.sign` and `petition.signature.confirm` commands a batch at a time.
///
/// One transaction per batch: the petitions concerned are locked in id order (so replicas
/// never deadlock and never double count), the messages not seen before are claimed in
/// the inbox, new signatures are inserted (pending, or confirmed at once for a confirmed
/// account; a second one from the same person is not; held for review, never counted here,
/// when the gateway says their source went over a signing rate limit), confirmations flip
/// pending rows, each petition's count moves once by its newly confirmed signatures, and
/// the events go to the outbox: the mails to send, `petition.signature_recorded` per counted
/// signature, `petition.threshold_reached` on the first crossing. A mail's event carries the trace
/// context of the command that asked for it, though the batch shares one transaction.
public struct SignatureBatchHandler: MessageBatchHandler {
    let store: PetitionStore
    let logger: Logger
    /// New signatures committed (the dashboard sets it against those the gateway accepted).
    private let stored = Counter(label: "dialogue_signatures_stored_total")

    public init(store: PetitionStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    private struct SignRequest {
        let index: Int
        let messageID: String
        let command: SignPetition
        /// The command's trace: the events it causes belong to it.
        let trace: TraceContext
        let signatureID = UUID()
        /// The secret of the confirmation link, if one is mailed.
        let token = Signing.randomToken()
        var emailNormalized: String { EmailAddress.normalized(command.email) }
    }

    private struct ConfirmRequest {
        let index: Int
        let messageID: String
        let token: String
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes = Array(repeating: DeliveryOutcome.ack, count: batch.count)
        var signings: [SignRequest] = []
        var confirmings: [ConfirmRequest] = []
        var seen = Set<String>()
        for (index, message) in batch.enumerated() {
            guard let messageID = message.messageID else {
                outcomes[index] = .deadLetter(reason: "message without message_id")
                continue
            }
            // A copy redelivered into the same batch: the first one carries the effect.
            guard seen.insert(messageID).inserted else { continue }
            do {
                switch message.type {
                case SignPetition.messageType:
                    let command = try message.decode(SignPetition.self)
                    if let address = command.clientAddress, !ClientAddress.isValid(address) {
                        outcomes[index] = .deadLetter(reason: "client address is not an IP address")
                        continue
                    }
                    signings.append(SignRequest(index: index, messageID: messageID, command: command, trace: TraceContext(handling: message)))
                case ConfirmSignature.messageType:
                    confirmings.append(ConfirmRequest(index: index, messageID: messageID, token: try message.decode(ConfirmSignature.self).token))
                default:
                    // The command router hands this handler only the two types above.
                    outcomes[index] = .deadLetter(reason: "no handler for command type \(message.type ?? "none")")
                }
            } catch {
                outcomes[index] = .deadLetter(reason: "\(error)")
            }
        }
        guard !signings.isEmpty || !confirmings.isEmpty else { return outcomes }
        do {
            let recorded = try await record(signings, confirmings)
            stored.increment(by: recorded.stored)
            for (index, reason) in recorded.refused { outcomes[index] = .deadLetter(reason: reason) }
        } catch {
            for index in signings.map(\.index) + confirmings.map(\.index) {
                outcomes[index] = .retry(reason: String(reflecting: error))
            }
        }
        return outcomes
    }

    /// A petition locked for a batch: its stored status, or `hiddenStatus` when moderation hides it.
    private typealias LockedPetition = (title: String, status: String)
    /// Not a stored status: an open petition a moderator hides takes no signatures (one held
    /// after citizens' flags stays `visible`, and signable, until a moderator decides).
    private static let hiddenStatus = "hidden"

    private static func acceptsSignatures(_ status: String) -> Bool {
        PetitionStatus(rawValue: status)?.acceptsSignatures ?? false
    }

    /// Stores the batch; returns the messages refused for good (unknown or closed petition)
    /// and how many new signatures it stored.
    private func record(_ signings: [SignRequest], _ confirmings: [ConfirmRequest]) async throws -> (refused: [(Int, String)], stored: Int) {
        try await store.client.transaction(logger: logger) { connection in
            let confirmedTokens = try await petitionsOfTokens(confirmings.map(\.token), on: connection)
            let petitions = try await lock(Set(signings.map(\.command.petitionID)).union(confirmedTokens), on: connection)

            var refused: [(Int, String)] = []
            var accepted: [SignRequest] = []
            for signing in signings {
                guard let petition = petitions[signing.command.petitionID] else {
                    refused.append((signing.index, "unknown petition \(signing.command.petitionID)"))
                    continue
                }
                guard Self.acceptsSignatures(petition.status) else {
                    refused.append((signing.index, "petition \(signing.command.petitionID) is \(petition.status)"))
                    continue
                }
                accepted.append(signing)
            }
            let claimed = try await Inbox.claim(
                accepted.map { ($0.messageID, SignPetition.messageType) } + confirmings.map { ($0.messageID, ConfirmSignature.messageType) },
                on: connection, logger: logger
            )
            let blocked = try await BlockList.matches(accepted.map(\.command), on: connection, logger: logger)
            var fresh: [SignRequest] = []
            var people = Set<String>()
            for (offset, signing) in accepted.enumerated() where claimed.contains(signing.messageID) {
                // The same person twice in one batch: the first one stands for both.
                guard people.insert("\(signing.command.petitionID)|\(signing.emailNormalized)").inserted else { continue }
                guard !blocked.contains(offset) else {
                    logger.notice("signature refused by the block list", metadata: ["petition": "\(signing.command.petitionID)"])
                    continue
                }
                fresh.append(signing)
            }
            let tokens = confirmings.filter { claimed.contains($0.messageID) }.map(\.token)

            let inserted = try await insert(fresh, on: connection)
            var mails: [PetitionSignatureConfirmationRequested] = []
            var mailTraces: [TraceContext] = []
            var signedAgain: [PetitionSignedAgain] = []
            var signedAgainTraces: [TraceContext] = []
            for signing in fresh where inserted.contains(signing.signatureID) {
                TraceContext.$current.withValue(signing.trace) {
                    logger.debug("signature stored", metadata: [
                        "petition": .string(signing.command.petitionID.uuidString.lowercased()),
                        "confirmed": .string(signing.command.confirmedAccountID == nil ? "false" : "true"),
                    ])
                }
                guard signing.command.confirmedAccountID == nil else { continue }
                mails.append(confirmationMail(for: signing, title: petitions[signing.command.petitionID]?.title ?? ""))
                mailTraces.append(signing.trace)
            }
            // Those who had signed already: a pending signature gets a fresh link (or is
            // confirmed by its signed-in owner); a confirmed one is told kindly.
            let earlier = try await earlierSignatures(of: fresh.filter { !inserted.contains($0.signatureID) }, on: connection)
            var upgraded: [UUID] = []
            var relinked: [(UUID, String)] = []
            for (signing, existing) in earlier {
                let title = petitions[signing.command.petitionID]?.title ?? ""
                switch (existing.confirmed, signing.command.confirmedAccountID) {
                case (false, .some):
                    upgraded.append(existing.id)
                case (false, nil):
                    relinked.append((existing.id, signing.token))
                    mails.append(confirmationMail(for: signing, title: title))
                    mailTraces.append(signing.trace)
                case (true, nil):
                    signedAgain.append(PetitionSignedAgain(
                        petitionID: signing.command.petitionID, title: title, email: signing.command.email.trimmingCharacters(in: .whitespaces),
                        name: signing.command.name.trimmingCharacters(in: .whitespacesAndNewlines), firstSignedAt: existing.signedAt
                    ))
                    signedAgainTraces.append(signing.trace)
                case (true, .some):
                    break  // the signed-in citizen's page already says they signed
                }
            }
            try await renewLinks(relinked, on: connection)
            try await Outbox.enqueue(all: mails, traces: mailTraces, on: connection, logger: logger)
            try await Outbox.enqueue(all: signedAgain, traces: signedAgainTraces, on: connection, logger: logger)

            let accepting = petitions.filter { Self.acceptsSignatures($0.value.status) }.map(\.key)
            var counted = inserted.confirmed
            counted += try await confirm(tokens: tokens, signatures: upgraded, of: accepting, on: connection)
            try await Outbox.enqueue(all: counted, on: connection, logger: logger)
            var reached: [PetitionThresholdReached] = []
            for (petitionID, signatures) in Dictionary(grouping: counted, by: \.petitionID) {
                if let crossing = try await PetitionCounter.add(signatures.count, to: petitionID, on: connection, logger: logger) {
                    reached.append(crossing)
                }
            }
            try await Outbox.enqueue(all: reached, on: connection, logger: logger)
            return (refused, inserted.ids.count)
        }
    }

    private func confirmationMail(for signing: SignRequest, title: String) -> PetitionSignatureConfirmationRequested {
        PetitionSignatureConfirmationRequested(
            petitionID: signing.command.petitionID, title: title, email: signing.command.email.trimmingCharacters(in: .whitespaces),
            name: signing.command.name.trimmingCharacters(in: .whitespacesAndNewlines), token: signing.token,
            expiresAt: Date().addingTimeInterval(SignatureConfirmation.validitySeconds)
        )
    }

    /// The petitions of the pending signatures these links confirm (to lock them too).
    private func petitionsOfTokens(_ tokens: [String], on connection: PostgresConnection) async throws -> Set<UUID> {
        guard !tokens.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT DISTINCT petition_id FROM signatures
            WHERE (confirmation_hash IN (SELECT sha256(convert_to(token, 'UTF8')) FROM unnest(\(tokens)::text[]) AS token)
                   OR id IN (SELECT signature_id FROM earlier_signature_links
                             WHERE token_hash IN (SELECT sha256(convert_to(token, 'UTF8')) FROM unnest(\(tokens)::text[]) AS token)))
              AND confirmed_at IS NULL
            """,
            logger: logger
        )
        var found = Set<UUID>()
        for try await id in rows.decode(UUID.self) { found.insert(id) }
        return found
    }

    private func lock(_ ids: Set<UUID>, on connection: PostgresConnection) async throws -> [UUID: LockedPetition] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT id, title, CASE WHEN visible THEN status ELSE \(Self.hiddenStatus) END
            FROM petitions WHERE id = ANY(\(Array(ids))) ORDER BY id FOR UPDATE
            """,
            logger: logger
        )
        var petitions: [UUID: LockedPetition] = [:]
        for try await (id, title, status) in rows.decode((UUID, String, String).self) { petitions[id] = (title, status) }
        return petitions
    }

    private struct Inserted {
        var ids: Set<UUID> = []
        /// The signatures counted at once (signed-in citizens with a confirmed address).
        var confirmed: [PetitionSignatureRecorded] = []
        func contains(_ id: UUID) -> Bool { ids.contains(id) }
    }

    private func insert(_ signings: [SignRequest], on connection: PostgresConnection) async throws -> Inserted {
        guard !signings.isEmpty else { return Inserted() }
        let commands = signings.map(\.command)
        let rows = try await connection.query(
            """
            INSERT INTO signatures (id, petition_id, name, email, email_normalized, postcode, departement, signed_at, show_name,
                wants_answer, client_address, account_id, confirmed_at, confirmation_hash, confirmation_expires_at,
                held_at, held_rule, held_network, held_agent, held_confirmed_at)
            SELECT id, petition_id, name, email, email_normalized, postcode, NULLIF(departement, ''), signed_at, show_name,
                wants_answer, NULLIF(client_address, '')::inet, NULLIF(account_id, '')::uuid,
                CASE WHEN account_id <> '' AND held_rule = '' THEN now() END,
                CASE WHEN account_id = '' THEN sha256(convert_to(token, 'UTF8')) END,
                CASE WHEN account_id = '' THEN now() + make_interval(secs => \(SignatureConfirmation.validitySeconds)) END,
                CASE WHEN held_rule <> '' THEN now() END, NULLIF(held_rule, ''),
                CASE WHEN held_rule <> '' AND client_address <> '' THEN network(set_masklen(client_address::inet,
                    CASE family(client_address::inet) WHEN 4 THEN 24 ELSE 48 END)) END,
                NULLIF(held_agent, ''),
                CASE WHEN account_id <> '' AND held_rule <> '' THEN now() END
            FROM unnest(
                \(signings.map(\.signatureID))::uuid[], \(commands.map(\.petitionID))::uuid[],
                \(commands.map { $0.name.trimmingCharacters(in: .whitespacesAndNewlines) })::text[],
                \(commands.map { $0.email.trimmingCharacters(in: .whitespaces) })::text[],
                \(signings.map(\.emailNormalized))::text[],
                \(commands.map(\.postcode))::text[],
                \(commands.map { Region.departement(ofPostcode: $0.postcode) ?? "" })::text[],
                \(commands.map(\.signedAt))::timestamptz[], \(commands.map(\.showName))::boolean[], \(commands.map(\.wantsAnswer))::boolean[],
                \(commands.map { $0.clientAddress ?? "" })::text[],
                \(commands.map { $0.confirmedAccountID?.uuidString ?? "" })::text[],
                \(signings.map(\.token))::text[],
                \(commands.map { $0.hold?.rule ?? "" })::text[], \(commands.map { $0.hold?.agent.rawValue ?? "" })::text[]
            ) AS batch(id, petition_id, name, email, email_normalized, postcode, departement, signed_at, show_name,
                wants_answer, client_address, account_id, token, held_rule, held_agent)
            ON CONFLICT (petition_id, email_normalized) DO NOTHING
            RETURNING id, petition_id, departement, recorded_at, confirmed_at IS NOT NULL
            """,
            logger: logger
        )
        var inserted = Inserted()
        for try await (id, petitionID, departement, recordedAt, confirmed) in rows.decode((UUID, UUID, String?, Date, Bool).self) {
            inserted.ids.insert(id)
            if confirmed {
                inserted.confirmed.append(PetitionSignatureRecorded(petitionID: petitionID, signatureID: id, departement: departement, recordedAt: recordedAt))
            }
        }
        return inserted
    }

    private struct Earlier {
        let id: UUID
        let confirmed: Bool
        let signedAt: Date
    }

    /// The signature each of these people made before on the same petition (invalidated
    /// ones are left out: nothing is said about them). A held one whose address is confirmed
    /// reads as confirmed, as it does to its signatory.
    private func earlierSignatures(of signings: [SignRequest], on connection: PostgresConnection) async throws -> [(SignRequest, Earlier)] {
        guard !signings.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT s.petition_id, s.email_normalized, s.id, s.confirmed_at IS NOT NULL OR s.held_confirmed_at IS NOT NULL, s.signed_at
            FROM signatures s
            JOIN unnest(\(signings.map(\.command.petitionID))::uuid[], \(signings.map(\.emailNormalized))::text[]) AS person(petition_id, email)
              ON s.petition_id = person.petition_id AND s.email_normalized = person.email
            WHERE s.invalidated_at IS NULL
            """,
            logger: logger
        )
        var found: [String: Earlier] = [:]
        for try await (petitionID, email, id, confirmed, signedAt) in rows.decode((UUID, String, UUID, Bool, Date).self) {
            found["\(petitionID)|\(email)"] = Earlier(id: id, confirmed: confirmed, signedAt: signedAt)
        }
        return signings.compactMap { signing in
            found["\(signing.command.petitionID)|\(signing.emailNormalized)"].map { (signing, $0) }
        }
    }

    /// A pending signature signed again gets a new link (the old one stops working).
    private func renewLinks(_ links: [(UUID, String)], on connection: PostgresConnection) async throws {
        guard !links.isEmpty else { return }
        // The link mailed before stays valid: the new one's mail may be held back by the
        // notification worker's limit per recipient.
        try await connection.query(
            """
            INSERT INTO earlier_signature_links (token_hash, signature_id, expires_at)
            SELECT confirmation_hash, id, confirmation_expires_at FROM signatures
            WHERE id = ANY(\(links.map(\.0))) AND confirmed_at IS NULL AND confirmation_hash IS NOT NULL
              AND confirmation_expires_at > now()
            ON CONFLICT (token_hash) DO NOTHING
            """,
            logger: logger
        )
        try await connection.query(
            """
            UPDATE signatures SET confirmation_hash = sha256(convert_to(link.token, 'UTF8')),
                confirmation_expires_at = now() + make_interval(secs => \(SignatureConfirmation.validitySeconds))
            FROM unnest(\(links.map(\.0))::uuid[], \(links.map(\.1))::text[]) AS link(id, token)
            WHERE signatures.id = link.id AND signatures.confirmed_at IS NULL
            """,
            logger: logger
        )
    }

    /// Confirms the pending signatures of these links (while valid) and of these ids, on
    /// petitions still taking signatures; returns those now counted. A held signature only
    /// notes that its address is confirmed: it counts when staff release it.
    private func confirm(tokens: [String], signatures ids: [UUID], of petitions: [UUID], on connection: PostgresConnection) async throws -> [PetitionSignatureRecorded] {
        guard !tokens.isEmpty || !ids.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            UPDATE signatures SET confirmed_at = CASE WHEN held_at IS NULL THEN now() END,
                held_confirmed_at = CASE WHEN held_at IS NOT NULL THEN coalesce(held_confirmed_at, now()) END
            WHERE (id = ANY(\(ids))
                   OR (confirmation_hash IN (SELECT sha256(convert_to(token, 'UTF8')) FROM unnest(\(tokens)::text[]) AS token)
                       AND confirmation_expires_at > now())
                   OR id IN (SELECT signature_id FROM earlier_signature_links
                             WHERE token_hash IN (SELECT sha256(convert_to(token, 'UTF8')) FROM unnest(\(tokens)::text[]) AS token)
                               AND expires_at > now()))
              AND confirmed_at IS NULL AND invalidated_at IS NULL AND petition_id = ANY(\(petitions))
            RETURNING id, petition_id, departement, recorded_at, confirmed_at IS NOT NULL
            """,
            logger: logger
        )
        var counted: [PetitionSignatureRecorded] = []
        for try await (id, petitionID, departement, recordedAt, isCounted) in rows.decode((UUID, UUID, String?, Date, Bool).self) where isCounted {
            counted.append(PetitionSignatureRecorded(petitionID: petitionID, signatureID: id, departement: departement, recordedAt: recordedAt))
        }
        return counted
    }
}
