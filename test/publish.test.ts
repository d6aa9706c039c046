/**
 * `budget publish`, without a browser: parameters numbered for DuckDB-wasm, a notebook the reader's browser could
 * not run is refused at publish time with the cell's name, and a refused publish leaves the target as it was.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { positionalParams } from '../web/src/lib/sql-text.ts';
import { SEED, tempDir } from './helpers.ts';

describe('positionalParams: $name → $1, $2 … for a DuckDB that binds by position', () => {
  it('numbers each name once, in order of first use, outside strings, comments and quoted names', () => {
    expect(positionalParams('select $b, $a, $b, \'$a\', "$a" -- $a\nfrom t where x = $a /* $b */', ['a', 'b'])).toEqual(
      {
        sql: 'select $1, $2, $1, \'$a\', "$a" -- $a\nfrom t where x = $2 /* $b */',
        order: ['b', 'a'],
      },
    );
  });
  it('leaves a $name that is not a parameter, and a quote doubled inside a string', () => {
    expect(positionalParams("select 'it''s $a', $other, $a", ['a'])).toEqual({
      sql: "select 'it''s $a', $other, $1",
      order: ['a'],
    });
  });
});

describe('budget publish refuses what the reader’s browser cannot do', () => {
  const tmp = tempDir();
  let engine: Engine;
  beforeAll(async () => {
    const db = join(tmp.dir, 'b.duckdb');
    const e = await Engine.open({ db });
    await e.ingest([SEED]);
    e.close();
    engine = await Engine.open({ db, readOnly: true });
  }, 120_000);
  afterAll(() => {
    engine?.close();
    tmp.cleanup();
  });

  it('a cell that needs an extension DuckDB-wasm would fetch is refused by name; the target is left as it was', async () => {
    const nb = join(tmp.dir, 'json.md');
    writeFileSync(
      nb,
      "# t\n\n```sql ok\nselect count(*) as n from spending_by_function\n```\n\n```sql uses_json\nselect json_extract('{\"a\": 1}', '$.a') as a\n```\n",
    );
    const out = join(tmp.dir, 'site');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'an earlier site');
    await expect(engine.publish(nb, out)).rejects.toThrow(/^cell uses_json: DuckDB-wasm .*cannot run it: .*json/);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('an earlier site');
    expect(existsSync(join(out, 'data'))).toBe(false);
  });

  it('an input and a parameter: checked at the input’s starting value, the same rows in DuckDB-wasm', async () => {
    const nb = join(tmp.dir, 'param.md');
    writeFileSync(
      nb,
      [
        '# t',
        '```input level',
        'type: select',
        'options: [1, 2]',
        'default: 2',
        '```',
        '```sql by_level',
        'select unit, func_code, total, real_amount(total, fiscal_year, 2025) as real_total',
        'from spending_by_function where func_level = $level order by all',
        '```',
        '',
      ].join('\n'),
    );
    const r = await engine.publish(nb, join(tmp.dir, 'site2'));
    // 款 rows (level 2) of the seed: the department's 5 (表7 lines 186–202: 20103, 20105, 20805, 21011, 22102), and
    // its units' 款 over their printed 项 (lines 398–416): 本级 4 (20103, 20805, 21011, 22102), 大数据中心 5 (with
    // 20105) — 14; the deflator (for real_amount) and documents come along
    expect(r.queries).toEqual([{ cell: 'by_level', rows: 14 }]);
    expect(r.relations.sort()).toEqual(['deflator', 'documents', 'spending_by_function']);
  });
});
