import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { FACT_TABLES } from '../engine/schema/tables.ts';
import type { ParsedDocument } from '../engine/ingest/types.ts';
import { generateCorpus, writeCorpus, type SyntheticDocument } from '../datasets/synthetic/generate.ts';
import { tempDir } from './helpers.ts';

const corpus = (o: Parameters<typeof generateCorpus>[0]): SyntheticDocument[] => [...generateCorpus(o)];
const parse = (d: SyntheticDocument, synthetic?: boolean): ParsedDocument =>
  parseBudgetText(Buffer.from(d.text, 'utf8'), d.fileName, synthetic === undefined ? {} : { synthetic });
const M = 1_000_000n;

describe('the synthetic corpus generator (datasets/synthetic)', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const a = corpus({ seed: 1, departments: 2, years: 3 });
    const b = corpus({ seed: 1, departments: 2, years: 3 });
    const c = corpus({ seed: 2, departments: 2, years: 3 });
    expect(a.map((d) => d.fileName)).toEqual(b.map((d) => d.fileName));
    expect(a.map((d) => d.text)).toEqual(b.map((d) => d.text));
    expect(a.map((d) => d.fileName)).toEqual(c.map((d) => d.fileName));
    expect(a.filter((d, i) => d.text !== c[i]?.text)).toHaveLength(a.length);
    // A department's documents do not depend on how many departments are asked for.
    const one = corpus({ seed: 1, departments: 1, years: 3 });
    expect(one.map((d) => d.text)).toEqual(a.slice(0, 3).map((d) => d.text));
  });

  it('labels every document synthetic: file name, department and units, documents.title', () => {
    const docs = corpus({ seed: 3, departments: 2, years: 2, startYear: 2020 });
    expect(docs.map((d) => d.fileName)).toEqual([
      'synthetic-d0001-2020.txt',
      'synthetic-d0001-2021.txt',
      'synthetic-d0002-2020.txt',
      'synthetic-d0002-2021.txt',
    ]);
    for (const d of docs) {
      const p = parse(d);
      expect(p.doc.synthetic).toBe(true); // from the file name
      expect(p.doc.department).toMatch(/^示例市合成区第\d+局（合成数据）$/);
      expect(p.doc.title).toContain('合成数据');
      expect(parse(d, true).doc.title).toMatch(/^\[synthetic\] \d{4} 年示例市合成区第\d+局（合成数据）部门预算$/);
      const units = new Set([...p.facts.values()].flat().map((r) => r['unit'] as string));
      expect(units.size).toBeGreaterThanOrEqual(3); // the department and 2–4 units
      for (const u of units) expect(u).toContain('（合成数据）');
    }
  });

  it('parses with the real parser with no error finding, and with errors where a contradiction is injected', () => {
    const docs = corpus({ seed: 5, departments: 4, years: 3 });
    for (const d of docs) {
      const p = parse(d);
      const errors = p.findings.filter((f) => f.severity === 'error');
      expect(
        errors.map((f) => f.message),
        d.fileName,
      ).toEqual([]);
      // Every table of the layout is there, and the facts of each view.
      expect(
        p.findings.some((f) => f.check_id.startsWith('DOC.missing')),
        d.fileName,
      ).toBe(false);
      for (const { view } of FACT_TABLES)
        expect(p.facts.get(view)?.length ?? 0, `${d.fileName} ${view}`).toBeGreaterThan(0);
    }
    const bad = corpus({ seed: 5, departments: 1, years: 2, contradictions: 1 });
    for (const d of bad) {
      expect(d.contradiction).toBe(true);
      expect(parse(d).findings.filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
    }
  });

  it('has internally consistent totals: 类 add up to the department total, units to the department', () => {
    for (const d of corpus({ seed: 9, departments: 3, years: 2 })) {
      const p = parse(d);
      const dept = p.doc.department;
      const year = p.doc.doc_year;
      const totals = p.facts.get('budget_totals') ?? [];
      const total = (unit: string, measure: string) =>
        totals.find(
          (r) => r['unit'] === unit && r['measure'] === measure && r['fiscal_year'] === year && !r['derived'],
        )?.['amount'] as bigint;
      const fn = (p.facts.get('spending_by_function') ?? []).filter(
        (r) => r['fiscal_year'] === year && r['func_level'] === 1,
      );
      const classSum = (unit: string) =>
        fn.filter((r) => r['unit'] === unit).reduce((a, r) => a + (r['total'] as bigint), 0n);
      const spending = total(dept, 'spending_total');
      expect(spending).toBeGreaterThan(0n);
      expect(classSum(dept)).toBe(spending);
      expect(total(dept, 'basic_total') + total(dept, 'project_total')).toBe(spending);
      const units = [...new Set(fn.map((r) => r['unit'] as string))].filter((u) => u !== dept);
      expect(units.length).toBeGreaterThanOrEqual(2);
      expect(units.reduce((a, u) => a + total(u, 'spending_total'), 0n)).toBe(spending);
      for (const u of units) expect(classSum(u)).toBe(total(u, 'spending_total'));
      // Projects (表15, to the cent) are within rounding of the whole 万元 of 表13 / 表3.
      const projects = (p.facts.get('projects') ?? []).filter(
        (r) => r['fiscal_year'] === year && r['stage'] === 'budget',
      );
      const sumProjects = projects.reduce((a, r) => a + (r['amount'] as bigint), 0n);
      const diff = sumProjects - total(dept, 'project_total');
      expect(diff < 0n ? -diff : diff).toBeLessThanOrEqual(BigInt(projects.length) * (M / 2n));
    }
  });

  it('has function codes that appear and disappear over the years', () => {
    const docs = corpus({ seed: 1, departments: 8, years: 10 });
    const years = new Map<string, Set<number>>();
    for (const d of docs)
      for (const m of d.text.matchAll(/^\t(\d{7})\t/gm)) {
        const key = `${d.departmentIndex}|${m[1]}`;
        years.set(key, (years.get(key) ?? new Set()).add(d.year));
      }
    const spans = [...years.values()].map((s) => [Math.min(...s), Math.max(...s)]);
    expect(spans.some(([a]) => (a as number) > 2015)).toBe(true); // appears after the first year
    expect(spans.some(([, b]) => (b as number) < 2024)).toBe(true); // gone before the last
    expect(spans.filter(([a, b]) => a === 2015 && b === 2024).length).toBeGreaterThan(spans.length / 2);
  });

  it('writes a corpus folder with a manifest, outside datasets/', () => {
    const tmp = tempDir();
    try {
      const { files, bytes } = writeCorpus(tmp.dir, { seed: 4, departments: 1, years: 2 });
      expect(files).toHaveLength(2);
      expect(bytes).toBeGreaterThan(20_000);
    } finally {
      tmp.cleanup();
    }
  });

  describe('20 documents of 2 departments × 10 years, ingested', () => {
    let e: Engine;
    const tmp = tempDir();
    beforeAll(async () => {
      const { files } = writeCorpus(tmp.dir, { seed: 11, departments: 2, years: 10, startYear: 2015 });
      e = await Engine.open({ db: ':memory:' });
      await e.ingest(files);
    });
    afterAll(() => {
      e?.close();
      tmp.cleanup();
    });

    it('loads 20 synthetic documents with no error finding', async () => {
      const [d] = await e.rows(
        `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE synthetic)::INTEGER AS s FROM documents`,
      );
      expect(d).toEqual({ n: 20, s: 20 });
      const [r] = await e.rows(
        `SELECT count(*) FILTER (WHERE severity = 'error')::INTEGER AS errors FROM reconciliation`,
      );
      expect(r).toEqual({ errors: 0 });
    });

    it('department_totals has every year 2015–2024 for each department, stated and consistent', async () => {
      const rows = await e.rows(
        `SELECT department, list(fiscal_year ORDER BY fiscal_year)::VARCHAR AS years,
                bool_and(spending_total = basic_total + project_total) AS split
         FROM department_totals
         WHERE unit_level = 'department' AND stage = 'budget' AND fiscal_year BETWEEN 2015 AND 2024
         GROUP BY department ORDER BY department`,
      );
      expect(rows).toEqual([
        {
          department: '示例市合成区第1局（合成数据）',
          years: '[2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]',
          split: true,
        },
        {
          department: '示例市合成区第2局（合成数据）',
          years: '[2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024]',
          split: true,
        },
      ]);
    });

    it('series are continuous: every 类 of spending_growth and every 三公 category has its previous year', async () => {
      const [g] = await e.rows(
        `SELECT count(*)::INTEGER AS n, count(prev_total)::INTEGER AS with_prev FROM spending_growth
         WHERE func_level = 1 AND fiscal_year BETWEEN 2016 AND 2024`,
      );
      expect(g?.['n']).toBeGreaterThan(0);
      expect(g?.['with_prev']).toBe(g?.['n']);
      const [s] = await e.rows(
        `SELECT count(*)::INTEGER AS n, count(prev_amount)::INTEGER AS with_prev FROM sangong_trend
         WHERE fiscal_year BETWEEN 2015 AND 2024`,
      );
      expect(s?.['with_prev']).toBe(s?.['n']);
      for (const view of ['composition', 'procurement_mix', 'project_trend']) {
        const [v] = await e.rows(
          `SELECT count(DISTINCT fiscal_year)::INTEGER AS n FROM ${view} WHERE fiscal_year BETWEEN 2015 AND 2024`,
        );
        expect(v?.['n'], view).toBe(10);
      }
    });

    it("the 2021 budget's figures for 2020 are the 2020 document's own (one figure per year)", async () => {
      // The narrative of year Y restates year Y − 1; the generator keeps the two equal, so derived and printed agree.
      const [r] = await e.rows(
        `SELECT count(*)::INTEGER AS n FROM budget_totals a JOIN budget_totals b
           ON a.unit = b.unit AND a.measure = b.measure AND a.fiscal_year = b.fiscal_year AND a.stage = b.stage
         WHERE a.derived AND NOT b.derived AND a.vintage = a.fiscal_year + 1 AND b.vintage = b.fiscal_year
           AND a.amount <> b.amount`,
      );
      expect(r).toEqual({ n: 0 });
    });
  });
});
