import Foundation
import ModelZoo

/// `--format` for `zoo compare`.
enum ComparisonFormat: String, CaseIterable {
    case table, markdown, csv, json
}

/// Renders comparison rows, best RMSE first and marked.
enum ComparisonOutput {
    static let headers = ["", "model", "kind", "params", "MSE", "RMSE", "MAE", "R²", "max err", "rows/s", "size"]

    static func cells(_ r: ModelEvaluation, best: Bool) -> [String] {
        guard let m = r.metrics, r.error == nil else {
            return [best ? "*" : "", r.name, r.kind ?? "-", "error: \(r.error ?? "no metrics")"]
        }
        return [best ? "*" : "", r.name, r.kind ?? "-", r.parameters.map(Format.count) ?? "-", Format.metric(m.mse), Format.metric(m.rmse),
                Format.metric(m.mae), String(format: "%.5f", m.r2), Format.metric(m.maxError),
                r.rowsPerSecond.map { Format.count(Int($0)) } ?? "-", r.fileBytes.map(Format.bytes) ?? "-"]
    }

    static func render(_ rows: [ModelEvaluation], format: ComparisonFormat) throws -> String {
        let sorted = ModelComparison.sorted(rows)
        let bestIndex = sorted.first?.metrics != nil ? 0 : -1
        switch format {
        case .json:
            return try Format.json(sorted) + "\n"
        case .csv:
            var out = "model,kind,parameters,mse,rmse,mae,r2,max_error,rows_per_second,file_bytes,error\n"
            for r in sorted {
                let m = r.metrics
                let fields: [String] = [r.name, r.kind ?? "", r.parameters.map(String.init) ?? "", m.map { "\($0.mse)" } ?? "", m.map { "\($0.rmse)" } ?? "",
                                        m.map { "\($0.mae)" } ?? "", m.map { "\($0.r2)" } ?? "", m.map { "\($0.maxError)" } ?? "",
                                        r.rowsPerSecond.map { String(Int($0)) } ?? "", r.fileBytes.map(String.init) ?? "", r.error ?? ""]
                out += fields.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
            }
            return out
        case .markdown:
            var out = "| " + headers.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n"
            out += "|" + headers.indices.map { $0 < 3 ? "---" : "---:" }.joined(separator: "|") + "|\n"
            for (i, r) in sorted.enumerated() {
                var c = cells(r, best: i == bestIndex)
                if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
                out += "| " + c.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            }
            return out
        case .table:
            var t = TextTable(headers, rightAligned: Set(3..<headers.count))
            for (i, r) in sorted.enumerated() {
                var c = cells(r, best: i == bestIndex)
                if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
                t.add(c)
            }
            return t.render()
        }
    }

}
