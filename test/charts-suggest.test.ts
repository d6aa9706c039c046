import { describe, expect, it } from 'vitest';
import { describeColumns } from '../web/src/lib/charts/columns.ts';
import { suggestCharts } from '../web/src/lib/charts/suggest.ts';
import type { Spec } from '../web/src/lib/charts/spec.ts';
import { bridge, composition, large, procurement, sangong, textOnly, totals } from './charts-shapes.ts';

const kinds = (s: ReturnType<typeof suggestCharts>) => s.map((x) => x.kind);
const enc = (spec: Spec) => spec['encoding'] as Record<string, Spec>;

describe('columns of a result', () => {
  it('sees years, money, changes, shares, categories and ids', () => {
    const cols = describeColumns(sangong.schema, sangong.rows);
    expect(Object.fromEntries(cols.map((c) => [c.name, c.kind]))).toEqual({
      fiscal_year: 'year',
      category: 'category',
      category_name: 'category',
      amount: 'money',
      prev_amount: 'money',
      change: 'change',
      share_of_total: 'share',
    });
    expect(describeColumns(textOnly.schema, textOnly.rows).map((c) => c.kind)).toEqual(['id', 'category']);
  });
});

describe('chart suggestions from the shape of a result', () => {
  it('two years × category × amount, with a change: slope, sorted bar, 100% stack, dumbbell, waterfall', () => {
    const s = suggestCharts(sangong.schema, sangong.rows, 'sangong');
    expect(kinds(s)).toEqual(['slope', 'bar', 'stacked', 'dumbbell', 'waterfall']);
    for (const x of s) expect(x.spec['data']).toEqual({ name: 'sangong' });
    const slope = s[0]?.spec as Spec;
    expect(slope['mark']).toEqual({ type: 'line', point: true });
    expect(enc(slope)['x']).toMatchObject({ field: 'fiscal_year', type: 'ordinal' });
    expect(enc(slope)['y']).toMatchObject({ field: 'amount', title: '金额（万元）', axis: { format: ',.2~f' } });
    // the name, not the code, colours the lines
    expect(enc(slope)['color']).toMatchObject({ field: 'category_name' });
    expect(slope['title']).toBe('金额：按年度和类别');
    const bar = s[1]?.spec as Spec;
    expect(enc(bar)['y']).toMatchObject({ field: 'category_name', sort: '-x' });
    expect(bar['transform']).toEqual([{ filter: { field: 'fiscal_year', equal: 2021 } }]);
    expect(enc(s[2]?.spec as Spec)['y']).toMatchObject({ stack: 'normalize', title: '占比', axis: { format: '.0%' } });
    expect(s[4]?.label).toBe('瀑布图：增减，按类别分解');
    expect(s[4]?.spec['title']).toBe('金额增减分解，按类别');
  });

  it('year × amount alone: a line', () => {
    const s = suggestCharts(totals.schema, totals.rows, 't');
    expect(kinds(s)).toEqual(['line']);
    expect(enc(s[0]?.spec as Spec)['color']).toBeUndefined();
  });

  it('category × amount in one year: sorted bars; with a share column, one 100% bar', () => {
    const s = suggestCharts(composition.schema, composition.rows, 'c');
    expect(kinds(s)).toEqual(['bar', 'stacked']);
    expect(enc(s[0]?.spec as Spec)['y']).toMatchObject({ field: 'func_name', sort: '-x' });
    expect(s[0]?.spec['transform']).toBeUndefined();
    expect(enc(s[1]?.spec as Spec)['x']).toBeUndefined();
  });

  it('types within units: bars coloured by unit, a 100% stack per unit', () => {
    const s = suggestCharts(procurement.schema, procurement.rows, 'p');
    expect(kinds(s)).toEqual(['bar', 'stacked']);
    expect(enc(s[0]?.spec as Spec)['y']).toMatchObject({ field: 'procurement_type' });
    expect(enc(s[0]?.spec as Spec)['color']).toMatchObject({ field: 'unit' });
    expect(enc(s[1]?.spec as Spec)['x']).toMatchObject({ field: 'unit', type: 'nominal' });
  });

  it('a change per item: bars and a waterfall from 上年合计 to 本年合计', () => {
    const s = suggestCharts(bridge.schema, bridge.rows, 'b');
    expect(kinds(s)).toEqual(['bar', 'waterfall']);
    const w = JSON.stringify(s[1]?.spec);
    expect(w).toContain('上年合计');
    expect(w).toContain('本年合计');
  });

  it('amounts of 1 亿 and more get an axis in 亿元', () => {
    const s = suggestCharts(large.schema, large.rows, 'l');
    expect(enc(s[0]?.spec as Spec)['y']).toMatchObject({
      title: '金额（亿元）',
      axis: { labelExpr: "format(datum.value / 10000, ',.2~f')" },
    });
  });

  it('nothing to draw: no suggestion', () => {
    expect(suggestCharts(textOnly.schema, textOnly.rows, 'x')).toEqual([]);
  });
});
