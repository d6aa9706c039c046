import { describe, expect, it } from 'vitest';
import { findGrids } from '../engine/ingest/pdf/grid.ts';
import { layoutPage } from '../engine/ingest/pdf/layout.ts';
import type { PageContent, Rule, TextRun } from '../engine/ingest/pdf/page.ts';
import { foldRadicals } from '../engine/ingest/pdf/radicals.ts';
import { joinLines, unspace } from '../engine/ingest/pdf/text.ts';

const h = (y: number, x0: number, x1: number): Rule => ({ x0, x1, y0: y, y1: y });
const v = (x: number, y0: number, y1: number): Rule => ({ x0: x, x1: x, y0, y1 });
const run = (text: string, x0: number, y: number, size = 10): TextRun => ({
  text,
  x0,
  x1: x0 + size * [...text].length * (/^[\d.,]+$/.test(text) ? 0.55 : 1),
  y,
  size,
});
const page = (runs: TextRun[], rules: Rule[] = []): PageContent => ({
  no: 1,
  width: 600,
  height: 800,
  runs,
  rules,
  images: 0,
});

describe('PDF text layer', () => {
  it('folds radicals a font gave the text layer back to ideographs', () => {
    expect(foldRadicals('深圳市⻰岗区⼀般公共服务⽀出')).toBe('深圳市龙岗区一般公共服务支出');
    expect(foldRadicals('⻔户 ⼾')).toBe('门户 户');
  });

  it('closes up CJK spread one character per space, and joins the lines of a cell', () => {
    expect(unspace('因 公 出 国 （ 境 ） 费')).toBe('因公出国（境）费');
    expect(unspace('收入 总计')).toBe('收入 总计');
    expect(joinLines(['机关事业单位基本养老保险缴', '费支出'])).toBe('机关事业单位基本养老保险缴费支出');
    expect(joinLines(['financial', 'affairs'])).toBe('financial affairs');
  });
});

describe('ruled tables', () => {
  // A 3-column, 3-row grid whose top row is one cell spanning all columns (no inner vertical rule there).
  const rules = [
    h(100, 50, 350),
    h(120, 50, 350),
    h(140, 50, 350),
    h(160, 50, 350),
    v(50, 100, 160),
    v(350, 100, 160),
    v(150, 120, 160),
    v(250, 120, 160),
  ];

  it('finds the grid and the cells that missing rules merge', () => {
    const [g] = findGrids(rules);
    expect(g?.xs).toEqual([50, 150, 250, 350]);
    expect(g?.ys).toEqual([100, 120, 140, 160]);
    expect(g?.cells[0]).toEqual({ r0: 0, r1: 0, c0: 0, c1: 2 });
    expect(g?.cellAt[1]).toEqual([1, 2, 3]);
  });

  it('reads rows of cells: a spanning header labels each column, a wrapped cell is one cell', () => {
    const lines = layoutPage(
      page(
        [
          run('支出决算表', 100, 90),
          run('合计', 180, 115),
          run('201', 55, 135),
          run('一般公共', 155, 130),
          run('服务支出', 155, 139),
          run('2,106.66', 260, 135),
          run('208', 55, 155),
          run('326.72', 260, 155),
        ],
        rules,
      ),
    );
    expect(lines.map((l) => [l.kind, l.cells])).toEqual([
      ['text', ['支出决算表']],
      ['row', ['合计', '合计', '合计']],
      ['row', ['201', '一般公共服务支出', '2,106.66']],
      ['row', ['208', '', '326.72']],
    ]);
    expect(lines.map((l) => l.no)).toEqual([1, 2, 3, 4]);
  });
});

describe('tables without rules', () => {
  it('takes columns from x-gaps (a label spanning columns does not merge them) and rows from y', () => {
    const lines = layoutPage(
      page([
        run('类', 50, 100),
        run('款', 100, 100),
        run('名称', 150, 100),
        run('金额', 300, 100),
        run('301', 50, 115),
        run('工资福利支出', 150, 115),
        run('850.00', 300, 115),
        run('301', 50, 130),
        run('01', 100, 130),
        run('基本工资', 150, 130),
        run('300.00', 300, 130),
        run('301', 50, 145),
        run('02', 100, 145),
        run('津贴补贴', 150, 145),
        // 项目 column printed a little lower than the rest of its row.
        run('250.00', 300, 150),
        run('人员经费合计', 50, 165),
        run('550.00', 300, 165),
      ]),
    );
    expect(lines.map((l) => l.cells)).toEqual([
      ['类', '款', '名称', '金额'],
      ['301', '', '工资福利支出', '850.00'],
      ['301', '01', '基本工资', '300.00'],
      ['301', '02', '津贴补贴', '250.00'],
      ['人员经费合计', '人员经费合计', '', '550.00'],
    ]);
  });
});

describe('a run written across cells', () => {
  it('is cut at its spaces and each piece goes to its cell', () => {
    const rules = [
      h(100, 50, 350),
      h(120, 50, 350),
      v(50, 100, 120),
      v(150, 100, 120),
      v(250, 100, 120),
      v(350, 100, 120),
    ];
    const across: TextRun = { text: '201 06 一般公共服务支出', x0: 55, x1: 245, y: 115, size: 10 };
    const [row] = layoutPage(page([across], rules));
    expect(row?.cells).toEqual(['201 06', '一般公共服务支出']);
  });
});
