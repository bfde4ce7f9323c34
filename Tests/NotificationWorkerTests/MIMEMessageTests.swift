import DialogueContracts
import Foundation
@testable import NotificationWorker
import Testing

@Suite struct MIMEMessageTests {
    /// Decodes folded RFC 2047 words back to text.
    private func decode(_ header: String) -> String {
        let words = header.components(separatedBy: "\r\n ")
        var bytes = Data()
        for word in words {
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return header }
            bytes += Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data()
        }
        return String(data: bytes, encoding: .utf8) ?? ""
    }

    @Test func longFrenchSubjectsAreFoldedIntoShortEncodedWords() {
        let subject = "Votre pétition « Rétablir les TER entre Amiens, Abbeville et Le Tréport » a atteint son seuil — Dialogue"
        let encoded = MIMEMessage.encodedWord(subject)
        let lines = encoded.components(separatedBy: "\r\n ")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= 75 })
        #expect(("Subject: " + lines[0]).count <= 76)
        #expect(decode(encoded) == subject)
    }

    @Test func asciiSubjectsStayPlainAndLineBreaksNeverReachHeaders() {
        #expect(MIMEMessage.encodedWord("Dialogue") == "Dialogue")
        // An ASCII subject cannot carry a header either.
        #expect(!MIMEMessage.encodedWord("Objet\r\nBcc: victime@exemple.fr").contains("\r\n"))
        let injected = MIMEMessage.encodedWord("Objet é\r\nBcc: victime@exemple.fr")
        #expect(!injected.contains("\r\nBcc"))
        #expect(decode(injected) == "Objet éBcc: victime@exemple.fr")
    }

    @Test func aMailLinksOnlyToWebAddresses() throws {
        let event = AccountPasswordResetRequested(
            accountID: UUID(), email: "lea@exemple.fr", displayName: "Léa <b>", resetURL: "javascript:alert(1)", expiresAt: Date()
        )
        #expect(throws: (any Error).self) { try AccountMails.passwordReset(event, addressConfirmed: true) }
        var safe = event
        safe.resetURL = "https://dialogue.example/mot-de-passe?jeton=x&y=1"
        let mail = try AccountMails.passwordReset(safe, addressConfirmed: true)
        #expect(mail.html.contains("href=\"https://dialogue.example/mot-de-passe?jeton=x&amp;y=1\""))
        #expect(mail.html.contains("Bonjour Léa &lt;b&gt;,"))
        #expect(mail.text.contains("(heure de Paris)"))
    }
}

@Suite struct MailDateTests {
    @Test func theDateHeaderIsRFC5322InUTC() throws {
        #expect(MIMEMessage.rfc5322Date(try Date("2026-11-21T20:05:09Z", strategy: .iso8601)) == "Sat, 21 Nov 2026 20:05:09 +0000")
        #expect(MIMEMessage.rfc5322Date(try Date("2027-01-04T03:07:00Z", strategy: .iso8601)) == "Mon, 04 Jan 2027 03:07:00 +0000")
    }
}
