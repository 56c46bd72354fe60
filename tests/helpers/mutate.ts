// Deterministic mutations of request bodies, for the fuzz tests (tests/integration/otlp-robustness.test.ts,
// tests/unit/engine/ingest-staged.test.ts).

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JSON_TOKENS = ['null', '{}', '[]', '"x"', '-1', '1e400', '18446744073709551616', '"AAAA"', 'true', '"\\ud800"', '{"intValue":"9"}'];

/** One mutation of `seed`: flips, insertions, deletions, truncation, splices; JSON gets token swaps too. */
export function mutate(seed: Buffer, random: () => number, isJson: boolean): Buffer {
  const bytes = [...seed];
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = Math.floor(random() * bytes.length);
    switch (Math.floor(random() * (isJson ? 7 : 6))) {
      case 0:
        bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
        break;
      case 1:
        bytes[at] = Math.floor(random() * 256);
        break;
      case 2:
        bytes.splice(at, 1 + Math.floor(random() * 8));
        break;
      case 3:
        bytes.splice(at, 0, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)));
        break;
      case 4:
        bytes.length = at;
        break;
      case 5: {
        // Copy a random slice elsewhere: duplicated fields, nested lengths that no longer fit.
        const from = Math.floor(random() * bytes.length);
        const slice = bytes.slice(from, from + 1 + Math.floor(random() * 64));
        bytes.splice(at, 0, ...slice);
        break;
      }
      default: {
        // JSON: replace a value after a colon with another kind of token.
        const text = Buffer.from(bytes).toString('latin1');
        const colon = text.indexOf(':', at);
        if (colon < 0) break;
        const end = text.slice(colon + 1).search(/[,}\]]/);
        const token = JSON_TOKENS[Math.floor(random() * JSON_TOKENS.length)]!;
        const replaced = text.slice(0, colon + 1) + token + text.slice(colon + 1 + (end < 0 ? 0 : end));
        bytes.length = 0;
        bytes.push(...Buffer.from(replaced, 'latin1'));
      }
    }
  }
  return Buffer.from(bytes);
}
