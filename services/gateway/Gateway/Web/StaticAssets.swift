import Crypto
import Foundation
import Hummingbird
import NIOCore

/// The site's stylesheet, read once from the bundle and served with a validator, so
/// browsers revalidate cheaply.
enum StaticAssets {
    static func register(on router: Router<WebContext>) {
        guard let url = Bundle.module.url(forResource: "Public/site", withExtension: "css")
            ?? Bundle.module.url(forResource: "site", withExtension: "css", subdirectory: "Public"),
            let bytes = try? Data(contentsOf: url)
        else { return }
        let etag = "\"" + SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined() + "\""
        router.get("static/site.css") { request, _ in
            var headers: HTTPFields = [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600", .eTag: etag]
            if request.headers[.ifNoneMatch] == etag {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
