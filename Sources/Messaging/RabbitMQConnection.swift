internal import CRabbitMQ
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A queue declaration as the broker understands it.
struct QueueDeclaration: Sendable {
    var name: String
    var durable = true
    var exclusive = false
    var autoDelete = false
    var arguments: [String: HeaderValue] = [:]
}

/// What the broker sent that a session acts on.
enum InboundEvent {
    case confirmed(tag: UInt64, multiple: Bool)
    case refused(tag: UInt64, multiple: Bool)
    case returned(replyCode: Int, replyText: String, message: IncomingMessage)
    case delivered(tag: UInt64, message: IncomingMessage)
    case consumerCancelled
    case blocked
    case unblocked
}

/// What one read from the broker gave.
enum InboundFrame {
    /// Nothing arrived within the wait.
    case timedOut
    /// A frame the sessions do not act on (a heartbeat, a method nobody waits for).
    case ignored
    case event(InboundEvent)
}

/// The one Swift type that calls into rabbitmq-c.
///
/// rabbitmq-c connections are not thread-safe, so an instance is created, used and
/// destroyed on a single thread (its `ConnectionLoop`), and never shared.
final class RabbitMQConnection {
    static let channel: amqp_channel_t = 1
    private let state: amqp_connection_state_t
    private var isOpen = false

    /// Opens the socket (TCP or TLS), logs in and opens channel 1.
    init(settings: AMQPSettings, connectionName: String) throws(AMQPError) {
        guard let state = amqp_new_connection() else {
            throw AMQPError.library(operation: "amqp_new_connection", message: "out of memory")
        }
        self.state = state
        // On failure `deinit` runs (self is fully initialised) and destroys the state.
        try open(settings: settings)
    }

    deinit {
        if isOpen {
            _ = amqp_connection_close(state, AMQP_REPLY_SUCCESS)
        }
        amqp_destroy_connection(state)
    }

    private func open(settings: AMQPSettings) throws(AMQPError) {
        let socket: OpaquePointer?
        if let tls = settings.tls {
            socket = amqp_ssl_socket_new(state)
            guard let socket else { throw AMQPError.library(operation: "amqp_ssl_socket_new", message: "could not create a TLS socket") }
            try Self.configure(tlsSocket: socket, tls)
        } else {
            socket = amqp_tcp_socket_new(state)
            guard socket != nil else { throw AMQPError.library(operation: "amqp_tcp_socket_new", message: "could not create a socket") }
        }
        var timeout = timeval(duration: settings.connectTimeout)
        // A broker that accepts the socket but never speaks must not hold the thread longer
        // than a refused connection would.
        _ = amqp_set_handshake_timeout(state, &timeout)
        try check(amqp_socket_open_noblock(socket, settings.host, Int32(settings.port), &timeout), "connect to \(settings.host):\(settings.port)")
        // Bounds every synchronous broker round trip (declarations, qos) so a stalled broker
        // surfaces as an error instead of a hung thread.
        var rpcTimeout = timeval(duration: .seconds(30))
        _ = amqp_set_rpc_timeout(state, &rpcTimeout)
        try checkReply(
            CRabbitMQ_login(state, settings.virtualHost, 0, 131_072, Int32(settings.heartbeatSeconds), settings.user, settings.password),
            "login"
        )
        isOpen = true
        amqp_channel_open(state, Self.channel)
        try checkReply(amqp_get_rpc_reply(state), "channel.open")
    }

    /// Loads the TLS files into a socket. A file that cannot be used is a configuration
    /// error, found before any network traffic, so it is never mistaken for a broker that is away.
    private static func configure(tlsSocket socket: OpaquePointer, _ tls: AMQPSettings.TLS) throws(AMQPError) {
        amqp_ssl_socket_set_verify_peer(socket, tls.verifyPeer ? 1 : 0)
        amqp_ssl_socket_set_verify_hostname(socket, tls.verifyPeer ? 1 : 0)
        if let ca = tls.caCertificatePath {
            let status = amqp_ssl_socket_set_cacert(socket, ca)
            guard status >= 0 else {
                throw AMQPError.tlsConfiguration("cannot use the CA certificate file \(ca) (cacertfile): \(String(cString: amqp_error_string2(status)))")
            }
        }
        if let certificate = tls.certificatePath, let key = tls.keyPath {
            let status = amqp_ssl_socket_set_key(socket, certificate, key)
            guard status >= 0 else {
                throw AMQPError.tlsConfiguration(
                    "cannot use the client certificate \(certificate) and key \(key) (certfile, keyfile): \(String(cString: amqp_error_string2(status)))"
                )
            }
        }
    }

