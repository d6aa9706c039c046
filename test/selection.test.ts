import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { headlessView } from '../web/src/lib/charts/render.ts';
import { renderSpec } from '../web/src/lib/charts/render-spec.ts';
import type { Spec } from '../web/src/lib/charts/spec.ts';
import { parseSpec } from '../web/src/lib/charts/spec-text.ts';
import { composeQuery } from '../web/src/lib/compose.ts';
import { bindParams, type BoundInput } from '../web/src/lib/inputs/binding.ts';
import {
  notebookSelections,
  readSelections,
  sameSelection,
  selectionFits,
  selectionFromSignal,
  selectionFromUrl,
  selectionInput,
  withSelections,
  type SelectionDecl,
  type SelectionValue,
} from '../web/src/lib/inputs/selection.ts';
import { readInputState, writeInputState } from '../web/src/lib/inputs/url-state.ts';
import { parseNotebook, type Cell } from '../web/src/lib/notebook-format.ts';
import { DEPT, seededEngine } from './helpers.ts';

const bars = (params: unknown[], extra: Spec = {}): Spec => ({
  data: { name: 'q' },
  params,
  mark: 'bar',
  encoding: {
    y: { field: 'func_name', type: 'nominal' },
    x: { field: 'total', type: 'quantitative' },
    color: { field: 'unit', type: 'nominal' },
  },
  ...extra,
});
const one = (params: unknown[], extra?: Spec): SelectionDecl => {
  const r = readSelections(bars(params, extra));
  if ('error' in r) throw new Error(r.error);
  expect(r.selections).toHaveLength(1);
  return r.selections[0] as SelectionDecl;
};
const point = one([{ name: 'sel', select: { type: 'point', fields: ['func_name'] } }]);
const multi = one([{ name: 'sels', select: { type: 'point', fields: ['func_name'], toggle: true } }]);
const interval = one([{ name: 'span', select: { type: 'interval', encodings: ['x'] } }]);
/** The inputs a SQL text binds against: the selections, with these values. */
const bound = (values: Record<string, SelectionValue>): Map<string, BoundInput> =>
  new Map([point, multi, interval].map((s) => [s.name, { decl: selectionInput(s), value: values[s.name] ?? null }]));

