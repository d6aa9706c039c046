import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../engine/paths.ts';
import { chartSvg, headlessView } from '../web/src/lib/charts/render.ts';
import { renderSpec, DEFAULT_WIDTH } from '../web/src/lib/charts/render-spec.ts';
import { FONT, type Spec } from '../web/src/lib/charts/spec.ts';
import { parseSpec } from '../web/src/lib/charts/spec-text.ts';
import { suggestCharts } from '../web/src/lib/charts/suggest.ts';
import { appendNote } from '../web/src/lib/charts/svg-note.ts';
import { parseNotebook } from '../web/src/lib/notebook-format.ts';
import { bridge, sangong, SHAPES } from './charts-shapes.ts';

const notebook = parseNotebook(readFileSync(join(projectRoot, 'notebooks', '三公-sangong.md'), 'utf8'));
const chartCell = (name: string): Spec => {
  const p = parseSpec(notebook.find((c) => c.kind === 'chart' && c.name === name)?.source ?? '');
  if ('error' in p) throw new Error(p.error);
  return p.spec;
};
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('charts drawn by vega (headless, as the exports draw them)', () => {
  it('the 三公 line chart: Chinese title, legend and axis title in <text>, the source note under it', async () => {
    const spec = renderSpec(chartCell('trend'), sangong.rows, 'trend');
    const svg = await chartSvg(spec, '来源：2021 年深圳市龙岗区政务服务数据管理局部门预算。数据：sangong_trend');
    const t = texts(svg);
    expect(t).toContain('三公经费：2020→2021 年，按类别');
    expect(t).toEqual(
      expect.arrayContaining(['公务接待费', '公务用车运行维护费', '因公出国（境）费', '公务用车购置费']),
    );
    expect(t).toContain('金额（万元）');
    expect(t).toEqual(expect.arrayContaining(['2020', '2021']));
    expect(t.at(-1)).toBe('来源：2021 年深圳市龙岗区政务服务数据管理局部门预算。数据：sangong_trend');
    expect(svg).toContain(`font-family="${FONT.replace(/'/g, '&apos;')}"`);
  });

  it('the 三公 bridge runs from 2020 年 through each category to 2021 年', async () => {
    const view = await headlessView(renderSpec(chartCell('bridge'), sangong.rows, 'bridge'));
    expect(view.scale('x').domain()).toEqual([
      '2020 年',
      '因公出国（境）费',
      '公务接待费',
      '公务用车运行维护费',
      '公务用车购置费',
      '2021 年',
    ]);
    view.finalize();
  });

  it('a suggested waterfall: bars float from the start total to the end total', async () => {
    const spec = suggestCharts(bridge.schema, bridge.rows, 'b').find((s) => s.kind === 'waterfall')?.spec as Spec;
    const view = await headlessView(renderSpec(spec, bridge.rows, 'b'));
    const data = view.data('data_0') as { _label: string; _y: number; _y2: number }[];
    const bars = data.map((d) => [d._label, d._y, d._y2]);
    // end total 7920, the changes add to 992: the start is 6928
    expect(bars).toEqual([
      ['上年合计', 0, 6928],
      ['工资福利支出', 6928, 7348],
      ['商品和服务支出', 7348, 7198],
      ['资本性支出', 7198, 7920],
      ['本年合计', 0, 7920],
    ]);
    view.finalize();
  });

  it('every suggestion draws without an error, a single view at the default width', async () => {
    for (const shape of SHAPES)
      for (const s of suggestCharts(shape.schema, shape.rows, 'q')) {
        const spec = renderSpec(s.spec, shape.rows, s.label);
        expect(spec['width']).toBe(DEFAULT_WIDTH);
        const svg = await chartSvg(spec, '');
        expect(svg, s.label).toMatch(/^<svg/);
      }
  });

  it('axis labels in 亿元 for large amounts', async () => {
    const shape = SHAPES.find((s) => s.name === 'large amounts') ?? sangong;
    const s = suggestCharts(shape.schema, shape.rows, 'q')[0]?.spec as Spec;
    const t = texts(await chartSvg(renderSpec(s, shape.rows, 'x'), ''));
    expect(t).toContain('金额（亿元）');
    expect(t).toEqual(expect.arrayContaining(['0', '8', '14', '16']));
  });
});

describe('the source note under an SVG', () => {
  it('grows the height and the viewBox and adds a text line', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" viewBox="0 0 300 200"><rect width="300" height="200" fill="white"/></svg>';
    const out = appendNote(svg, '来源：表12 <&>');
    expect(out).toContain('width="300" height="222" viewBox="0 0 300 222"');
    expect(out).toContain('>来源：表12 &lt;&amp;&gt;</text></svg>');
    expect(appendNote(svg, '')).toBe(svg);
  });
});
