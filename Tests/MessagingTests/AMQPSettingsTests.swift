import Messaging
import Testing

@Suite struct AMQPSettingsTests {
    @Test func plainURLWithEncodedDefaultVirtualHost() throws {
        let settings = try AMQPSettings(url: "amqp://dialogue:s3cret@broker.example:5673/%2f")

        #expect(settings.host == "broker.example")
        #expect(settings.port == 5673)
        #expect(settings.user == "dialogue")
        #expect(settings.password == "s3cret")
        #expect(settings.virtualHost == "/")
        #expect(settings.tls == nil)
        #expect(settings.heartbeatSeconds == 20)
        #expect(settings.connectTimeout == .seconds(5))
    }

    @Test func customVirtualHostAndDefaultPort() throws {
        let settings = try AMQPSettings(url: "amqp://dialogue:s3cret@broker.example/ceser")

        #expect(settings.virtualHost == "ceser")
        #expect(settings.port == 5672)
    }

    @Test func percentEncodedVirtualHostAndCredentialsAreDecoded() throws {
        let settings = try AMQPSettings(url: "amqp://ceser%40hdf:p%40ss%3Aword@broker.example/ceser%2Fprod")

        #expect(settings.user == "ceser@hdf")
        #expect(settings.password == "p@ss:word")
        #expect(settings.virtualHost == "ceser/prod")
    }

    @Test(arguments: ["amqp://broker.example", "amqp://broker.example/", "amqp://broker.example:5672"])
    func missingPathMeansDefaultVirtualHost(url: String) throws {
        let settings = try AMQPSettings(url: url)

        #expect(settings.virtualHost == "/")
        #expect(settings.user == "guest")
        #expect(settings.password == "guest")
    }

    @Test func amqpsDefaultsToPort5671WithTLSOptionsFromTheQuery() throws {
        let settings = try AMQPSettings(
            url: "amqps://dialogue:s3cret@broker.example/%2f?cacertfile=/etc/ssl/ca.pem&certfile=/etc/ssl/client.pem&keyfile=/etc/ssl/client.key&verify=verify_peer"
        )

        #expect(settings.port == 5671)
        #expect(settings.tls?.caCertificatePath == "/etc/ssl/ca.pem")
        #expect(settings.tls?.certificatePath == "/etc/ssl/client.pem")
        #expect(settings.tls?.keyPath == "/etc/ssl/client.key")
        #expect(settings.tls?.verifyPeer == true)
    }

    @Test func amqpsVerifiesThePeerUnlessToldNotTo() throws {
        let verifying = try AMQPSettings(url: "amqps://broker.example")
        let trusting = try AMQPSettings(url: "amqps://broker.example:6671?verify=verify_none")

        #expect(verifying.tls == AMQPSettings.TLS(caCertificatePath: nil, certificatePath: nil, keyPath: nil, verifyPeer: true))
        #expect(trusting.tls?.verifyPeer == false)
        #expect(trusting.port == 6671)
    }

    @Test func schemeIsCaseInsensitive() throws {
        let settings = try AMQPSettings(url: "AMQPS://broker.example")

        #expect(settings.tls != nil)
        #expect(settings.port == 5671)
    }

    @Test func heartbeatAndConnectionTimeoutFromTheQuery() throws {
        let settings = try AMQPSettings(url: "amqp://guest:guest@127.0.0.1:5672/?heartbeat=30&connection_timeout=2500")

        #expect(settings.heartbeatSeconds == 30)
        #expect(settings.connectTimeout == .milliseconds(2500))
    }

    @Test func heartbeatZeroTurnsHeartbeatsOff() throws {
        #expect(try AMQPSettings(url: "amqp://broker.example?heartbeat=0").heartbeatSeconds == 0)
    }