    /// Loads the TLS files of `settings` into a throw-away socket, without connecting, so
    /// that start-up reports an unusable file with the other configuration problems.
    static func checkTLSFiles(of settings: AMQPSettings) throws(AMQPError) {
        guard let tls = settings.tls else { return }
        guard let state = amqp_new_connection() else {
            throw AMQPError.library(operation: "amqp_new_connection", message: "out of memory")
        }
        defer { amqp_destroy_connection(state) }
        guard let socket = amqp_ssl_socket_new(state) else {
            throw AMQPError.library(operation: "amqp_ssl_socket_new", message: "could not create a TLS socket")
        }
        try configure(tlsSocket: socket, tls)
    }

    /// The socket, for `poll(2)`.
    var fileDescriptor: Int32 { amqp_get_sockfd(state) }

    /// Whether frames are already buffered and must be read before polling the socket.
    var hasBufferedInput: Bool {
        amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0
    }

    func enablePublisherConfirms() throws(AMQPError) {
        amqp_confirm_select(state, Self.channel)
        try checkReply(amqp_get_rpc_reply(state), "confirm.select")
    }

    func setPrefetch(_ count: Int) throws(AMQPError) {
        amqp_basic_qos(state, Self.channel, 0, UInt16(clamping: count), 0)
        try checkReply(amqp_get_rpc_reply(state), "basic.qos")
    }

    func declareExchange(_ name: String, type: String, durable: Bool = true, internal isInternal: Bool = false) throws(AMQPError) {
        withBytes(name) { exchange in
            withBytes(type) { type in
                _ = amqp_exchange_declare(state, Self.channel, exchange, type, 0, durable ? 1 : 0, 0, isInternal ? 1 : 0, amqp_empty_table)
            }
        }
        try checkReply(amqp_get_rpc_reply(state), "exchange.declare \(name)")
    }

    /// Declares a queue and answers its name (the broker's, when `name` is empty).
    @discardableResult
    func declareQueue(_ declaration: QueueDeclaration) throws(AMQPError) -> String {
        let arguments = FieldTable(declaration.arguments)
        let name: String? = withBytes(declaration.name) { queue in
            arguments.withTable { table in
                guard let ok = amqp_queue_declare(
                    state, Self.channel, queue, 0,
                    declaration.durable ? 1 : 0, declaration.exclusive ? 1 : 0, declaration.autoDelete ? 1 : 0,
                    table
                ) else { return nil }
                return String(amqpBytes: ok.pointee.queue)
            }
        }
        try checkReply(amqp_get_rpc_reply(state), "queue.declare \(declaration.name)")
        return name ?? declaration.name
    }

    func bindQueue(_ queue: String, exchange: String, routingKey: String) throws(AMQPError) {
        withBytes(queue) { queue in
            withBytes(exchange) { exchange in
                withBytes(routingKey) { key in
                    _ = amqp_queue_bind(state, Self.channel, queue, exchange, key, amqp_empty_table)
                }
            }
        }
        try checkReply(amqp_get_rpc_reply(state), "queue.bind \(queue) to \(exchange) (\(routingKey))")
    }

    func deleteQueue(_ queue: String) throws(AMQPError) {
        withBytes(queue) { queue in
            _ = amqp_queue_delete(state, Self.channel, queue, 0, 0)
        }
        try checkReply(amqp_get_rpc_reply(state), "queue.delete")
    }

    func deleteExchange(_ exchange: String) throws(AMQPError) {
        withBytes(exchange) { exchange in
            _ = amqp_exchange_delete(state, Self.channel, exchange, 0)
        }
        try checkReply(amqp_get_rpc_reply(state), "exchange.delete")
    }

    /// Number of messages ready in a queue (passive declare), for readiness and metrics.
    func messageCount(queue: String) throws(AMQPError) -> Int {
        let count: Int? = withBytes(queue) { queue in
            guard let ok = amqp_queue_declare(state, Self.channel, queue, 1, 0, 0, 0, amqp_empty_table) else { return nil }
            return Int(ok.pointee.message_count)
        }
        try checkReply(amqp_get_rpc_reply(state), "queue.declare (passive) \(queue)")
        return count ?? 0
    }

