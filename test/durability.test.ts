import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { projectRoot } from '../engine/paths.ts';
import { SEED, tempDir } from './helpers.ts';

const BIN = join(projectRoot, 'bin', 'budget.mjs');
const N = 80;
const VIEWS = [
  'spending_by_function',
  'spending_by_economic',
  'revenue_by_source',
  'sangong',
  'procurement',
  'projects',
  'performance_targets',
  'budget_totals',
  'unit_facts',
  'reconciliation',
];

describe('a process killed (SIGKILL) in the middle of budget ingest', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('leaves the database openable, every document either fully present or absent', async () => {
    // 80 documents: the seed under 80 department names, so that each is a document of its own.
    const seed = readFileSync(SEED, 'utf8');
    const files: string[] = [];
    const expected = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      const file = join(tmp.dir, `dept-${i}.txt`);
      const bytes = new TextEncoder().encode(seed.replaceAll('政务服务数据管理局', `测试第${i}局`));
      writeFileSync(file, bytes);
      files.push(file);
      const parsed = parseBudgetText(bytes, file);
      expected.set(
        parsed.doc.doc_id,
        [...parsed.facts.values()].reduce((n, rows) => n + rows.length, 0) + parsed.findings.length,
      );
      if (i === 0) process.stdout.write(`durability: ${expected.get(parsed.doc.doc_id)} rows per document\n`);
    }
    const db = join(tmp.dir, 'killed.duckdb');
    const child = spawn(process.execPath, [BIN, 'ingest', ...files, '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let loaded = 0;
    // Kill as soon as the third document is reported loaded: the fourth is then mid-transaction.
    await new Promise<void>((done) => {
      child.stdout.on('data', (b: Buffer) => {
        loaded += (b.toString().match(/loaded as/g) ?? []).length;
        if (loaded >= 3 && child.exitCode === null) {
          child.kill('SIGKILL');
        }
      });
      child.on('exit', () => done());
    });
    expect(child.signalCode).toBe('SIGKILL');

    const engine = await Engine.open({ db });
    try {
      const docs = await engine.rows('SELECT doc_id FROM documents ORDER BY doc_id');
      expect(docs.length).toBeGreaterThanOrEqual(3);
      expect(docs.length).toBeLessThan(N);
      const counts = new Map<string, number>();
      for (const v of VIEWS)
        for (const r of await engine.rows(`SELECT doc_id, count(*)::INTEGER AS n FROM ${v} GROUP BY doc_id`))
          counts.set(String(r['doc_id']), (counts.get(String(r['doc_id'])) ?? 0) + Number(r['n']));
      for (const { doc_id } of docs)
        expect(counts.get(String(doc_id)), `document ${doc_id}`).toBe(expected.get(String(doc_id)));
      // No fact of a document that is not registered: nothing half-loaded.
      for (const id of counts.keys())
        expect(
          docs.some((d) => d['doc_id'] === id),
          `orphan facts of ${id}`,
        ).toBe(true);
      process.stdout.write(
        `durability: killed after ${loaded} reported loads; ${docs.length} documents present, each complete\n`,
      );
      // The rest loads on a second run, and nothing is loaded twice.
      const again = await engine.ingest(files);
      expect(again.filter((r) => r.status === 'loaded').length).toBe(N - docs.length);
      expect((await engine.rows('SELECT count(*)::INTEGER AS n FROM documents'))[0]?.['n']).toBe(N);
    } finally {
      engine.close();
    }
  });
});
