import ModelZoo

/// `zoo inspect --tensors` / `--tensor NAME`: a model's learned values, exact (shortest round-trip text).
enum TensorDump {
    struct Entry: Encodable {
        var name, dtype: String
        var shape: [Int]
        var values: [Double]
    }

    static func print(_ tensors: [Tensor], only name: String?, format: OutputFormat) throws {
        guard let name else {
            Swift.print(try Format.json(tensors.map(entry)))
            return
        }
        guard let t = tensors.first(where: { $0.name == name }) else {
            throw ZooError.invalidInput("no tensor '\(name)'; the model has: \(tensors.map(\.name).joined(separator: ", "))")
        }
        if format == .json { Swift.print(try Format.json(entry(t))); return }
        Swift.print(csv(t), terminator: "")
    }

    static func entry(_ t: Tensor) -> Entry {
        Entry(name: t.name, dtype: t.dtype.description, shape: t.shape, values: t.numbers)
    }

    /// One line per row of a 2-D tensor (the last axis across), one value per line otherwise.
    static func csv(_ t: Tensor) -> String {
        let values = t.numbers
        let width = t.shape.count == 2 ? max(1, t.shape[1]) : 1
        var out = ""
        for start in stride(from: 0, to: values.count, by: width) {
            out += values[start..<min(values.count, start + width)].map(text).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Integers without a fraction; other values as Swift's shortest round-trip form.
    static func text(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}
