import DialogueContracts
import Foundation
import Hummingbird
import Identity
import Metrics
import ServiceKit

/// Takes signatures and their confirmations, for the API and the pages alike: checks the
/// form, applies the fraud rate limits, and sends the command (answered once the broker
/// holds it). A signed-in citizen whose address is confirmed signs at once; anyone else
/// confirms through the link mailed to them. A signature over a rate limit is not refused
/// (many real people may share one address): it is sent held for staff review, and its
/// signatory is answered exactly as any other.
struct SignatureDesk: Sendable {
    let web: WebDependencies
    /// Petitions read recently, shared with the pages and the API.
    let petitions: ShortLivedCache<UUID, PetitionView>

    /// A signature as typed in the form or sent to the API.
    struct Form {
        var name: String
        var email: String
        var postcode: String
        var consent: Bool
        var showName: Bool
        var wantsAnswer: Bool

        /// The field errors, in the order of the form (empty when it can be sent).
        var errors: [(field: String, message: String)] {
            var errors: [(String, String)] = []
            let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty || name.count > 100 {
                errors.append(("name", "Indiquez votre nom (100 caractères au plus)."))
            }
            if !EmailAddress.isValid(email) {
                errors.append(("email", "Indiquez une adresse électronique valide, par exemple nom@exemple.fr."))
            }
            if !Region.isValidPostcode(postcode.trimmingCharacters(in: .whitespaces)) {
                errors.append(("postcode", "Le code postal doit compter 5 chiffres, par exemple 59000."))
            }
            if !consent {
                errors.append(("consent", "Cochez la case d'accord : sans elle, la signature ne peut pas être enregistrée."))
            }
            return errors
        }
    }

    enum Outcome {
        /// Stored once the broker confirmed; a mail asks to confirm the address.
        case confirmationMailed
        /// Counted at once (a signed-in citizen with a confirmed address).
        case signed
        /// This signed-in citizen signed already, on that day.
        case alreadySigned(Date)
    }

    private var call: ServiceCall { ServiceCall(web: web) }

    /// The petition, if it exists and is published (through the gateway's short-lived cache).
    func petition(_ id: UUID) async throws -> PetitionView {
        let petition = try await petitions.value(for: id) { try await call.ask(GetPetition(petitionID: id)) }
        guard petition.visible else { throw APIError.notFound }
        return petition
    }

    static func acceptsSignatures(_ petition: PetitionView) -> Bool {
        petition.status.acceptsSignatures
    }

    static let closedPetition = APIError(status: .conflict, code: "petition_closed", message: "Cette pétition n'accepte plus de signatures.")

    /// Sends a signature whose form has no errors. The citizen signed in with a confirmed
    /// address signs under that address, whatever the form says.
    func sign(_ form: Form, petition id: UUID, account: Account?, clientAddress: String, agent: UserAgentClass) async throws -> Outcome {
        let petition = try await petition(id)
        guard Self.acceptsSignatures(petition) else { throw Self.closedPetition }
        let confirmedAccount = account.flatMap { $0.isConfirmed ? $0 : nil }
        let email = confirmedAccount?.email ?? form.email.trimmingCharacters(in: .whitespaces)
        let hold = await holdOverRates(petition: id, clientAddress: clientAddress, email: email, agent: agent)
        if let confirmedAccount, let signedAt = try await signature(of: confirmedAccount, on: id)?.signedAt {
            return .alreadySigned(signedAt)
        }
        _ = try await web.commands.send(SignPetition(
            petitionID: id, name: form.name.trimmingCharacters(in: .whitespacesAndNewlines), email: email,
            postcode: form.postcode.trimmingCharacters(in: .whitespaces), signedAt: Date(), showName: form.showName,
            wantsAnswer: form.wantsAnswer, clientAddress: ClientAddress.isValid(clientAddress) ? clientAddress : nil,
            confirmedAccountID: confirmedAccount?.id, hold: hold
        ))
        Self.accepted.increment()
        return confirmedAccount == nil ? .confirmationMailed : .signed
    }

    /// Signatures the broker holds (answered 202), for the dashboard beside those stored.
    private static let accepted = Counter(label: "dialogue_signatures_accepted_total")

    /// The signature a signed-in citizen made on a petition, if any.
    func signature(of account: Account, on petition: UUID) async throws -> SignatureLookup? {
        let lookup = try await call.ask(FindSignature(petitionID: petition, email: account.email))
        return lookup.signedAt == nil ? nil : lookup
    }

    /// Per address and petition, in bursts and over the hour; per mail domain and petition,
    /// except the public providers many honest people share. The first limit gone over
    /// holds the signature (the later ones do not count it); nil when within every limit.
    private func holdOverRates(petition: UUID, clientAddress: String, email: String, agent: UserAgentClass) async -> SignatureHold? {
        let limits = web.settings.rateLimits
        var checks = [(limits.signatureBurst, "\(clientAddress)|\(petition)"), (limits.signatureSustained, "\(clientAddress)|\(petition)")]
        let domain = EmailAddress.domain(of: email)
        if !EmailAddress.publicProviders.contains(domain) {
            checks.append((limits.signatureDomain, "\(domain)|\(petition)"))
        }
        for (rule, client) in checks {
            guard await web.limiter.admits(rule, client: client) else { return SignatureHold(rule: rule.name, agent: agent) }
        }
        return nil
    }

    /// What kind of program sent a page's form: browsers all announce themselves as
    /// `Mozilla/…`; anything else named is a tool or a library.
    static func agentClass(userAgent: String?) -> UserAgentClass {
        guard let userAgent = userAgent?.trimmingCharacters(in: .whitespaces), !userAgent.isEmpty else { return .unknown }
        return userAgent.hasPrefix("Mozilla/") ? .browser : .script
    }

    // MARK: Confirmation

    /// What a link stands for (the page shows its button only while it is pending).
    func inspect(_ token: String) async throws -> SignatureTokenStatus {
        guard Self.plausible(token) else { return SignatureTokenStatus(state: .unknown) }
        return try await call.ask(InspectSignatureToken(token: token))
    }

    /// Confirms a pending signature: the petitions service counts it with its batch.
    func confirm(_ token: String) async throws -> SignatureTokenStatus {
        let status = try await inspect(token)
        guard status.state == .pending else { return status }
        _ = try await web.commands.send(ConfirmSignature(token: token))
        return status
    }

    /// A link's secret is 43 base64url characters; anything else is not worth a lookup.
    private static func plausible(_ token: String) -> Bool {
        token.count == 43 && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}
