"""Classification benchmark: ModelZoo's five classifiers against scikit-learn and Keras on the same
split of the same data, in one run (docs/benchmarks.md, "Classification").

Usage: /tmp/peers-venv/bin/python docs/bench/classify.py --zoo .build/release/zoo --work /tmp/zoo-classify [--skip-keras]

Datasets: data/bmi_category.csv (Category; rows missing a value dropped), and scikit-learn's bundled
load_breast_cancer and load_wine (written as CSVs with text class names). Each is split once,
stratified (test_size=0.2, random_state=402); both sides train on train.csv and score on test.csv.
Features are MinMax-scaled on the training rows on both sides (ModelZoo's default scaler). Fit time
is `fit` alone: ModelZoo's stored fit_seconds, the peers' time around .fit(). Batch prediction: a
1,000,000-row BMI CSV through `zoo predict` (label + probabilities) against a fresh Python process
doing joblib.load → pandas.read_csv → predict_proba → to_csv.

Seeds: on a table of fewer than 1,000 training rows every seeded learner on both sides is fitted
with seeds 0..--seeds-1, and accuracy and log-loss are the means over the seeds, with the
log-loss's range; fit time is the median (the deterministic logistic regressions are fitted as
often, for the median: one sub-millisecond fit ranged 0.47-0.78 ms between runs on this VM). One seed's log-loss
on breast cancer's 114 test rows is a draw: SGDClassifier's ranged 0.035-0.057 over random_state
0-9, wider than the 2% the comparison asks about. BMI categories (4,994 test rows) keep one fit.
"""
import argparse, json, os, subprocess, sys, time
import numpy as np, pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "peers"))
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import accuracy_score, log_loss

ap = argparse.ArgumentParser()
ap.add_argument("--zoo", required=True)
ap.add_argument("--work", default="/tmp/zoo-classify")
ap.add_argument("--skip-keras", action="store_true")
ap.add_argument("--batch-rows", type=int, default=1_000_000)
ap.add_argument("--seeds", type=int, default=10, help="seeds per seeded learner on tables under 1,000 training rows")
ap.add_argument("--batch-only", action="store_true", help="only the batch-prediction table (models of an earlier run in --work)")
args = ap.parse_args()
os.makedirs(args.work, exist_ok=True)
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def datasets():
    bmi = pd.read_csv(os.path.join(root, "data", "bmi_category.csv")).dropna()
    yield "bmi_category", bmi, "Category"
    for name, loader in [("breast_cancer", load_breast_cancer), ("wine", load_wine)]:
        d = loader()
        df = pd.DataFrame(d.data, columns=[c.replace(" ", "_") for c in d.feature_names])
        df["label"] = [str(d.target_names[t]) for t in d.target]
        yield name, df, "label"


def encode(df, target):
    x = df.drop(columns=[target]).copy()
    if "Sex" in x:
        x["Sex"] = (x["Sex"] == "Male").astype(float)  # ModelZoo's one 0/1 input for two levels (the second, sorted)
    return x.to_numpy(dtype=float), df[target].to_numpy()


def zoo(*a):
    r = subprocess.run([args.zoo, *a], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"zoo {' '.join(a)} failed: {r.stderr}")
    return r.stdout


def keras_fit(xtr, ytr, xte, classes, seed=0):
    import keras
    keras.utils.set_random_seed(seed)
    idx = {c: i for i, c in enumerate(classes)}
    yi = np.array([idx[v] for v in ytr])
    m = keras.Sequential([keras.Input((xtr.shape[1],)), keras.layers.Dense(6, activation="relu"),
                          keras.layers.Dense(3, activation="relu"), keras.layers.Dense(len(classes), activation="softmax")])
    m.compile(optimizer=keras.optimizers.Adam(0.001), loss="sparse_categorical_crossentropy")
    t = time.perf_counter()
    m.fit(xtr, yi, epochs=50, batch_size=32, validation_split=0.2, verbose=0,
          callbacks=[keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)])
    fit = time.perf_counter() - t
    return fit, m.predict(xte, verbose=0)


