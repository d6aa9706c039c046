import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/db/errors.ts';
import { parseBudgetText, parseTextFile } from '../engine/ingest/budget-text/index.ts';
import { loadItem } from '../engine/ingest/load.ts';
import { ParsePool } from '../engine/ingest/parse-pool.ts';
import { toColumns } from '../engine/ingest/columnar.ts';
import { TABLE_BY_VIEW, type FactTable } from '../engine/schema/tables.ts';
import { SEED, tempDir } from './helpers.ts';

/** `n` copies of the seed under other department names: documents of their own. */
function copies(dir: string, n: number, from = 0): string[] {
  const seed = readFileSync(SEED, 'utf8');
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const file = join(dir, `dept-${String(i).padStart(3, '0')}.txt`);
    writeFileSync(file, seed.replaceAll('政务服务数据管理局', `并行第${i}局`));
    return file;
  });
}

describe('parsing in worker threads', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a worker gives the same load item as parsing on the main thread (every column, byte for byte)', async () => {
    const pool = new ParsePool(2);
    try {
      const [fromWorker, again] = await Promise.all([pool.parse(SEED), pool.parse(SEED)]);
      const inline = parseTextFile(SEED);
      for (const w of [fromWorker, again]) {
        expect(w.doc).toEqual(inline.doc);
        expect(w.rows).toEqual(inline.rows);
        expect(w.findings).toEqual(inline.findings);
        expect(w.tables.map((t) => [t.view, t.length])).toEqual(inline.tables.map((t) => [t.view, t.length]));
        w.tables.forEach((t, k) => expect(t.columns).toEqual(inline.tables[k]?.columns));
      }
      // The seed's own figures, as the worker sends them: 526 facts, 260 findings (3 errors).
      expect(Object.values(fromWorker.rows).reduce((a, b) => a + b, 0)).toBe(526);
      expect(fromWorker.findings).toEqual({ error: 3, warning: 6, info: 251 });
    } finally {
      await pool.close();
    }
  });

  it('a refusal in a worker comes back as the same InputError, with its file and line', async () => {
    const bad = join(tmp.dir, 'bad.txt');
    writeFileSync(bad, '7\n9x0\n');
    let inline: unknown;
    try {
      parseTextFile(bad);
    } catch (e) {
      inline = e;
    }
    const pool = new ParsePool(1);
    try {
      const e = await pool.parse(bad).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).file).toBe(bad);
      expect((e as InputError).message).toBe((inline as InputError).message);
      expect((e as InputError).line).toBe((inline as InputError).line);
    } finally {
      await pool.close();
    }
  });

  it('Engine.ingest of 30 documents with a malformed 13th: the 12 before it load whole, nothing after', async () => {
    const files = copies(tmp.dir, 30);
    writeFileSync(files[12] as string, '部门预算\n表1\n' + '\u0000'.repeat(20));
    const engine = await Engine.open({ db: join(tmp.dir, 'pool.duckdb') });
    try {
      const reported: string[] = [];
      const err = await engine.ingest(files, { onResult: (r) => reported.push(r.file) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).file).toBe(files[12]);
      expect(reported).toEqual(files.slice(0, 12));
      const docs = await engine.rows('SELECT count(*)::INTEGER AS n FROM documents');
      expect(docs[0]?.['n']).toBe(12);
      // Each present document is whole: 526 facts and 260 findings, as in the seed.
      const facts = await engine.rows(
        `SELECT doc_id, count(*)::INTEGER AS n FROM spending_by_function GROUP BY doc_id ORDER BY doc_id`,
      );
      const one = parseBudgetText(readFileSync(files[0] as string), files[0] as string);
      expect(facts).toHaveLength(12);
      for (const r of facts) expect(r['n']).toBe(one.facts.get('spending_by_function')?.length);
      const findings = await engine.rows(`SELECT count(*)::INTEGER AS n FROM reconciliation`);
      expect(findings[0]?.['n']).toBe(12 * 260);
      // The materialized tables caught up with what loaded: 7920 for each of the 12 departments.
      const totals = await engine.rows(
        `SELECT count(*)::INTEGER AS n, sum(spending_total)::DECIMAL(20,2)::VARCHAR AS s FROM department_totals
         WHERE fiscal_year = 2021 AND unit_level = 'department'`,
      );
      expect(totals[0]).toEqual({ n: 12, s: '95040.00' });
    } finally {
      engine.close();
    }
  });
});

