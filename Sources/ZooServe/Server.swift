import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import ModelZoo
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Settings of `zoo serve`.
public struct ServeOptions: Sendable {
    public var directory: String
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest request body in bytes (413 beyond).
    public var maxBody = 64 << 20
    /// Most rows in one request (413 beyond).
    public var maxRows = 100_000
    /// Most open connections; further ones wait in the accept queue.
    public var maxConnections = 1024
    /// Seconds a request body may take to arrive (408 beyond).
    public var requestTimeout: Double = 30
    /// Seconds a connection may stay idle before it is closed (slow or half-open clients).
    public var idleTimeout: Double = 60
    /// Largest header block and request line, in bytes (431 / 414 beyond).
    public var maxHeaderBytes = 16 << 10
    /// Seconds between directory scans for added, replaced and removed models.
    public var reloadInterval: Double = 0.5
    public var logFormat: AccessLog.Format = .text
    public var accessLog = true

    public init(directory: String) { self.directory = directory }
}

/// `zoo serve`: the models of a directory over HTTP.
public enum ZooServer {
    /// Runs until SIGTERM or SIGINT, then stops accepting, lets requests in flight finish and returns.
    /// `onRunning` gets the bound port (useful with port 0).
    public static func run(_ options: ServeOptions, registry: PluginRegistry, onRunning: (@Sendable (Int) -> Void)? = nil) async throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.directory, isDirectory: &isDir), isDir.boolValue else {
            throw ZooError.io(path: options.directory, message: "not a directory")
        }
        let metrics = ServeMetrics()
        let store = ModelStore(directory: options.directory, registry: registry, log: { serverLog($0) })
        store.onReload = { name, outcome in metrics.reload(model: name, outcome: outcome) }
        store.scan()
        metrics.modelsLoaded(store.count)
        if store.count == 0 { serverLog("warning: no loadable .nnm file in \(options.directory) yet; watching it") }

        var logger = Logger(label: "zoo.serve")
        logger.logLevel = .critical
        let deadlines = Deadlines()
        let responder = ZooResponder(store: store, metrics: metrics, options: options, deadlines: deadlines)
        let app = Application(
            responder: responder,
            server: .http1(
                configuration: .init(
                    idleTimeout: .milliseconds(Int64(options.idleTimeout * 1000)),
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: options.maxHeaderBytes, maxHeaderListSize: options.maxHeaderBytes, maxHeaderFieldCount: 100)
                )),
            configuration: .init(
                address: .hostname(options.host, port: options.port),
                serverName: "zoo/\(ModelZooVersion.version)",
                availableConnectionsDelegate: MaximumAvailableConnections(options.maxConnections)
            ),
            services: [
                ReloadService(store: store, metrics: metrics, interval: options.reloadInterval), DeadlineService(deadlines: deadlines),
            ],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let names = store.all().map(\.name)
                serverLog(
                    "listening on http://\(options.host):\(port) (\(names.count) model\(names.count == 1 ? "" : "s")\(names.isEmpty ? "" : ": " + names.joined(separator: ", ")))"
                )
                onRunning?(port)
            },
            logger: logger
        )
        try await app.runService(gracefulShutdownSignals: [UnixSignal.sigterm, UnixSignal.sigint])
        serverLog("stopped")
    }
}

/// Rescans the directory until shutdown.
struct ReloadService: Service {
    let store: ModelStore
    let metrics: ServeMetrics
    let interval: Double

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            let changed = store.scan()
            if !changed.isEmpty { metrics.modelsLoaded(store.count) }
        }
    }
}

/// Body-read deadlines (`--request-timeout`), checked by one watchdog task every 100 ms. A timer
/// per request (`Task.sleep` raced against the read) would keep its memory until it fires even when
/// cancelled: at 10,000 requests/s and 30 s that is hundreds of megabytes held for nothing.
final class Deadlines: @unchecked Sendable {
    private let lock = NSLock()
    private var nextID = 0
    private var entries: [Int: (deadline: ContinuousClock.Instant, expire: @Sendable () -> Void)] = [:]

    func add(_ deadline: ContinuousClock.Instant, _ expire: @escaping @Sendable () -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        nextID += 1
        entries[nextID] = (deadline, expire)
        return nextID
    }

    func remove(_ id: Int) {
        lock.lock()
        entries[id] = nil
        lock.unlock()
    }

