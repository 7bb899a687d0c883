/**
 * A checkpoint folder opened for use: the tokenizer (read first: it is fast and catches a wrong
 * folder early), a one-line parameter count and memory estimate printed before any weight is
 * read, then the model; and the ids that end a response.
 */
import { formatMemory, readRealConfig } from './config';
import { RealModel, loadRealModel } from './model';
import { RealTokenizer, loadRealTokenizer } from './tokenizer';

export interface RealSession {
  model: RealModel;
  tokenizer: RealTokenizer;
  /** Ids that end a response: config/generation_config EOS plus the tokenizer's EOS and end-of-turn tokens. */
  stopIds: number[];
}

/** The union of the model's and the tokenizer's end-of-response ids. */
export function stopIdsOf(model: Pick<RealModel, 'cfg'>, tokenizer: RealTokenizer): number[] {
  return [...new Set([...model.cfg.eosTokenIds, ...tokenizer.stopTokenIds()])];
}

/** Throws when the tokenizer can produce ids the model has no embedding for. */
export function checkVocabulary(model: Pick<RealModel, 'cfg'>, tokenizer: RealTokenizer, dir: string): void {
  if (tokenizer.size > model.cfg.vocabSize) {
    throw new Error(`${dir}: tokenizer.json has ids up to ${tokenizer.size - 1} but config.json's vocab_size is ${model.cfg.vocabSize}; the tokenizer does not belong to this model`);
  }
}

/**
 * Opens `dir`. `shape` is what the memory estimate assumes: rows and tokens per forward pass, and
 * whether gradients and AdamW state are needed.
 */
export async function openRealSession(dir: string, shape: { batch: number; seqLen: number; training: boolean }, log: (line: string) => void = () => {}): Promise<RealSession> {
  const tokenizer = loadRealTokenizer(dir);
  const cfg = readRealConfig(dir);
  log(`memory estimate: ${formatMemory(cfg, shape)}`);
  const model = await loadRealModel(dir, { log });
  try {
    checkVocabulary(model, tokenizer, dir);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, tokenizer, stopIds: stopIdsOf(model, tokenizer) };
}
