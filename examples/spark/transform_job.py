#!/usr/bin/env python3
"""Batch prediction in Spark SQL with `zoo predict` as a TRANSFORM stage: rows go from the JVM to
zoo's stdin as comma-separated lines (nulls as \\N), predictions come back one line per row. No
Python worker touches the rows.

  python3 transform_job.py --zoo /abs/path/zoo --model /abs/path/model.nnm --input big.csv --output out/ [--master local[2]]

The input is any CSV with a header (read as strings, so numbers reach zoo exactly as written); the
output is a CSV directory with the input's columns plus <target>_pred (empty where zoo gives no
prediction: a missing value without imputation, an unknown category). On a cluster, ship the binary
and the model with `spark-submit --files zoo,model.nnm` and pass `--zoo ./zoo --model model.nnm`
(see README.md)."""
import argparse
import json
import shlex
import subprocess
import time

from pyspark.sql import SparkSession


def sql_string(s):
    """A Spark SQL string literal."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def ident(name):
    return "`" + name.replace("`", "``") + "`"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--zoo", required=True, help="zoo binary, as the executors see it")
    p.add_argument("--model", required=True, help=".nnm model, as the executors see it")
    p.add_argument("--target", help="target name for the output column (default: read from the model with zoo inspect)")
    p.add_argument("--input", required=True)
    p.add_argument("--output", required=True)
    p.add_argument("--master", default=None, help="e.g. local[2]; default: spark-submit's")
    a = p.parse_args()

    target = a.target
    if target is None:  # the driver can run zoo too (local mode, or the binary shipped to the driver as well)
        info = json.loads(subprocess.run([a.zoo, "inspect", a.model, "--format", "json"], check=True,
                                         capture_output=True, text=True).stdout)
        target = info["metadata"]["schema"]["target"]

    builder = SparkSession.builder.appName("zoo-transform")
    if a.master:
        builder = builder.master(a.master)
    spark = builder.config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter()

    rows = spark.read.option("header", True).csv(a.input)  # every column a string: text reaches zoo unchanged
    rows.createOrReplaceTempView("zoo_input")
    columns = rows.columns
    pred = f"{target}_pred"
    # --no-header: lines without a header; --input-columns: their names (extra columns are carried);
    # --null-token: Spark writes a null as \N; --on-error skip: a row zoo cannot predict gets an empty
    # prediction instead of failing the task; --emit row: the row comes back with its prediction.
    command = " ".join([shlex.quote(a.zoo), "predict", shlex.quote(a.model), "-", "-o", "-", "--no-header",
                        "--input-columns", shlex.quote(",".join(columns)), "--null-token", shlex.quote("\\N"),
                        "--on-error", "skip", "--emit", "row", "--quiet"])
    select = ", ".join(ident(c) for c in columns)
    schema = ", ".join(f"{ident(c)} STRING" for c in columns + [pred])
    out = spark.sql(f"""
        SELECT TRANSFORM ({select})
          ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
          USING {sql_string(command)}
          AS ({schema})
          ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
        FROM zoo_input""")
    out.write.mode("overwrite").option("header", True).csv(a.output)
    seconds = time.perf_counter() - start
    print(json.dumps({"route": "transform", "seconds": round(seconds, 3)}))
    spark.stop()


if __name__ == "__main__":
    main()
