public import Logging
import Metrics
public import Prometheus

/// Process-wide logging and metrics, set up once by an executable's entry point.
public enum Observability {
    /// Installs the log handler and the Prometheus metrics factory; returns the registry `/metrics` reads.
    /// Every line logged within a trace context carries its `trace_id` and `span_id`.
    public static func bootstrap(level: Logger.Level, format: LogFormat) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap({ label, provider in
            switch format {
            case .json:
                return JSONLogHandler(label: label, level: level, metadataProvider: provider)
            case .text:
                var handler = StreamLogHandler.standardError(label: label, metadataProvider: provider)
                handler.logLevel = level
                return handler
            }
        }, metadataProvider: .traceContext)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
