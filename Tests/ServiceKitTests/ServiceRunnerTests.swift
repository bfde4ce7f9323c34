import DialogueContracts
import Foundation
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Storage
import Testing
import TestSupport

/// A service's executable reads the common and its own settings in one pass: every missing
/// or invalid variable is named together, with exit code 78, before the database is touched.
@Suite struct ServiceRunnerTests {
    @Test func oneReadingNamesTheCommonAndTheServiceProblems() {
        // act
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceRunner.settings(of: SampleService.self, environment: ["BATCH_SIZE": "0"])
        }

        // check
        #expect(error?.problems.contains("DATABASE_URL is missing") == true)
        #expect(error?.problems.contains("AMQP_URL is missing") == true)
        #expect(error?.problems.contains("SAMPLE_SECRET is missing") == true)
        #expect(error?.problems.contains { $0.hasPrefix("BATCH_SIZE must be") } == true)
    }

    @Test func aServiceWithEveryVariableGetsBothSettings() throws {
        // act
        let (common, specific) = try ServiceRunner.settings(
            of: SampleService.self,
            environment: ["DATABASE_URL": "postgres://u:p@db.example/dialogue", "AMQP_URL": "amqp://u:p@broker.example/", "SAMPLE_SECRET": "s"]
        )

        // check
        #expect(common.service == .surveys && common.operationsPort == 8999)
        #expect(specific.secret == "s")
    }

    @Test func missingCommonAndServiceVariablesAreNamedTogether() async throws {
        // act: neither DATABASE_URL nor GATEWAY_SECRET
        let run = try await runService("gateway", environment: ["AMQP_URL": "amqp://guest:guest@127.0.0.1:1/"])

        // check
        #expect(run.status == 78)
        #expect(run.standardError.contains("DATABASE_URL is missing"), "\(run.standardError)")
        #expect(run.standardError.contains("GATEWAY_SECRET is missing"), "\(run.standardError)")
    }

    @Test func aServiceVariableIsNamedWithoutWaitingForAnUnreachableDatabase() async throws {
        // act: a database nobody listens for; migrations would retry it for a minute
        let run = try await runService(
            "gateway",
            environment: ["DATABASE_URL": "postgres://dialogue_identity:secret@127.0.0.1:1/dialogue", "AMQP_URL": "amqp://guest:guest@127.0.0.1:1/"]
        )

        // check
        #expect(run.status == 78)
        #expect(run.standardError.contains("GATEWAY_SECRET is missing"), "\(run.standardError)")
        #expect(run.elapsed < .seconds(20))
    }

    @Test func aServiceVariableMissingStopsBeforeAnyMigration() async throws {
        // setup: a real database the gateway could migrate
        let database = try await TestDatabase.make()
        let settings = database.settings(for: .gateway)
        let url = "postgres://\(settings.user):\(settings.password ?? "")@\(settings.host):\(settings.port)/\(settings.database)"

        // act
        let run = try await runService("gateway", environment: ["DATABASE_URL": url, "AMQP_URL": "amqp://guest:guest@127.0.0.1:1/"])

        // check: refused, and the schema is as the bootstrap left it
        #expect(run.status == 78)
        #expect(run.standardError.contains("GATEWAY_SECRET is missing"), "\(run.standardError)")
        let tables = try await TestDatabase.withClient(database.adminSettings) { client in
            let rows = try await client.query(
                "SELECT count(*)::int FROM information_schema.tables WHERE table_schema = \(ServiceName.gateway.schema)",
                logger: TestEnvironment.logger
            )
            var count = -1
            for try await value in rows.decode(Int.self) { count = value }
            return count
        }
        #expect(tables == 0)
    }

    @Test func anInvalidServiceVariableIsNamedWithTheCommonOnes() async throws {
        // act
        let run = try await runService("petitions-service", environment: ["PETITION_THRESHOLD": "0", "LOG_LEVEL": "bavard"])

        // check
        #expect(run.status == 78)
        for variable in ["DATABASE_URL is missing", "AMQP_URL is missing", "PETITION_THRESHOLD must be", "LOG_LEVEL must be"] {
            #expect(run.standardError.contains(variable), "\(run.standardError)")
        }
    }
}

/// How a service's executable ended.
struct ServiceRun {
    var status: Int32
    var standardError: String
    var elapsed: Duration
}

/// Runs a built service executable with only `environment`, and waits for it to end.
func runService(_ name: String, environment: [String: String]) async throws -> ServiceRun {
    let executable = try #require(builtExecutable(name), "\(name) is not built: run `swift build --build-tests` (deploy/local/test does)")
    let process = Process()
    process.executableURL = executable
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    let clock = ContinuousClock()
    let start = clock.now
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    let elapsed = clock.now - start
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return ServiceRun(status: status, standardError: text, elapsed: elapsed)
}

/// The executable beside the test bundle (SwiftPM puts every product in one folder).
private func builtExecutable(_ name: String) -> URL? {
    let candidates = [
        Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
    ]
    return candidates.map { $0.appending(path: name) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// A service with a variable of its own, to read settings as the runner does.
private enum SampleService: DialogueService {
    static let name = ServiceName.surveys
    static let defaultPort = 8999
    static let migrationsDirectory: URL? = nil

    struct Settings: ServiceSpecificSettings {
        var secret: String
        init(reader: inout SettingsReader) { secret = reader.required("SAMPLE_SECRET", secret: true) }
    }

    static func services(on platform: ServicePlatform, settings: Settings, operations: OperationsEndpoints) -> [any Service] { [] }
}