describe('columns for the load path', () => {
  const spending = TABLE_BY_VIEW.get('spending_by_function') as FactTable;

  it('NULLs, constants, repeated and long strings, money at the edges of DECIMAL(20,6)', () => {
    const rows = [
      { department: '深圳市龙岗区政务服务数据管理局', func_code: '2010101', total: 99999999999999999999n },
      { department: '深圳市龙岗区政务服务数据管理局', func_code: null, total: -99999999999999999999n },
      { department: 'x', func_code: '201', total: null },
    ];
    const t = toColumns(spending, rows, { doc_id: 'D1' });
    const col = (name: string) => t.columns[spending.columns.findIndex((c) => c.name === name)];
    const doc = col('doc_id');
    expect(doc?.type === 'varchar' && Array.from(doc.codes)).toEqual([0, 0, 0]);
    const dept = col('department');
    expect(dept?.type === 'varchar' && new TextDecoder().decode(dept.dictBytes)).toBe(
      '深圳市龙岗区政务服务数据管理局x',
    );
    expect(dept?.type === 'varchar' && Array.from(dept.codes)).toEqual([0, 0, 1]);
    const code = col('func_code');
    expect(code?.valid && Array.from(code.valid)).toEqual([1, 0, 1]);
    const amount = col('total');
    expect(amount?.type).toBe('decimal');
    if (amount?.type !== 'decimal') return;
    // int128 little-endian: 10^20 − 1 = 0x5_6BC75E2D_630FFFFF
    expect(BigInt.asUintN(64, amount.values[0] as bigint)).toBe(0x6bc75e2d630fffffn);
    expect(amount.values[1]).toBe(5n);
    expect(amount.values[3]).toBe(-6n); // two's complement of the high word: ~5
    expect(Array.from(amount.valid ?? [])).toEqual([1, 1, 0]);
    expect(() => toColumns(spending, [{ total: 10n ** 20n }])).toThrow(/out of range for DECIMAL\(20,6\)/);
    expect(() => toColumns(spending, [{ total: 1.5 }])).toThrow(/money must be exact/);
    expect(() => toColumns(spending, [{ fiscal_year: 2021.5 }])).toThrow(/not a 32-bit integer/);
  });

  it('money round-trips exactly through the chunk path (int128 words as DuckDB reads them)', async () => {
    const engine = await Engine.open({ db: ':memory:' });
    try {
      const { loadDocuments } = await import('../engine/ingest/load.ts');
      const parsed = parseBudgetText(readFileSync(SEED), SEED);
      const item = loadItem(parsed, SEED, parsed.doc.sha256);
      await loadDocuments(engine.db, [item]);
      const sum = await engine.rows(
        `SELECT sum(total)::VARCHAR AS s, count(*)::INTEGER AS n, count(func_parent_code)::INTEGER AS p
         FROM fact_spending_by_function`,
      );
      let expected = 0n;
      let parents = 0;
      for (const r of parsed.facts.get('spending_by_function') ?? []) {
        expected += r['total'] as bigint;
        if (r['func_parent_code'] !== null && r['func_parent_code'] !== undefined) parents++;
      }
      const whole = expected / 1_000_000n;
      const frac = (expected % 1_000_000n).toString().padStart(6, '0');
      expect(sum[0]).toEqual({
        s: `${whole}.${frac}`,
        n: parsed.facts.get('spending_by_function')?.length,
        p: parents,
      });
      // The widest values DECIMAL(20,6) holds, and small negatives, through appendRows.
      const { appendRows } = await import('../engine/ingest/load.ts');
      const base = { department: 'd', unit: 'u', unit_level: 'unit', fiscal_year: 2030, stage: 'budget' };
      const edge = [99999999999999999999n, -99999999999999999999n, -1n, 1n, -(2n ** 63n), 2n ** 63n];
      await engine.db.transaction((s) =>
        appendRows(
          s,
          spending,
          edge.map((total, k) => ({ ...base, func_code: `x${k}`, func_name: 'n', func_level: 1, total })),
        ),
      );
      const back = await engine.rows(
        `SELECT total::VARCHAR AS t FROM fact_spending_by_function WHERE fiscal_year = 2030 ORDER BY func_code`,
      );
      expect(back.map((r) => r['t'])).toEqual([
        '99999999999999.999999',
        '-99999999999999.999999',
        '-0.000001',
        '0.000001',
        '-9223372036854.775808',
        '9223372036854.775808',
      ]);
    } finally {
      engine.close();
    }
  });
});
