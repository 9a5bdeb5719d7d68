import Foundation
import ModelZoo
import XCTest
import ZooPlugins
@testable import ZooServe

/// A served classifier answers with the label (BYTES) and one probability per class (FP64), the
/// values `zoo predict` writes for the same rows.
final class ClassifierServingTests: XCTestCase {
    func testLabelAndProbabilitiesEqualTheModels() throws {
        let root = RequestParsingTests.root
        let path = root.appendingPathComponent("models/bmi-category-linear.nnm").path
        let trained = try TrainedModel.load(path: path, registry: builtinPlugins)
        let served = try ServedModel(name: "bmi-category-linear", path: path, trained: trained, identity: FileIdentity.of(path)!)
        XCTAssertEqual(served.outputs.map(\.name), ["Category_pred", "Category_proba"])
        XCTAssertEqual(served.outputs.map(\.columns), [1, trained.schema.classes!.count])
        let table = try CSVTable.parse(Array(RequestParsingTests.csv.utf8))
        let outputs = try served.predict(table)
        let (x, _) = served.encoder.encodeAll(table)
        let expected = try trained.classify(encoded: x)
        guard case .bytes(let labels) = outputs[0].values, case .fp64(let probabilities) = outputs[1].values else {
            return XCTFail("outputs are \(outputs.map(\.datatype))")
        }
        XCTAssertEqual(labels, (0..<x.rows).map(expected.label))
        XCTAssertEqual(probabilities.map(\.bitPattern), expected.probabilities.values.map(\.bitPattern))
        for r in 0..<x.rows {
            let row = probabilities[(r * expected.classes.count)..<((r + 1) * expected.classes.count)]
            XCTAssertEqual(row.reduce(0, +), 1, accuracy: 1e-12)
        }
    }
}
