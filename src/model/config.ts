/** Model configuration as plain data (it is saved verbatim in every checkpoint). */
export interface ModelConfig {
  /** Number of token ids (V). */
  vocabSize: number;
  /** Maximum sequence length the position table covers (C). */
  contextLength: number;
  /** Residual stream width (d_model). */
  dModel: number;
  /** Transformer blocks (L). */
  nLayers: number;
  /** Attention heads (H); dModel must be divisible by it. */
  nHeads: number;
  /** MLP hidden width = mlpRatio · dModel. */
  mlpRatio: number;
  /** Dropout probability on attention output and MLP output during training (0 disables). */
  dropout: number;
}

/** The engine benchmark's model: 4 layers, d_model 128, 4 heads, vocab 48 (~0.8M parameters). */
export const BENCH_MODEL: Readonly<ModelConfig> = Object.freeze({
  vocabSize: 48,
  contextLength: 128,
  dModel: 128,
  nLayers: 4,
  nHeads: 4,
  mlpRatio: 4,
  dropout: 0,
});

const INT_FIELDS = ['vocabSize', 'contextLength', 'dModel', 'nLayers', 'nHeads', 'mlpRatio'] as const;

/** Checks a config read from anywhere; `where` names the source (file) in the error. */
export function validateModelConfig(raw: unknown, where = 'model config'): ModelConfig {
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: expected an object`);
  const c = raw as Record<string, unknown>;
  for (const f of INT_FIELDS) {
    const v = c[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      throw new Error(`${where}: field '${f}' must be a positive integer, got ${JSON.stringify(v)}`);
    }
  }
  const dropout = c.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1)) {
    throw new Error(`${where}: field 'dropout' must be in [0, 1), got ${JSON.stringify(c.dropout)}`);
  }
  const cfg = { ...(c as unknown as ModelConfig), dropout };
  if (cfg.dModel % cfg.nHeads !== 0) {
    throw new Error(`${where}: field 'dModel' (${cfg.dModel}) must be divisible by 'nHeads' (${cfg.nHeads})`);
  }
  return {
    vocabSize: cfg.vocabSize,
    contextLength: cfg.contextLength,
    dModel: cfg.dModel,
    nLayers: cfg.nLayers,
    nHeads: cfg.nHeads,
    mlpRatio: cfg.mlpRatio,
    dropout: cfg.dropout,
  };
}

/** Parameter names and shapes, in a fixed order (checkpoints and data-parallel workers rely on it). */
export function parameterShapes(cfg: ModelConfig): [string, number[]][] {
  const D = cfg.dModel;
  const M = cfg.mlpRatio * D;
  const out: [string, number[]][] = [
    ['wte', [cfg.vocabSize, D]],
    ['wpe', [cfg.contextLength, D]],
  ];
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = `h${l}.`;
    out.push(
      [p + 'ln1.g', [D]], [p + 'ln1.b', [D]],
      [p + 'attn.wqkv', [D, 3 * D]], [p + 'attn.bqkv', [3 * D]],
      [p + 'attn.wo', [D, D]], [p + 'attn.bo', [D]],
      [p + 'ln2.g', [D]], [p + 'ln2.b', [D]],
      [p + 'mlp.w1', [D, M]], [p + 'mlp.b1', [M]],
      [p + 'mlp.w2', [M, D]], [p + 'mlp.b2', [D]],
    );
  }
  out.push(['lnf.g', [D]], ['lnf.b', [D]], ['head', [D, cfg.vocabSize]]);
  return out;
}

export function countParameters(cfg: ModelConfig): number {
  return parameterShapes(cfg).reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
}
