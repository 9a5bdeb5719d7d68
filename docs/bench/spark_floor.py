#!/usr/bin/env python3
"""Spark's floors for the batch-prediction routes, with the same session settings and timing as the
jobs in examples/spark: read the CSV and write it back (nothing else), or the same through a
do-nothing TRANSFORM stage (`cat`: every row out to a process and back as text).

  spark_floor.py --input big.csv --output out/ [--through-cat] [--master local[2]]"""
import argparse
import json
import time

from pyspark.sql import SparkSession

p = argparse.ArgumentParser()
p.add_argument("--input", required=True)
p.add_argument("--output", required=True)
p.add_argument("--master", default=None)
p.add_argument("--through-cat", action="store_true")
a = p.parse_args()
builder = SparkSession.builder.appName("spark-floor")
if a.master:
    builder = builder.master(a.master)
spark = builder.config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")
start = time.perf_counter()
rows = spark.read.option("header", True).csv(a.input)
if a.through_cat:
    rows.createOrReplaceTempView("floor_input")
    cols = ", ".join("`" + c + "`" for c in rows.columns)
    schema = ", ".join("`" + c + "` STRING" for c in rows.columns)
    rows = spark.sql(f"""SELECT TRANSFORM ({cols}) ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
                         USING 'cat' AS ({schema}) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' FROM floor_input""")
rows.write.mode("overwrite").option("header", True).csv(a.output)
print(json.dumps({"route": "floor", "seconds": round(time.perf_counter() - start, 3)}))
spark.stop()
