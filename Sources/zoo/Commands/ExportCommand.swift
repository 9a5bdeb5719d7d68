import ArgumentParser
import Foundation
import ModelZoo

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model as ONNX, preprocessing included, for onnxruntime, Triton or Spark.",
        discussion: """
            The ONNX graph takes the raw columns of a CSV, one input per feature column shaped [N, 1] \
            (double for numbers, NaN = missing; string for categories, "" = missing), and for a regressor returns \
            <target>_pred, double [N, 1], in the target's units: imputation, scaling, one-hot encoding \
            and target un-scaling are inside the graph. A row zoo predict --on-error skip would leave \
            empty (a missing value without imputation, NaN or infinity, a category never seen in \
            training) gets NaN. Categories match exactly (zoo's case-insensitive fallback is not in \
            the graph). The forest becomes an ai.onnx.ml TreeEnsembleRegressor with double thresholds; \
            its output is float32, so its predictions are zoo's rounded to float.

            A classifier returns <target>_pred, the label as a string tensor [N] (the most probable class, \
            as zoo predict without --threshold; "" where there is no prediction), and <target>_proba, \
            double [N, classes], one probability per class in the stored order (zoo.classes in the \
            metadata; NaN where there is no prediction): Softmax or Sigmoid on the logits, or for the \
            forest an ai.onnx.ml TreeEnsembleClassifier whose float32 probabilities are zoo's rounded to \
            float.

            Opsets ai.onnx 17 and \
            ai.onnx.ml 3 (onnxruntime 1.11 or later). Metadata (kind, task, target, features, classes, schema, \
            metrics, the .nnm file's CRC-32) is in metadata_props; the graph's doc_string says how to feed it.

            Examples:
              zoo export models/bmi-forest.nnm -o bmi-forest.onnx
              zoo export models/bmi-category-mlp.nnm -o bmi-category-mlp.onnx
              python3 -c "import onnxruntime as ort; print(ort.InferenceSession('bmi-forest.onnx').get_inputs())"
            """
    )

    @Argument(help: "The .nnm model file.", completion: .file(extensions: ["nnm"]))
    var model: String

    @Option(name: .shortAndLong, help: "Output .onnx file (default: the model's path with .onnx).")
    var output: String?

    func run() throws {
        let trained = try ModelLoader.load(model)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))
        let crc = String(Zlib.crc32(bytes), radix: 16)
        let onnx = try ONNXExporter.export(trained, checksum: String(repeating: "0", count: 8 - crc.count) + crc)
        let out = output ?? (model.hasSuffix(".nnm") ? String(model.dropLast(4)) : model) + ".onnx"
        if out == "-" {
            try StandardOutputSink().write(onnx)
            return
        }
        try AtomicFile.write(onnx, to: out)
        Diagnostics.note("exported \(trained.metadata.kind) model (\(Format.bytes(onnx.count))) → \(out)")
    }
}
