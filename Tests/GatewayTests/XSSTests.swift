import DialogueContracts
import Foundation
import Gateway
import Identity
import HTTPTypes
import HummingbirdTesting
import PostgresNIO
import Testing
import TestSupport

/// What people type comes back HTML-escaped on every page, and sign-in never sends anyone off-site.
@Suite struct XSSTests {
    static let payloads = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "javascript:alert(1)",
        "'\"><svg/onload=alert(1)>",
        "{{7*7}}",
        "{{{pageTitle}}}",
        "</title><script>alert(1)</script>",
        "<iframe src=javascript:alert(1)>",
        "' autofocus onfocus='alert(1)",
        "<a href=\"javascript:alert(1)\">clic</a>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ]

    /// Markup that must never reach a page raw (the templates use none of it).
    static let forbidden = ["<script", "<img", "<svg", "<iframe", "<a href=\"javascript", "onfocus='"]

    /// HTML-escaped as the templates escape values.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The page shows `payload` (when `echoed`) only escaped, and no forbidden markup at all.
    static func expectEscaped(_ response: TestResponse, _ payload: String, echoed: Bool = true, _ what: String) {
        let html = response.text
        #expect(response.isHTML, "\(what)")
        for fragment in forbidden {
            #expect(!html.lowercased().contains(fragment), "\(what): raw \(fragment)")
        }
        if payload.contains(where: { "<>\"'&".contains($0) }) {
            #expect(!html.contains(payload), "\(what): raw payload \(payload)")
        }
        if echoed {
            #expect(html.contains(escaped(payload)), "\(what): escaped payload \(payload)")
        }
    }

    /// An address made of the payload where the payload can be one (a valid local part: since
    /// issue 10, `<`, `>`, `(`, `;`… are refused at the door, and the escaping is tested with those that pass).
    static func email(for payload: String, _ index: Int) -> String {
        EmailAddress.isValid("\(payload)\(index)@exemple.fr")
            ? "\(payload)\(index)@exemple.fr"
            : "xss-\(index)-\(UUID().uuidString.prefix(6))@exemple.fr"
    }

    @Test func payloadsComeBackEscapedOnEveryPage() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, probe in
            // setup
            let administrator = try await stack.makeStaff([.administrator])
            let admin = WebSession(client)
            try await admin.signIn(administrator.email, administrator.password)
            var emails: [String] = []

            for (index, payload) in Self.payloads.enumerated() {
                // registration refused (no terms, and the payload as address): the form comes back
                let visitor = WebSession(client)
                let refused = try await visitor.submit("/inscription", [
                    ("email", payload), ("password", testPassword), ("password_confirmation", testPassword),
                    ("display_name", payload), ("commune", payload),
                ], from: "/inscription")
                #expect(refused.status == .unprocessableContent, "\(payload)")
                Self.expectEscaped(refused, payload, "registration form sent back")

                // registration accepted, the payload as name, commune and (where it can be) address
                let email = Self.email(for: payload, index)
                emails.append(email)
                let registered = try await visitor.submit("/inscription", [
                    ("email", email), ("password", testPassword), ("password_confirmation", testPassword),
                    ("display_name", payload), ("commune", payload), ("terms", "1"),
                ], from: "/inscription")
                #expect(registered.status == .seeOther, "\(payload)")
                #expect(try await visitor.signIn(email, testPassword).status == .seeOther, "\(payload)")
                let account = try await visitor.get("/compte")
                #expect(account.status == .ok)
                Self.expectEscaped(account, payload, "account page")
                #expect(account.text.contains(Self.escaped(email)), "\(payload)")

                // the account form sent back with an error, then saved
                let invalid = try await visitor.submit("/compte", [("display_name", payload), ("commune", payload), ("postcode", "abc")], from: "/compte")
                #expect(invalid.status == .unprocessableContent, "\(payload)")
                Self.expectEscaped(invalid, payload, "account form sent back")
                let saved = try await visitor.submit("/compte", [("display_name", "Nom \(index)"), ("commune", payload), ("postcode", "59000")], from: "/compte")
                #expect(saved.status == .seeOther, "\(payload)")
                Self.expectEscaped(try await visitor.get("/compte"), payload, "account page after saving")

                // sign-in and reset forms, sent back or answered with the address typed
                let signIn = try await WebSession(client).signIn(payload, "pas le bon mot de passe")
                #expect(signIn.status == .unprocessableContent, "\(payload)")
                Self.expectEscaped(signIn, payload, "sign-in form sent back")
                let forgot = try await WebSession(client).submit("/mot-de-passe-oublie", [("email", payload)], from: "/mot-de-passe-oublie")
                Self.expectEscaped(forgot, payload, "reset request form")
                let sent = try await WebSession(client).submit("/mot-de-passe-oublie", [("email", email)], from: "/mot-de-passe-oublie")
                #expect(sent.status == .ok, "\(payload)")
                Self.expectEscaped(sent, email, echoed: true, "reset request answered")

                // the back-office: search, list, account page
                let search = try await admin.get("/admin/utilisateurs?q=\(WebSession.query(payload))")
                #expect(search.status == .ok, "\(payload)")
                Self.expectEscaped(search, String(payload.trimmingCharacters(in: .whitespaces).prefix(100)), "staff search")
                let id = try #require(try await probe.texts("SELECT id::text FROM identity.accounts WHERE email = \(email)").first ?? nil)
                let user = try await admin.get("/admin/utilisateurs/\(id)")
                #expect(user.status == .ok, "\(payload)")
                Self.expectEscaped(user, email, "staff account page")
            }

