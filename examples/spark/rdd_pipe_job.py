#!/usr/bin/env python3
"""Batch prediction with PySpark's RDD.pipe through `zoo predict`: each partition's lines go to one
zoo process, which writes one line per input line (the row plus its prediction).

  python3 rdd_pipe_job.py --zoo /abs/path/zoo --model /abs/path/model.nnm --input big.csv --output out/ [--master local[2]]

RDD.pipe starts the command without a shell and, unless `env` is given, with an EMPTY environment:
so the binary and the model need absolute paths (or SparkFiles.get on the executor), and no
PATH lookup happens. The output is a text directory (which must not exist yet): a header line, then the input's lines with
<target>_pred appended (empty where zoo gives no prediction)."""
import argparse
import json
import os
import shlex
import subprocess
import time

from pyspark.sql import SparkSession


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--zoo", required=True, help="absolute path of the zoo binary on the executors")
    p.add_argument("--model", required=True, help="absolute path of the .nnm model on the executors")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--master", default=None)
    a = p.parse_args()
    zoo_bin, model = os.path.abspath(a.zoo), os.path.abspath(a.model)
    info = json.loads(subprocess.run([zoo_bin, "inspect", model, "--format", "json"], check=True,
                                     capture_output=True, text=True).stdout)
    pred = info["metadata"]["schema"]["target"] + "_pred"

    builder = SparkSession.builder.appName("zoo-rdd-pipe")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel("ERROR")
    start = time.perf_counter()

    lines = sc.textFile(a.input)
    header = lines.first()
    columns = [c.strip() for c in header.split(",")]
    # The header is the first line of the first partition: drop it there only.
    body = lines.mapPartitionsWithIndex(lambda i, it: (l for k, l in enumerate(it) if i != 0 or k != 0))
    command = [zoo_bin, "predict", model, "-", "-o", "-", "--no-header", "--input-columns", ",".join(columns),
               "--on-error", "skip", "--emit", "row", "--quiet"]
    # checkCode: a failing zoo fails the task instead of silently dropping the partition's rows.
    predicted = body.pipe(shlex.join(command), env={}, checkCode=True)
    sc.parallelize([header + "," + pred], 1).union(predicted).saveAsTextFile(a.output)
    seconds = time.perf_counter() - start
    print(json.dumps({"route": "rdd.pipe", "seconds": round(seconds, 3)}))
    spark.stop()


if __name__ == "__main__":
    main()
