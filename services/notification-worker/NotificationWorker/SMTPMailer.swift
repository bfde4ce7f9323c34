import CCurl
import Foundation
import NIOPosix

/// A mail to send: one recipient, a French subject, plain text and HTML.
public struct OutgoingMail: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
}

/// What the SMTP server said.
public enum SMTPResult: Sendable, Equatable {
    case sent
    /// 4xx, or no answer: try again later.
    case temporaryFailure(code: Int?, reason: String)
    /// 5xx: trying again would fail the same way.
    case permanentFailure(code: Int, reason: String)
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

    public func send(_ mail: OutgoingMail) async -> SMTPResult {
        let message = MIMEMessage.render(mail, from: settings.fromAddress, fromName: settings.fromName)
        let settings = settings
        do {
            return try await NIOThreadPool.singleton.runIfActive { Self.perform(message, to: mail.to, settings: settings) }
        } catch {
            return .temporaryFailure(code: nil, reason: "the mail thread pool is shutting down")
        }
    }

    /// The bytes left to upload, read by curl's callback.
    private final class Upload {
        var bytes: [UInt8]
        var offset = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
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

        _ = CCurl_setopt_string(handle, CURLOPT_URL, settings.url)
        _ = CCurl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(settings.fromAddress)>")
        _ = CCurl_setopt_pointer(handle, CURLOPT_MAIL_RCPT, recipients.map(UnsafeMutableRawPointer.init))
        _ = CCurl_setopt_long(handle, CURLOPT_UPLOAD, 1)
        _ = CCurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = CCurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(settings.timeout.components.seconds * 1000))
        _ = CCurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        let tls: curl_usessl = switch settings.tls {
        case .none: CURLUSESSL_NONE
        case .optional: CURLUSESSL_TRY
        case .required: CURLUSESSL_ALL
        }
        _ = CCurl_setopt_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue))
        if let username = settings.username { _ = CCurl_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = settings.password { _ = CCurl_setopt_string(handle, CURLOPT_PASSWORD, password) }
        _ = CCurl_setopt_pointer(handle, CURLOPT_READDATA, upload.toOpaque())
        _ = CCurl_setopt_read_function(handle) { buffer, size, count, context in
            guard let buffer, let context else { return 0 }
            let upload = Unmanaged<Upload>.fromOpaque(context).takeUnretainedValue()
            let length = min(size * count, upload.bytes.count - upload.offset)
            upload.bytes.withUnsafeBufferPointer { source in
                UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
            }
            upload.offset += length
            return length
        }

        let status = curl_easy_perform(handle)
        var response = 0
        _ = CCurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &response)
        if status == CURLE_OK { return .sent }
        let reason = String(cString: curl_easy_strerror(status))
        if (500...599).contains(response) { return .permanentFailure(code: response, reason: reason) }
        return .temporaryFailure(code: response == 0 ? nil : response, reason: reason)
    }
}

/// Builds the RFC 5322 message: UTF-8, multipart/alternative (text, then HTML), encoded headers.
enum MIMEMessage {
    static func render(_ mail: OutgoingMail, from address: String, fromName: String, date: Date = Date(), id: UUID = UUID()) -> [UInt8] {
        let boundary = "dialogue-\(id.uuidString.lowercased())"
        let domain = address.split(separator: "@").last.map(String.init) ?? "dialogue.localhost"
        let lines = [
            "From: \(encodedWord(fromName)) <\(address)>",
            "To: <\(mail.to)>",
            "Subject: \(encodedWord(mail.subject))",
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(id.uuidString.lowercased())@\(domain)>",
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

    /// RFC 2047: non-ASCII header text as a base64 encoded word.
    static func encodedWord(_ text: String) -> String {
        guard !text.allSatisfy({ $0.isASCII && $0 != "\r" && $0 != "\n" }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
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

    private static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
