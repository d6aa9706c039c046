import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../engine/paths.ts';
import { composeQuery } from '../web/src/lib/compose.ts';
import { bindParams, paramRefs, type BoundInput } from '../web/src/lib/inputs/binding.ts';
import { initialValue, parseInputDecl, type InputDecl } from '../web/src/lib/inputs/input-decl.ts';
import { readInputState, valueFromUrl, writeInputState } from '../web/src/lib/inputs/url-state.ts';
import { parseNotebook, type Cell } from '../web/src/lib/notebook-format.ts';
import { BENJI, DEPT } from './helpers.ts';
import { post, seededServer } from './server-helpers.ts';

const decl = (text: string): InputDecl => {
  const d = parseInputDecl(text, 'x');
  if ('error' in d) throw new Error(d.error);
  return d.decl;
};
const inputs = (o: Record<string, [string, BoundInput['value']]>) =>
  new Map(Object.entries(o).map(([k, [text, value]]) => [k, { decl: decl(text), value }]));

describe('input declarations', () => {
  it('reads YAML and JSON; multi-select and year-range spellings', () => {
    expect(
      decl('{type: select, label: 单位, options_from: "select distinct unit from budget_totals order by 1"}'),
    ).toEqual({
      type: 'select',
      label: '单位',
      options_from: 'select distinct unit from budget_totals order by 1',
    });
    expect(decl('{"type": "multi-select", "options": ["a", "b"]}').type).toBe('multiselect');
    expect(decl('type: year-range\nmin: 2019\nmax: 2021').type).toBe('range');
    expect(decl('type: number\ndefault: 5')).toEqual({ type: 'number', label: 'x', default: 5 });
  });

  it('says what is wrong', () => {
    expect(parseInputDecl('type: slider', 'x')).toEqual({
      error: 'input x: type must be select, multiselect, range or number (got slider)',
    });
    expect(parseInputDecl('type: select', 'u')).toMatchObject({ error: expect.stringContaining('needs options') });
    expect(parseInputDecl('[1, 2', 'x')).toMatchObject({ error: expect.stringContaining('input x:') });
  });

  it('starts at the default when it is a choice, else at the first choice (all, for a multi-select)', () => {
    expect(initialValue(decl('{type: select, options: [a, b], default: b}'), ['a', 'b'])).toBe('b');
    expect(initialValue(decl('{type: select, options: [a, b], default: z}'), ['a', 'b'])).toBe('a');
    expect(initialValue(decl('{type: multiselect, options: [a, b]}'), ['a', 'b'])).toEqual(['a', 'b']);
    expect(initialValue(decl('{type: range}'), [2021, 2019, 2020])).toEqual([2019, 2021]);
    expect(initialValue(decl('{type: range, default: [2020, 2021]}'), [])).toEqual([2020, 2021]);
    expect(initialValue(decl('{type: number, min: 3}'), [])).toBe(3);
  });
});

describe('binding inputs as prepared-statement parameters', () => {
  const bound = inputs({
    unit: ['{type: select, options: [a]}', '深圳市龙岗区大数据中心'],
    years: ['{type: range}', [2020, 2021]],
    units: ['{type: multiselect, options: [a, b]}', ["x'y", 'b']],
    n: ['{type: number}', 3],
  });

  it('finds $name outside strings, comments and quoted identifiers', () => {
    expect(
      paramRefs(
        `select '$no', "$nor" from t -- $nope\nwhere a = $unit and b between $years_from and $years_to /* $x */`,
      ),
    ).toEqual(['unit', 'years_from', 'years_to']);
  });

  it('binds each kind; the values never enter the SQL text', () => {
    const sql =
      'select * from t where unit = $unit and y between $years_from and $years_to and list_contains(from_json($units, \'["VARCHAR"]\'), u) limit $n';
    expect(bindParams(sql, bound)).toEqual({
      params: { unit: '深圳市龙岗区大数据中心', years_from: 2020, years_to: 2021, units: '["x\'y","b"]', n: 3 },
      uses: ['unit', 'years', 'units', 'n'],
    });
  });

  it('only the parameters the SQL uses (DuckDB refuses extra ones)', () => {
    expect(bindParams('select $n', bound)).toEqual({ params: { n: 3 }, uses: ['n'] });
    expect(bindParams('select 1', bound)).toEqual({ params: {}, uses: [] });
  });

  it('unknown names and a range used whole are errors', () => {
    expect(bindParams('select $nosuch', bound)).toEqual({ error: '$nosuch: no input cell named nosuch' });
    expect(bindParams('select $years', bound)).toEqual({ error: '$years is a range: use $years_from and $years_to' });
  });

  it('a cell that uses a parameterized cell carries its parameters', () => {
    const cells: Cell[] = [
      { kind: 'input', name: 'unit', source: '{type: select, options: [a]}' },
      { kind: 'sql', name: 'base', source: 'select * from sangong_trend where unit = $unit' },
      { kind: 'sql', name: 'top', source: 'select category, amount from base where fiscal_year = 2021' },
    ];
    const q = composeQuery(cells, cells[2] as Cell, bound);
    expect(q).toEqual({
      sql: 'WITH base AS (\nselect * from sangong_trend where unit = $unit\n)\nselect category, amount from base where fiscal_year = 2021',
      params: { unit: '深圳市龙岗区大数据中心' },
      uses: ['unit'],
    });
  });
});

