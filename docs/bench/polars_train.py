#!/usr/bin/env python3
"""Training as a speed-minded Python user does it: polars.read_csv -> to_pandas -> the scikit-learn
pipeline of ../shared/peers/polars_predict.py (one-hot text + MinMax numeric + LinearRegression), fit
on an 80/20 split. Prints JSON: read_s, fit_s, total_s, test MSE. Best of --repeats.

  polars_train.py --data train.csv --target y [--repeats 3]
"""
import argparse, json, time
import pandas as pd
import polars as pl
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, MinMaxScaler
from sklearn.pipeline import Pipeline
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
p = argparse.ArgumentParser()
p.add_argument("--data", required=True); p.add_argument("--target", required=True); p.add_argument("--repeats", type=int, default=3)
a = p.parse_args()
best = None
for _ in range(a.repeats):
    t0 = time.perf_counter()
    d = pl.read_csv(a.data).to_pandas(); t1 = time.perf_counter()
    d = d.dropna(); y = d.pop(a.target)
    text = [c for c in d.columns if not pd.api.types.is_numeric_dtype(d[c])]
    num = [c for c in d.columns if c not in text]
    xtr, xte, ytr, yte = train_test_split(d, y, test_size=0.2, random_state=402)
    pipe = Pipeline([("prep", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), text),
                                                 ("num", MinMaxScaler(), num)])), ("reg", LinearRegression())]).fit(xtr, ytr)
    t2 = time.perf_counter()
    mse = float(((pipe.predict(xte) - yte) ** 2).mean())
    r = {"read_s": t1 - t0, "fit_s": t2 - t1, "total_s": t2 - t0, "test_mse": mse}
    best = r if best is None or r["total_s"] < best["total_s"] else best
print(json.dumps({k: round(v, 6) for k, v in best.items()}))