describe('selection params in a Vega-Lite spec', () => {
  it('reads a point selection on a field, on a channel, one with toggle, and an interval on x', () => {
    expect(point).toEqual({
      name: 'sel',
      type: 'point',
      multi: false,
      key: 'func_name',
      field: 'func_name',
      initial: null,
    });
    expect(one([{ name: 'c', select: { type: 'point', encodings: ['color'] } }])).toEqual({
      name: 'c',
      type: 'point',
      multi: false,
      key: 'color',
      field: 'unit',
      initial: null,
    });
    expect(one([{ name: 'y', select: { type: 'point', encodings: ['y'], toggle: false } }]).multi).toBe(false);
    expect(multi).toMatchObject({ type: 'point', multi: true, key: 'func_name' });
    expect(interval).toEqual({ name: 'span', type: 'interval', multi: false, key: 'x', field: 'total', initial: null });
  });

  it("takes where the selection starts from the param's value", () => {
    expect(
      one([{ name: 's', select: { type: 'point', fields: ['func_name'] }, value: [{ func_name: 'a' }] }]).initial,
    ).toBe('a');
    expect(one([{ name: 's', select: { type: 'point', encodings: ['y'] }, value: [{ y: 'b' }] }]).initial).toBe('b');
    expect(
      one([
        {
          name: 's',
          select: { type: 'point', fields: ['func_name'], toggle: true },
          value: [{ func_name: 'a' }, { func_name: 'b' }],
        },
      ]).initial,
    ).toEqual(['a', 'b']);
    expect(
      one([{ name: 's', select: { type: 'interval', encodings: ['x'] }, value: { x: [30, 10] } }]).initial,
    ).toEqual([10, 30]);
  });

  it('finds selections in layers and concatenated views; variable params are not selections', () => {
    const layered: Spec = {
      data: { name: 'q' },
      params: [{ name: 'threshold', value: 5 }],
      layer: [
        {
          params: [{ name: 'pick', select: { type: 'point', encodings: ['x'] } }],
          mark: 'bar',
          encoding: { x: { field: 'fiscal_year', type: 'ordinal' }, y: { field: 'total', type: 'quantitative' } },
        },
        { mark: 'rule', encoding: { y: { datum: 5 } } },
      ],
    };
    expect(readSelections(layered)).toEqual({
      selections: [{ name: 'pick', type: 'point', multi: false, key: 'x', field: 'fiscal_year', initial: null }],
    });
    expect(
      readSelections({ hconcat: [bars([{ name: 'a', select: { type: 'point', fields: ['f'] } }])] }),
    ).toMatchObject({
      selections: [{ name: 'a' }],
    });
    expect(readSelections(bars([]))).toEqual({ selections: [] });
  });

  it('says what it cannot bind', () => {
    const error = (params: unknown[]) => {
      const r = readSelections(bars(params));
      return 'error' in r ? r.error : undefined;
    };
    expect(error([{ name: 's', select: 'point' }])).toMatch(/^selection s: a point selection selects one field/);
    expect(error([{ name: 's', select: { type: 'point', fields: ['a', 'b'] } }])).toMatch(/selects one field/);
    expect(error([{ name: 's', select: 'interval' }])).toMatch(/^selection s: an interval selects along x/);
    expect(error([{ name: 's', select: { type: 'interval', encodings: ['y'] } }])).toMatch(/along x/);
    expect(error([{ name: 's', select: { type: 'lasso' } }])).toBe(
      'selection s: select must be point or interval (got lasso)',
    );
    expect(error([{ name: 'a-b', select: { type: 'point', fields: ['f'] } }])).toMatch(/must be a word/);
    const twice = { name: 's', select: { type: 'point', fields: ['f'] } };
    expect(readSelections({ layer: [bars([twice]), bars([twice])] })).toEqual({ error: 'selection s: declared twice' });
  });

  it('a notebook: each chart selection an input, unless an input cell or an earlier chart has its name', () => {
    const chart = (name: string, sel: string): Cell => ({
      kind: 'chart',
      name,
      source: `data: {name: q}\nparams: [{name: ${sel}, select: {type: point, fields: [f]}}]\nmark: bar`,
    });
    const cells: Cell[] = [
      { kind: 'input', name: 'unit', source: '{type: select, options: [a]}' },
      chart('c1', 'sel'),
      chart('c2', 'sel'),
      chart('c3', 'unit'),
      { kind: 'chart', name: 'broken', source: '{' },
    ];
    expect([...notebookSelections(cells)].map(([name, { chart }]) => [name, chart])).toEqual([['sel', 'c1']]);
  });
});

