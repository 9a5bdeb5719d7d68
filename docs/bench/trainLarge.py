"""Training on a large CSV as a scikit-learn user would: read, drop incomplete rows, encode Sex,
split 80/20, scale, fit LinearRegression, score the test split. Compare with
`zoo train linear --data FILE --target BMI --out /tmp/m.nnm`.
    python docs/bench/trainLarge.py FILE"""
import sys, time
t0 = time.perf_counter()
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.metrics import mean_squared_error
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1], skipinitialspace=True).dropna()
df["Sex"] = (df["Sex"] == "Male").astype(float)
X = df[["Sex", "Age", "Height(Inches)", "Weight(Pounds)"]].to_numpy()
y = df["BMI"].to_numpy()
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=402)
sc = MinMaxScaler().fit(Xtr)
m = LinearRegression().fit(sc.transform(Xtr), ytr)
mse = mean_squared_error(yte, m.predict(sc.transform(Xte)))
t2 = time.perf_counter()
print(f"import {t1 - t0:.2f} s, read+prepare+fit+score {t2 - t1:.2f} s, total {t2 - t0:.2f} s, rows {len(df)}, test MSE {mse:.6f}")
