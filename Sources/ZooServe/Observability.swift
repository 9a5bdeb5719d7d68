import Foundation
import Metrics
import Prometheus

#if canImport(Glibc)
    import Glibc
#endif

/// Prometheus metrics through swift-metrics: requests and latency per endpoint, model and status,
/// rows predicted, model reloads. A registry of its own (no global bootstrap), rendered at `/metrics`.
final class ServeMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory

    init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(5), .seconds(30),
        ]
        factory = f
    }

    func request(endpoint: String, model: String, status: Int, duration: Duration) {
        let dims = [("endpoint", endpoint), ("model", model), ("status", String(status))]
        Counter(label: "zoo_http_requests_total", dimensions: dims, factory: factory).increment()
        Metrics.Timer(label: "zoo_http_request_duration_seconds", dimensions: dims, factory: factory).recordInterval(duration)
    }

    func rows(model: String, count: Int) {
        Counter(label: "zoo_rows_predicted_total", dimensions: [("model", model)], factory: factory).increment(by: count)
    }

    func reload(model: String, outcome: String) {
        Counter(label: "zoo_model_reloads_total", dimensions: [("model", model), ("outcome", outcome)], factory: factory).increment()
    }

    func modelsLoaded(_ n: Int) {
        Gauge(label: "zoo_models_loaded", factory: factory).record(n)
    }

    func render() -> [UInt8] {
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }
}

extension Metrics.Timer {
    func recordInterval(_ d: Duration) {
        let (s, atto) = d.components
        recordNanoseconds(s * 1_000_000_000 + atto / 1_000_000_000)
    }
}

/// One line per request on stderr: text (`time remote "METHOD path" status bytes ms model rows`)
/// or JSON (`--log-format json`). Lines are single writes, so concurrent requests never interleave.
public struct AccessLog: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }
    var format: Format
    var enabled = true

    struct Entry {
        var remote: String
        var method: String
        var path: String
        var status: Int
        var bytes: Int
        var duration: Duration
        var model: String?
        var rows: Int?
    }

    func write(_ e: Entry) {
        guard enabled else { return }
        let ms = Double(e.duration.components.seconds) * 1000 + Double(e.duration.components.attoseconds) / 1e15
        let msText = String(Int(ms * 1000) / 1000) + "." + String(1000 + Int(ms * 1000) % 1000).dropFirst()
        let path = e.path.count > 512 ? String(e.path.prefix(512)) + "..." : e.path
        var line: [UInt8]
        switch format {
        case .text:
            var s = "\(AccessLog.timestamp()) \(e.remote) \"\(e.method) \(path)\" \(e.status) \(e.bytes) \(msText)ms"
            if let m = e.model { s += " model=\(m)" }
            if let r = e.rows { s += " rows=\(r)" }
            line = Array(s.utf8)
        case .json:
            var w = JSONWriter(capacity: 200)
            w.raw("{\"time\":"); w.string(AccessLog.timestamp())
            w.raw(",\"remote\":"); w.string(e.remote)
            w.raw(",\"method\":"); w.string(e.method)
            w.raw(",\"path\":"); w.string(path)
            w.raw(",\"status\":"); w.number(e.status)
            w.raw(",\"bytes\":"); w.number(e.bytes)
            w.raw(",\"duration_ms\":"); w.raw(msText)
            if let m = e.model { w.raw(",\"model\":"); w.string(m) }
            if let r = e.rows { w.raw(",\"rows\":"); w.number(r) }
            w.raw("}")
            line = w.bytes
        }
        line.append(10)
        line.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }

    /// UTC time with milliseconds, ISO 8601.
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = Int(ts.tv_nsec / 1_000_000)
        let msText = ms < 10 ? "00\(ms)" : (ms < 100 ? "0\(ms)" : "\(ms)")
        return
            "\(tm.tm_year + 1900)-\(two(tm.tm_mon + 1))-\(two(tm.tm_mday))T\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)).\(msText)Z"
    }
}

/// Server messages (start, reloads, refusals) on stderr, one write per line.
func serverLog(_ message: String) {
    var line = Array("zoo serve: \(message)\n".utf8)
    line.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
}
