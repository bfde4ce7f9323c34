/// The W3C trace context (`traceparent`) of the work in hand, so that one request can be
/// followed through every service it reaches.
///
/// The context of the current task is `TraceContext.current`: whoever receives work (the
/// gateway for an HTTP request, a consumer for a message) sets it to a child of the
/// incoming `traceparent` for as long as the work runs, and whatever that work sends
/// (commands, RPC requests, outbox rows) carries it, so that the receiver's work becomes a
/// child in turn. Logs print its ids.
public struct TraceContext: Sendable, Hashable, CustomStringConvertible {
    /// The trace: 32 lowercase hexadecimal digits, not all zero; shared by every span of the trace.
    public let traceID: String
    /// This span: 16 lowercase hexadecimal digits, not all zero (the `parent-id` of what it sends).
    public let spanID: String
    /// The trace flags (bit 0: sampled).
    public let flags: UInt8

    /// The context of the current task, if any.
    @TaskLocal public static var current: TraceContext?

    /// Reads a `traceparent` header; nil when it is not a valid one (wrong length, upper-case
    /// or non-hexadecimal digits, all-zero ids, version `ff`). A later version is read by its
    /// first four fields, as the recommendation asks.
    public init?(traceparent: String) {
        let text = Array(traceparent.utf8)
        guard text.count >= 55, text[2] == UInt8(ascii: "-"), text[35] == UInt8(ascii: "-"), text[52] == UInt8(ascii: "-") else { return nil }
        let version = text[0..<2], trace = text[3..<35], span = text[36..<52], flags = text[53..<55]
        guard [version, trace, span, flags].allSatisfy(Self.isLowercaseHex), version.elementsEqual("ff".utf8) == false else { return nil }
        if version.elementsEqual("00".utf8) {
            guard text.count == 55 else { return nil }
        } else if text.count > 55, text[55] != UInt8(ascii: "-") {
            return nil
        }
        guard trace.contains(where: { $0 != UInt8(ascii: "0") }), span.contains(where: { $0 != UInt8(ascii: "0") }) else { return nil }
        self.traceID = String(decoding: trace, as: UTF8.self)
        self.spanID = String(decoding: span, as: UTF8.self)
        self.flags = UInt8(String(decoding: flags, as: UTF8.self), radix: 16) ?? 0
    }

    private init(traceID: String, spanID: String, flags: UInt8) {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// A new trace, sampled: for work that nothing upstream traced.
    public static func make() -> TraceContext {
        TraceContext(traceID: randomHex(bytes: 16), spanID: randomHex(bytes: 8), flags: 0x01)
    }

    /// A span of the same trace whose parent is this one.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: Self.randomHex(bytes: 8), flags: flags)
    }

    /// The context for handling `message`: a child of its `traceparent`, or a new trace
    /// when it carries none (or an invalid one).
    public init(handling message: IncomingMessage) {
        self = message.traceContext?.child() ?? .make()
    }

    /// The `traceparent` header of this context (version 00).
    public var traceparent: String {
        let hexFlags = String(flags, radix: 16)
        return "00-\(traceID)-\(spanID)-\(hexFlags.count == 1 ? "0" + hexFlags : hexFlags)"
    }

    public var description: String { traceparent }

    private static func isLowercaseHex(_ digits: ArraySlice<UInt8>) -> Bool {
        digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    private static func randomHex(bytes count: Int) -> String {
        // All zero would be invalid: such a draw (one in 2^64 or more) gets a non-zero first byte.
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        if bytes.allSatisfy({ $0 == 0 }) { bytes[0] = 1 }
        return bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }
}

extension IncomingMessage {
    /// The valid `traceparent` the message carries, if any.
    public var traceContext: TraceContext? {
        headers[EnvelopeHeader.traceparent]?.stringValue.flatMap(TraceContext.init(traceparent:))
    }
}
