import Foundation

/// A file sent with a `multipart/form-data` form. Its name and content type are what the
/// browser says, so nothing may trust them: the name is only ever shown (and it is cleaned
/// first), the content is checked by whoever takes the file.
public struct UploadedFile: Sendable, Equatable {
    /// The file's name without any folder, control character or quote; nil when nothing is left.
    public let filename: String?
    /// The content type the browser declared (never trusted: informative only).
    public let declaredContentType: String?
    public let content: [UInt8]
}

/// What a `multipart/form-data` reader allows. Each limit is checked as the body is read, so
/// a forged body costs at most the route's body limit.
struct MultipartLimits: Sendable {
    /// Parts in one body (fields and files together).
    var parts = 50
    /// Bytes of one text field (as for a whole urlencoded form: nobody types more).
    var fieldBytes = 64 * 1024
    /// Bytes of one file: a larger one is not kept, and the form says so next to its field.
    var fileBytes = 5 * 1024 * 1024
    /// Bytes of one part's headers.
    var headerBytes = 8 * 1024
}

/// A body the multipart reader refuses, with the French sentence the visitor reads (and the
/// field at fault, when one is).
struct MultipartRefusal: Error, Equatable {
    enum Reason: Equatable { case malformed, tooManyParts, fieldTooLarge }
    let reason: Reason
    let message: String
    let field: String?

    static func malformed(_ detail: String) -> MultipartRefusal {
        MultipartRefusal(reason: .malformed, message: "Le formulaire envoyé est mal formé (\(detail)) : rechargez la page et envoyez-le de nouveau.", field: nil)
    }
}

/// Reads a `multipart/form-data` body (RFC 7578 over RFC 2046): the boundary from the content
/// type, each part's `Content-Disposition` (`name`, `filename`, quoted or not) and
/// `Content-Type`, the text fields as UTF-8 and the files as bytes. Knows no form: the fields
/// land in `FormFields` as an urlencoded form's do, the files beside them.
enum MultipartReader {
    /// The boundary of a `multipart/form-data` content type; nil for another type or none.
    static func boundary(ofContentType contentType: String) -> String? {
        let (value, parameters) = HeaderValue.parse(contentType)
        guard value == "multipart/form-data", let boundary = parameters["boundary"], (1...70).contains(boundary.utf8.count),
              !boundary.hasSuffix(" ")
        else { return nil }
        return boundary
    }

    static func read(_ body: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits()) throws(MultipartRefusal) -> FormFields {
        let crlf: [UInt8] = [13, 10]
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = crlf + dashBoundary
        var form = FormFields()
        // The first boundary opens the body or follows a preamble's line break.
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let found = body.firstRange(of: delimiter) {
            position = found.upperBound
        } else {
            throw .malformed("séparateur absent")
        }
        var partCount = 0
        while true {
            // After a boundary: `--` closes the body; otherwise optional padding, then a line break.
            if body[position...].starts(with: [45, 45]) { return form }
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard body[position...].starts(with: crlf) else { throw .malformed("séparateur suivi d'autre chose qu'un retour à la ligne") }
            position += 2
            partCount += 1
            guard partCount <= limits.parts else {
                throw MultipartRefusal(reason: .tooManyParts, message: "Le formulaire compte trop de champs (au plus \(limits.parts)).", field: nil)
            }
            let headerEnd: Int
            if body[position...].starts(with: crlf) {
                headerEnd = position  // a part without headers: refused below for lack of a name
            } else {
                let window = body[position..<min(body.count, position + limits.headerBytes + 4)]
                guard let end = window.firstRange(of: crlf + crlf) else { throw .malformed("en-têtes d'une partie incomplets ou trop longs") }
                headerEnd = end.lowerBound
            }
            let headers = try Self.headers(body[position..<headerEnd])
            let contentStart = headerEnd + (headerEnd == position ? 2 : 4)
            guard let next = body[contentStart...].firstRange(of: delimiter) else { throw .malformed("fin du formulaire absente") }
            let content = body[contentStart..<next.lowerBound]
            position = next.upperBound

            guard let disposition = headers["content-disposition"] else { throw .malformed("partie sans « Content-Disposition »") }
            let (kind, parameters) = HeaderValue.parse(disposition)
            guard kind == "form-data", let name = parameters["name"] else { throw .malformed("partie sans nom de champ") }
            if let filename = parameters["filename"] {
                // A file input left empty sends an empty name and no content: no file.
                if filename.isEmpty && content.isEmpty { continue }
                if content.count > limits.fileBytes {
                    form.markFileTooLarge(name)
                } else {
                    form.addFile(
                        UploadedFile(filename: Self.cleanFilename(filename), declaredContentType: headers["content-type"], content: Array(content)),
                        named: name
                    )
                }
            } else {
                guard content.count <= limits.fieldBytes else {
                    throw MultipartRefusal(
                        reason: .fieldTooLarge, message: "Le champ « \(name) » est trop long (au plus \(limits.fieldBytes / 1024) Kio).", field: name
                    )
                }
                guard let text = String(validating: content, as: UTF8.self) else { throw .malformed("le champ « \(name) » n'est pas du texte UTF-8") }
                form.append(text, named: name)
            }
        }
    }

