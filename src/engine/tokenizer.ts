/**
 * Character-level vocabulary. Ids 0..specials−1 are special tokens, then one id per character
 * of the alphabet. Unknown characters are an error naming the character and its position.
 */
export class CharTokenizer {
  readonly specials: readonly string[];
  readonly alphabet: string;
  private readonly toId = new Map<string, number>();

  constructor(alphabet: string, specials: readonly string[] = ['<pad>', '<eos>']) {
    const chars = Array.from(alphabet);
    const seen = new Set<string>();
    for (const c of chars) {
      if (seen.has(c)) throw new Error(`CharTokenizer: character ${JSON.stringify(c)} appears twice in the alphabet`);
      seen.add(c);
    }
    this.specials = specials;
    this.alphabet = alphabet;
    chars.forEach((c, i) => this.toId.set(c, specials.length + i));
  }

  get vocabSize(): number {
    return this.specials.length + this.toId.size;
  }

  /** Id of a special token by name, e.g. '<eos>'. */
  special(name: string): number {
    const i = this.specials.indexOf(name);
    if (i < 0) throw new Error(`CharTokenizer: no special token ${name} (have ${this.specials.join(', ')})`);
    return i;
  }

  encode(text: string): number[] {
    const out: number[] = [];
    let pos = 0;
    for (const c of text) {
      const id = this.toId.get(c);
      if (id === undefined) {
        throw new Error(`CharTokenizer: unknown character ${JSON.stringify(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${pos} of ${JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text)}`);
      }
      out.push(id);
      pos++;
    }
    return out;
  }

  /** Special tokens decode to nothing unless `showSpecials`. */
  decode(ids: readonly number[], showSpecials = false): string {
    const chars = Array.from(this.alphabet);
    return ids
      .map((id) => {
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new Error(`CharTokenizer: id ${id} is outside the vocabulary (size ${this.vocabSize})`);
        return id < this.specials.length ? (showSpecials ? this.specials[id] : '') : chars[id - this.specials.length];
      })
      .join('');
  }

  toJSON(): { alphabet: string; specials: readonly string[] } {
    return { alphabet: this.alphabet, specials: this.specials };
  }
}
