public import Foundation

// The confirmation of signatures made without an account: the petitions service stores the
// signature as pending and asks for a mail with a link; the link opens a page whose button
// (a POST, so link scanners confirm nothing) sends `ConfirmSignature`.

/// Someone pressed "Confirmer ma signature" on the page of a link mailed to them.
public struct ConfirmSignature: DialogueCommand {
    public static let messageType = "petition.signature.confirm"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

/// What a confirmation link stands for, read before showing its page and before confirming.
public struct InspectSignatureToken: DialogueRequest {
    public static let messageType = "petition.signature.inspect"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = SignatureTokenStatus

    public var token: String

    public init(token: String) {
        self.token = token
    }
}

public struct SignatureTokenStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        /// Waiting for the button.
        case pending
        /// Confirmed already (the link was used, or the button pressed twice).
        case confirmed
        /// Older than its validity: the person signs again.
        case expired
        /// The petition no longer takes signatures.
        case closed
        /// No such link (mistyped, or its signature was removed).
        case unknown
    }

    public var state: State
    public var petitionID: UUID?
    public var title: String?

    public init(state: State, petitionID: UUID? = nil, title: String? = nil) {
        self.state = state
        self.petitionID = petitionID
        self.title = title
    }
}

/// Whether an address has signed a petition (for a signed-in citizen's page).
public struct FindSignature: DialogueRequest {
    public static let messageType = "petition.signature.find"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.petitions
    public typealias Response = SignatureLookup

    public var petitionID: UUID
    public var email: String

    public init(petitionID: UUID, email: String) {
        self.petitionID = petitionID
        self.email = email
    }
}

public struct SignatureLookup: Codable, Sendable, Equatable {
    /// When the address signed; nil when it did not (or its signature was invalidated).
    public var signedAt: Date?
    public var confirmed: Bool

    public init(signedAt: Date?, confirmed: Bool) {
        self.signedAt = signedAt
        self.confirmed = confirmed
    }
}

/// A signature waits for its address to be confirmed: the notification worker mails the link.
public struct PetitionSignatureConfirmationRequested: DialogueEvent {
    public static let messageType = "petition.signature_confirmation_requested"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var email: String
    public var name: String
    /// The secret of the link; the service keeps only its hash.
    public var token: String
    public var expiresAt: Date

    public init(petitionID: UUID, title: String, email: String, name: String, token: String, expiresAt: Date) {
        self.petitionID = petitionID
        self.title = title
        self.email = email
        self.name = name
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Someone signed again with an address already confirmed on the petition: told kindly, by
/// mail, since the page that took the form could not know.
public struct PetitionSignedAgain: DialogueEvent {
    public static let messageType = "petition.signed_again"
    public static let schemaVersion = 1

    public var petitionID: UUID
    public var title: String
    public var email: String
    public var name: String
    public var firstSignedAt: Date

    public init(petitionID: UUID, title: String, email: String, name: String, firstSignedAt: Date) {
        self.petitionID = petitionID
        self.title = title
        self.email = email
        self.name = name
        self.firstSignedAt = firstSignedAt
    }
}

/// How long a confirmation link stays valid; a pending signature older than that is removed.
public enum SignatureConfirmation {
    public static let validitySeconds: Double = 7 * 24 * 3600
}
