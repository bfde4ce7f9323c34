public import DialogueContracts
import Foundation
public import Logging
public import PostgresNIO
import ServiceKit
import Storage

/// The platform's survey settings (table `settings`, one row), saved by staff with an audit entry.
public struct SurveySettingsStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The saved settings, or the defaults before anyone saved any.
    public func current() async throws -> SurveySettings {
        let rows = try await client.query("SELECT small_cell_minimum FROM settings", logger: logger)
        for try await minimum in rows.decode(Int.self) { return SurveySettings(smallCellMinimum: minimum) }
        return SurveySettings()
    }

    public func save(_ request: SaveSurveySettings) async throws -> SurveySettings {
        let minimum = request.settings.smallCellMinimum
        let allowed = SurveySettings.allowedSmallCellMinimums
        guard allowed.contains(minimum) else {
            throw RequestFailure(
                code: .invalid, message: "Le plus petit effectif publié va de \(allowed.lowerBound) à \(allowed.upperBound).", field: "smallCellMinimum"
            )
        }
        try await client.transaction(logger: logger) { connection in
            let previous = try await connection.query("SELECT small_cell_minimum FROM settings FOR UPDATE", logger: logger)
            var before = SurveySettings.defaultSmallCellMinimum
            for try await value in previous.decode(Int.self) { before = value }
            try await connection.query(
                """
                INSERT INTO settings (id, small_cell_minimum, updated_by) VALUES (true, \(minimum), \(request.staffName))
                ON CONFLICT (id) DO UPDATE SET small_cell_minimum = excluded.small_cell_minimum, updated_at = now(), updated_by = excluded.updated_by
                """,
                logger: logger
            )
            try await StaffAudit.record(
                "survey.settings_changed", by: request.staffID, named: request.staffName, objectType: "settings", objectID: nil,
                details: ["small_cell_minimum": String(minimum), "previous_small_cell_minimum": String(before)],
                service: SurveyService.name, on: connection, logger: logger
            )
        }
        return try await current()
    }
}
