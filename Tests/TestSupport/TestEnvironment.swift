import DialogueCtl
import DialogueContracts
public import Foundation
public import Logging
public import Messaging
import PostgresNIO
import ServiceKit
public import Storage

/// The real PostgreSQL and RabbitMQ the test command started, from its environment:
/// `TEST_DATABASE_ADMIN_URL`, `TEST_AMQP_URL`, `DB_PASSWORD_<SCHEMA>`, `TEST_RABBITMQCTL`,
/// `TEST_SMTP_URL` and `TEST_MAIL_DIR`.
public enum TestEnvironment {
    public static let logger: Logger = {
        var logger = Logger(label: "tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    public static func variable(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            fatalError("\(name) is not set: run the tests with deploy/local/test, which starts PostgreSQL and RabbitMQ")
        }
        return value
    }

    public static var amqp: AMQPSettings {
        try! AMQPSettings(url: amqpURL)
    }

    /// The test broker's plain AMQP URL (guest over loopback).
    public static var amqpURL: String { variable("TEST_AMQP_URL") }

    public static var adminDatabase: DatabaseSettings {
        try! DatabaseSettings(url: variable("TEST_DATABASE_ADMIN_URL"), maximumConnections: 4)
    }

    /// `rabbitmqctl` wired to the test broker (stop_app / start_app).
    public static var rabbitmqctl: String { variable("TEST_RABBITMQCTL") }

    static func password(for service: ServiceName) -> String {
        variable(DatabaseBootstrap.passwordVariable(for: service))
    }

    /// The local SMTP server the test command started (deploy/local/smtp-sink.py).
    public static var smtpURL: String { variable("TEST_SMTP_URL") }

    /// Where that server writes each mail it accepts, as `<time>-<n>.eml`.
    public static var mailDirectory: URL { URL(fileURLWithPath: variable("TEST_MAIL_DIR"), isDirectory: true) }

    /// The raw mails the SMTP server accepted for this address, oldest first (tests use addresses of their own).
    public static func mails(to address: String) throws -> [String] {
        // Oldest first: the files are named after the time they arrived.
        let files = try FileManager.default.contentsOfDirectory(at: mailDirectory, includingPropertiesForKeys: nil)
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.filter { $0.pathExtension == "eml" }.compactMap { file in
            let text = try String(contentsOf: file, encoding: .utf8)
            return text.range(of: "\nTo: <\(address)>", options: .caseInsensitive) != nil ? text : nil
        }
    }

    /// The plain-text body of each mail the SMTP server accepted for this address.
    public static func mailTexts(to address: String) throws -> [String] {
        try mails(to: address).compactMap { decodedParts(of: $0).first }
    }

    /// A topology of its own for one test: no other test sees its exchanges or queues.
    public static func isolatedTopology(deliveryLimit: Int = 3) -> MessagingTopology {
        MessagingTopology(prefix: "t\(UUID().uuidString.prefix(8).lowercased()).", deliveryLimit: deliveryLimit)
    }
}

/// The decoded bodies of a multipart mail, text first.
public func decodedParts(of raw: String) -> [String] {
    raw.components(separatedBy: "Content-Transfer-Encoding: base64").dropFirst().compactMap { part in
        let body = part.components(separatedBy: "\r\n\r\n").dropFirst().first?.components(separatedBy: "--").first ?? ""
        return Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: "")).flatMap { String(data: $0, encoding: .utf8) }
    }
}
