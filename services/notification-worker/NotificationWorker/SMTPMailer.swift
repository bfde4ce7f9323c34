import CCurl
import Foundation
public import NIOPosix

/// A mail to send: one recipient, a French subject, plain text and HTML.
public struct OutgoingMail: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// The address that stops mails of this kind (RFC 2369), for mails about a topic.
    public var listUnsubscribe: String? = nil
}

/// What the SMTP server said.
public enum SMTPResult: Sendable, Equatable {
    case sent
    /// Worth trying again later: a 4xx, no answer, or a refusal of the session itself
    /// (greeting, TLS, login, sender), which is the platform's problem, not the recipient's.
    case temporaryFailure(code: Int?, reason: String)
    /// The server refused this recipient or this message for good (5xx): trying again would
    /// fail the same way.
    case permanentFailure(code: Int, reason: String)

    /// Where in the SMTP dialogue a send stopped.
    enum Stage: Sendable, Equatable {
        /// Connection, greeting, EHLO, STARTTLS, AUTH, MAIL FROM.
        case session
        /// RCPT TO.
        case recipient
        /// DATA and the server's verdict on the message.
        case message
    }

    /// A failed send's result: only a 5xx about the recipient or the message is final.
    /// A 535 at login or a 554 greeting would otherwise fail every queued mail for good
    /// because of one wrong password or one busy relay.
    static func failure(responseCode: Int, stage: Stage, reason: String) -> SMTPResult {
        if (500...599).contains(responseCode) && stage != .session {
            return .permanentFailure(code: responseCode, reason: reason)
        }
        return .temporaryFailure(code: responseCode == 0 ? nil : responseCode, reason: reason)
    }
}

/// How to reach the SMTP server.
public struct SMTPSettings: Sendable {
    public enum TLSPolicy: String, Sendable, CaseIterable {
        /// Plain SMTP (a relay on the same host).
        case none
        /// STARTTLS when the server offers it.
        case optional
        /// STARTTLS or nothing is sent.
        case required
    }

    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var tls: TLSPolicy
    public var username: String?
    public var password: String?
    public var fromAddress: String
    public var fromName: String
    public var timeout: Duration

    public init(
        url: String = "smtp://127.0.0.1:25", tls: TLSPolicy = .optional, username: String? = nil, password: String? = nil,
        fromAddress: String = "ne-pas-repondre@dialogue.localhost", fromName: String = "Dialogue — CESER Hauts-de-France",
        timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.tls = tls
        self.username = username
        self.password = password
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.timeout = timeout
    }
}

/// Sends mail over SMTP with libcurl. curl's easy interface blocks, so each send runs on
/// the blocking thread pool, never on an event loop or the cooperative pool.
public struct SMTPMailer: Sendable {
    let settings: SMTPSettings

    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    /// libcurl wants one global initialisation before any thread uses it.
    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// Sends on `pool`, whose threads curl's blocking calls may hold.
    public func send(_ mail: OutgoingMail, on pool: NIOThreadPool) async -> SMTPResult {
        let message = MIMEMessage.render(mail, from: settings.fromAddress, fromName: settings.fromName)
        let settings = settings
        do {
            return try await pool.runIfActive { Self.perform(message, to: mail.to, settings: settings) }
        } catch {
            return .temporaryFailure(code: nil, reason: "the mail thread pool is shutting down")
        }
    }

    /// The bytes left to upload, read by curl's callback. The first read means the server
    /// accepted the recipient and DATA: any refusal after it is about the message.
    private final class Upload {
        var bytes: [UInt8]
        var offset = 0
        var started = false
        init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// An option libcurl refused (an unsupported protocol or feature of this libcurl build).
    private struct OptionRefused: Error {
        let option: String
        let code: CURLcode
        var reason: String { "libcurl refused \(option): \(String(cString: curl_easy_strerror(code)))" }
    }

    private static func set(_ code: CURLcode, _ option: String) throws(OptionRefused) {
        guard code == CURLE_OK else { throw OptionRefused(option: option, code: code) }
    }

    private static func perform(_ message: [UInt8], to recipient: String, settings: SMTPSettings) -> SMTPResult {
        guard initialised, let handle = curl_easy_init() else {
            return .temporaryFailure(code: nil, reason: "libcurl could not be initialised")
        }
        defer { curl_easy_cleanup(handle) }
        let recipients: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "<\(recipient)>")
        defer { curl_slist_free_all(recipients) }
        let upload = Unmanaged.passRetained(Upload(message))
        defer { upload.release() }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }

        do {
            try configure(handle, settings: settings, recipients: recipients, upload: upload, errorBuffer: errorBuffer)
        } catch {
            return .temporaryFailure(code: nil, reason: error.reason)
        }

