#!/usr/bin/env python3
"""Batch prediction with mapInPandas and onnxruntime on a model exported by `zoo export`: one
InferenceSession per task, Arrow batches in, the same rows plus <target>_pred out. The ONNX graph
holds the preprocessing (imputation, scaling, one-hot), so the job feeds raw columns.

  python3 map_in_pandas_onnx_job.py --model /abs/path/model.onnx --input big.csv --output out/ [--master local[2]]

Needs pandas, pyarrow and onnxruntime on the executors. With --ship, the model is distributed with
SparkContext.addFile and opened through SparkFiles.get on each executor (the same as
`spark-submit --files model.onnx`)."""
import argparse
import json
import os
import time

import onnx
from pyspark import SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql.types import DoubleType, StructField, StructType


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True, help="the .onnx file written by zoo export")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--master", default=None)
    p.add_argument("--ship", action="store_true", help="distribute the model with addFile/SparkFiles")
    p.add_argument("--batch", type=int, default=50000, help="rows per Arrow batch")
    a = p.parse_args()
    graph = onnx.load(a.model, load_external_data=False).graph
    inputs = [(i.name, i.type.tensor_type.elem_type == onnx.TensorProto.STRING) for i in graph.input]
    pred = graph.output[0].name

    builder = SparkSession.builder.appName("zoo-onnx-mapInPandas")
    if a.master:
        builder = builder.master(a.master)
    spark = (builder.config("spark.ui.enabled", "false")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(a.batch)).getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    model_path = os.path.abspath(a.model)
    if a.ship:
        spark.sparkContext.addFile(model_path)
        model_ref = ("sparkfiles", os.path.basename(model_path))
    else:
        model_ref = ("path", model_path)
    start = time.perf_counter()

    rows = spark.read.option("header", True).csv(a.input)  # strings, as zoo reads them

    def predict(batches):
        import numpy as np
        import onnxruntime as ort
        import pandas as pd
        path = SparkFiles.get(model_ref[1]) if model_ref[0] == "sparkfiles" else model_ref[1]
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # Spark runs one task per core already
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        for b in batches:
            feeds = {}
            for name, is_string in inputs:
                col = b[name].fillna("").astype(str).str.strip()
                if is_string:
                    feeds[name] = col.to_numpy(dtype=object).reshape(-1, 1)
                else:  # empty or not a number: NaN, which the graph imputes or turns into a NaN prediction
                    feeds[name] = pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64).reshape(-1, 1)
            b[pred] = session.run(None, feeds)[0][:, 0] if len(b) else np.zeros(0)
            yield b

    schema = StructType(list(rows.schema.fields) + [StructField(pred, DoubleType())])
    rows.mapInPandas(predict, schema=schema).write.mode("overwrite").option("header", True).csv(a.output)
    seconds = time.perf_counter() - start
    print(json.dumps({"route": "mapInPandas+onnxruntime", "seconds": round(seconds, 3)}))
    spark.stop()


if __name__ == "__main__":
    main()