describe('input state in the URL', () => {
  const unit = decl('{type: select, options: [a]}');
  const years = decl('{type: range}');
  const units = decl('{type: multiselect, options: [a]}');

  it('writes in.NAME (repeated for lists) and reads it back typed', () => {
    const url = writeInputState(new URL('http://h/?nb=三公-sangong&in.old=1'), {
      unit: '深圳市龙岗区大数据中心',
      years: [2020, 2021],
      units: [],
    });
    expect(url.searchParams.get('nb')).toBe('三公-sangong');
    expect(url.searchParams.getAll('in.years')).toEqual(['2020', '2021']);
    expect(url.searchParams.has('in.old')).toBe(false);
    const raw = readInputState(new URL(url.href).searchParams);
    expect(raw).toEqual({ unit: ['深圳市龙岗区大数据中心'], years: ['2020', '2021'], units: [''] });
    expect(valueFromUrl(unit, raw['unit'] ?? [], ['深圳市龙岗区大数据中心'])).toBe('深圳市龙岗区大数据中心');
    expect(valueFromUrl(years, raw['years'] ?? [], [2020, 2021])).toEqual([2020, 2021]);
    expect(valueFromUrl(units, raw['units'] ?? [], ['a'])).toEqual([]);
    expect(valueFromUrl(decl('{type: select, options: [1]}'), ['2021'], [2020, 2021])).toBe(2021);
    expect(valueFromUrl(years, ['x'], [])).toBeUndefined();
  });
});

describe('bound parameters on the server (POST /api/query params as an object)', () => {
  let s: Awaited<ReturnType<typeof seededServer>>;
  beforeAll(async () => {
    s = await seededServer();
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  const run = async (sql: string, params: unknown) => {
    const res = await post(`${s.url}/api/query`, { sql, params, format: 'json' });
    const body = (await res.json()) as unknown;
    if (!res.ok) throw new Error(JSON.stringify(body));
    return body as Record<string, unknown>[];
  };

  it("the 三公 notebook's query, with its inputs bound: 2020→2021 by category", async () => {
    const cells = parseNotebook(readFileSync(join(projectRoot, 'notebooks', '三公-sangong.md'), 'utf8'));
    const values: Record<string, BoundInput['value']> = { unit: DEPT, years: [2020, 2021] };
    const bound = new Map(
      cells
        .filter((c) => c.kind === 'input')
        .map((c) => {
          const d = parseInputDecl(c.source, c.name);
          if ('error' in d) throw new Error(d.error);
          return [c.name, { decl: d.decl, value: values[c.name] ?? '' }] as const;
        }),
    );
    const target = cells.find((c) => c.name === 'sangong') as Cell;
    const q = composeQuery(cells, target, bound);
    if ('error' in q) throw new Error(q.error);
    expect(q.params).toEqual({ unit: DEPT, years_from: 2020, years_to: 2021 });
    const rows = await run(q.sql, q.params);
    expect(rows.map((r) => [r['fiscal_year'], r['category_name'], r['amount']])).toEqual([
      [2020, '因公出国（境）费', 0],
      [2020, '公务接待费', 6],
      [2020, '公务用车运行维护费', 13.5],
      [2020, '公务用车购置费', 0],
      [2021, '因公出国（境）费', 0],
      [2021, '公务接待费', 6],
      [2021, '公务用车运行维护费', 12],
      [2021, '公务用车购置费', 0],
    ]);
    const benji = composeQuery(
      cells,
      target,
      new Map([...bound, ['unit', { decl: (bound.get('unit') as BoundInput).decl, value: BENJI }]]),
    );
    if ('error' in benji) throw new Error(benji.error);
    const rows2 = await run(benji.sql, benji.params);
    expect(rows2.find((r) => r['fiscal_year'] === 2021 && r['category'] === 'vehicle_operation')?.['amount']).toBe(4);
  });

  it('a multi-select binds as JSON text; SQL reads it with from_json', async () => {
    const units = inputs({ units: ['{type: multiselect, options: [a]}', [BENJI, "O'Brien"]] });
    const sql =
      'select distinct unit from sangong_trend where list_contains(from_json($units, \'["VARCHAR"]\'), unit) order by 1';
    const b = bindParams(sql, units);
    if ('error' in b) throw new Error(b.error);
    expect(await run(sql, b.params)).toEqual([{ unit: BENJI }]);
  });

  it('a value that looks like SQL is only ever a value', async () => {
    const rows = await run('select count(*) as n from sangong_trend where unit = $unit', {
      unit: "x' or '1'='1",
    });
    expect(rows).toEqual([{ n: 0 }]);
  });
});
