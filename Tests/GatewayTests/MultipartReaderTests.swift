import Foundation
@testable import Gateway
import Testing

/// The `multipart/form-data` reader of the `Web/` kit: what browsers send is read (fields,
/// files, quoted names), and every malformed or oversized body is refused with a French
/// sentence instead of being half read.
@Suite struct MultipartReaderTests {
    static let boundary = "----dialogueBoundary7MA4YWxkTrZu0gW"

    /// A body as a browser writes it: each part's headers, a blank line, its bytes.
    static func body(_ parts: [(headers: [String], content: [UInt8])], boundary: String = boundary, closed: Bool = true) -> [UInt8] {
        var bytes: [UInt8] = []
        for part in parts {
            bytes += Array("--\(boundary)\r\n".utf8)
            for header in part.headers { bytes += Array("\(header)\r\n".utf8) }
            bytes += Array("\r\n".utf8) + part.content + Array("\r\n".utf8)
        }
        if closed { bytes += Array("--\(boundary)--\r\n".utf8) }
        return bytes
    }

    static func field(_ name: String, _ value: String) -> (headers: [String], content: [UInt8]) {
        (["Content-Disposition: form-data; name=\"\(name)\""], Array(value.utf8))
    }

    @Test func aWellFormedBodyGivesItsFieldsAndItsFile() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x0D, 0x0A, 0x2D, 0x2D]
        let bytes = Array("preamble ignored\r\n".utf8) + Self.body([
            Self.field("_csrf", "jeton"),
            Self.field("text", "Ligne un\r\nligne deux, « é »"),
            (["Content-Disposition: form-data; name=\"attachment\"; filename=\"photo.png\"", "Content-Type: image/png"], png),
            Self.field("choice", "a"), Self.field("choice", "b"),
        ]) + Array("epilogue ignored".utf8)

        let form = try MultipartReader.read(bytes, boundary: Self.boundary)

        #expect(form.raw("_csrf") == "jeton")
        #expect(form.raw("text") == "Ligne un\r\nligne deux, « é »")
        #expect(form.all("choice") == ["a", "b"])
        let file = try #require(form.file("attachment"))
        #expect(file.filename == "photo.png")
        #expect(file.declaredContentType == "image/png")
        // The file's bytes come back whole, a CRLF and dashes inside it included.
        #expect(file.content == png)
        #expect(form.file("text") == nil)
    }

    @Test func theBoundaryIsReadQuotedOrNotAndOnlyFromAFormDataType() {
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data; boundary=abc123") == "abc123")
        #expect(MultipartReader.boundary(ofContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"") == "a b;c")
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data") == nil)
        #expect(MultipartReader.boundary(ofContentType: "multipart/mixed; boundary=abc") == nil)
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data; boundary=") == nil)
        #expect(MultipartReader.boundary(ofContentType: "multipart/form-data; boundary=\(String(repeating: "x", count: 71))") == nil)
    }

    @Test func aBodyWithoutItsBoundaryOrCutShortIsRefused() {
        let complete = Self.body([Self.field("title", "Un titre"), Self.field("text", "Un texte")])
        #expect(throws: MultipartRefusal.self) { try MultipartReader.read(complete, boundary: "autre-chose") }
        #expect(throws: MultipartRefusal.self) { try MultipartReader.read([], boundary: Self.boundary) }
        // Cut anywhere before the closing boundary: refused, never half read.
        for length in [10, 60, complete.count / 2, complete.count - 10] {
            #expect(throws: MultipartRefusal.self) { try MultipartReader.read(Array(complete.prefix(length)), boundary: Self.boundary) }
        }
        let unclosed = Self.body([Self.field("title", "Un titre")], closed: false)
        #expect(throws: MultipartRefusal.self) { try MultipartReader.read(unclosed, boundary: Self.boundary) }
        // Parts without a name, or without a disposition, or with headers that are no headers.
        for headers in [["Content-Disposition: form-data"], ["Content-Type: text/plain"], ["pas un en-tête"], ["Content-Disposition: attachment; name=\"a\""]] {
            let bytes = Self.body([(headers, Array("x".utf8))])
            #expect(throws: MultipartRefusal.self) { try MultipartReader.read(bytes, boundary: Self.boundary) }
        }
        // Text that is not UTF-8.
        let latin1 = Self.body([(["Content-Disposition: form-data; name=\"title\""], [0x63, 0x61, 0x66, 0xE9])])
        #expect(throws: MultipartRefusal.self) { try MultipartReader.read(latin1, boundary: Self.boundary) }
    }

    @Test func limitsOnPartsFieldsAndFilesAreKept() throws {
        let limits = MultipartLimits(parts: 3, fieldBytes: 16, fileBytes: 32, headerBytes: 200)
        let four = Self.body((0..<4).map { Self.field("f\($0)", "x") })
        let tooMany = #expect(throws: MultipartRefusal.self) { try MultipartReader.read(four, boundary: Self.boundary, limits: limits) }
        #expect(tooMany?.reason == .tooManyParts)
        #expect(tooMany?.message.contains("trop de champs") == true)

        let long = Self.body([Self.field("title", String(repeating: "a", count: 17))])
        let tooLong = #expect(throws: MultipartRefusal.self) { try MultipartReader.read(long, boundary: Self.boundary, limits: limits) }
        #expect(tooLong?.reason == .fieldTooLarge)
        #expect(tooLong?.field == "title")

        let header = Self.body([(["Content-Disposition: form-data; name=\"a\"; x=\"\(String(repeating: "y", count: 300))\""], [0x31])])
        #expect(throws: MultipartRefusal.self) { try MultipartReader.read(header, boundary: Self.boundary, limits: limits) }

        // A file too large is not kept, and the form says so for its field rather than failing whole.
        let bigFile = Self.body([
            Self.field("title", "Un titre"),
            (["Content-Disposition: form-data; name=\"attachment\"; filename=\"gros.pdf\""], [UInt8](repeating: 0x25, count: 33)),
        ])
        let form = try MultipartReader.read(bigFile, boundary: Self.boundary, limits: limits)
        #expect(form.file("attachment") == nil)
        #expect(form.fileIsTooLarge("attachment"))
        #expect(form.raw("title") == "Un titre")
        let exact = Self.body([(["Content-Disposition: form-data; name=\"attachment\"; filename=\"juste.pdf\""], [UInt8](repeating: 0x25, count: 32))])
        #expect(try MultipartReader.read(exact, boundary: Self.boundary, limits: limits).file("attachment")?.content.count == 32)
    }

    @Test func anEmptyFileInputIsNoFile() throws {
        let bytes = Self.body([
            (["Content-Disposition: form-data; name=\"attachment\"; filename=\"\"", "Content-Type: application/octet-stream"], []),
            Self.field("title", "Un titre"),
        ])
        let form = try MultipartReader.read(bytes, boundary: Self.boundary)
        #expect(form.file("attachment") == nil)
        #expect(!form.fileIsTooLarge("attachment"))
        #expect(form.raw("title") == "Un titre")
    }

    @Test func filenamesLoseTheirFoldersQuotesAndControlsAndKeepTheirLetters() throws {
        func sentName(_ disposition: String) throws -> String? {
            let bytes = Self.body([(["Content-Disposition: form-data; name=\"attachment\"; \(disposition)"], [0x31])])
            return try MultipartReader.read(bytes, boundary: Self.boundary).file("attachment")?.filename
        }
        #expect(try sentName("filename=\"../../etc/passwd\"") == "passwd")
        #expect(try sentName("filename=\"C:\\\\Users\\\\Zoé\\\\relevé été.pdf\"") == "relevé été.pdf")
        #expect(try sentName("filename=\"dit \\\"bonjour\\\".png\"") == "dit bonjour.png")
        #expect(try sentName("filename=plain.pdf") == "plain.pdf")
        #expect(try sentName("filename=\"<script>.pdf\"") == "script.pdf")
        #expect(try sentName("filename=\"..\"") == nil)
        #expect(MultipartReader.cleanFilename("a\u{7}b\u{0}c.pdf") == "abc.pdf")
        #expect(MultipartReader.cleanFilename(String(repeating: "é", count: 300))?.count == 100)
        // A `name` given twice: the first counts.
        let twice = Self.body([(["Content-Disposition: form-data; name=\"title\"; name=\"_csrf\""], Array("x".utf8))])
        #expect(try MultipartReader.read(twice, boundary: Self.boundary).raw("title") == "x")
    }

    @Test func aNulInATextFieldIsSeenButNotInAFile() throws {
        let inText = Self.body([Self.field("title", "a\u{0}b")])
        #expect(try MultipartReader.read(inText, boundary: Self.boundary).holdsNullCharacter)
        let inFile = Self.body([(["Content-Disposition: form-data; name=\"attachment\"; filename=\"a.png\""], [0x00, 0x01])])
        #expect(try !MultipartReader.read(inFile, boundary: Self.boundary).holdsNullCharacter)
    }
}
