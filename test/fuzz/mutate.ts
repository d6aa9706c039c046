/** Seeded mutations of a document, for fuzzing the parser: deterministic for a (seed, index). */
export type Mutation =
  | 'truncate'
  | 'flip'
  | 'duplicate'
  | 'swap'
  | 'huge'
  | 'empty-table'
  | 'gbk'
  | 'delete-lines'
  | 'garble-number'
  | 'shuffle-cells';
export const MUTATIONS: Mutation[] = [
  'truncate',
  'flip',
  'duplicate',
  'swap',
  'huge',
  'empty-table',
  'gbk',
  'delete-lines',
  'garble-number',
  'shuffle-cells',
];

/** mulberry32: a small, fast, seedable PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const enc = new TextEncoder();

export function mutate(original: Uint8Array, text: string, index: number): { kind: Mutation; bytes: Uint8Array } {
  // A copy: Buffer#slice shares memory, and a flip must never reach the next mutation's source.
  const source = new Uint8Array(original);
  const r = rng(0x5eed + index * 7919);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const kind = MUTATIONS[index % MUTATIONS.length] as Mutation;
  const lines = text.split('\n');
  const n = (k: number) => Math.floor(r() * k);
  switch (kind) {
    case 'truncate':
      return { kind, bytes: source.slice(0, n(source.length)) };
    case 'flip': {
      const b = source.slice();
      const flips = 1 + n(8);
      for (let i = 0; i < flips; i++) b[n(b.length)] = n(256);
      return { kind, bytes: b };
    }
    case 'duplicate': {
      const at = n(lines.length);
      const count = 1 + n(20);
      lines.splice(at, 0, ...lines.slice(at, at + count));
      return { kind, bytes: enc.encode(lines.join('\n')) };
    }
    case 'swap': {
      for (let i = 0; i < 1 + n(10); i++) {
        const a = n(lines.length);
        const b = n(lines.length);
        [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      }
      return { kind, bytes: enc.encode(lines.join('\n')) };
    }
    case 'huge': {
      const huge = pick([
        '99999999999999999999999',
        '1e308',
        '9'.repeat(400),
        '-0',
        '0.0000001',
        '１２３４５',
        '7,9,2,0',
        '1.2.3',
      ]);
      let count = 0;
      const out = text.replace(/\b\d[\d,]*(\.\d+)?\b/g, (m) => (r() < 0.02 && count++ < 5 ? huge : m));
      return { kind, bytes: enc.encode(out) };
    }
    case 'empty-table': {
      const marks = lines.map((l, i) => (/^表\s*\d+/.test(l) ? i : -1)).filter((i) => i >= 0);
      const start = pick(marks.length ? marks : [0]);
      const next = marks.find((m) => m > start) ?? lines.length;
      lines.splice(start + 2, Math.max(0, next - start - 2));
      return { kind, bytes: enc.encode(lines.join('\n')) };
    }
    case 'gbk': {
      // GBK-encoded Chinese is not UTF-8: high bytes in lead/trail pairs.
      const b = source.slice();
      const at = n(b.length - 64);
      for (let i = 0; i < 32; i += 2) {
        b[at + i] = 0x81 + n(0x7e);
        b[at + i + 1] = 0x40 + n(0xbe);
      }
      return { kind, bytes: b };
    }
    case 'delete-lines': {
      const at = n(lines.length);
      lines.splice(at, 1 + n(60));
      return { kind, bytes: enc.encode(lines.join('\n')) };
    }
    case 'garble-number': {
      let count = 0;
      const out = text.replace(/\d,\d{3}/g, (m) =>
        r() < 0.05 && count++ < 3 ? m.replace(/\d$/, pick(['x', 'O', 'l', '?'])) : m,
      );
      return { kind, bytes: enc.encode(out) };
    }
    case 'shuffle-cells': {
      const at = n(lines.length);
      const cells = (lines[at] ?? '').split('\t');
      cells.sort(() => r() - 0.5);
      lines[at] = cells.join('\t');
      return { kind, bytes: enc.encode(lines.join('\n')) };
    }
  }
}