describe('a selection as prepared-statement parameters', () => {
  const sql =
    'select * from t where ($sel is null or func_name = $sel) and ($sels is null or list_contains(from_json($sels, \'["VARCHAR"]\'), func_name)) and ($span_from is null or total between $span_from and $span_to)';

  it('stands for a select, a multi-select and a range', () => {
    expect([point, multi, interval].map((s) => selectionInput(s).type)).toEqual(['select', 'multiselect', 'range']);
  });

  it('nothing selected: every parameter is NULL (no filter)', () => {
    expect(bindParams(sql, bound({}))).toEqual({
      params: { sel: null, sels: null, span_from: null, span_to: null },
      uses: ['sel', 'sels', 'span'],
    });
  });

  it('a point: the value; several points: a JSON array text; an interval: from and to', () => {
    expect(bindParams(sql, bound({ sel: "一般公共服务支出'", sels: ['a', 'b'], span: [10, 20] }))).toEqual({
      params: { sel: "一般公共服务支出'", sels: '["a","b"]', span_from: 10, span_to: 20 },
      uses: ['sel', 'sels', 'span'],
    });
    expect(bindParams('select $span', bound({}))).toEqual({ error: '$span is a range: use $span_from and $span_to' });
  });

  it('the values of the Vega signal: {field: [values]}, {} when cleared', () => {
    expect(selectionFromSignal(point, {})).toBeNull();
    expect(selectionFromSignal(point, null)).toBeNull();
    expect(selectionFromSignal(point, { func_name: ['a'], vlPoint: { or: [{ func_name: 'a' }] } })).toBe('a');
    expect(selectionFromSignal(multi, { func_name: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(selectionFromSignal(multi, { func_name: [] })).toBeNull();
    expect(selectionFromSignal(interval, { total: [300.5, 12] })).toEqual([12, 300.5]);
    expect(selectionFromSignal(interval, { year_t: [new Date(0), new Date(1000)] })).toEqual([0, 1000]);
    expect(selectionFromSignal(point, { fiscal_year: [2021] })).toBe(2021);
  });

  it('a value of the wrong shape (kept from before the spec changed) does not fit', () => {
    expect(selectionFits(point, 'a')).toBe(true);
    expect(selectionFits(point, ['a'])).toBe(false);
    expect(selectionFits(multi, ['a'])).toBe(true);
    expect(selectionFits(interval, [1, 2])).toBe(true);
    expect(selectionFits(interval, 'a')).toBe(false);
    expect(selectionFits(interval, null)).toBe(true);
  });
});

describe('a selection in the URL', () => {
  it('in.NAME like other inputs: one value, repeated values, an interval; an empty value when cleared', () => {
    const values: Record<string, SelectionValue> = {
      unit: DEPT,
      sel: '社会保障和就业支出',
      sels: ['a', 'b'],
      span: [10, 20.5],
      cleared: null,
    };
    const url = writeInputState(new URL('http://h/?nb=概览-overview&in.stale=1'), values);
    expect(url.searchParams.get('in.sel')).toBe('社会保障和就业支出');
    expect(url.searchParams.getAll('in.span')).toEqual(['10', '20.5']);
    expect(url.searchParams.getAll('in.cleared')).toEqual(['']);
    expect(url.searchParams.has('in.stale')).toBe(false);
    const raw = readInputState(new URL(url.href).searchParams);
    expect(selectionFromUrl(point, raw['sel'])).toBe('社会保障和就业支出');
    expect(selectionFromUrl(multi, raw['sels'])).toEqual(['a', 'b']);
    expect(selectionFromUrl(interval, raw['span'])).toEqual([10, 20.5]);
    expect(selectionFromUrl(point, raw['cleared'])).toBeNull();
    expect(selectionFromUrl(interval, raw['cleared'])).toBeNull();
    // no key: the selection starts where the spec says
    expect(selectionFromUrl(point, raw['nosuch'])).toBeUndefined();
    expect(selectionFromUrl(interval, ['x', '1'])).toBeUndefined();
  });

  it('text from the URL is the same selection as the number the chart gives', () => {
    expect(sameSelection('2021', 2021)).toBe(true);
    expect(sameSelection(['1', '2'], [1, 2])).toBe(true);
    expect(sameSelection(null, undefined)).toBe(true);
    expect(sameSelection(null, '')).toBe(false);
    expect(sameSelection('a', 'b')).toBe(false);
  });
});

describe('the chart drawn with the notebook’s selection', () => {
  const rows = [
    { fiscal_year: 2020, func_name: 'a', total: 1 },
    { fiscal_year: 2021, func_name: 'b', total: 2 },
    { fiscal_year: 2022, func_name: 'c', total: 3 },
  ];
  const years: Spec = {
    data: { name: 'q' },
    params: [{ name: 'year', select: { type: 'point', fields: ['fiscal_year'] } }],
    mark: 'bar',
    encoding: { x: { field: 'fiscal_year', type: 'ordinal' }, y: { field: 'total', type: 'quantitative' } },
  };
  const decls = (spec: Spec) => {
    const r = readSelections(spec);
    if ('error' in r) throw new Error(r.error);
    return r.selections;
  };

  it("sets the param's value (typed as the data is), toggle off for one value; removes it when cleared", () => {
    const spec = renderSpec(years, rows, 'years');
    const drawn = withSelections(spec, decls(years), { year: '2021' });
    expect((drawn['params'] as Spec[])[0]).toEqual({
      name: 'year',
      select: { type: 'point', fields: ['fiscal_year'], toggle: false },
      value: [{ fiscal_year: 2021 }],
    });
    expect(spec['params']).toEqual(years['params']); // not changed in place
    const withValue = { ...years, params: [{ ...(years['params'] as Spec[])[0], value: [{ fiscal_year: 2020 }] }] };
    expect((withSelections(withValue, decls(withValue), { year: null })['params'] as Spec[])[0]).not.toHaveProperty(
      'value',
    );
  });

  it('Vega draws it: the signal holds the value the notebook has, for a point and an interval', async () => {
    const signal = async (spec: Spec, values: Record<string, SelectionValue>, name: string) => {
      const view = await headlessView(withSelections(renderSpec(spec, rows, 't'), decls(spec), values));
      try {
        return view.signal(name) as unknown;
      } finally {
        view.finalize();
      }
    };
    const s = decls(years)[0] as SelectionDecl;
    expect(selectionFromSignal(s, await signal(years, { year: '2021' }, 'year'))).toBe(2021);
    expect(selectionFromSignal(s, await signal(years, { year: null }, 'year'))).toBeNull();
    const span: Spec = {
      ...years,
      params: [{ name: 'span', select: { type: 'interval', encodings: ['x'] } }],
      encoding: { x: { field: 'total', type: 'quantitative' }, y: { field: 'func_name', type: 'nominal' } },
    };
    const i = decls(span)[0] as SelectionDecl;
    expect(selectionFromSignal(i, await signal(span, { span: [1.5, 2.5] }, 'span'))).toEqual([1.5, 2.5]);
  });
});

describe('the overview notebook: clicking a 类 filters the cells that use $sel', () => {
  const cells = parseNotebook(readFileSync(join(projectRoot, 'notebooks', '概览-overview.md'), 'utf8'));
  const cell = (name: string) => cells.find((c) => c.name === name) as Cell;
  const inputs = (sel: SelectionValue): Map<string, BoundInput> =>
    new Map(
      [...notebookSelections(cells)].map(([name, { decl }]) => [name, { decl: selectionInput(decl), value: sel }]),
    );
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e.close());

  it('the chart of 类 declares sel; its own data does not use it, the table does', () => {
    expect([...notebookSelections(cells)]).toEqual([
      [
        'sel',
        {
          chart: 'department_only_chart',
          decl: { name: 'sel', type: 'point', multi: false, key: 'func_name', field: 'func_name', initial: null },
        },
      ],
    ]);
    expect(composeQuery(cells, cell('department_only'), inputs(null))).toMatchObject({ uses: [] });
    expect(composeQuery(cells, cell('selected_function'), inputs(null))).toMatchObject({ uses: ['sel'] });
    const chart = parseSpec(cell('selected_function_chart').source);
    expect('spec' in chart && chart.spec['data']).toEqual({ name: 'selected_function' });
  });

  it('NULL: every 类 of the three units; a 类: its three rows', async () => {
    const run = async (sel: SelectionValue) => {
      const q = composeQuery(cells, cell('selected_function'), inputs(sel));
      if ('error' in q) throw new Error(q.error);
      return e.rows(q.sql, q.params as Record<string, string | number | null>);
    };
    expect(await run(null)).toHaveLength(12);
    const picked = await run('社会保障和就业支出');
    expect(picked.map((r) => [r['unit'], r['func_name'], Number(r['total'])])).toEqual([
      ['深圳市龙岗区大数据中心', '社会保障和就业支出', 137],
      [DEPT, '社会保障和就业支出', 199],
      [`${DEPT}本级`, '社会保障和就业支出', 62],
    ]);
  });
});
