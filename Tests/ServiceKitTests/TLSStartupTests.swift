import DialogueContracts
import Foundation
import ServiceKit
import Testing

/// A TLS file that cannot be used stops a service at start-up with exit code 78 (EX_CONFIG)
/// and a message naming the file, instead of a connection retrying it forever.
@Suite struct TLSStartupTests {
    private let missingCA = "/nonexistent/dialogue-ca-\(UUID().uuidString.prefix(8)).pem"

    private var environment: [String: String] {
        [
            "DATABASE_URL": "postgres://dialogue_petitions:secret@127.0.0.1:1/dialogue",
            "AMQP_URL": "amqps://guest:guest@localhost:1/?cacertfile=\(missingCA)",
        ]
    }

    @Test func unusableCAFileIsAConfigurationProblem() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceSettings(service: .petitions, defaultPort: 8181, environment: environment)
        }
        let problems = try #require(error).problems
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("AMQP_URL is invalid") == true)
        #expect(problems.first?.contains(missingCA) == true, "\(problems)")
    }

    @Test func serviceWithAnUnusableCAFileExitsWith78NamingIt() throws {
        // setup: the built executable, with only the two variables it needs
        let executable = try builtExecutable("petitions-service")
        let process = Process()
        process.executableURL = executable
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { current, _ in current }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        // act
        try process.run()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        // check
        #expect(process.terminationStatus == 78, "\(output)")
        #expect(output.contains(missingCA), "\(output)")
        #expect(output.contains("AMQP_URL"))
    }

    /// An executable of the package, built beside the test bundle by `swift build --build-tests`.
    private func builtExecutable(_ name: String) throws -> URL {
        let candidates = [
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
        ].map { $0.appendingPathComponent(name) }
        return try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "\(name) not found beside the tests (looked in \(candidates.map(\.path))): build with swift build --build-tests"
        )
    }
}
