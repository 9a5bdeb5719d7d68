import ArgumentParser
import Dispatch
import Foundation
import ModelZoo
import ZooServe

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a directory of .nnm models over HTTP (Open Inference Protocol v2, MLflow, a web page).",
        discussion: """
            Every .nnm file in DIR is a model named by its file stem. Files added, replaced or \
            removed are picked up while serving; requests in flight finish on the model they \
            started with, and a file that fails to load is refused with a log line while the \
            version loaded before keeps serving. Predictions equal zoo predict's, bit for bit.

            Endpoints: /v2/... (Open Inference Protocol v2, JSON and Triton binary tensors), \
            /invocations (MLflow scoring: dataframe_split, dataframe_records, instances, inputs, \
            text/csv), / (the zoo page), /openapi.json, /metrics (Prometheus). One access-log \
            line per request on stderr. SIGTERM or Ctrl-C stops accepting, finishes the requests \
            in flight and exits 0.

            Examples:
              zoo serve models/
              zoo serve models/ --port 9000 --log-format json
              curl -s localhost:8080/invocations/bmi-linear -H 'Content-Type: text/csv' --data-binary @people.csv
            """
    )

    @Argument(help: "Directory of .nnm models.", completion: .directory)
    var directory: String

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one; the log line says which).")
    var port = 8080

    @Option(help: "Largest request body in bytes; larger bodies get 413.")
    var maxBody = 64 << 20

    @Option(help: "Most rows in one request; more get 413.")
    var maxRows = 100_000

    @Option(help: "Most open connections; more wait to be accepted.")
    var maxConnections = 1024

    @Option(help: "Seconds a request body may take to arrive (408 after).")
    var requestTimeout = 30.0

    @Option(help: "Seconds before an idle connection is closed.")
    var idleTimeout = 60.0

    @Option(help: "Largest request header block in bytes.")
    var maxHeaderBytes = 16 << 10

    @Option(help: "Seconds between scans of DIR for added, replaced and removed models.")
    var reloadInterval = 0.5

    @Option(help: "Access log format on stderr: text or json.")
    var logFormat: LogFormatOption = .text

    @Flag(help: "No access log.")
    var noAccessLog = false

    enum LogFormatOption: String, ExpressibleByArgument, CaseIterable { case text, json }

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxBody > 0, maxBody < Int(Int32.max) else { throw ValidationError("--max-body must be 1...\(Int32.max - 1)") }
        guard maxRows > 0 else { throw ValidationError("--max-rows must be positive") }
        guard maxConnections > 0 else { throw ValidationError("--max-connections must be positive") }
        guard requestTimeout > 0, idleTimeout > 0, reloadInterval > 0 else {
            throw ValidationError("--request-timeout, --idle-timeout and --reload-interval must be positive")
        }
        guard maxHeaderBytes >= 1024 else { throw ValidationError("--max-header-bytes must be at least 1024") }
    }

    func run() throws {
        var options = ServeOptions(directory: directory)
        options.host = host
        options.port = port
        options.maxBody = maxBody
        options.maxRows = maxRows
        options.maxConnections = maxConnections
        options.requestTimeout = requestTimeout
        options.idleTimeout = idleTimeout
        options.maxHeaderBytes = maxHeaderBytes
        options.reloadInterval = reloadInterval
        options.logFormat = logFormat == .json ? .json : .text
        options.accessLog = !noAccessLog
        let done = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task.detached {
            do { try await ZooServer.run(options, registry: builtinRegistry) } catch { failure.error = error }
            done.signal()
        }
        done.wait()
        if let e = failure.error { throw e }
    }

    final class Failure: @unchecked Sendable { var error: Error? }
}