            // every account on one page
            let list = try await admin.get("/admin/utilisateurs")
            #expect(list.status == .ok)
            for email in emails { Self.expectEscaped(list, email, "staff list") }
        }
    }

    @Test func theReturnTargetIsShownEscaped() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // act: a path on this site carrying markup
            let target = "/compte\"><script>alert(1)</script>"
            let page = try await WebSession(client).get("/connexion?retour=\(WebSession.query(target))")

            // check
            #expect(page.status == .ok)
            Self.expectEscaped(page, target, "sign-in page")
            #expect(page.hiddenField("retour") == Self.escaped(target))
        }
    }

    /// Where a browser goes for a `Location`: tabs and newlines dropped, backslashes read as
    /// slashes, leading spaces and controls trimmed; on this site means a path, not `//host`.
    static func staysOnSite(_ location: String) -> Bool {
        let kept = String(String.UnicodeScalarView(location.unicodeScalars.filter { !["\t", "\n", "\r"].contains($0) }))
        let read = kept.trimmingCharacters(in: .whitespaces.union(.controlCharacters)).replacingOccurrences(of: "\\", with: "/")
        return read.hasPrefix("/") && !read.hasPrefix("//")
    }

    @Test func signInNeverRedirectsOffSite() async throws {
        let stack = try await GatewayStack.make()
        try await stack.run(settings: .forSecurityTests(), asStaff: false) { client, _ in
            // setup
            let citizen = try await stack.makeCitizen()
            let targets = [
                "//evil.example", "https://evil.example", "http://evil.example/compte", "///evil.example", " //evil.example",
                "/\\evil.example", "\\\\evil.example", "\\/evil.example", "javascript:alert(1)", "https:evil.example",
                "//evil.example/%2F..", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
            ]

            for target in targets {
                // act
                let form = try await WebSession(client).get("/connexion?retour=\(WebSession.query(target))")
                let response = try await WebSession(client).signIn(citizen.email, citizen.password, returnTo: target)

                // check
                #expect(form.status == .ok)
                #expect(form.hiddenField("retour").map(Self.staysOnSite) ?? true, "form for \(target.debugDescription)")
                #expect(response.status == .seeOther, "\(target.debugDescription)")
                let location = try #require(response.location)
                #expect(Self.staysOnSite(location), "\(target.debugDescription) led to \(location.debugDescription)")
                #expect(location == "/compte", "\(target.debugDescription) led to \(location.debugDescription)")
            }

            // A path on this site is honoured.
            let honoured = try await WebSession(client).signIn(citizen.email, citizen.password, returnTo: "/compte/donnees")
            #expect(honoured.location == "/compte/donnees")
        }
    }
}
