import DialogueContracts
import Foundation
public import Logging
public import Messaging
import PostgresNIO
import ServiceKit
import Storage

/// Records `petition.sign` commands a batch at a time.
///
/// One transaction per batch: the petitions concerned are locked in id order (so replicas
/// never deadlock and never double count), the messages not seen before are claimed in
/// the inbox, signatures are inserted (a second one from the same person is ignored), each
/// petition's count moves once, and the events — `petition.signature_recorded` per
/// signature and `petition.threshold_reached` on the first crossing — go to the outbox.
public struct SignatureBatchHandler: MessageBatchHandler {
    let store: PetitionStore
    let logger: Logger

    public init(store: PetitionStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    private struct Candidate {
        let index: Int
        let messageID: String
        let command: SignPetition
    }

    public func handle(_ batch: [IncomingMessage], context: ConsumerContext) async -> [DeliveryOutcome] {
        var outcomes = Array(repeating: DeliveryOutcome.ack, count: batch.count)
        var candidates: [Candidate] = []
        var seen = Set<String>()
        for (index, message) in batch.enumerated() {
            guard let messageID = message.messageID else {
                outcomes[index] = .deadLetter(reason: "message without message_id")
                continue
            }
            // A copy redelivered into the same batch: the first one carries the effect.
            guard seen.insert(messageID).inserted else { continue }
            do {
                candidates.append(Candidate(index: index, messageID: messageID, command: try message.decode(SignPetition.self)))
            } catch {
                outcomes[index] = .deadLetter(reason: "\(error)")
            }
        }
        guard !candidates.isEmpty else { return outcomes }
        do {
            let refused = try await record(candidates)
            for (index, reason) in refused { outcomes[index] = .deadLetter(reason: reason) }
        } catch {
            for candidate in candidates { outcomes[candidate.index] = .retry(reason: String(reflecting: error)) }
        }
        return outcomes
    }

    /// Stores the batch; returns the messages refused for good (unknown or closed petition).
    private func record(_ candidates: [Candidate]) async throws -> [(Int, String)] {
        try await store.client.transaction(logger: logger) { connection in
            let petitionIDs = Array(Set(candidates.map(\.command.petitionID)))
            var petitions: [UUID: (title: String, status: String, threshold: Int)] = [:]
            let locked = try await connection.query(
                """
                SELECT id, title, CASE WHEN visible THEN status ELSE \(PetitionStatus.hidden) END, threshold
                FROM petitions WHERE id = ANY(\(petitionIDs)) ORDER BY id FOR UPDATE
                """,
                logger: logger
            )
            for try await (id, title, status, threshold) in locked.decode((UUID, String, String, Int).self) {
                petitions[id] = (title, status, threshold)
            }

            var refused: [(Int, String)] = []
            var accepted: [Candidate] = []
            for candidate in candidates {
                guard let petition = petitions[candidate.command.petitionID] else {
                    refused.append((candidate.index, "unknown petition \(candidate.command.petitionID)"))
                    continue
                }
                guard PetitionStatus.acceptsSignatures(petition.status) else {
                    refused.append((candidate.index, "petition \(candidate.command.petitionID) is \(petition.status)"))
                    continue
                }
                accepted.append(candidate)
            }

            let claimed = try await Inbox.claim(
                accepted.map { ($0.messageID, SignPetition.messageType) }, on: connection, logger: logger
            )
            let fresh = accepted.filter { claimed.contains($0.messageID) }
            guard !fresh.isEmpty else { return refused }

            let signatureIDs = fresh.map { _ in UUID() }
            let inserted = try await connection.query(
                """
                INSERT INTO signatures (id, petition_id, name, email, email_normalized, postcode, departement, signed_at)
                SELECT id, petition_id, name, email, email_normalized, postcode, NULLIF(departement, ''), signed_at
                FROM unnest(
                    \(signatureIDs)::uuid[], \(fresh.map(\.command.petitionID))::uuid[],
                    \(fresh.map { $0.command.name.trimmingCharacters(in: .whitespacesAndNewlines) })::text[],
                    \(fresh.map { $0.command.email.trimmingCharacters(in: .whitespaces) })::text[],
                    \(fresh.map { EmailAddress.normalized($0.command.email) })::text[],
                    \(fresh.map(\.command.postcode))::text[],
                    \(fresh.map { Region.departement(ofPostcode: $0.command.postcode) ?? "" })::text[],
                    \(fresh.map(\.command.signedAt))::timestamptz[]
                ) AS batch(id, petition_id, name, email, email_normalized, postcode, departement, signed_at)
                ON CONFLICT (petition_id, email_normalized) DO NOTHING
                RETURNING id, petition_id, departement, recorded_at
                """,
                logger: logger
            )
            var recorded: [PetitionSignatureRecorded] = []
            for try await (id, petitionID, departement, recordedAt) in inserted.decode((UUID, UUID, String?, Date).self) {
                recorded.append(PetitionSignatureRecorded(petitionID: petitionID, signatureID: id, departement: departement, recordedAt: recordedAt))
            }
            try await Outbox.enqueue(all: recorded, on: connection, logger: logger)

            var reached: [PetitionThresholdReached] = []
            for (petitionID, signatures) in Dictionary(grouping: recorded, by: \.petitionID) {
                if let crossing = try await PetitionCounter.add(signatures.count, to: petitionID, on: connection, logger: logger) {
                    reached.append(crossing)
                }
            }
            try await Outbox.enqueue(all: reached, on: connection, logger: logger)
            return refused
        }
    }
}

/// Where a petition stands.
public enum PetitionStatus {
    public static let inModeration = "in_moderation"
    public static let open = "open"
    public static let rejected = "rejected"
    /// Not a stored status: an open petition moderation hides (held after flags) takes no signatures.
    public static let hidden = "hidden"
    public static let thresholdReached = "threshold_reached"

    static func acceptsSignatures(_ status: String) -> Bool {
        status == open || status == thresholdReached
    }
}
