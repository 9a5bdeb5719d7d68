#!/usr/bin/env python3
"""Fit scikit-learn's models on exactly ModelZoo's train/test split of a CSV, for same-split comparisons.

ModelZoo splits with SplitMix64(seed) + Fisher-Yates over the usable rows (target and features present,
file order), test = the first ceil(fraction * n) of the shuffled order. This script replays that split.
Usage: /tmp/peers-venv/bin/python docs/bench/ourSplit.py data/bmi_data.csv [seed] [fraction]
"""
import math, sys, time
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_squared_error, r2_score
from sklearn.preprocessing import MinMaxScaler

M64 = (1 << 64) - 1

class SplitMix64:
    def __init__(self, seed): self.s = seed & M64
    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)
    def below(self, b):
        m = self.next() * b
        if (m & M64) < b:
            t = ((1 << 64) - b) % b
            while (m & M64) < t: m = self.next() * b
        return m >> 64

def split(n, seed, fraction):
    order = list(range(n)); g = SplitMix64(seed)
    for i in range(n - 1, 0, -1):
        j = g.below(i + 1); order[i], order[j] = order[j], order[i]
    n_test = min(max(math.ceil(n * fraction), 1), n - 1)
    return order[n_test:], order[:n_test]

path = sys.argv[1]; seed = int(sys.argv[2]) if len(sys.argv) > 2 else 402
fraction = float(sys.argv[3]) if len(sys.argv) > 3 else 0.2
df = pd.read_csv(path, skipinitialspace=True); df.columns = [c.strip() for c in df.columns]
df = df.dropna().reset_index(drop=True)
df["Sex"] = (df["Sex"].astype(str).str.strip() == "Male").astype(float)
F = ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]
X = df[F].to_numpy(float); y = df["BMI"].to_numpy(float)
tr, te = split(len(y), seed, fraction)
sc = MinMaxScaler().fit(X[tr]); Xtr, Xte = sc.transform(X[tr]), sc.transform(X[te])
print(f"rows {len(y)} train {len(tr)} test {len(te)}")
for name, m in [("LinearRegression", LinearRegression()),
                ("RandomForest(100)", RandomForestRegressor(n_estimators=100, n_jobs=-1, random_state=0))]:
    t0 = time.perf_counter(); m.fit(Xtr, y[tr]); fit = time.perf_counter() - t0
    t0 = time.perf_counter(); p = m.predict(Xte); pred = time.perf_counter() - t0
    print(f"{name:<20} fit {fit:.3f}s predict {pred*1000:.1f}ms  test MSE {mean_squared_error(y[te], p):.6g}  R2 {r2_score(y[te], p):.5f}")
