"""zoo tune / zoo train --cv against scikit-learn's cross_val_score and GridSearchCV, same rows and folds.

    python docs/bench/selection.py [--zoo .build/release/zoo] [--work /tmp/zoo-selection] [--datasets bmi,diabetes]

Writes the CSVs (data/bmi_data.csv split by `zoo split`; scikit-learn's bundled load_diabetes as a CSV, then
split the same way), then per dataset: linear fold scores (zoo train --cv 5 vs cross_val_score with
KFold(5), no shuffle), and a forest grid and an MLP grid (zoo tune vs GridSearchCV(n_jobs=-1)) timed
wall to wall, each best refit scored on the test file. Prints a Markdown table; JSON to --out.
"""
import argparse, json, os, subprocess, sys, time

import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{r.stderr}")
    return r


def write_csvs(zoo, work, name):
    os.makedirs(work, exist_ok=True)
    if name == "bmi":
        source, target = "data/bmi_data.csv", "BMI"
    else:
        d = load_diabetes(as_frame=True, scaled=False)
        source, target = os.path.join(work, "diabetes.csv"), "progression"
        d.frame.rename(columns={"target": target}).to_csv(source, index=False)
    train, test = os.path.join(work, f"{name}-train.csv"), os.path.join(work, f"{name}-test.csv")
    run([zoo, "split", source, "--target", target, "--test-fraction", "0.2", "--seed", "402", "--train", train, "--test", test])
    return train, test, target


def xy(path, target):
    df = pd.read_csv(path)
    y = df.pop(target).to_numpy(float)
    return pd.get_dummies(df, drop_first=True).to_numpy(float), y


def zoo_rmse_on(zoo, model, test):
    r = run([zoo, "compare", model, "--data", test, "--format", "json", "--no-timings"])
    return json.loads(r.stdout)[0]["metrics"]["rmse"]


def linear_check(zoo, work, train, target, X, y):
    model = os.path.join(work, "linear-cv.nnm")
    run([zoo, "train", "linear", "--data", train, "--target", target, "--test-fraction", "0", "--cv", "5", "--out", model, "-q"])
    meta = json.loads(run([zoo, "inspect", model, "--format", "json"]).stdout)["metadata"]
    ours = np.array(meta["search"]["leaderboard"][0]["fold_scores"])
    theirs = -cross_val_score(LinearRegression(), X, y, cv=KFold(5), scoring="neg_root_mean_squared_error")
    return float(np.max(np.abs(ours - theirs))), ours.tolist(), theirs.tolist()


GRIDS = {
    "forest": {
        "zoo": ["--grid", "trees=50|100|200", "--grid", "max_depth=none|10|20", "--grid", "max_features=1.0|0.5"],
        "sk": {"n_estimators": [50, 100, 200], "max_depth": [None, 10, 20], "max_features": [1.0, 0.5]},
    },
    "mlp": {
        "zoo": ["--grid", "hidden=6,3|16,8|32,16", "--grid", "learning_rate=0.001|0.01",
                "-p", "epochs=50", "-p", "batch=32", "-p", "validation=0", "-p", "patience=0"],
        "sk": {"regressor__mlp__hidden_layer_sizes": [(6, 3), (16, 8), (32, 16)],
               "regressor__mlp__learning_rate_init": [0.001, 0.01]},
    },
}


def sk_estimator(kind):
    if kind == "forest":
        return RandomForestRegressor(random_state=402)
    # As zoo's mlp: inputs and target MinMax-scaled, Adam, batch 32, 50 epochs, no early stopping, no L2.
    mlp = MLPRegressor(max_iter=50, batch_size=32, alpha=0.0, random_state=402)
    return TransformedTargetRegressor(regressor=Pipeline([("scale", MinMaxScaler()), ("mlp", mlp)]), transformer=MinMaxScaler())


def grid(zoo, work, name, kind, train, test, target, X, y, Xt, yt):
    model = os.path.join(work, f"{name}-{kind}.nnm")
    results = os.path.join(work, f"{name}-{kind}.jsonl")
    if os.path.exists(results):
        os.remove(results)
    t0 = time.perf_counter()
    run([zoo, "tune", kind, "--data", train, "--target", target, "--test-fraction", "0", "--folds", "5", "--results", results,
         "--out", model, "-q", "--format", "json"] + GRIDS[kind]["zoo"])
    zoo_seconds = time.perf_counter() - t0
    zoo_test = zoo_rmse_on(zoo, model, test)
    best = json.loads(run([zoo, "inspect", model, "--format", "json"]).stdout)["metadata"]["search"]["leaderboard"][0]
    t0 = time.perf_counter()
    search = GridSearchCV(sk_estimator(kind), GRIDS[kind]["sk"], cv=KFold(5), scoring="neg_root_mean_squared_error", n_jobs=-1)
    search.fit(X, y)
    sk_seconds = time.perf_counter() - t0
    sk_test = root_mean_squared_error(yt, search.predict(Xt))
    return {"zoo_seconds": zoo_seconds, "sk_seconds": sk_seconds, "speedup": sk_seconds / zoo_seconds,
            "zoo_cv_rmse": best["mean_rmse"], "sk_cv_rmse": -search.best_score_,
            "zoo_best": best["params"], "sk_best": {k.split("__")[-1]: v for k, v in search.best_params_.items()},
            "zoo_test_rmse": zoo_test, "sk_test_rmse": sk_test, "test_ratio": zoo_test / sk_test}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--zoo", default=".build/release/zoo")
    ap.add_argument("--work", default="/tmp/zoo-selection")
    ap.add_argument("--datasets", default="diabetes,bmi")
    ap.add_argument("--kinds", default="forest,mlp")
    ap.add_argument("--out", default="/tmp/zoo-selection/results.json")
    a = ap.parse_args()
    out = {}
    for name in a.datasets.split(","):
        train, test, target = write_csvs(a.zoo, a.work, name)
        X, y = xy(train, target)
        Xt, yt = xy(test, target)
        diff, ours, theirs = linear_check(a.zoo, a.work, train, target, X, y)
        out[name] = {"rows": [len(y), len(yt)], "linear_max_fold_diff": diff, "linear_zoo": ours, "linear_sk": theirs}
        print(f"{name}: {len(y)} training rows, {len(yt)} test rows; linear fold RMSE max |zoo - cross_val_score| = {diff:.2e}", flush=True)
        for kind in filter(None, a.kinds.split(",")):
            r = grid(a.zoo, a.work, name, kind, train, test, target, X, y, Xt, yt)
            out[name][kind] = r
            print(f"| {name} | {kind} | {r['zoo_seconds']:.2f} s | {r['sk_seconds']:.2f} s | {r['speedup']:.1f}× "
                  f"| {r['zoo_cv_rmse']:.5g} {r['zoo_best']} | {r['sk_cv_rmse']:.5g} {r['sk_best']} "
                  f"| {r['zoo_test_rmse']:.5g} | {r['sk_test_rmse']:.5g} | {r['test_ratio']:.3f} |", flush=True)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1, default=str)


if __name__ == "__main__":
    main()
