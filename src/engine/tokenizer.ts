/**
 * Character-level vocabulary with optional multi-character pieces. Ids 0..specials−1 are special
 * tokens, then one id per character of the alphabet, then one per piece. Encoding takes the
 * longest piece that matches at each position, else the character (so any text over the alphabet
 * encodes, and decode(encode(s)) = s). Unknown characters are an error naming the character and
 * its position.
 */
export class CharTokenizer {
  readonly specials: readonly string[];
  readonly alphabet: string;
  readonly pieces: readonly string[];
  private readonly toId = new Map<string, number>();
  private readonly idToText: string[];
  /** Pieces by first character, longest first. */
  private readonly piecesByFirst = new Map<string, string[]>();

  constructor(alphabet: string, specials: readonly string[] = ['<pad>', '<eos>'], pieces: readonly string[] = []) {
    const chars = Array.from(alphabet);
    const seen = new Set<string>();
    for (const c of chars) {
      if (seen.has(c)) throw new Error(`CharTokenizer: character ${JSON.stringify(c)} appears twice in the alphabet`);
      seen.add(c);
    }
    this.specials = specials;
    this.alphabet = alphabet;
    chars.forEach((c, i) => this.toId.set(c, specials.length + i));
    this.pieces = pieces;
    pieces.forEach((piece, i) => {
      if (Array.from(piece).length < 2) throw new Error(`CharTokenizer: piece ${JSON.stringify(piece)} must be at least two characters`);
      if (this.toId.has(piece)) throw new Error(`CharTokenizer: piece ${JSON.stringify(piece)} appears twice`);
      for (const c of piece) if (!seen.has(c)) throw new Error(`CharTokenizer: piece ${JSON.stringify(piece)} uses ${JSON.stringify(c)}, which is not in the alphabet`);
      this.toId.set(piece, specials.length + chars.length + i);
      const first = Array.from(piece)[0];
      const list = this.piecesByFirst.get(first) ?? [];
      list.push(piece);
      this.piecesByFirst.set(first, list);
    });
    for (const list of this.piecesByFirst.values()) list.sort((a, b) => b.length - a.length);
    this.idToText = [...specials.map(() => ''), ...chars, ...pieces];
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
    const chars = Array.from(text);
    let pos = 0; // in characters (code points), for the error message
    let off = 0; // in UTF-16 units, for startsWith
    while (pos < chars.length) {
      const c = chars[pos];
      const piece = this.piecesByFirst.get(c)?.find((pc) => text.startsWith(pc, off));
      if (piece !== undefined) {
        out.push(this.toId.get(piece)!);
        pos += Array.from(piece).length;
        off += piece.length;
        continue;
      }
      const id = this.toId.get(c);
      if (id === undefined) {
        throw new Error(`CharTokenizer: unknown character ${JSON.stringify(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) at position ${pos} of ${JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text)}`);
      }
      out.push(id);
      pos++;
      off += c.length;
    }
    return out;
  }

  /** Special tokens decode to nothing unless `showSpecials`. */
  decode(ids: readonly number[], showSpecials = false): string {
    return ids
      .map((id) => {
        if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) throw new Error(`CharTokenizer: id ${id} is outside the vocabulary (size ${this.vocabSize})`);
        return id < this.specials.length ? (showSpecials ? this.specials[id] : '') : this.idToText[id];
      })
      .join('');
  }

  toJSON(): { alphabet: string; specials: readonly string[]; pieces: readonly string[] } {
    return { alphabet: this.alphabet, specials: this.specials, pieces: this.pieces };
  }
}