results = []
for name, df, target in ([] if args.batch_only else datasets()):
    train, test = train_test_split(df, test_size=0.2, random_state=402, stratify=df[target])
    d = os.path.join(args.work, name)
    os.makedirs(d, exist_ok=True)
    train.to_csv(f"{d}/train.csv", index=False)
    test.to_csv(f"{d}/test.csv", index=False)
    xtr, ytr = encode(train, target)
    xte, yte = encode(test, target)
    sc = MinMaxScaler().fit(xtr)
    xtr, xte = sc.transform(xtr), sc.transform(xte)
    classes = sorted(set(ytr))
    seeds = range(args.seeds) if len(train) < 1000 else [0]

    def peers(seed):
        return {
            "linear": ("LogisticRegression", LogisticRegression(max_iter=1000)),
            # The per-sample rules: SGD on the log-loss, one row at a time (the neuron); a 2-unit logistic
            # hidden layer by per-sample SGD, 30 epochs, η 0.1 (two-layer).
            "neuron": ("SGDClassifier(log_loss, 20 epochs)", SGDClassifier(loss="log_loss", max_iter=20, tol=None, random_state=seed)),
            "two-layer": ("MLPClassifier((2,), logistic, sgd, batch 1, 30 epochs)",
                          MLPClassifier((2,), activation="logistic", solver="sgd", batch_size=1, learning_rate_init=0.1,
                                        momentum=0, max_iter=30, n_iter_no_change=1000, random_state=seed)),
            "mlp": ("MLPClassifier(6,3)", MLPClassifier((6, 3), random_state=seed, max_iter=200)),
            "forest": ("RandomForestClassifier(100, n_jobs=-1)", RandomForestClassifier(100, n_jobs=-1, random_state=seed)),
        }

    def summary(runs):
        """Means over seeded runs [(fit, acc, ll)]; fit time the median."""
        fit, acc, ll = zip(*runs)
        return dict(fit=float(np.median(fit)), acc=float(np.mean(acc)), ll=float(np.mean(ll)), ll_min=min(ll), ll_max=max(ll),
                    seeds=len(runs))

    peer = {}
    for kind in peers(0):
        runs = []
        # The deterministic logistic regression is fitted as often, for a median fit time.
        for seed in seeds:
            label, est = peers(seed)[kind]
            t = time.perf_counter()
            est.fit(xtr, ytr)
            fit = time.perf_counter() - t
            p = est.predict_proba(xte)
            runs.append((fit, accuracy_score(yte, est.classes_[p.argmax(1)]), log_loss(yte, p, labels=est.classes_)))
        peer[kind] = dict(name=label, **summary(runs))
    if not args.skip_keras:
        runs = []
        for seed in seeds:
            fit, p = keras_fit(xtr, ytr, xte, classes, seed)
            runs.append((fit, accuracy_score(yte, np.array(classes)[p.argmax(1)]), log_loss(yte, p, labels=classes)))
        peer["keras"] = dict(name="Keras MLP (6,3) softmax", **summary(runs))
    ours = {}
    for kind in ["linear", "neuron", "two-layer", "mlp", "forest"]:
        runs = []
        # One fit with the defaults (seed 402) on a large table; seeds 0.. on a small one (the
        # deterministic linear model: its defaults as often, for a median fit time).
        for seed in ([None] * len(seeds) if kind == "linear" else [None] if len(seeds) == 1 else seeds):
            out = f"{d}/{kind}.nnm"
            if os.path.exists(out):
                os.remove(out)
            zoo("train", kind, "--data", f"{d}/train.csv", "--target", target, "--task", "classify", "--test-fraction", "0",
                "--out", out, "--quiet", *([] if seed is None else ["-p", f"seed={seed}"]))
            meta = json.loads(zoo("inspect", out, "--format", "json"))
            row = json.loads(zoo("compare", out, "--data", f"{d}/test.csv", "--format", "json"))[0]
            m = row["classification_metrics"]
            runs.append((meta["metadata"]["training"]["fit_seconds"], m["accuracy"], m["log_loss"]))
        ours[kind] = summary(runs)
    results.append(dict(dataset=name, train=len(train), test=len(test), features=xtr.shape[1], classes=len(classes),
                        ours=ours, peers=peer))
    print(json.dumps(results[-1]), flush=True)

# Batch prediction with probabilities, end to end, on a large BMI-like CSV.
big = os.path.join(args.work, "big.csv")
if not os.path.exists(big):
    zoo("data", "generate", "--rows", str(args.batch_rows), "--seed", "402", "-o", big)
d = os.path.join(args.work, "bmi_category")
import joblib
from sklearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.preprocessing import OneHotEncoder
train = pd.read_csv(f"{d}/train.csv")
feats = ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]
batch = {}
for kind, est in [("linear", LogisticRegression(max_iter=1000)), ("forest", RandomForestClassifier(100, n_jobs=-1, random_state=0)),
                  ("mlp", MLPClassifier((6, 3), random_state=0, max_iter=200))]:
    pipe = make_pipeline(make_column_transformer((OneHotEncoder(drop="if_binary"), ["Sex"]), remainder=MinMaxScaler()), est)
    pipe.fit(train[feats], train["Category"])
    joblib.dump(pipe, f"{d}/{kind}.joblib")
    script = f"""
import joblib, pandas as pd
m = joblib.load("{d}/{kind}.joblib")
df = pd.read_csv("{big}")
p = m.predict_proba(df[{feats!r}])
df["Category_pred"] = m.classes_[p.argmax(1)]
for i, c in enumerate(m.classes_): df["Category_proba_" + c] = p[:, i]
df.to_csv("{d}/peer-out.csv", index=False)
"""
    # Each side starts with no dirty pages of the other's output to write back (`zoo predict -o`
    # syncs its file before renaming it into place, which waited on the peer's 100 MB write).
    os.sync()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True)
    peer_s = time.perf_counter() - t
    os.sync()
    t = time.perf_counter()
    zoo("predict", f"{d}/{kind}.nnm", big, "-o", f"{d}/zoo-out.csv", "--quiet")
    # Timed up to here: the label check below reads both outputs back (it was inside zoo's time
    # until 2026-12-07, 0.2-0.25 s of pandas reading in every zoo number before).
    zoo_s = time.perf_counter() - t
    # Same labels from both sides (probabilities agree to rounding for the linear model).
    ours_labels = pd.read_csv(f"{d}/zoo-out.csv", usecols=["Category_pred"])["Category_pred"]
    peer_labels = pd.read_csv(f"{d}/peer-out.csv", usecols=["Category_pred"])["Category_pred"]
    print(json.dumps({kind + "_label_agreement": float((ours_labels == peer_labels).mean())}), flush=True)
    batch[kind] = dict(zoo=zoo_s, peers=peer_s)
    print(json.dumps({kind: batch[kind]}), flush=True)
json.dump(dict(results=results, batch=batch), open(os.path.join(args.work, "batch.json" if args.batch_only else "results.json"), "w"), indent=1)
