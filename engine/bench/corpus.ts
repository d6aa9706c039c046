/**
 * The benchmark's synthetic corpus under data/bench/ (gitignored): generated once per seed, size and
 * generator version, then reused. Documents are listed department by department, year by year, so the
 * first K × years files are the corpus of the first K departments (the smaller size is a prefix of the larger).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_START_YEAR,
  syntheticFileName,
  writeCorpus,
  type CorpusOptions,
} from '../../datasets/synthetic/generate.ts';
import { projectRoot } from '../paths.ts';

export interface Corpus {
  dir: string;
  options: CorpusOptions;
  /** Department-major order. */
  files: string[];
  bytes: number;
  reused: boolean;
}

/** A hash of the generator's sources: a changed generator regenerates the cached corpus. */
export function generatorHash(): string {
  const dir = join(projectRoot, 'datasets', 'synthetic');
  const h = createHash('sha256');
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.ts'))
    .sort())
    h.update(f).update(readFileSync(join(dir, f)));
  for (const f of ['function.csv', 'economic.csv', 'procurement.csv'])
    h.update(readFileSync(join(projectRoot, 'datasets', 'classification', f)));
  return h.digest('hex').slice(0, 16);
}

export function ensureCorpus(root: string, o: CorpusOptions, log: (s: string) => void): Corpus {
  const options: CorpusOptions = { startYear: DEFAULT_START_YEAR, firstDepartment: 1, contradictions: 0, ...o };
  const dir = join(root, `corpus-s${options.seed}-${options.departments}x${options.years}`);
  const manifest = join(dir, 'bench-corpus.json');
  const hash = generatorHash();
  const files: string[] = [];
  for (let d = options.firstDepartment ?? 1; d < (options.firstDepartment ?? 1) + options.departments; d++)
    for (let y = options.startYear as number; y < (options.startYear as number) + options.years; y++)
      files.push(join(dir, syntheticFileName(d, y)));
  if (existsSync(manifest)) {
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { hash: string; bytes: number; documents: number };
    if (m.hash === hash && m.documents === files.length && files.every((f) => existsSync(f)))
      return { dir, options, files, bytes: m.bytes, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const { bytes } = writeCorpus(dir, options);
  log(
    `  generated ${files.length} synthetic documents (${(bytes / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  writeFileSync(manifest, JSON.stringify({ hash, bytes, documents: files.length, options }, null, 2) + '\n');
  return { dir, options, files, bytes, reused: false };
}
