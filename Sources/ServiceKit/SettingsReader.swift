import Configuration
import Logging

/// Reads settings from the environment and collects every problem before failing, so an
/// operator fixes all missing or invalid variables in one go.
public struct SettingsReader {
    private let reader: ConfigReader
    private let environment: [String: String]
    public private(set) var problems: [String] = []

    public init(environment: [String: String]) {
        self.environment = environment
        self.reader = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
    }

    /// A variable that must be set (`DATABASE_URL` is read with key `database.url`).
    public mutating func required(_ variable: String, secret: Bool = false) -> String {
        guard let value = lookup(variable, secret: secret), !value.isEmpty else {
            problems.append("\(variable) is missing")
            return ""
        }
        return value
    }

    /// A variable with a default; a secret one is redacted by the configuration reader's access log.
    public mutating func optional(_ variable: String, default defaultValue: String, secret: Bool = false) -> String {
        lookup(variable, secret: secret).flatMap { $0.isEmpty ? nil : $0 } ?? defaultValue
    }

    public mutating func integer(_ variable: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = lookup(variable, secret: false), !text.isEmpty else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            problems.append("\(variable) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(text)\"")
            return defaultValue
        }
        return value
    }

    public mutating func choice<Value: RawRepresentable<String>>(_ variable: String, default defaultValue: Value) -> Value where Value: CaseIterable {
        guard let text = lookup(variable, secret: false), !text.isEmpty else { return defaultValue }
        guard let value = Value(rawValue: text.lowercased()) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append("\(variable) must be one of \(allowed), not \"\(text)\"")
            return defaultValue
        }
        return value
    }

    /// Parses a value with a validating initialiser; records its error under the variable's name.
    public mutating func parse<Value>(_ variable: String, _ text: String, _ parse: (String) throws -> Value) -> Value? {
        guard !text.isEmpty else { return nil }
        do {
            return try parse(text)
        } catch {
            problems.append("\(variable) is invalid: \(error)")
            return nil
        }
    }

    public mutating func report(_ problem: String) {
        problems.append(problem)
    }

    /// Throws once, naming every problem found.
    public func validate() throws(ConfigurationError) {
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
    }

    private func lookup(_ variable: String, secret: Bool) -> String? {
        let key = ConfigKey(variable.lowercased().split(separator: "_").map(String.init))
        return reader.string(forKey: key, isSecret: secret) ?? environment[variable]
    }
}

/// Start-up configuration was missing or invalid.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var problems: [String]

    public var description: String {
        "invalid configuration:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// How logs are written: JSON lines for machines, plain text for a developer's terminal.
public enum LogFormat: String, CaseIterable, Sendable {
    case json
    case text
}

