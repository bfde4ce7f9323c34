public import DialogueContracts
public import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// Staff's view of a petition and the paper batches they enter.
public struct PaperSignatures: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Adds a batch: the count rises (online + paper), the threshold may be crossed (once).
    public func add(_ request: AddPaperSignatures) async throws -> PaperBatch {
        let place = request.place.trimmingCharacters(in: .whitespacesAndNewlines)
        let names = request.names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // The same rules as consultations' paper supports.
        if let problem = PaperCollection.problems(count: request.count, counted: "signatures", place: place, collectedOn: request.collectedOn).first {
            throw problem
        }
        guard names.isEmpty || names.count == request.count else {
            throw RequestFailure(
                code: .invalid, message: "La liste compte \(names.count) noms pour \(request.count) signatures : corrigez l'un ou l'autre.",
                field: "names"
            )
        }
        let id = UUID()
        return try await client.transaction(logger: logger) { connection in
            let petition = try await connection.query(
                "SELECT status FROM petitions WHERE id = \(request.petitionID) FOR UPDATE", logger: logger
            )
            var status: PetitionStatus?
            for try await value in petition.decode(PetitionStatus.self) { status = value }
            guard let status else { throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.") }
            guard status.acceptsSignatures else {
                throw RequestFailure(code: .conflict, message: "Cette pétition n'accepte pas de signatures (\(status.rawValue)).")
            }
            let rows = try await connection.query(
                """
                INSERT INTO paper_batches (id, petition_id, signature_count, collected_on, place, names, entered_by, entered_by_name)
                VALUES (\(id), \(request.petitionID), \(request.count), (\(request.collectedOn) AT TIME ZONE 'Europe/Paris')::date,
                        \(place), \(names), \(request.staffID), \(request.staffName))
                RETURNING to_char(collected_on, 'YYYY-MM-DD'), entered_at
                """,
                logger: logger
            )
            var batch: PaperBatch?
            for try await (day, at) in rows.decode((String, Date).self) {
                batch = PaperBatch(id: id, count: request.count, collectedOn: day, place: place, names: names, enteredBy: request.staffName, enteredAt: at)
            }
            try await connection.query(
                "UPDATE petitions SET paper_count = paper_count + \(request.count) WHERE id = \(request.petitionID)", logger: logger
            )
            if let crossing = try await PetitionCounter.add(request.count, to: request.petitionID, on: connection, logger: logger) {
                try await Outbox.enqueue(crossing, on: connection, logger: logger)
            }
            guard let batch else { throw RequestFailure(code: .internal, message: "the batch was not stored") }
            try await StaffAudit.record(
                "petition.paper_signatures_added", by: request.staffID, named: request.staffName,
                objectType: "petition", objectID: request.petitionID.uuidString.lowercased(),
                details: ["batch": id.uuidString.lowercased(), "signatures": String(request.count), "collected_on": batch.collectedOn, "place": place],
                service: PetitionsService.name, on: connection, logger: logger
            )
            return batch
        }
    }

    public func petition(_ id: UUID) async throws -> StaffPetitionView {
        let rows = try await client.query(
            """
            SELECT id, title, body, status, signature_count, threshold, created_at, visible, author_name, paper_count,
                   moderation_status, moderation_reason
            FROM petitions WHERE id = \(id)
            """,
            logger: logger
        )
        for try await row in rows.decode((UUID, String, String, PetitionStatus, Int, Int, Date, Bool, String?, Int, String?, String?).self) {
            let batchRows = try await client.query(
                """
                SELECT id, signature_count, to_char(collected_on, 'YYYY-MM-DD'), place, names, entered_by_name, entered_at
                FROM paper_batches WHERE petition_id = \(id) ORDER BY entered_at DESC
                """,
                logger: logger
            )
            var batches: [PaperBatch] = []
            for try await batch in batchRows.decode((UUID, Int, String, String, [String], String, Date).self) {
                batches.append(PaperBatch(
                    id: batch.0, count: batch.1, collectedOn: batch.2, place: batch.3, names: batch.4, enteredBy: batch.5, enteredAt: batch.6
                ))
            }
            return StaffPetitionView(
                petition: PetitionView((row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7)), authorName: row.8, paperCount: row.9,
                moderationStatus: row.10, moderationReason: row.11, batches: batches
            )
        }
        throw RequestFailure(code: .notFound, message: "Cette pétition n'existe pas.")
    }

    /// A page of signatures in signing order (keyset on (signed_at, id): stable while people sign).
    public func exportPage(_ request: ListSignaturesForExport) async throws -> SignatureExportPage {
        let limit = min(max(request.limit, 1), 5000)
        let rows = try await client.query(
            """
            SELECT id, name, email, postcode, departement, signed_at FROM signatures
            WHERE petition_id = \(request.petitionID) AND confirmed_at IS NOT NULL AND invalidated_at IS NULL
              AND (\(request.after)::uuid IS NULL OR (signed_at, id) > (SELECT signed_at, id FROM signatures WHERE id = \(request.after)))
            ORDER BY signed_at, id
            LIMIT \(limit + 1)
            """,
            logger: logger
        )
        var page: [SignatureExportPage.Row] = []
        for try await row in rows.decode((UUID, String, String, String, String?, Date).self) {
            page.append(.init(id: row.0, name: row.1, email: row.2, postcode: row.3, departement: row.4, signedAt: row.5))
        }
        let next = page.count > limit ? page[limit - 1].id : nil
        return SignatureExportPage(rows: Array(page.prefix(limit)), next: next)
    }
}
