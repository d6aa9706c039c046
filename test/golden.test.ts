import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { formatAmount } from '../engine/money.ts';
import { projectRoot } from '../engine/paths.ts';
import { SEED } from './helpers.ts';

const GOLDEN = join(projectRoot, 'test', 'golden', 'seed-facts.json');
const CHANGED = GOLDEN.replace(/\.json$/, '-changed.json');

/** The parse of the seed as plain JSON: money as exact decimal text, views and findings in document order. */
function factsJson(): string {
  const parsed = parseBudgetText(readFileSync(SEED), 'datasets/2021-longgang-zwfw-sjglj-budget.txt');
  const plain = (v: unknown) => (typeof v === 'bigint' ? formatAmount(v) : v);
  const facts: Record<string, unknown[]> = {};
  for (const [view, rows] of [...parsed.facts].sort(([a], [b]) => a.localeCompare(b)))
    facts[view] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
  const findings = parsed.findings.map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, plain(v)])));
  return JSON.stringify({ doc: parsed.doc, facts, findings }, null, 1) + '\n';
}

describe('golden: the seed document → facts', () => {
  it('matches test/golden/seed-facts.json exactly', () => {
    const actual = factsJson();
    if (!existsSync(GOLDEN)) {
      if (process.env['CI']) throw new Error(`${GOLDEN} is missing: generate it locally and commit it`);
      writeFileSync(GOLDEN, actual);
    }
    const expected = readFileSync(GOLDEN, 'utf8');
    if (actual !== expected) {
      writeFileSync(CHANGED, actual);
      expect.fail(
        `facts differ from ${GOLDEN}; the new output is in ${CHANGED} — diff them, and copy it over the golden file if the change is right`,
      );
    }
  });
});
