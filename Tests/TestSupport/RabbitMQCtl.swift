import Foundation

/// Runs the test broker's `rabbitmqctl` (`TEST_RABBITMQCTL`) and waits for it; `input` is
/// written to its standard input.
@discardableResult
public func rabbitmqctl(_ arguments: String..., input: String? = nil) async throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: TestEnvironment.rabbitmqctl)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let standardInput = Pipe()
    process.standardInput = standardInput
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do {
            try process.run()
            if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
            try? standardInput.fileHandleForWriting.close()
        } catch {
            process.terminationHandler = nil
            continuation.resume(throwing: error)
        }
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard status == 0 else {
        throw RabbitMQCtlFailed(arguments: arguments, status: status, output: text)
    }
    return text
}

public struct RabbitMQCtlFailed: Error, CustomStringConvertible {
    public let arguments: [String]
    public let status: Int32
    public let output: String
    public var description: String { "rabbitmqctl \(arguments.joined(separator: " ")) exited with \(status): \(output)" }
}
