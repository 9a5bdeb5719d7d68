/// Which rows of a table a model is scored on, so that no score on training rows passes for a test score.
enum RowSelection {
    /// The model's held-out rows when `data` is its training file (by fingerprint) and its split can be
    /// reproduced; all rows otherwise, labelled in-sample when they are (or may be) its training rows.
    static func rows(for model: TrainedModel, data: EvaluationData, target: String) throws
        -> (RowSet, rows: [Int]?, note: String?)
    {
        let record = model.metadata.training
        guard let trained = record.data else {
            if data.table.rowCount == model.metadata.rows.read {
                return (
                    .inSample, nil,
                    "the model file records no data fingerprint (written before they were), and this file has "
                        + "as many rows as its training file: assumed to be it; retrain to score its held-out rows"
                )
            }
            return (.other, nil, nil)
        }
        guard trained == data.fingerprint else { return probe(record, data) }
        guard target == model.schema.target else {
            return (.inSample, nil, "this is the model's training file, scored against another target column")
        }
        guard let fraction = record.testFraction, fraction > 0, let seed = record.seed else {
            return (.inSample, nil, "this is the model's training file and it was trained on every row (--test-fraction 0)")
        }
        var options = DataOptions(target: target, features: model.schema.columns.map(\.name))
        options.testFraction = fraction
        options.seed = seed
        options.impute = record.impute ?? .drop
        options.split = record.splitStrategy
        if let classes = model.schema.classes, !classes.isEmpty {
            options.task = .classification
            options.stratify = record.stratified ?? false
        }
        let (split, _) = try DatasetBuilder.split(data.table, options: options)
        return (.heldOut, split.test, nil)
    }

    /// Another file: in-sample when a quarter or more of the model's sampled training rows are in it
    /// (a subset or superset of its training file, such as the train.csv `zoo split` wrote).
    static func probe(_ record: TrainingRecord, _ data: EvaluationData) -> (RowSet, rows: [Int]?, note: String?) {
        let probe = record.rowProbeHashes
        guard !probe.isEmpty else { return (.other, nil, nil) }
        let hits = DataFingerprint.probeHits(probe, in: data.table)
        let found = "\(hits) of \(probe.count) sampled training rows are in this file"
        if hits * 4 >= probe.count { return (.inSample, nil, found + " (it holds rows the model was trained on)") }
        return (.other, nil, hits > 0 ? found : nil)
    }
}
