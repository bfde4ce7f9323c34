import Messaging
import Testing

/// W3C `traceparent` headers: what is read, what is refused, and how a trace goes on.
@Suite struct TraceContextTests {
    let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func validHeaderIsReadAndWrittenBackAsIs() throws {
        let trace = try #require(TraceContext(traceparent: valid))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(trace.spanID == "00f067aa0ba902b7")
        #expect(trace.flags == 1)
        #expect(trace.traceparent == valid)
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.flags == 0)
    }

    @Test(arguments: [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // no flags
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // trace id one digit short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",  // span id one digit short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has nothing after the flags
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero span id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper-case trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00F067AA0BA902B7-01",  // upper-case span id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // version ff is forbidden
        "0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // not hexadecimal
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",  // wrong separators
        "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // a later version, but no dash after the flags
    ])
    func invalidHeaderIsRefused(header: String) {
        #expect(TraceContext(traceparent: header) == nil)
    }

    @Test func laterVersionIsReadByItsFirstFields() throws {
        let trace = try #require(TraceContext(traceparent: "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next"))
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        // Written back in the version this code knows.
        #expect(trace.traceparent == valid)
    }

    @Test func childKeepsTheTraceWithANewSpan() throws {
        let parent = try #require(TraceContext(traceparent: valid))
        let child = parent.child()
        #expect(child.traceID == parent.traceID)
        #expect(child.flags == parent.flags)
        #expect(child.spanID != parent.spanID)
        #expect(TraceContext(traceparent: child.traceparent) == child)
    }

    @Test func newTracesAreValidSampledAndDistinct() throws {
        let first = TraceContext.make(), second = TraceContext.make()
        #expect(TraceContext(traceparent: first.traceparent) == first)
        #expect(first.flags == 1)
        #expect(first.traceID != second.traceID)
    }

    @Test func handlingAMessageContinuesItsTraceOrStartsOne() throws {
        let traced = IncomingMessage(body: [], headers: ["traceparent": .string(valid)])
        #expect(traced.traceContext?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        let handling = TraceContext(handling: traced)
        #expect(handling.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(handling.spanID != "00f067aa0ba902b7")
        let invalid = IncomingMessage(body: [], headers: ["traceparent": .string("00-abc-def-01")])
        #expect(invalid.traceContext == nil)
        #expect(TraceContext(handling: invalid).traceID != "4bf92f3577b34da6a3ce929d0e0e4736")
    }
}
