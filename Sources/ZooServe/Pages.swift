import Foundation
import ModelZoo

/// The zoo page for people: `/` lists the models, `/models/{name}` shows one (the inspect summary,
/// its charts) with a form that predicts one row through the infer endpoint. Self-contained:
/// inline CSS, SVG and script, nothing fetched from elsewhere.
enum Pages {
    static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1100px}
        h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left}
        td.num{text-align:right}a{color:#2b6cb0}.note{color:#666;font-size:13px}
        form{display:grid;grid-template-columns:max-content 220px;gap:8px 12px;align-items:center;margin:12px 0}
        form button{grid-column:2;justify-self:start;padding:4px 14px}
        #prediction{font-size:20px;font-weight:600;margin-left:4px}#error{color:#a00}
        .charts{display:flex;flex-wrap:wrap;gap:12px}.chart{background:#fff;border:1px solid #e4e4e4}
        .chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}
        .axis{stroke:#444;stroke-width:1}.tick{stroke:#444}.grid{stroke:#eee}
        .bars rect,.bar{fill:#4a7fb5}.bar.best{fill:#2f855a}
        .series{stroke-width:1.8}.series.s0{stroke:#2b6cb0}.series.s1{stroke:#dd6b20}.legend.s0{fill:#2b6cb0}.legend.s1{fill:#dd6b20}
        """

    static func esc(_ s: String) -> String { SVGChart.esc(s) }

    static func head(_ title: String) -> String {
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>\(esc(title))</title><style>\(style)</style></head><body>"
    }

    static func metric(_ v: Double?) -> String { v.map { NumberText.metric($0) } ?? "-" }

    static func index(_ models: [ServedModel]) -> String {
        var h = head("zoo")
        h += "<h1>zoo</h1><p class=\"note\">\(models.count) model\(models.count == 1 ? "" : "s") served by \(ModelZooVersion.writer). "
        h += "APIs: Open Inference Protocol v2 under <code>/v2</code>, MLflow scoring at <code>/invocations</code>, "
        h += "<a href=\"/openapi.json\">OpenAPI document</a>, <a href=\"/metrics\">metrics</a>.</p>"
        h +=
            "<table id=\"models\"><thead><tr><th>model</th><th>kind</th><th>target</th><th>features</th><th>test RMSE</th><th>test R²</th><th>parameters</th><th>file size</th><th>loaded</th></tr></thead><tbody>"
        for m in models {
            let meta = m.metadata
            h +=
                "<tr><td><a href=\"/models/\(urlPath(m.name))\">\(esc(m.name))</a></td><td>\(esc(meta.kind))</td><td>\(esc(m.schema.target))</td>"
            h += "<td>\(esc(m.schema.columns.map(\.name).joined(separator: ", ")))</td>"
            h +=
                "<td class=\"num\">\(metric(meta.testMetrics?.rmse))</td><td class=\"num\">\(meta.testMetrics.map { String(format: "%.5f", $0.r2) } ?? "-")</td>"
            h +=
                "<td class=\"num\">\(NumberText.grouped(meta.parameterCount))</td><td class=\"num\">\(NumberText.bytes(Int(m.identity.size)))</td>"
            h += "<td>\(esc(ModelMetadata.timestamp(m.loadedAt)))</td></tr>"
        }
        h += "</tbody></table></body></html>"
        return h
    }

    static func urlPath(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? s
    }

    static func notFound(_ name: String, _ models: [ServedModel]) -> String {
        head("not found") + "<h1>No model named ‘\(esc(name))’</h1><p><a href=\"/\">All models</a> (\(models.count)).</p></body></html>"
    }

    static func model(_ m: ServedModel) -> String {
        let meta = m.metadata
        let schema = m.schema
        var h = head("\(m.name) — zoo")
        h += "<p class=\"note\"><a href=\"/\">zoo</a> / \(esc(m.name))</p>"
        h += "<h1>\(esc(m.name)) — \(esc(meta.kind))</h1><p>\(esc(meta.summary))</p>"

        // The prediction form: one field per feature column; categories as drop-downs.
        h += "<h2>Predict one row</h2><form id=\"predict\" data-model=\"\(esc(m.name))\">"
        for (k, c) in schema.columns.enumerated() {
            let id = "f\(k)"
            h += "<label for=\"\(id)\">\(esc(c.name))</label>"
            if c.kind == .categorical {
                h += "<select id=\"\(id)\" name=\"\(esc(c.name))\" data-type=\"BYTES\">"
                for l in c.levels ?? [] { h += "<option value=\"\(esc(l))\">\(esc(l))</option>" }
                h += "</select>"
            } else {
                let hint: String
                if let s = c.scaler, s.scale != 0 {
                    hint = " placeholder=\"e.g. \(NumberText.metric(s.center + s.scale / 2))\""
                } else {
                    hint = ""
                }
                h += "<input id=\"\(id)\" name=\"\(esc(c.name))\" data-type=\"FP64\" type=\"text\" inputmode=\"decimal\"\(hint)>"
            }
        }
        h += "<button type=\"submit\" id=\"submit\">Predict</button></form>"
        h += "<p>\(esc(schema.target)): <output id=\"prediction\" for=\"predict\"></output> <span id=\"error\"></span></p>"
        h += "<script>\(script)</script>"

        // The inspect summary.
        h += "<h2>Model</h2><table id=\"summary\"><tbody>"
        h += "<tr><th>kind</th><td>\(esc(meta.kind)) (plugin version \(meta.pluginVersion))</td></tr>"
        h += "<tr><th>target</th><td>\(esc(schema.target))</td></tr>"
        h += "<tr><th>parameters</th><td>\(NumberText.grouped(meta.parameterCount))</td></tr>"
        h += "<tr><th>file</th><td>\(esc(m.path)), \(NumberText.bytes(Int(m.identity.size)))</td></tr>"
        h += "<tr><th>written</th><td>\(esc(meta.created)) by \(esc(meta.writer))</td></tr>"
        h += "<tr><th>hyperparameters</th><td><code>\(esc(hyperparameters(meta.hyperparameters)))</code></td></tr>"
        h += "<tr><th>rows</th><td>\(meta.rows.train) train, \(meta.rows.test) test (of \(meta.rows.read) read)</td></tr>"
        h += "</tbody></table>"
        if let t = meta.testMetrics {
            h +=
                "<h2>Test metrics</h2><table id=\"metrics\"><thead><tr><th>rows</th><th>MSE</th><th>RMSE</th><th>MAE</th><th>R²</th><th>max error</th></tr></thead><tbody>"
            h +=
                "<tr><td class=\"num\">\(t.rows)</td><td class=\"num\">\(metric(t.mse))</td><td class=\"num\">\(metric(t.rmse))</td><td class=\"num\">\(metric(t.mae))</td><td class=\"num\">\(String(format: "%.5f", t.r2))</td><td class=\"num\">\(metric(t.maxError))</td></tr></tbody></table>"
        }
        h +=
            "<h2>Features</h2><table id=\"features\"><thead><tr><th>column</th><th>kind</th><th>encoding</th><th>imputed with</th></tr></thead><tbody>"
        for c in schema.columns {
            let enc: String
            if c.kind == .numeric {
                enc = c.scaler.map { "(x − \(NumberText.metric($0.center))) / \(NumberText.metric($0.scale))" } ?? "as is"
            } else {
                let l = c.levels ?? []
                enc = c.isBinary ? "1 for \(l[1]), 0 for \(l[0])" : "one-hot over " + l.joined(separator: ", ")
            }
            let imp =
                c.impute.map {
                    c.kind == .numeric ? NumberText.metric($0) : ((c.levels ?? []).indices.contains(Int($0)) ? c.levels![Int($0)] : "-")
                } ?? "-"
            h += "<tr><td>\(esc(c.name))</td><td>\(c.kind.rawValue)</td><td>\(esc(enc))</td><td>\(esc(imp))</td></tr>"
        }
        h += "</tbody></table>"
        if !meta.layers.isEmpty {
            h += "<h2>Layers</h2><table id=\"layers\"><thead><tr><th>layer</th><th>output shape</th><th>parameters</th></tr></thead><tbody>"
            for l in meta.layers {
                h +=
                    "<tr><td>\(esc(l.name))</td><td>\(esc(l.outputShape))</td><td class=\"num\">\(NumberText.grouped(l.parameters))</td></tr>"
            }
            h += "</tbody></table>"
        }
        var charts = ""
        if let hist = meta.fit.history, !hist.loss.isEmpty {
            var series = [(name: "training loss", values: hist.loss)]
            if !hist.validationLoss.isEmpty { series.append((name: "validation loss", values: hist.validationLoss)) }
            charts += SVGChart.lines(title: "Loss per epoch (MSE in scaled target units)", yLabel: "loss (log scale)", series: series)
        }
        let names = schema.encodedNames
        if let imp = meta.fit.featureImportances, imp.count == names.count {
            let items = zip(names, imp).map { (label: $0, value: $1) }.sorted { $0.value > $1.value }
            charts += SVGChart.bars(title: "Feature importances (impurity)", xLabel: "share of impurity decrease", items: items)
        }
        if !charts.isEmpty { h += "<h2>Charts</h2><div class=\"charts\">\(charts)</div>" }
        h += "<p class=\"note\">Same model over HTTP: <code>POST /v2/models/\(esc(m.name))/infer</code> (Open Inference Protocol) or "
        h +=
            "<code>POST /invocations/\(esc(m.name))</code> (MLflow). Metadata: <a href=\"/v2/models/\(urlPath(m.name))\">/v2/models/\(esc(m.name))</a>.</p>"
        h += "</body></html>"
        return h
    }

    static func hyperparameters(_ v: JSONValue) -> String {
        guard let data = try? JSONEncoder().encode(v) else { return "-" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Sends the form as one row of JSON tensors to the infer endpoint and shows the prediction.
    static let script = """
        document.getElementById('predict').addEventListener('submit', async (ev) => {
          ev.preventDefault();
          const form = ev.target, out = document.getElementById('prediction'), err = document.getElementById('error');
          out.textContent = ''; err.textContent = ''; out.removeAttribute('data-value');
          const inputs = [];
          for (const el of form.querySelectorAll('input,select')) {
            const bytes = el.dataset.type === 'BYTES';
            const raw = el.value.trim();
            if (!bytes && (raw === '' || !/^[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$/.test(raw))) { err.textContent = el.name + ': enter a number'; return; }
            inputs.push({name: el.name, datatype: el.dataset.type, shape: [1, 1], data: [bytes ? raw : Number(raw)]});
          }
          try {
            const r = await fetch('/v2/models/' + encodeURIComponent(form.dataset.model) + '/infer',
              {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({inputs})});
            const body = await r.json();
            if (!r.ok) { err.textContent = body.error || ('HTTP ' + r.status); return; }
            const v = body.outputs[0].data[0];
            out.dataset.value = String(v);
            out.textContent = String(v);
          } catch (e) { err.textContent = String(e); }
        });
        """
}
