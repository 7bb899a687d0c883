import { CharTokenizer } from '../src/engine/tokenizer';
import { Rng } from '../src/engine/rng';
import { getFamily } from '../src/world/families';
import { drawDocuments } from '../src/world/corpus';
import { FORCED_CODE_PREFIX, worldTokenizer } from '../src/world/vocab';

describe('tokenizer', () => {
  const tok = new CharTokenizer('ab12 ', ['<pad>', '<eos>'], ['12', 'ab', 'ab1']);

  it('takes the longest piece at each position, else the character', () => {
    const ids = tok.encode('ab12 ab1 a1');
    expect(ids.map((i) => tok.decode([i]))).toEqual(['ab1', '2', ' ', 'ab1', ' ', 'a', '1']);
    expect(tok.vocabSize).toBe(2 + 5 + 3);
  });

  it('round-trips any text over the alphabet', () => {
    const rng = new Rng(3);
    for (let n = 0; n < 200; n++) {
      const s = Array.from({ length: rng.int(12) }, () => 'ab12 '[rng.int(5)]).join('');
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
  });

  it('rejects bad pieces and unknown characters with the culprit named', () => {
    expect(() => new CharTokenizer('ab', ['<pad>'], ['a'])).toThrow(/"a" must be at least two/);
    expect(() => new CharTokenizer('ab', ['<pad>'], ['ac'])).toThrow(/"c", which is not in the alphabet/);
    expect(() => new CharTokenizer('ab', ['<pad>'], ['ab', 'ab'])).toThrow(/appears twice/);
    expect(() => tok.encode('abz')).toThrow(/unknown character "z".*position 2/);
  });

  it('world: numbers 10–99 and template words are single tokens; documents round-trip', () => {
    const w = worldTokenizer();
    expect(w.encode('37')).toHaveLength(1);
    expect(w.encode('7')).toHaveLength(1);
    expect(w.encode(FORCED_CODE_PREFIX)).toHaveLength(2); // the sentence + newline
    const docs = drawDocuments(getFamily('base'), 50, w, new Rng(5), new Set());
    for (const d of docs) {
      expect(w.decode(d.ids)).toBe(d.text);
      expect(d.ids.length).toBeLessThan(d.text.length); // pieces shorten every document
    }
  });
});