    /// A part's headers, names lowercased; a line that is no header refuses the body.
    private static func headers(_ bytes: ArraySlice<UInt8>) throws(MultipartRefusal) -> [String: String] {
        guard !bytes.isEmpty else { return [:] }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed("en-tête illisible") }
        var headers: [String: String] = [:]
        for line in text.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { throw .malformed("en-tête illisible") }
            headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// The last component of a name a browser (or a forger) sent: no folder (`/` or `\`), no
    /// control character, no quote, at most 100 characters; nil when nothing is left.
    static func cleanFilename(_ sent: String) -> String? {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = last.unicodeScalars.filter { scalar in
            !CharacterSet.controlCharacters.contains(scalar) && !"\"'<>`;".unicodeScalars.contains(scalar)
        }
        let cleaned = String(String.UnicodeScalarView(kept)).trimmingCharacters(in: .whitespaces)
        guard !cleaned.isEmpty, cleaned != ".", cleaned != ".." else { return nil }
        return String(cleaned.prefix(100))
    }
}

/// A header value with parameters (`form-data; name="titre"; filename="a b.pdf"`): the value
/// lowercased, and each parameter by lowercased name, quoted strings unquoted (`\"` is `"`).
enum HeaderValue {
    static func parse(_ header: String) -> (value: String, parameters: [String: String]) {
        var scalars = Substring(header)
        func skipSpaces() { scalars = scalars.drop(while: { $0 == " " || $0 == "\t" }) }
        let value = scalars.prefix(while: { $0 != ";" })
        scalars = scalars.dropFirst(value.count)
        var parameters: [String: String] = [:]
        while scalars.first == ";" {
            scalars = scalars.dropFirst()
            skipSpaces()
            let name = scalars.prefix(while: { $0 != "=" && $0 != ";" })
            scalars = scalars.dropFirst(name.count)
            guard scalars.first == "=" else { continue }
            scalars = scalars.dropFirst()
            skipSpaces()
            var parameter = ""
            if scalars.first == "\"" {
                scalars = scalars.dropFirst()
                while let character = scalars.first, character != "\"" {
                    scalars = scalars.dropFirst()
                    if character == "\\", let escaped = scalars.first {
                        parameter.append(escaped)
                        scalars = scalars.dropFirst()
                    } else {
                        parameter.append(character)
                    }
                }
                scalars = scalars.dropFirst()  // the closing quote
                scalars = scalars.drop(while: { $0 != ";" })
            } else {
                let raw = scalars.prefix(while: { $0 != ";" })
                scalars = scalars.dropFirst(raw.count)
                parameter = raw.trimmingCharacters(in: .whitespaces)
            }
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            // The first of a repeated parameter counts: a forger's second `name` changes nothing.
            if parameters[key] == nil { parameters[key] = parameter }
        }
        return (value.trimmingCharacters(in: .whitespaces).lowercased(), parameters)
    }
}