    /// Calls and forgets every entry whose deadline has passed.
    func expire(now: ContinuousClock.Instant) {
        lock.lock()
        let due = entries.filter { $0.value.deadline <= now }
        for id in due.keys { entries[id] = nil }
        lock.unlock()
        for (_, e) in due { e.expire() }
    }
}

struct DeadlineService: Service {
    let deadlines: Deadlines

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .milliseconds(100))
            deadlines.expire(now: .now)
        }
    }
}

/// A flag set once, from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    func raise() { lock.lock(); set = true; lock.unlock() }
    var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return set }
}

/// The request context: Hummingbird's core storage plus the client's address for the access log.
struct ZooContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remote: String

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remote = source.channel.remoteAddress?.ipAddress ?? "-"
    }
}

/// A finished response plus what the access log and metrics record about it.
struct Answer {
    var status: Int
    var body: [UInt8]
    var contentType: String
    var extraHeaders: [(String, String)] = []
    var model: String?
    var rows: Int?
    var endpoint: String

    static func json(_ body: [UInt8], status: Int = 200, endpoint: String, model: String? = nil) -> Answer {
        Answer(status: status, body: body, contentType: "application/json", model: model, endpoint: endpoint)
    }
}

/// Routes every request by hand (paths are few and fixed), so each protocol answers errors in
/// its own shape: OIP `{"error"}` under `/v2`, MLflow `{"error_code","message"}` for
/// `/invocations`, `{"error"}` elsewhere.
struct ZooResponder: HTTPResponder {
    typealias Context = ZooContext
    let store: ModelStore
    let metrics: ServeMetrics
    let options: ServeOptions
    let log: AccessLog
    let deadlines: Deadlines

    init(store: ModelStore, metrics: ServeMetrics, options: ServeOptions, deadlines: Deadlines) {
        self.store = store
        self.metrics = metrics
        self.options = options
        self.deadlines = deadlines
        log = AccessLog(format: options.logFormat, enabled: options.accessLog)
    }

    func respond(to request: Request, context: ZooContext) async throws -> Response {
        let start = ContinuousClock.now
        let answer = await route(request)
        let duration = ContinuousClock.now - start
        var headers: HTTPFields = [.contentType: answer.contentType, .contentLength: String(answer.body.count)]
        for (k, v) in answer.extraHeaders { if let n = HTTPField.Name(k) { headers[n] = v } }
        let known = answer.model.flatMap { store.model($0) } != nil
        metrics.request(endpoint: answer.endpoint, model: known ? answer.model! : "", status: answer.status, duration: duration)
        if let rows = answer.rows, answer.status == 200, let m = answer.model { metrics.rows(model: m, count: rows) }
        log.write(
            AccessLog.Entry(
                remote: context.remote, method: request.method.rawValue, path: request.uri.string, status: answer.status,
                bytes: answer.body.count, duration: duration, model: answer.model, rows: answer.rows))
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// Splits the path into segments (percent-decoded).
    static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { String($0).removingPercentEncoding ?? String($0) }
    }

