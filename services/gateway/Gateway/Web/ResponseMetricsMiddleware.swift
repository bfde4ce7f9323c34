import Hummingbird
import Metrics

/// Counts the gateway's answers by status class (`dialogue_http_responses_total`), for the
/// server-error alert and the dashboard. Outermost, so that it also sees what escapes every
/// other middleware: an error thrown past them is counted as the status Hummingbird answers.
struct ResponseMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// One counter per class, made once: five label sets, whatever the paths.
    private let counters: [Int: Counter] = Dictionary(uniqueKeysWithValues: (1...5).map { digit in
        (digit, Counter(label: "dialogue_http_responses_total", dimensions: [("status_class", "\(digit)xx")]))
    })

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            count(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            count(error.status.code)
            throw error
        } catch {
            count(500)
            throw error
        }
    }

    private func count(_ status: Int) {
        counters[min(max(status / 100, 1), 5)]?.increment()
    }
}
