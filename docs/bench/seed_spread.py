"""How much one seed decides the diabetes MLP comparison in docs/bench/selection.py: the test RMSE
of the MLP candidates both searches picked, refit with ten seeds on each side (same train/test
files, same settings as the grid: 50 epochs, batch 32, Adam, inputs and target MinMax-scaled).

Usage: /tmp/peers-venv/bin/python docs/bench/seed_spread.py --zoo .build/release/zoo --work DIR
(DIR: the --work of an earlier selection.py run, which holds diabetes-train.csv and diabetes-test.csv)
"""
import argparse, json, os, subprocess, warnings
import numpy as np, pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

warnings.filterwarnings("ignore")
ap = argparse.ArgumentParser()
ap.add_argument("--zoo", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--seeds", type=int, default=10)
args = ap.parse_args()
train, test = (os.path.join(args.work, f"diabetes-{s}.csv") for s in ("train", "test"))
tr, te = pd.read_csv(train), pd.read_csv(test)
target = tr.columns[-1]
X, y = tr.drop(columns=[target]).values, tr[target].values
Xt, yt = te.drop(columns=[target]).values, te[target].values


def sk(hidden, lr, seed):
    mlp = MLPRegressor(hidden_layer_sizes=hidden, max_iter=50, batch_size=32, alpha=0.0, learning_rate_init=lr, random_state=seed)
    m = TransformedTargetRegressor(regressor=Pipeline([("scale", MinMaxScaler()), ("mlp", mlp)]), transformer=MinMaxScaler())
    return root_mean_squared_error(yt, m.fit(X, y).predict(Xt))


def zoo(hidden, lr, seed):
    model = os.path.join(args.work, "seed-spread.nnm")
    subprocess.run([args.zoo, "train", "mlp", "--data", train, "--target", target, "--test-fraction", "0", "-p",
                    f"hidden={','.join(map(str, hidden))}", "-p", f"learning_rate={lr}", "-p", "epochs=50", "-p", "batch=32",
                    "-p", "validation=0", "-p", "patience=0", "-p", f"seed={seed}", "--out", model, "--quiet"], check=True)
    out = subprocess.run([args.zoo, "compare", model, "--data", test, "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)[0]["metrics"]["rmse"]


for side, fit in [("scikit-learn", sk), ("zoo", zoo)]:
    for hidden, lr in [((6, 3), 0.01), ((16, 8), 0.001), ((32, 16), 0.001)]:
        r = [fit(hidden, lr, s) for s in range(1, args.seeds + 1)]
        print(json.dumps({"side": side, "hidden": hidden, "learning_rate": lr, "min": round(min(r), 2),
                          "median": round(float(np.median(r)), 2), "max": round(max(r), 2)}), flush=True)
