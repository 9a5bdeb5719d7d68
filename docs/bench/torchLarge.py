#!/usr/bin/env python3
"""PyTorch MLP with hidden layers 64,64 (relu), trained as ../shared/peers/peers.py trains its 6,3 MLP
(Adam 1e-3, batch 32, 50 epochs, MSE, target MinMax-scaled, plain Python loop), to time against
`zoo train mlp -p hidden=64,64`.
Usage: /tmp/peers-venv/bin/python docs/bench/torchLarge.py data/bmi_data.csv
"""
import sys, time
import numpy as np, pandas as pd, torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from sklearn.metrics import mean_squared_error

df = pd.read_csv(sys.argv[1], skipinitialspace=True); df.columns = [c.strip() for c in df.columns]; df = df.dropna()
df["Sex"] = (df["Sex"].astype(str).str.strip() == "Male").astype(np.float64)
X = df[["Age", "Height(Inches)", "Weight(Pounds)", "Sex"]].to_numpy(np.float64); y = df["BMI"].to_numpy(np.float64)
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=402)
sc = MinMaxScaler().fit(Xtr); Xtr, Xte = sc.transform(Xtr), sc.transform(Xte)
ys = MinMaxScaler().fit(ytr.reshape(-1, 1)); ytr_s = ys.transform(ytr.reshape(-1, 1)).ravel()
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3); loss_fn = nn.MSELoss()
dl = DataLoader(TensorDataset(torch.tensor(Xtr, dtype=torch.float32), torch.tensor(ytr_s, dtype=torch.float32).view(-1, 1)),
                batch_size=32, shuffle=True)
t0 = time.perf_counter()
for epoch in range(50):
    for xb, yb in dl:
        opt.zero_grad(); loss = loss_fn(model(xb), yb); loss.backward(); opt.step()
fit = time.perf_counter() - t0
with torch.no_grad():
    p = ys.inverse_transform(model(torch.tensor(Xte, dtype=torch.float32)).numpy().reshape(-1, 1)).ravel()
print(f"torch MLP 64,64: fit {fit:.2f}s, test MSE {mean_squared_error(yte, p):.6g}")
