import { readFileSync } from 'node:fs';
import { InputError } from '../../engine/db/errors.ts';
import { parseBudgetText } from '../../engine/ingest/budget-text/index.ts';
import { SEED } from '../helpers.ts';
import { mutate, type Mutation } from './mutate.ts';

export interface FuzzReport {
  runs: number;
  parsed: number;
  refused: number;
  byKind: Record<string, { parsed: number; refused: number }>;
  slowest: { index: number; ms: number };
  failures: { index: number; kind: Mutation; problem: string }[];
}

/** Parse mutated seeds [from, to): each must parse or be refused with an InputError naming file and reason, in < 2 s. */
export function fuzz(from: number, to: number): FuzzReport {
  const source = readFileSync(SEED);
  const text = source.toString('utf8');
  const report: FuzzReport = {
    runs: 0,
    parsed: 0,
    refused: 0,
    byKind: {},
    slowest: { index: -1, ms: 0 },
    failures: [],
  };
  for (let i = from; i < to; i++) {
    const { kind, bytes } = mutate(source, text, i);
    const file = `fuzz-${i}.txt`;
    const k = (report.byKind[kind] ??= { parsed: 0, refused: 0 });
    const t0 = performance.now();
    try {
      const doc = parseBudgetText(bytes, file);
      report.parsed++;
      k.parsed++;
      if (!doc.doc.department) report.failures.push({ index: i, kind, problem: 'parsed without a department' });
    } catch (e) {
      report.refused++;
      k.refused++;
      if (!(e instanceof InputError))
        report.failures.push({
          index: i,
          kind,
          problem: `crash: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
        });
      else if (!e.message.startsWith(file) || e.message.length < file.length + 10)
        report.failures.push({ index: i, kind, problem: `unclear refusal: ${e.message}` });
    }
    const ms = performance.now() - t0;
    if (ms > report.slowest.ms) report.slowest = { index: i, ms };
    if (ms > 2000) report.failures.push({ index: i, kind, problem: `took ${ms.toFixed(0)} ms` });
    report.runs++;
  }
  return report;
}
