public import DialogueContracts
public import Foundation
import ServiceKit
public import Logging
public import PostgresNIO
import Storage

/// Staff's fraud controls on signatures: the fastest sources of the last hour, the block
/// list, bulk invalidation, whose preview runs the very statement of the invalidation, and
/// the review of signatures held over a rate limit.
public struct FraudControls: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: Overview

    public func overview(_ petitionID: UUID) async throws -> FraudOverview {
        try await PetitionExistence.require(petitionID, client: client, logger: logger)
        // The ten addresses and the ten domains that signed most in the last hour.
        let sourceRows = try await client.query(
            """
            WITH recent AS (
                SELECT host(client_address) AS address, email_domain, signed_at FROM signatures
                WHERE petition_id = \(petitionID) AND recorded_at > now() - interval '1 hour' AND invalidated_at IS NULL
            )
            (SELECT true, address, count(*)::int8, max(signed_at) FROM recent WHERE address IS NOT NULL
             GROUP BY address ORDER BY 3 DESC, 2 LIMIT 10)
            UNION ALL
            (SELECT false, email_domain, count(*)::int8, max(signed_at) FROM recent WHERE email_domain <> ''
             GROUP BY email_domain ORDER BY 3 DESC, 2 LIMIT 10)
            """,
            logger: logger
        )
        var addresses: [FraudOverview.Source] = []
        var domains: [FraudOverview.Source] = []
        for try await (isAddress, value, count, last) in sourceRows.decode((Bool, String, Int, Date).self) {
            let source = FraudOverview.Source(value: value, signatures: count, last: last)
            if isAddress { addresses.append(source) } else { domains.append(source) }
        }
        addresses.sort { ($0.signatures, $1.value) > ($1.signatures, $0.value) }
        domains.sort { ($0.signatures, $1.value) > ($1.signatures, $0.value) }
        let totals = try await client.query(
            """
            SELECT count(*) FILTER (WHERE recorded_at > now() - interval '1 hour' AND invalidated_at IS NULL)::int8,
                   count(*) FILTER (WHERE confirmed_at IS NULL AND invalidated_at IS NULL AND held_at IS NULL)::int8,
                   count(*) FILTER (WHERE invalidated_at IS NOT NULL)::int8
            FROM signatures WHERE petition_id = \(petitionID)
            """,
            logger: logger
        )
        var (lastHour, pending, invalidated) = (0, 0, 0)
        for try await row in totals.decode((Int, Int, Int).self) { (lastHour, pending, invalidated) = row }
        return FraudOverview(
            addresses: addresses, domains: domains, lastHour: lastHour, pending: pending, invalidated: invalidated,
            invalidations: try await invalidations(of: petitionID), blockList: try await blockList(),
            held: try await heldSources(of: petitionID), heldReviews: try await heldReviews(of: petitionID)
        )
    }

    /// The signatures held for review, grouped by the source recorded when they were held.
    private func heldSources(of petitionID: UUID) async throws -> [FraudOverview.HeldSource] {
        let rows = try await client.query(
            """
            SELECT held_network::text, held_agent, count(*)::int8, count(held_confirmed_at)::int8,
                   array_agg(DISTINCT held_rule ORDER BY held_rule), min(signed_at), max(signed_at)
            FROM signatures
            WHERE petition_id = \(petitionID) AND held_at IS NOT NULL AND invalidated_at IS NULL
            GROUP BY held_network, held_agent
            ORDER BY 3 DESC, 1 NULLS LAST, 2
            LIMIT 200
            """,
            logger: logger
        )
        var sources: [FraudOverview.HeldSource] = []
        for try await (network, agent, count, confirmed, rules, first, last) in rows.decode((String?, String, Int, Int, [String], Date, Date).self) {
            sources.append(FraudOverview.HeldSource(
                source: HeldSignatureSource(network: network, agent: UserAgentClass(rawValue: agent) ?? .unknown),
                signatures: count, confirmed: confirmed, rules: rules, first: first, last: last
            ))
        }
        return sources
    }

    private func heldReviews(of petitionID: UUID) async throws -> [HeldSignatureReview] {
        let rows = try await client.query(
            """
            SELECT id, network::text, agent, decision, reason, signature_count, counted_count, decided_by_name, decided_at
            FROM held_reviews WHERE petition_id = \(petitionID) ORDER BY decided_at DESC LIMIT 50
            """,
            logger: logger
        )
        var reviews: [HeldSignatureReview] = []
        for try await row in rows.decode((UUID, String?, String, String, String, Int, Int, String, Date).self) {
            guard let decision = ReviewHeldSignatures.Decision(rawValue: row.3) else { continue }
            reviews.append(HeldSignatureReview(
                id: row.0, petitionID: petitionID, source: HeldSignatureSource(network: row.1, agent: UserAgentClass(rawValue: row.2) ?? .unknown),
                decision: decision, reason: row.4, signatures: row.5, counted: row.6, decidedBy: row.7, decidedAt: row.8
            ))
        }
        return reviews
    }

    // MARK: Held signatures

    /// Releases or invalidates every signature held from one source on one petition, in one
    /// transaction with the petition's row locked (as signature batches lock it), so each
    /// released signature counts once: now if its address is confirmed, else when it is.
    /// The threshold may be crossed by a release, never by a held signature.
    public func review(_ request: ReviewHeldSignatures) async throws -> HeldSignatureReview {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        switch request.decision {
        case .invalidate where !(5...1000).contains(reason.count):
            throw RequestFailure(code: .invalid, message: "Indiquez la raison de l'invalidation (5 à 1 000 caractères).", field: "reason")
        case .release where reason.count > 1000:
            throw RequestFailure(code: .invalid, message: "La note ne peut dépasser 1 000 caractères.", field: "reason")
        default:
            break
        }
        if let network = request.source.network, !ClientAddress.isValidNetwork(network) {
            throw RequestFailure(code: .invalid, message: "Le réseau doit s'écrire 203.0.113.0/24.", field: "network")
        }
        let id = UUID()
        let source = request.source
        return try await client.transaction(logger: logger) { connection in
            let locked = try await connection.query("SELECT status FROM petitions WHERE id = \(request.petitionID) FOR UPDATE", logger: logger)
            var status: String?
            for try await value in locked.decode(String.self) { status = value }
            guard let status else { throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.") }
            if request.decision == .release, PetitionStatus(rawValue: status)?.acceptsSignatures != true {
                throw RequestFailure(code: .conflict, message: "Cette pétition n'accepte plus de signatures : les signatures retenues ne peuvent plus compter.")
            }
            let rows = try await connection.query(
                """
                UPDATE signatures SET
                    held_at = CASE WHEN \(request.decision.rawValue) = 'release' THEN NULL ELSE held_at END,
                    released_at = CASE WHEN \(request.decision.rawValue) = 'release' THEN now() END,
                    confirmed_at = CASE WHEN \(request.decision.rawValue) = 'release' AND held_confirmed_at IS NOT NULL THEN now() END,
                    invalidated_at = CASE WHEN \(request.decision.rawValue) = 'invalidate' THEN now() END,
                    invalidation_id = CASE WHEN \(request.decision.rawValue) = 'invalidate' THEN \(id) END,
                    held_review_id = \(id)
                WHERE petition_id = \(request.petitionID) AND held_at IS NOT NULL AND invalidated_at IS NULL
                  AND held_network IS NOT DISTINCT FROM network(\(source.network)::inet) AND held_agent = \(source.agent.rawValue)
                RETURNING id, departement, recorded_at, confirmed_at IS NOT NULL
                """,
                logger: logger
            )
            var signatures = 0
            var counted: [PetitionSignatureRecorded] = []
            for try await (signatureID, departement, recordedAt, isCounted) in rows.decode((UUID, String?, Date, Bool).self) {
                signatures += 1
                if isCounted {
                    counted.append(PetitionSignatureRecorded(
                        petitionID: request.petitionID, signatureID: signatureID, departement: departement, recordedAt: recordedAt
                    ))
                }
            }
            try await Outbox.enqueue(all: counted, on: connection, logger: logger)
            if !counted.isEmpty,
               let crossing = try await PetitionCounter.add(counted.count, to: request.petitionID, on: connection, logger: logger) {
                try await Outbox.enqueue(all: [crossing], on: connection, logger: logger)
            }
            // A decision that found nothing left to decide on (sent twice) leaves no record.
            guard signatures > 0 else {
                return HeldSignatureReview(
                    id: id, petitionID: request.petitionID, source: source, decision: request.decision, reason: reason,
                    signatures: 0, counted: 0, decidedBy: request.staffName, decidedAt: Date()
                )
            }
            let decided = try await connection.query(
                """
                INSERT INTO held_reviews (id, petition_id, network, agent, decision, reason, signature_count, counted_count, decided_by, decided_by_name)
                VALUES (\(id), \(request.petitionID), network(\(source.network)::inet), \(source.agent.rawValue), \(request.decision.rawValue),
                    \(reason), \(signatures), \(counted.count), \(request.staffID), \(request.staffName))
                RETURNING decided_at
                """,
                logger: logger
            )
            var decidedAt = Date()
            for try await value in decided.decode(Date.self) { decidedAt = value }
            var details = [
                "agent": source.agent.rawValue, "signatures": String(signatures), "counted": String(counted.count),
                "reason": reason, "review": id.uuidString.lowercased(),
            ]
            details["network"] = source.network
            try await StaffAudit.record(
                request.decision == .release ? "petition.held_signatures_released" : "petition.held_signatures_invalidated",
                by: request.staffID, named: request.staffName,
                objectType: "petition", objectID: request.petitionID.uuidString.lowercased(), details: details,
                service: PetitionsService.name, on: connection, logger: logger
            )
            logger.notice("held signatures reviewed", metadata: [
                "petition": "\(request.petitionID)", "decision": "\(request.decision.rawValue)",
                "signatures": "\(signatures)", "counted": "\(counted.count)",
            ])
            return HeldSignatureReview(
                id: id, petitionID: request.petitionID, source: source, decision: request.decision, reason: reason,
                signatures: signatures, counted: counted.count, decidedBy: request.staffName, decidedAt: decidedAt
            )
        }
    }

    private func invalidations(of petitionID: UUID) async throws -> [Invalidation] {
        let rows = try await client.query(
            """
            SELECT id, client_address::text, email_domain, from_at, until_at, reason, signature_count, counted_count, decided_by_name, decided_at
            FROM invalidations WHERE petition_id = \(petitionID) ORDER BY decided_at DESC LIMIT 50
            """,
            logger: logger
        )
        var found: [Invalidation] = []
        for try await row in rows.decode((UUID, String?, String?, Date?, Date?, String, Int, Int, String, Date).self) {
            found.append(Invalidation(
                id: row.0, selection: SignatureSelection(petitionID: petitionID, clientAddress: row.1, emailDomain: row.2, from: row.3, until: row.4),
                reason: row.5, signatures: row.6, counted: row.7, decidedBy: row.8, decidedAt: row.9
            ))
        }
        return found
    }

    // MARK: Bulk invalidation

    public func preview(_ request: PreviewInvalidation) async throws -> InvalidationPreview {
        let selection = try Self.validated(request.selection)
        try await PetitionExistence.require(selection.petitionID, client: client, logger: logger)
        return try await client.withConnection { connection in
            try await select(selection, invalidatingAs: nil, on: connection)
        }
    }

    public func invalidate(_ request: InvalidateSignatures) async throws -> Invalidation {
        let selection = try Self.validated(request.selection)
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (5...1000).contains(reason.count) else {
            throw RequestFailure(code: .invalid, message: "Indiquez la raison de l'invalidation (5 à 1 000 caractères).", field: "reason")
        }
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            // The petition's row is locked first, as signature batches do, so no batch counts in between.
            let locked = try await connection.query("SELECT id FROM petitions WHERE id = \(selection.petitionID) FOR UPDATE", logger: logger)
            var exists = false
            for try await _ in locked { exists = true }
            guard exists else { throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.") }
            let removed = try await select(selection, invalidatingAs: id, on: connection)
            // The count drops; the status and the recorded threshold crossing stay as they are.
            try await connection.query(
                "UPDATE petitions SET signature_count = greatest(signature_count - \(removed.counted), 0) WHERE id = \(selection.petitionID)",
                logger: logger
            )
            let rows = try await connection.query(
                """
                INSERT INTO invalidations (id, petition_id, client_address, email_domain, from_at, until_at, reason,
                    signature_count, counted_count, decided_by, decided_by_name)
                VALUES (\(id), \(selection.petitionID), \(selection.clientAddress)::cidr, \(selection.emailDomain), \(selection.from),
                    \(selection.until), \(reason), \(removed.signatures), \(removed.counted), \(request.staffID), \(request.staffName))
                RETURNING decided_at
                """,
                logger: logger
            )
            var decidedAt = Date()
            for try await value in rows.decode(Date.self) { decidedAt = value }
            var details = ["invalidation": id.uuidString.lowercased(), "signatures": String(removed.signatures), "counted": String(removed.counted), "reason": reason]
            details["ip"] = selection.clientAddress
            details["domain"] = selection.emailDomain
            details["from"] = selection.from?.ISO8601Format()
            details["until"] = selection.until?.ISO8601Format()
            try await StaffAudit.record(
                "petition.signatures_invalidated", by: request.staffID, named: request.staffName,
                objectType: "petition", objectID: selection.petitionID.uuidString.lowercased(), details: details,
                service: PetitionsService.name, on: connection, logger: logger
            )
            logger.notice("signatures invalidated", metadata: [
                "petition": "\(selection.petitionID)", "signatures": "\(removed.signatures)", "counted": "\(removed.counted)",
            ])
            return Invalidation(
                id: id, selection: selection, reason: reason, signatures: removed.signatures, counted: removed.counted,
                decidedBy: request.staffName, decidedAt: decidedAt
            )
        }
    }

    /// Counts the selected signatures, and with an invalidation id, invalidates them: one
    /// statement for both, so a preview can never say other than what the invalidation does.
    private func select(_ selection: SignatureSelection, invalidatingAs invalidation: UUID?, on connection: PostgresConnection) async throws -> InvalidationPreview {
        let rows = try await connection.query(
            """
            WITH selected AS (
                SELECT id, confirmed_at IS NOT NULL AS counted FROM signatures
                WHERE petition_id = \(selection.petitionID) AND invalidated_at IS NULL
                  AND (\(selection.clientAddress)::cidr IS NULL OR client_address <<= \(selection.clientAddress)::cidr)
                  AND (\(selection.emailDomain)::text IS NULL OR email_domain = \(selection.emailDomain))
                  AND (\(selection.from)::timestamptz IS NULL OR signed_at >= \(selection.from))
                  AND (\(selection.until)::timestamptz IS NULL OR signed_at < \(selection.until))
            ), invalidated AS (
                UPDATE signatures SET invalidated_at = now(), invalidation_id = \(invalidation)
                FROM selected WHERE \(invalidation)::uuid IS NOT NULL AND signatures.id = selected.id
                RETURNING selected.counted
            )
            SELECT count(*)::int8, count(*) FILTER (WHERE counted)::int8
            FROM (SELECT counted FROM selected WHERE \(invalidation)::uuid IS NULL UNION ALL SELECT counted FROM invalidated) AS affected
            """,
            logger: logger
        )
        for try await (signatures, counted) in rows.decode((Int, Int).self) {
            return InvalidationPreview(signatures: signatures, counted: counted)
        }
        return InvalidationPreview(signatures: 0, counted: 0)
    }

    static func validated(_ selection: SignatureSelection) throws -> SignatureSelection {
        var selection = selection
        selection.clientAddress = selection.clientAddress?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        selection.emailDomain = selection.emailDomain?.trimmingCharacters(in: .whitespaces).lowercased().nilIfEmpty
        guard selection.clientAddress != nil || selection.emailDomain != nil || selection.from != nil || selection.until != nil else {
            throw RequestFailure(code: .invalid, message: "Choisissez au moins un critère : adresse IP, domaine ou période.", field: "criteria")
        }
        if let address = selection.clientAddress, !ClientAddress.isValidNetwork(address) {
            throw RequestFailure(code: .invalid, message: "L'adresse IP doit s'écrire 203.0.113.7 ou 203.0.113.0/24.", field: "ip")
        }
        if let domain = selection.emailDomain, !EmailAddress.isValid("x@" + domain) {
            throw RequestFailure(code: .invalid, message: "Le domaine doit s'écrire comme exemple.fr.", field: "domain")
        }
        if let from = selection.from, let until = selection.until, from >= until {
            throw RequestFailure(code: .invalid, message: "Le début de la période doit précéder sa fin.", field: "from")
        }
        return selection
    }

    // MARK: Block list

    public func blockList() async throws -> [BlockListEntry] {
        let rows = try await client.query(
            "SELECT kind, value, reason, added_by_name, added_at FROM block_list ORDER BY added_at DESC LIMIT 500", logger: logger
        )
        var entries: [BlockListEntry] = []
        for try await (kind, value, reason, by, at) in rows.decode((String, String, String, String, Date).self) {
            guard let kind = BlockListEntry.Kind(rawValue: kind) else { continue }
            entries.append(BlockListEntry(kind: kind, value: value, reason: reason, addedBy: by, addedAt: at))
        }
        return entries
    }

    public func block(_ request: AddToBlockList) async throws -> BlockListEntry {
        let reason = request.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (5...500).contains(reason.count) else {
            throw RequestFailure(code: .invalid, message: "Indiquez la raison du blocage (5 à 500 caractères).", field: "reason")
        }
        let value = try Self.blockedValue(request.kind, request.value)
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO block_list (kind, value, reason, added_by_name) VALUES (\(request.kind.rawValue), \(value), \(reason), \(request.staffName))
                ON CONFLICT (kind, value) DO UPDATE SET reason = excluded.reason, added_by_name = excluded.added_by_name, added_at = now()
                RETURNING added_at
                """,
                logger: logger
            )
            var addedAt = Date()
            for try await value in rows.decode(Date.self) { addedAt = value }
            try await StaffAudit.record(
                "petition.block_list_added", by: request.staffID, named: request.staffName,
                objectType: "block_list", objectID: "\(request.kind.rawValue):\(value)", details: ["reason": reason],
                service: PetitionsService.name, on: connection, logger: logger
            )
            return BlockListEntry(kind: request.kind, value: value, reason: reason, addedBy: request.staffName, addedAt: addedAt)
        }
    }

    public func unblock(_ request: RemoveFromBlockList) async throws -> BlockListRemoval {
        // In the stored form, so that any spelling of a blocked value unblocks it.
        let value = (try? Self.blockedValue(request.kind, request.value)) ?? request.value
        return try await client.transaction(logger: logger) { connection in
            let rows = try await connection.query(
                "DELETE FROM block_list WHERE kind = \(request.kind.rawValue) AND value = \(value) RETURNING value", logger: logger
            )
            var removed = false
            for try await _ in rows { removed = true }
            // Removing what was not there changes nothing, so there is nothing to record.
            if removed {
                try await StaffAudit.record(
                    "petition.block_list_removed", by: request.staffID, named: request.staffName ?? "inconnu",
                    objectType: "block_list", objectID: "\(request.kind.rawValue):\(value)",
                    service: PetitionsService.name, on: connection, logger: logger
                )
            }
            return BlockListRemoval(removed: removed)
        }
    }

    /// The stored form of a blocked value: a network for an address, the compared form of a
    /// domain (which blocks its subdomains too), the normalised address for an e-mail (so every
    /// spelling of it is blocked).
    static func blockedValue(_ kind: BlockListEntry.Kind, _ value: String) throws -> String {
        let value = value.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .clientAddress:
            guard ClientAddress.isValidNetwork(value) else {
                throw RequestFailure(code: .invalid, message: "L'adresse IP doit s'écrire 203.0.113.7 ou 203.0.113.0/24.", field: "value")
            }
            return value.contains("/") ? value : value + (value.contains(":") ? "/128" : "/32")
        case .domain:
            guard EmailAddress.isValid("x@" + value) else {
                throw RequestFailure(code: .invalid, message: "Le domaine doit s'écrire comme exemple.fr.", field: "value")
            }
            return EmailAddress.canonicalDomain(value)
        case .email:
            guard EmailAddress.isValid(value) else {
                throw RequestFailure(code: .invalid, message: "L'adresse électronique n'est pas valide.", field: "value")
            }
            return EmailAddress.normalized(value)
        }
    }
}

/// The block list as signature batches consult it.
enum BlockList {
    /// The positions of the commands whose address, domain or e-mail is blocked.
    static func matches(_ commands: [SignPetition], on connection: PostgresConnection, logger: Logger) async throws -> Set<Int> {
        guard !commands.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT candidate.position::int8 - 1
            FROM unnest(\(commands.map { $0.clientAddress ?? "" })::text[], \(commands.map { EmailAddress.normalized($0.email) })::text[])
                WITH ORDINALITY AS candidate(address, email, position)
            WHERE EXISTS (
                SELECT 1 FROM block_list blocked
                WHERE (blocked.kind = 'ip' AND NULLIF(candidate.address, '')::inet <<= blocked.value::inet)
                   OR (blocked.kind = 'domain' AND (
                       blocked.value = split_part(candidate.email, '@', 2)
                       OR right(split_part(candidate.email, '@', 2), length(blocked.value) + 1) = ('.' || blocked.value)))
                   OR (blocked.kind = 'email' AND blocked.value = candidate.email)
            )
            """,
            logger: logger
        )
        var positions = Set<Int>()
        for try await position in rows.decode(Int.self) { positions.insert(position) }
        return positions
    }
}

/// Staff asking about a petition that does not exist get a clear answer, not an empty view.
enum PetitionExistence {
    static func require(_ id: UUID, client: PostgresClient, logger: Logger) async throws {
        let rows = try await client.query("SELECT 1 FROM petitions WHERE id = \(id)", logger: logger)
        for try await _ in rows { return }
        throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.")
    }
}
