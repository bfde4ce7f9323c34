public import DialogueContracts
import DialogueCtl
public import Messaging
public import ServiceKit

extension ServicePlatform {
    /// A service's platform on a test database and an isolated topology.
    public static func forTest(
        _ service: ServiceName, database: TestDatabase, topology: MessagingTopology,
        batchSize: Int = 100, prefetch: Int = 200, httpPort: Int = 0
    ) -> ServicePlatform {
        ServicePlatform(
            settings: ServiceSettings(
                service: service, database: database.settings(for: service), amqp: TestEnvironment.amqp,
                topology: topology, httpPort: httpPort, prefetch: prefetch, batchSize: batchSize
            ),
            endpoints: ServiceCatalog.endpoints(of: service),
            logger: TestEnvironment.logger
        )
    }
}
