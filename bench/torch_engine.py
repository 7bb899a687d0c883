"""The engine benchmark's model and training step in PyTorch, for comparison with tfjs.

Same architecture as src/model/transformer.ts (pre-LayerNorm blocks, learned positions,
GELU as x*sigmoid(1.702x), untied head), same batch (B x T random tokens), one AdamW step
with global-norm clipping. Prints one JSON line: {"torch_train_step_s": ..., ...}.
"""
import json, math, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

cfg = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}
V, C, D, L, H, R = (cfg.get(k, d) for k, d in [("vocabSize", 48), ("contextLength", 128), ("dModel", 128), ("nLayers", 4), ("nHeads", 4), ("mlpRatio", 4)])
B, T, STEPS = cfg.get("batch", 128), cfg.get("seq", 64), cfg.get("steps", 3)
threads = cfg.get("threads", os.cpu_count())
torch.set_num_threads(threads)
torch.manual_seed(0)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.qkv, self.o = nn.Linear(D, 3 * D), nn.Linear(D, D)
        self.w1, self.w2 = nn.Linear(D, R * D), nn.Linear(R * D, D)

    def forward(self, x):
        b, t, _ = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(D, dim=2)
        q, k, v = (z.view(b, t, H, D // H).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(D // H)
        att = att.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        x = x + self.o((att @ v).transpose(1, 2).reshape(b, t, D))
        h = self.w1(self.ln2(x))
        return x + self.w2(h * torch.sigmoid(1.702 * h))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(C, D)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.lnf, self.head = nn.LayerNorm(D), nn.Linear(D, V, bias=False)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.lnf(x))


model = GPT()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
x = torch.randint(0, V, (B, T))
y = torch.randint(0, V, (B, T))


def step():
    loss = F.cross_entropy(model(x).view(-1, V), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


step()  # warm-up
times = []
for _ in range(STEPS):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({
    "torch_train_step_s": times[len(times) // 2],
    "torch_version": torch.__version__,
    "torch_threads": threads,
    "torch_params": sum(p.numel() for p in model.parameters()),
}))
