#!/usr/bin/env python3
"""Write the peers' exact train/test split (peers.py: dropna, train_test_split(test_size=0.2,
random_state=402)) as two CSVs, so ModelZoo can be trained and scored on the very rows the peers use.
Usage: /tmp/peers-venv/bin/python docs/bench/peerSplit.py data/bmi_data.csv OUTDIR
Then:  zoo train mlp --data OUTDIR/train.csv --target BMI --test-fraction 0 --out m.nnm
       zoo compare m.nnm --data OUTDIR/test.csv
"""
import os, sys
import pandas as pd
from sklearn.model_selection import train_test_split

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
df = pd.read_csv(src, skipinitialspace=True)
df.columns = [c.strip() for c in df.columns]
df = df.dropna()
df["Sex"] = df["Sex"].astype(str).str.strip()
train, test = train_test_split(df, test_size=0.2, random_state=402)
train.to_csv(os.path.join(out, "train.csv"), index=False)
test.to_csv(os.path.join(out, "test.csv"), index=False)
print(f"train {len(train)} rows, test {len(test)} rows -> {out}")
