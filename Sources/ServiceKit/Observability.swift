public import Logging
import Metrics
public import Prometheus

/// Process-wide logging and metrics, set up once by an executable's entry point.
public enum Observability {
    /// Installs the log handler and the Prometheus metrics factory; returns the registry `/metrics` reads.
    public static func bootstrap(level: Logger.Level, format: LogFormat) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