    func route(_ request: Request) async -> Answer {
        let rawPath = request.uri.path
        let method = request.method
        let s = Self.segments(rawPath)
        let isMLflow = s.first == "invocations"
        func fail(_ status: Int, _ message: String, endpoint: String = "other", model: String? = nil) -> Answer {
            if isMLflow {
                let code = status == 404 ? "RESOURCE_DOES_NOT_EXIST" : (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST")
                return .json(MLflowScoring.error(message, code: code), status: status, endpoint: endpoint, model: model)
            }
            return .json(OpenInference.error(message), status: status, endpoint: endpoint, model: model)
        }
        if request.uri.string.utf8.count > 8192 { return fail(414, "the request URI is over 8 KiB") }
        func only(_ m: HTTPRequest.Method, _ endpoint: String, _ body: () async -> Answer) async -> Answer {
            guard method == m || (m == .get && method == .head) else {
                var a = fail(405, "\(method.rawValue) is not allowed here; use \(m.rawValue)", endpoint: endpoint)
                a.extraHeaders.append(("Allow", m == .get ? "GET, HEAD" : m.rawValue))
                return a
            }
            return await body()
        }

        switch s.count {
        case 0:
            return await only(.get, "page") {
                Answer(status: 200, body: Array(Pages.index(store.all()).utf8), contentType: "text/html; charset=utf-8", endpoint: "page")
            }
        default: break
        }
        switch s[0] {
        case "openapi.json" where s.count == 1:
            return await only(.get, "openapi") {
                Answer(status: 200, body: OpenAPIDocument.bytes, contentType: "application/json", endpoint: "openapi")
            }
        case "metrics" where s.count == 1:
            return await only(.get, "metrics") {
                Answer(status: 200, body: metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8", endpoint: "metrics")
            }
        case "models" where s.count == 2:
            return await only(.get, "page") {
                guard let m = store.model(s[1]) else {
                    return Answer(
                        status: 404, body: Array(Pages.notFound(s[1], store.all()).utf8), contentType: "text/html; charset=utf-8",
                        endpoint: "page")
                }
                return Answer(
                    status: 200, body: Array(Pages.model(m).utf8), contentType: "text/html; charset=utf-8", model: m.name, endpoint: "page")
            }
        case "ping", "health":
            guard s.count == 1 else { break }
            return await only(.get, "health") {
                store.count > 0
                    ? Answer(status: 200, body: Array("\n".utf8), contentType: "text/plain; charset=utf-8", endpoint: "health")
                    : .json(MLflowScoring.error("no model is loaded", code: "RESOURCE_DOES_NOT_EXIST"), status: 404, endpoint: "health")
            }
        case "version" where s.count == 1:
            return await only(.get, "health") {
                Answer(status: 200, body: Array(ModelZooVersion.version.utf8), contentType: "text/plain; charset=utf-8", endpoint: "health")
            }
        case "invocations" where s.count <= 2:
            return await only(.post, "invocations") { await invocations(request, name: s.count == 2 ? s[1] : nil) }
        case "v2":
            return await v2(request, Array(s.dropFirst()), only: only)
        default: break
        }
        return fail(404, "no such endpoint: \(method.rawValue) \(rawPath.prefix(200)); see /openapi.json")
    }

    /// An error in the Open Inference Protocol's shape.
    static func fail(_ status: Int, _ message: String, _ endpoint: String, _ model: String?) -> Answer {
        .json(OpenInference.error(message), status: status, endpoint: endpoint, model: model)
    }

    func v2(_ request: Request, _ s: [String], only: (HTTPRequest.Method, String, () async -> Answer) async -> Answer) async -> Answer {
        let fail = Self.fail
        if s.isEmpty {
            return await only(.get, "server") {
                var w = JSONWriter()
                w.raw("{\"name\":\"zoo\",\"version\":")
                w.string(ModelZooVersion.version)
                w.raw(",\"extensions\":[\"binary_tensor_data\"]}")
                return .json(w.bytes, endpoint: "server")
            }
        }
        if s.count == 2 && s[0] == "health" && (s[1] == "live" || s[1] == "ready") {
            return await only(.get, "health") {
                .json(Array((s[1] == "live" ? "{\"live\":true}" : "{\"ready\":true}").utf8), endpoint: "health")
            }
        }
        guard s.count >= 2, s[0] == "models" else {
            return fail(404, "no such endpoint: /v2/\(s.joined(separator: "/").prefix(200)); see /openapi.json", "other", nil)
        }
        let name = s[1]
        var rest = Array(s.dropFirst(2))
        if rest.count >= 2 && rest[0] == "versions" {
            guard rest[1] == "1" else {
                return fail(
                    404, "model '\(name)' has no version '\(rest[1])'; zoo serves version 1 (the file as it is now)", "metadata", name)
            }
            rest.removeFirst(2)
        }
        let endpoint = rest.isEmpty ? "metadata" : rest[0]
        guard rest.count <= 1, ["metadata", "ready", "infer"].contains(endpoint) else {
            return fail(404, "no such endpoint under /v2/models/\(name); see /openapi.json", "other", nil)
        }
        guard let model = store.model(name) else {
            let known = store.all().map(\.name)
            return fail(
                404, "no model named '\(name)'; \(known.isEmpty ? "none is loaded" : "the models are " + known.joined(separator: ", "))",
                endpoint, name)
        }
        switch endpoint {
        case "metadata":
            return await only(.get, "metadata") { .json(OpenInference.metadata(model), endpoint: "metadata", model: name) }
        case "ready":
            return await only(.get, "ready") {
                var w = JSONWriter()
                w.raw("{\"name\":"); w.string(name); w.raw(",\"ready\":true}")
                return .json(w.bytes, endpoint: "ready", model: name)
            }
        default:
            return await only(.post, "infer") { await infer(request, model: model) }
        }
    }

    func infer(_ request: Request, model: ServedModel) async -> Answer {
        let fail = Self.fail
        let body: [UInt8]
        do { body = try await collectBody(request) } catch { return fail(error.status, error.message, "infer", model.name) }
        var headerLength: Int?
        if let h = request.headers[HTTPField.Name("Inference-Header-Content-Length")!] {
            guard let v = Int(h.trimmingCharacters(in: .whitespaces)) else {
                return fail(400, "Inference-Header-Content-Length is not a number", "infer", model.name)
            }
            headerLength = v
        }
        do {
            let parsed = try OpenInference.parse(body: body, headerLength: headerLength, model: model, maxRows: options.maxRows)
            let outputs = try model.predict(parsed.table)
            let (out, h) = OpenInference.response(model: model, request: parsed, outputs: outputs)
            var a = Answer(
                status: 200, body: out, contentType: h == nil ? "application/json" : "application/octet-stream",
                model: model.name, rows: parsed.rows, endpoint: "infer")
            if let h { a.extraHeaders.append(("Inference-Header-Content-Length", String(h))) }
            return a
        } catch let e as RequestError {
            return fail(e.status, e.message, "infer", model.name)
        } catch {
            return fail(500, "\(error)", "infer", model.name)
        }
    }

    func invocations(_ request: Request, name: String?) async -> Answer {
        func fail(_ status: Int, _ message: String, model: String? = nil) -> Answer {
            let code = status == 404 ? "RESOURCE_DOES_NOT_EXIST" : (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST")
            return .json(MLflowScoring.error(message, code: code), status: status, endpoint: "invocations", model: model)
        }
        let chosen = name ?? request.uri.queryParameters.get("model")
        let model: ServedModel
        let all = store.all()
        if let chosen {
            guard let m = store.model(chosen) else {
                return fail(
                    404,
                    "no model named '\(chosen)'; \(all.isEmpty ? "none is loaded" : "the models are " + all.map(\.name).joined(separator: ", "))"
                )
            }
            model = m
        } else {
            guard all.count == 1 else {
                return fail(
                    all.isEmpty ? 404 : 400,
                    all.isEmpty
                        ? "no model is loaded"
                        : "this server has \(all.count) models (\(all.map(\.name).joined(separator: ", "))): choose one with /invocations/NAME or /invocations?model=NAME"
                )
            }
            model = all[0]
        }
        let body: [UInt8]
        do { body = try await collectBody(request) } catch { return fail(error.status, error.message, model: model.name) }
        do {
            let (table, encoder) = try MLflowScoring.parse(
                body: body, contentType: request.headers[.contentType], model: model, maxRows: options.maxRows)
            let outputs = try model.predict(table, encoder: encoder)
            return Answer(
                status: 200, body: MLflowScoring.response(outputs), contentType: "application/json", model: model.name,
                rows: table.rowCount, endpoint: "invocations")
        } catch let e as RequestError {
            return fail(e.status, e.message, model: model.name)
        } catch {
            return fail(500, "\(error)", model: model.name)
        }
    }

    /// The whole body, up to `--max-body` (413) and within `--request-timeout` (408).
    func collectBody(_ request: Request) async throws(RequestError) -> [UInt8] {
        let limit = options.maxBody
        if let cl = request.headers[.contentLength].flatMap({ Int($0) }), cl > limit {
            throw RequestError.tooLarge("the body is \(cl) bytes; this server takes at most \(limit) (--max-body)")
        }
        let body = request.body
        let timeout = options.requestTimeout
        let read = Task<ByteBuffer, Error> { try await body.collect(upTo: limit) }
        let expired = Flag()
        let id = deadlines.add(.now + .milliseconds(Int(timeout * 1000))) {
            expired.raise()
            read.cancel()
        }
        defer { deadlines.remove(id) }
        do {
            let buffer = try await withTaskCancellationHandler {
                try await read.value
            } onCancel: {
                read.cancel()
            }
            return Array(buffer.readableBytesView)
        } catch  where expired.isRaised {
            throw RequestError(status: 408, message: "the request body did not arrive within \(timeout) s (--request-timeout)")
        } catch let e as RequestError {
            throw e
        } catch is NIOTooManyBytesError {
            throw RequestError.tooLarge("the body is over \(limit) bytes; this server takes at most \(limit) (--max-body)")
        } catch {
            throw RequestError.bad("cannot read the request body: \(error)")
        }
    }
}
