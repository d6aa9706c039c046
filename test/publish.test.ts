/**
 * `budget publish`, without a browser: parameters numbered for DuckDB-wasm, a notebook the reader's browser could
 * not run is refused at publish time with the cell's name, and a refused publish leaves the target as it was.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { positionalParams, wasmQuery } from '../web/src/lib/sql-text.ts';
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

describe('wasmQuery: a whole number is bound as the server binds it', () => {
  it('casts an integer parameter back to INTEGER (DuckDB-wasm binds every JS number as DOUBLE)', () => {
    expect(wasmQuery('select $year, $share, $name', { year: 2024, share: 0.5, name: 'x' })).toEqual({
      sql: 'select CAST($1 AS INTEGER), $2, $3',
      values: [2024, 0.5, 'x'],
    });
  });
  it('numbers nothing inside dollar-quoted or escape strings', () => {
    expect(positionalParams("select $$ $a $$, $t$ $a $t$, E'it\\'s $a', $a", ['a']).sql).toBe(
      "select $$ $a $$, $t$ $a $t$, E'it\\'s $a', $1",
    );
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

  it('a cell that needs an extension DuckDB-wasm would fetch is refused by name; an earlier site is left as it was', async () => {
    const ok = join(tmp.dir, 'ok.md');
    writeFileSync(ok, '# t\n\n```sql ok\nselect count(*) as n from spending_by_function\n```\n');
    const out = join(tmp.dir, 'site');
    await engine.publish(ok, out);
    const before = readFileSync(join(out, 'index.html'), 'utf8');
    const nb = join(tmp.dir, 'json.md');
    writeFileSync(
      nb,
      "# t\n\n```sql ok\nselect count(*) as n from spending_by_function\n```\n\n```sql uses_json\nselect json_extract('{\"a\": 1}', '$.a') as a -- a comment at the end\n```\n",
    );
    await expect(engine.publish(nb, out)).rejects.toThrow(/^cell uses_json: DuckDB-wasm .*cannot run it: .*json/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe(before);
    expect(readdirSync(join(out, 'notebooks'))).toEqual(['ok.md']);
  });

  it('a folder budget publish did not write, or one that holds the project or the data, is never replaced', async () => {
    const ok = join(tmp.dir, 'ok.md');
    const mine = join(tmp.dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'keep.txt'), 'my own files');
    await expect(engine.publish(ok, mine)).rejects.toThrow(/did not write: name an empty or new folder/);
    expect(readFileSync(join(mine, 'keep.txt'), 'utf8')).toBe('my own files');
    await expect(engine.publish(ok, tmp.dir)).rejects.toThrow(/holds the database/);
    await expect(engine.publish(ok, projectRoot)).rejects.toThrow(/holds the project/);
    await expect(engine.publish(ok, join(projectRoot, 'notebooks'))).rejects.toThrow(
      /holds the working folder|inside the notebooks/,
    );
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