    @Test(arguments: [
        "",
        "not a url",
        "http://broker.example",
        "amqp://",
        "amqp:///vhost",
        "broker.example:5672",
        "amqp://broker.example?heartbeat=often",
        "amqp://broker.example?heartbeat=-1",
        "amqp://broker.example?connection_timeout=0",
        "amqp://broker.example?connection_timeout=5s",
    ])
    func invalidURLIsRejected(url: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPSettings(url: url) }
        guard case .invalidSettings = error else {
            Issue.record("expected .invalidSettings, got \(String(describing: error))")
            return
        }
        #expect(error?.isTransient == false)
    }

    @Test(arguments: [
        "amqp://dialogue:Sup3rS3cret@broker.example:5672/%2f",
        "amqp://dialogue:Sup3rS3cret@broker.example/ceser?heartbeat=10",
        "amqps://dialogue:Sup3rS3cret@broker.example/ceser?verify=verify_none",
    ])
    func redactedDescriptionNeverShowsThePassword(url: String) throws {
        let settings = try AMQPSettings(url: url)

        #expect(!settings.redactedDescription.contains("Sup3rS3cret"))
        #expect(settings.redactedDescription.contains("dialogue@broker.example:\(settings.port)"))
    }

    @Test func redactedDescriptionNamesSchemeAndVirtualHost() throws {
        let tls = try AMQPSettings(url: "amqps://dialogue:Sup3rS3cret@broker.example/ceser")
        let plain = try AMQPSettings(url: "amqp://dialogue:Sup3rS3cret@broker.example/%2f")

        #expect(tls.redactedDescription == "amqps://dialogue@broker.example:5671/ceser")
        #expect(plain.redactedDescription == "amqp://dialogue@broker.example:5672/")
    }

    // MARK: A cluster's nodes

    @Test func aCommaSeparatedListNamesEveryNodeOfACluster() throws {
        let settings = try AMQPSettings(url:
            "amqps://dialogue:s3cret@rabbit-1.example:5671/ceser?heartbeat=10, amqps://dialogue:s3cret@rabbit-2.example:5671/ceser?heartbeat=10,amqps://dialogue:s3cret@rabbit-3.example:5681/ceser?heartbeat=10"
        )

        #expect(settings.brokers.map(\.description) == ["rabbit-1.example:5671", "rabbit-2.example:5671", "rabbit-3.example:5681"])
        #expect(settings.host == "rabbit-1.example")
        #expect(settings.virtualHost == "ceser" && settings.heartbeatSeconds == 10 && settings.password == "s3cret")
        let third = settings.on(settings.brokers[2])
        #expect(third.host == "rabbit-3.example" && third.port == 5681)
        #expect(third.redactedDescription == "amqps://dialogue@rabbit-3.example:5681/ceser")
    }

    @Test func oneURLIsAClusterOfOne() throws {
        let settings = try AMQPSettings(url: "amqp://guest:guest@127.0.0.1:5672/")
        #expect(settings.brokers == [AMQPSettings.Broker(host: "127.0.0.1", port: 5672)])
    }

    @Test(arguments: [
        // another user, password, vhost, scheme or option: not the same cluster
        "amqp://dialogue:a@node-1:5672/,amqp://other:a@node-2:5672/",
        "amqp://dialogue:a@node-1:5672/,amqp://dialogue:b@node-2:5672/",
        "amqp://dialogue:a@node-1:5672/,amqp://dialogue:a@node-2:5672/other",
        "amqp://dialogue:a@node-1:5672/,amqps://dialogue:a@node-2:5671/",
        "amqp://dialogue:a@node-1:5672/,amqp://dialogue:a@node-2:5672/?heartbeat=5",
        // a node twice, an empty element, a malformed one
        "amqp://dialogue:a@node-1:5672/,amqp://dialogue:a@node-1:5672/",
        "amqp://dialogue:a@node-1:5672/,,amqp://dialogue:a@node-2:5672/",
        "amqp://dialogue:a@node-1:5672/,node-2:5672",
    ])
    func aListWhoseNodesDifferByMoreThanTheirAddressIsRejected(url: String) {
        let error = #expect(throws: AMQPError.self) { try AMQPSettings(url: url) }
        guard case .invalidSettings = error else {
            Issue.record("expected .invalidSettings, got \(String(describing: error))")
            return
        }
    }
}
