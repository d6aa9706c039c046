/**
 * Synthetic 部门预算 documents in the seed's text layout, deterministic from a seed: N departments × Y years,
 * internally consistent (parsing one gives no 'error' finding unless a contradiction is asked for), with a
 * few units per department, function codes that come and go over the years, and the seed's kinds of mess.
 * Everything is labelled synthetic: file names (synthetic-d0001-2021.txt), department and unit names
 * (示例市合成区第1局（合成数据）) and hence documents.title. Real data stays in datasets/*.txt; write these
 * under data/ (gitignored).
 *
 *   node --import tsx datasets/synthetic/generate.ts --out data/synthetic --departments 100 --years 10 --seed 1
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDepartment } from './model.ts';
import { renderDocument } from './render.ts';
import { Rng } from './rng.ts';

export interface CorpusOptions {
  seed: number;
  departments: number;
  years: number;
  /** First fiscal year (default 2015). */
  startYear?: number;
  /** Number the departments from here (default 1), to cut a corpus into parts. */
  firstDepartment?: number;
  /**
   * Fraction (0–1) of documents that get one deliberate contradiction (表12's department row off by 0.20
   * from its units and the narrative: 'error' findings). Default 0: every document reconciles.
   */
  contradictions?: number;
}

export interface SyntheticDocument {
  fileName: string;
  text: string;
  department: string;
  departmentIndex: number;
  year: number;
  /** True where a contradiction was injected on purpose. */
  contradiction: boolean;
}

export const DEFAULT_START_YEAR = 2015;

/** File name of a synthetic document: synthetic-d0001-2021.txt. */
export function syntheticFileName(department: number, year: number): string {
  return `synthetic-d${String(department).padStart(4, '0')}-${year}.txt`;
}

/** The corpus, department by department and year by year. Same options → same bytes. */
export function* generateCorpus(o: CorpusOptions): Generator<SyntheticDocument> {
  const startYear = o.startYear ?? DEFAULT_START_YEAR;
  const first = o.firstDepartment ?? 1;
  if (!(o.departments >= 0 && o.years >= 1)) throw new Error('departments must be ≥ 0 and years ≥ 1');
  for (let d = first; d < first + o.departments; d++) {
    const dept = buildDepartment(o.seed, d, startYear, o.years);
    for (let y = startYear; y < startYear + o.years; y++) {
      const contradiction =
        (o.contradictions ?? 0) > 0 && new Rng(`${o.seed}|d${d}|y${y}|contradiction`).chance(o.contradictions ?? 0);
      yield {
        fileName: syntheticFileName(d, y),
        text: renderDocument(dept, y, { contradiction }),
        department: dept.name,
        departmentIndex: d,
        year: y,
        contradiction,
      };
    }
  }
}

/** Write a corpus into a folder; returns the files written and their total bytes. */
export function writeCorpus(dir: string, o: CorpusOptions): { files: string[]; bytes: number } {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const contradicted: string[] = [];
  for (const doc of generateCorpus(o)) {
    const path = join(dir, doc.fileName);
    const buf = Buffer.from(doc.text, 'utf8');
    writeFileSync(path, buf);
    files.push(path);
    bytes += buf.length;
    if (doc.contradiction) contradicted.push(doc.fileName);
  }
  writeFileSync(
    join(dir, 'synthetic-manifest.json'),
    JSON.stringify({ synthetic: true, options: o, documents: files.length, bytes, contradicted }, null, 2) + '\n',
  );
  return { files, bytes };
}

function cli(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string', default: 'data/synthetic' },
      departments: { type: 'string', default: '10' },
      years: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      'start-year': { type: 'string', default: String(DEFAULT_START_YEAR) },
      'first-department': { type: 'string', default: '1' },
      contradictions: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: node --import tsx datasets/synthetic/generate.ts [--out DIR] [--departments N] [--years Y] [--seed S]\n' +
        '         [--start-year 2015] [--first-department 1] [--contradictions 0..1]\n',
    );
    return 0;
  }
  const o: CorpusOptions = {
    seed: Number(values.seed),
    departments: Number(values.departments),
    years: Number(values.years),
    startYear: Number(values['start-year']),
    firstDepartment: Number(values['first-department']),
    contradictions: Number(values.contradictions),
  };
  const out = resolve(String(values.out));
  const t0 = performance.now();
  const { files, bytes } = writeCorpus(out, o);
  process.stdout.write(
    `wrote ${files.length} synthetic documents (${(bytes / 1e6).toFixed(1)} MB) to ${out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  process.exitCode = cli(process.argv.slice(2));
