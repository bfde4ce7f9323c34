import Foundation
import Hummingbird
import NIOCore

/// The API's contract, written first and kept in the repository (`openapi.json`); served as is.
enum OpenAPIDocument {
    static func register(on api: SecuredRoutes) {
        let bytes = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) } ?? Data()
        api.get("openapi.json", .everyone) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}
