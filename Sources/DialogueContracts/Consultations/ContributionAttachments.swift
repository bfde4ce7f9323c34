public import Foundation

// The one file a citizen may attach to a contribution: an image or a PDF, checked by its
// content (never by the name or type the browser gave), kept and shown with the contribution.

/// What an attachment really is, from its first bytes. Only these four are taken: each is
/// shown by browsers without running anything, and each is recognised by a signature no text
/// document (HTML, SVG, script) can start with.
public enum AttachmentType: String, Codable, Sendable, CaseIterable {
    case png
    case jpeg
    case webp
    case pdf

    /// The content type it is served with (from this check, never from the upload).
    public var mediaType: String {
        switch self {
        case .png: "image/png"
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        case .pdf: "application/pdf"
        }
    }

    public var isImage: Bool { self != .pdf }

    /// The extension of the file as it is served.
    public var fileExtension: String {
        switch self {
        case .png: "png"
        case .jpeg: "jpg"
        case .webp: "webp"
        case .pdf: "pdf"
        }
    }

    /// How the page names it (« image PNG », « document PDF »).
    public var label: String {
        switch self {
        case .png: "image PNG"
        case .jpeg: "image JPEG"
        case .webp: "image WebP"
        case .pdf: "document PDF"
        }
    }

    /// The type the content's signature says, or nil for anything else. A PDF must also end
    /// with its end-of-file marker, so that a text merely starting with `%PDF-` is refused.
    public static func detect(in content: Data) -> AttachmentType? {
        let bytes = [UInt8](content.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("%PDF-".utf8)) && content.suffix(1024).range(of: Data("%%EOF".utf8)) != nil { return .pdf }
        return nil
    }
}

/// The file a citizen attaches as they submit a contribution (site only: the JSON API takes
/// none). `description` says what an image shows, for those who cannot see it: required for
/// an image, optional for a PDF (then the link's text).
public struct ContributionAttachmentUpload: Codable, Sendable, Equatable {
    /// 5 MiB: a phone photo or a scanned page; PostgreSQL keeps it beside the contribution.
    public static let maximumBytes = 5 * 1024 * 1024
    public static let descriptionLength = 3...250

    /// The name the browser sent, already cleaned of any folder; only ever shown.
    public var filename: String?
    public var description: String?
    public var content: Data

    public init(filename: String?, description: String?, content: Data) {
        self.filename = filename
        let description = description?.trimmingCharacters(in: .whitespacesAndNewlines)
        self.description = description?.isEmpty == false ? description : nil
        self.content = content
    }

    /// What the content is, from its signature.
    public var type: AttachmentType? { AttachmentType.detect(in: content) }

    /// Every rule the file breaks, naming its field (`attachment`, `attachment_description`).
    public var problems: [RequestFailure] {
        var problems: [RequestFailure] = []
        if content.count > Self.maximumBytes {
            problems.append(RequestFailure(code: .invalid, message: "Le fichier dépasse 5 Mo : choisissez un fichier plus léger.", field: "attachment"))
        } else if content.isEmpty {
            problems.append(RequestFailure(code: .invalid, message: "Le fichier est vide.", field: "attachment"))
        } else if type == nil {
            problems.append(RequestFailure(
                code: .invalid,
                message: "Ce fichier n'est ni une image (PNG, JPEG, WebP) ni un document PDF, quel que soit son nom : choisissez une image ou un PDF.",
                field: "attachment"
            ))
        }
        if let description, !Self.descriptionLength.contains(description.count) {
            problems.append(RequestFailure(
                code: .invalid, message: "La description doit compter entre 3 et 250 caractères.", field: "attachment_description"
            ))
        } else if description == nil, type?.isImage == true {
            problems.append(RequestFailure(
                code: .invalid, message: "Décrivez l'image en quelques mots, pour les personnes qui ne peuvent pas la voir.",
                field: "attachment_description"
            ))
        }
        return problems
    }

    /// The name it is served under: the sent name without its extension, then the checked
    /// type's extension (a `photo.html` that is a PNG is served as `photo.png`).
    public var servedFilename: String {
        guard let type else { return "piece-jointe" }
        var base = filename ?? ""
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        base = String(base.trimmingCharacters(in: .whitespaces).prefix(100))
        return "\(base.isEmpty ? "piece-jointe" : base).\(type.fileExtension)"
    }
}

/// The attachment of a contribution, as pages and the API show it (its content is served apart).
public struct ContributionAttachment: Codable, Sendable, Equatable {
    public var type: AttachmentType
    public var filename: String
    /// What an image shows (its text alternative); for a PDF, what it is, when said.
    public var description: String?
    public var byteCount: Int

    public init(type: AttachmentType, filename: String, description: String?, byteCount: Int) {
        self.type = type
        self.filename = filename
        self.description = description
        self.byteCount = byteCount
    }
}

/// The content of a published contribution's attachment; not found while the contribution is
/// not shown (in moderation, hidden, withdrawn) or has none. `forModeration` (staff who
/// moderate only: the gateway checks) reads it before publication too, until it is deleted.
public struct GetContributionAttachment: DialogueRequest {
    public static let messageType = "contribution.attachment_get"
    public static let schemaVersion = 1
    public static let targetService = ServiceName.consultations
    public typealias Response = ContributionAttachmentFile

    public var contributionID: UUID
    public var forModeration: Bool

    public init(contributionID: UUID, forModeration: Bool = false) {
        self.contributionID = contributionID
        self.forModeration = forModeration
    }
}

public struct ContributionAttachmentFile: Codable, Sendable, Equatable {
    public var attachment: ContributionAttachment
    public var content: Data

    public init(attachment: ContributionAttachment, content: Data) {
        self.attachment = attachment
        self.content = content
    }
}