        let status = curl_easy_perform(handle)
        if status == CURLE_OK { return .sent }
        var response = 0
        _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        // curl names the refused command in its error text ("RCPT failed: 550").
        let detail = String(cString: errorBuffer)
        let stage: SMTPResult.Stage =
            upload.takeUnretainedValue().started ? .message : detail.contains("RCPT") ? .recipient : .session
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(status)) : detail
        return SMTPResult.failure(responseCode: response, stage: stage, reason: reason)
    }

    private static func configure(
        _ handle: UnsafeMutableRawPointer, settings: SMTPSettings, recipients: UnsafeMutablePointer<curl_slist>?,
        upload: Unmanaged<Upload>, errorBuffer: UnsafeMutablePointer<CChar>
    ) throws(OptionRefused) {
        try set(CCurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        // SMTP only: a mistyped SMTP_URL must never make the worker speak another protocol.
        try set(CCurl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "CURLOPT_PROTOCOLS_STR")
        try set(CCurl_setopt_string(handle, CURLOPT_URL, settings.url), "CURLOPT_URL")
        try set(CCurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(settings.fromAddress)>"), "CURLOPT_MAIL_FROM")
        try set(CCurl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, recipients.map(UnsafeMutableRawPointer.init)), "CURLOPT_MAIL_RCPT")
        try set(CCurl_setopt_long(handle, CURLOPT_UPLOAD, 1), "CURLOPT_UPLOAD")
        try set(CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try set(CCurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.components.seconds * 1000)), "CURLOPT_TIMEOUT_MS")
        try set(CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 10_000), "CURLOPT_CONNECTTIMEOUT_MS")
        let tls: curl_usessl = switch settings.tls {
        case .none: CURLUSESSL_NONE
        case .optional: CURLUSESSL_TRY
        case .required: CURLUSESSL_ALL
        }
        try set(CCurl_setopt_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue)), "CURLOPT_USE_SSL")
        if let username = settings.username { try set(CCurl_setopt_string(handle, CURLOPT_USERNAME, username), "CURLOPT_USERNAME") }
        if let password = settings.password { try set(CCurl_setopt_string(handle, CURLOPT_PASSWORD, password), "CURLOPT_PASSWORD") }
        try set(CCurl_setopt_pointer(handle, CURLOPT_READDATA, upload.toOpaque()), "CURLOPT_READDATA")
        try set(CCurl_setopt_read_function(handle) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue()
            upload.started = true
            let length = min(size * count, upload.bytes.count - upload.offset)
            upload.bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
            }
            upload.offset += length
            return length
        }, "CURLOPT_READFUNCTION")
    }
}

/// Builds the RFC 5322 message: UTF-8, multipart/alternative (text, then HTML), encoded headers.
enum MIMEMessage {
    static func render(_ mail: OutgoingMail, from address: String, fromName: String, date: Date = Date(), id: UUID = UUID()) -> [UInt8] {
        let boundary = "dialogue-\(id.uuidString.lowercased())"
        let domain = address.split(separator: "@").last.map(String.init) ?? "dialogue.localhost"
        var headers = [
            "From: \(encodedWord(fromName)) <\(address)>",
            "To: <\(mail.to)>",
            "Subject: \(encodedWord(mail.subject))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(id.uuidString.lowercased())@\(domain)>",
        ]
        // A URL we made, checked http(s) and free of line breaks: safe as a header value.
        if let unsubscribe = mail.listUnsubscribe, !unsubscribe.contains(where: \.isNewline) {
            headers.append("List-Unsubscribe: <\(unsubscribe)>")
        }
        let lines = headers + [
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
            "--\(boundary)",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            base64Lines(mail.text),
            "--\(boundary)",
            "Content-Type: text/html; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            base64Lines(mail.html),
            "--\(boundary)--",
            "",
        ]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// RFC 2047: non-ASCII header text as base64 encoded words, each under 76 characters and
    /// on its own folded line, split between characters (never inside one), so that long
    /// French subjects stay readable in every client.
    static func encodedWord(_ text: String) -> String {
        // Swift reads "\r\n" as one Character: `isNewline` catches it, a comparison with "\n" would not.
        guard !text.allSatisfy({ $0.isASCII && !$0.isNewline }) else { return text }
        // 39 bytes encode to 52 characters: "Subject: " plus one word stays within 76.
        let maximumBytes = 39
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text where !character.isNewline {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > maximumBytes && !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    private static func base64Lines(_ text: String) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [Substring] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(encoded[index..<end])
            index = end
        }
        return lines.joined(separator: "\r\n")
    }

    /// "Sat, 21 Nov 2026 20:05:00 +0000", built from UTC components: a `DateFormatter`
    /// made per mail cost about 8 % of the worker's CPU in the mail-rate benchmark.
    static func rfc5322Date(_ date: Date) -> String {
        let parts = utc.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(days[((parts.weekday ?? 1) - 1) % 7]), \(two(parts.day)) \(months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        return calendar
    }()
}
