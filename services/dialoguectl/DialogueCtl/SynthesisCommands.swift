import ArgumentParser
import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import Storage
import SynthesisReporter

extension DialogueCtl {
    struct Synthesis: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "synthesis", abstract: "Maintain the synthesis reporter's read model (DATABASE_URL of its role).",
            subcommands: [Rebuild.self]
        )

        struct Rebuild: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Rebuild the reporter's text tables from exported events, in one transaction; idempotent.",
                discussion: """
                    Each file holds one event per line, as JSON: {"type": "contribution.published", "body": {...}}, \
                    in the order they were published ("-" reads standard input). The tables of texts, moderation, \
                    places and titles are emptied and rebuilt by the reporter's own handlers; an unreadable line \
                    stops the rebuild with its number and changes nothing.
                    """
            )

            @Argument(help: "Files of exported events, read in order.") var files: [String]

            func validate() throws {
                guard !files.isEmpty else { throw ValidationError("give at least one file of exported events") }
            }

            func run() async throws {
                let database = try settings { reader in
                    reader.parse("DATABASE_URL", reader.required("DATABASE_URL", secret: true)) { try DatabaseSettings(url: $0, maximumConnections: 2) }
                }
                var lines: [String] = []
                for file in files {
                    let text: String
                    if file == "-" {
                        text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    } else {
                        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
                        text = String(decoding: data, as: UTF8.self)
                    }
                    lines += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                }
                let client = database!.makeClient(searchPath: ServiceName.synthesis.schema, logger: logger)
                let summary = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    defer { group.cancelAll() }
                    // The reporter may never have run yet: its tables come first.
                    try await Migrator(client: client, logger: logger)
                        .migrate(try SchemaMigrations(schema: ServiceName.synthesis.schema, directory: SynthesisReporter.migrationsDirectory))
                    return try await SynthesisRebuild.rebuild(lines: lines, client: client, logger: logger)
                }
                let skipped = summary.skippedTypes.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
                print("synthesis read model rebuilt: \(summary.applied) events applied" + (skipped.isEmpty ? "" : "; skipped (not the reporter's): \(skipped)"))
            }
        }
    }
}