    func consume(queue: String, noAck: Bool) throws(AMQPError) {
        withBytes(queue) { queue in
            _ = amqp_basic_consume(state, Self.channel, queue, amqp_empty_bytes, 0, noAck ? 1 : 0, 0, amqp_empty_table)
        }
        try checkReply(amqp_get_rpc_reply(state), "basic.consume")
    }

    func publish(_ message: OutgoingMessage) throws(AMQPError) {
        let headers = FieldTable(message.headers)
        let status: Int32 = withBytes(message.exchange) { exchange in
            withBytes(message.routingKey) { routingKey in
                withBytes(message.contentType) { contentType in
                    withBytes(message.messageID) { messageID in
                        withBytes(message.type) { type in
                            withOptionalBytes(message.correlationID) { correlationID in
                                withOptionalBytes(message.replyTo) { replyTo in
                                    withOptionalBytes(message.expirationMilliseconds.map(String.init)) { expiration in
                                        headers.withTable { table in
                                            var properties = amqp_basic_properties_t()
                                            var flags = UInt32(AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG
                                                | AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_TIMESTAMP_FLAG
                                                | AMQP_BASIC_HEADERS_FLAG)
                                            properties.content_type = contentType
                                            properties.delivery_mode = message.persistent ? 2 : 1
                                            properties.message_id = messageID
                                            properties.type = type
                                            properties.timestamp = UInt64(max(0, message.timestamp.timeIntervalSince1970))
                                            properties.headers = table
                                            if let correlationID {
                                                properties.correlation_id = correlationID
                                                flags |= UInt32(AMQP_BASIC_CORRELATION_ID_FLAG)
                                            }
                                            if let replyTo {
                                                properties.reply_to = replyTo
                                                flags |= UInt32(AMQP_BASIC_REPLY_TO_FLAG)
                                            }
                                            if let expiration {
                                                properties.expiration = expiration
                                                flags |= UInt32(AMQP_BASIC_EXPIRATION_FLAG)
                                            }
                                            properties._flags = flags
                                            return message.body.withUnsafeBytes { raw in
                                                let body = amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                                                return amqp_basic_publish(
                                                    state, Self.channel, exchange, routingKey,
                                                    message.mandatory ? 1 : 0, 0, &properties, body
                                                )
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try check(status, "basic.publish")
    }

    func ack(_ tag: UInt64) throws(AMQPError) {
        try check(amqp_basic_ack(state, Self.channel, tag, 0), "basic.ack")
    }

    func nack(_ tag: UInt64, requeue: Bool) throws(AMQPError) {
        try check(amqp_basic_nack(state, Self.channel, tag, 0, requeue ? 1 : 0), "basic.nack")
    }

    /// Reads the next event, waiting at most `timeout` (zero: only what is already there).
    /// Heartbeats are sent and checked by rabbitmq-c inside this call.
    func nextFrame(timeout: Duration) throws(AMQPError) -> InboundFrame {
        var frame = amqp_frame_t()
        var wait = timeval(duration: timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return .timedOut }
        try check(status, "read frame")
        guard frame.frame_type == AMQP_FRAME_METHOD else { return .ignored }
        return try event(of: frame.payload.method).map(InboundFrame.event) ?? .ignored
    }

    /// The event a method frame carries, or nil for a method the sessions do not act on.
    private func event(of method: amqp_method_t) throws(AMQPError) -> InboundEvent? {
        switch method.id {
        case CRabbitMQ_METHOD_BASIC_ACK:
            let ack = method.decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
            return .confirmed(tag: ack.delivery_tag, multiple: ack.multiple != 0)
        case CRabbitMQ_METHOD_BASIC_NACK:
            let nack = method.decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
            return .refused(tag: nack.delivery_tag, multiple: nack.multiple != 0)
        case CRabbitMQ_METHOD_BASIC_DELIVER:
            let deliver = method.decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee
            var message = try readContent(exchange: String(amqpBytes: deliver.exchange), routingKey: String(amqpBytes: deliver.routing_key))
            message.redelivered = deliver.redelivered != 0
            return .delivered(tag: deliver.delivery_tag, message: message)
        case CRabbitMQ_METHOD_BASIC_RETURN:
            let returned = method.decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
            let message = try readContent(exchange: String(amqpBytes: returned.exchange), routingKey: String(amqpBytes: returned.routing_key))
            return .returned(replyCode: Int(returned.reply_code), replyText: String(amqpBytes: returned.reply_text), message: message)
        case CRabbitMQ_METHOD_BASIC_CANCEL:
            return .consumerCancelled
        case CRabbitMQ_METHOD_CONNECTION_BLOCKED:
            return .blocked
        case CRabbitMQ_METHOD_CONNECTION_UNBLOCKED:
            return .unblocked
        case CRabbitMQ_METHOD_CHANNEL_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            var ok = amqp_channel_close_ok_t()
            _ = amqp_send_method(state, Self.channel, AMQP_CHANNEL_CLOSE_OK_METHOD_ID, &ok)
            throw AMQPError.brokerClosed(code: Int(close.reply_code), text: String(amqpBytes: close.reply_text))
        case CRabbitMQ_METHOD_CONNECTION_CLOSE:
            let close = method.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            var ok = amqp_connection_close_ok_t()
            _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD_ID, &ok)
            isOpen = false
            throw AMQPError.brokerClosed(code: Int(close.reply_code), text: String(amqpBytes: close.reply_text))
        default:
            return nil
        }
    }

    /// Frees the frame memory rabbitmq-c pooled for the events already converted to Swift.
    func releaseBuffers() {
        amqp_maybe_release_buffers(state)
    }

    private func readContent(exchange: String, routingKey: String) throws(AMQPError) -> IncomingMessage {
        var raw = amqp_message_t()
        try checkReply(amqp_read_message(state, Self.channel, &raw, 0), "read message")
        defer { amqp_destroy_message(&raw) }
        let properties = raw.properties
        let flags = properties._flags
        func text(_ flag: Int32, _ bytes: amqp_bytes_t) -> String? {
            flags & UInt32(flag) != 0 ? String(amqpBytes: bytes) : nil
        }
        let body: [UInt8] = raw.body.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: raw.body.bytes, count: raw.body.len))
        return IncomingMessage(
            exchange: exchange,
            routingKey: routingKey,
            body: body,
            messageID: text(AMQP_BASIC_MESSAGE_ID_FLAG, properties.message_id),
            type: text(AMQP_BASIC_TYPE_FLAG, properties.type),
            timestamp: flags & UInt32(AMQP_BASIC_TIMESTAMP_FLAG) != 0 ? Date(timeIntervalSince1970: TimeInterval(properties.timestamp)) : nil,
            correlationID: text(AMQP_BASIC_CORRELATION_ID_FLAG, properties.correlation_id),
            replyTo: text(AMQP_BASIC_REPLY_TO_FLAG, properties.reply_to),
            contentType: text(AMQP_BASIC_CONTENT_TYPE_FLAG, properties.content_type),
            headers: flags & UInt32(AMQP_BASIC_HEADERS_FLAG) != 0 ? FieldTable.decode(properties.headers) : [:]
        )
    }

    // MARK: - Status checks

    /// Turns a rabbitmq-c status code into a Swift error.
    private func check(_ status: Int32, _ operation: String) throws(AMQPError) {
        guard status < 0 else { return }
        let message = String(cString: amqp_error_string2(status))
        if status == AMQP_STATUS_CONNECTION_CLOSED.rawValue || status == AMQP_STATUS_SOCKET_ERROR.rawValue
            || status == AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue || status == AMQP_STATUS_SOCKET_CLOSED.rawValue
        {
            isOpen = false
            throw AMQPError.connectionLost("\(operation): \(message)")
        }
        throw AMQPError.library(operation: operation, message: message)
    }

    /// Turns a synchronous method's reply into a Swift error.
    private func checkReply(_ reply: amqp_rpc_reply_t, _ operation: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_NONE:
            isOpen = false
            throw AMQPError.connectionLost("\(operation): the broker closed the socket")
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            try check(reply.library_error < 0 ? reply.library_error : -1, operation)
            throw AMQPError.library(operation: operation, message: "unknown library error")
        default:
            if reply.reply.id == CRabbitMQ_METHOD_CONNECTION_CLOSE {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                var ok = amqp_connection_close_ok_t()
                _ = amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD_ID, &ok)
                isOpen = false
                throw AMQPError.brokerClosed(code: Int(close.reply_code), text: "\(operation): \(String(amqpBytes: close.reply_text))")
            }
            if reply.reply.id == CRabbitMQ_METHOD_CHANNEL_CLOSE {
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                var ok = amqp_channel_close_ok_t()
                _ = amqp_send_method(state, Self.channel, AMQP_CHANNEL_CLOSE_OK_METHOD_ID, &ok)
                throw AMQPError.brokerClosed(code: Int(close.reply_code), text: "\(operation): \(String(amqpBytes: close.reply_text))")
            }
            throw AMQPError.library(operation: operation, message: "unexpected broker reply \(reply.reply.id)")
        }
    }
}

// MARK: - Bytes and tables

private let AMQP_CHANNEL_CLOSE_OK_METHOD_ID: amqp_method_number_t = 0x0014_0029
private let AMQP_CONNECTION_CLOSE_OK_METHOD_ID: amqp_method_number_t = 0x000A_0033

extension String {
    fileprivate init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let base = bytes.bytes else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }
}

private func withBytes<Result>(_ string: String, _ body: (amqp_bytes_t) -> Result) -> Result {
    var copy = string
    return copy.withUTF8 { buffer in
        body(amqp_bytes_t(len: buffer.count, bytes: UnsafeMutableRawPointer(mutating: buffer.baseAddress)))
    }
}

private func withOptionalBytes<Result>(_ string: String?, _ body: (amqp_bytes_t?) -> Result) -> Result {
    guard let string else { return body(nil) }
    return withBytes(string) { body($0) }
}

/// An AMQP field table whose keys and values live exactly as long as this value.
private final class FieldTable {
    private var storage: [(key: [UInt8], value: HeaderValue)]

    init(_ headers: [String: HeaderValue]) {
        storage = headers.sorted { $0.key < $1.key }.map { (Array($0.key.utf8), $0.value) }
    }

    func withTable<Result>(_ body: (amqp_table_t) -> Result) -> Result {
        guard !storage.isEmpty else { return body(amqp_empty_table) }
        var strings: [[UInt8]] = storage.map { entry in
            if case .string(let text) = entry.value { Array(text.utf8) } else { [] }
        }
        var keys = storage.map(\.key)
        let entries = UnsafeMutablePointer<amqp_table_entry_t>.allocate(capacity: storage.count)
        defer { entries.deallocate() }
        return keys.withUnsafeMutableBufferPointer { keyBuffers in
            strings.withUnsafeMutableBufferPointer { stringBuffers in
                for index in storage.indices {
                    let key = keyBuffers[index].withUnsafeMutableBytes { amqp_bytes_t(len: $0.count, bytes: $0.baseAddress) }
                    switch storage[index].value {
                    case .string:
                        let value = stringBuffers[index].withUnsafeMutableBytes { amqp_bytes_t(len: $0.count, bytes: $0.baseAddress) }
                        entries[index] = CRabbitMQ_entry_utf8(key, value)
                    case .int(let number):
                        entries[index] = CRabbitMQ_entry_i64(key, number)
                    case .bool(let flag):
                        entries[index] = CRabbitMQ_entry_bool(key, flag ? 1 : 0)
                    }
                }
                return body(amqp_table_t(num_entries: Int32(storage.count), entries: entries))
            }
        }
    }

    static func decode(_ table: amqp_table_t) -> [String: HeaderValue] {
        var headers: [String: HeaderValue] = [:]
        guard table.num_entries > 0, let entries = table.entries else { return headers }
        for index in 0..<Int(table.num_entries) {
            var entry = entries[index]
            let key = String(amqpBytes: entry.key)
            var bytes = amqp_bytes_t()
            var number: Int64 = 0
            var flag: Int32 = 0
            var nested = amqp_table_t()
            if CRabbitMQ_entry_get_bytes(&entry, &bytes) != 0 {
                headers[key] = .string(String(amqpBytes: bytes))
            } else if CRabbitMQ_entry_get_i64(&entry, &number) != 0 {
                headers[key] = .int(number)
            } else if CRabbitMQ_entry_get_bool(&entry, &flag) != 0 {
                headers[key] = .bool(flag != 0)
            } else if key == "x-death", CRabbitMQ_entry_get_first_table(&entry, &nested) != 0 {
                // Keep the most recent death's reason and queue, flattened, for inspection.
                for (nestedKey, value) in decode(nested) where ["reason", "queue", "count"].contains(nestedKey) {
                    headers["x-death-\(nestedKey)"] = value
                }
            }
        }
        return headers
    }
}

extension timeval {
    fileprivate init(duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
