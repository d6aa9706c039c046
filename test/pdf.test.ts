import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.ts';
import { InputError } from '../engine/db/errors.ts';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { parsePdf } from '../engine/ingest/pdf/index.ts';
import type { FactRow, ParsedDocument } from '../engine/ingest/types.ts';
import { formatAmount } from '../engine/money.ts';
import { printPdfs } from './fixtures/pdf/chromium.ts';
import { partlyKnownFinalHtml, scannedHtml, unknownLayoutHtml } from './fixtures/pdf/other-html.ts';
import { seedHtml } from './fixtures/pdf/seed-html.ts';
import { SEED, tempDir } from './helpers.ts';

/** A fact without where it was printed: the same figure read from text or from PDF compares equal. */
function key(r: FactRow): string {
  const plain = Object.entries(r)
    .filter(([k]) => k !== 'source_line' && k !== 'source_page')
    .map(([k, v]) => [k, typeof v === 'bigint' ? formatAmount(v) : v]);
  return JSON.stringify(Object.fromEntries(plain));
}

function facts(p: ParsedDocument): Map<string, string[]> {
  return new Map([...p.facts].map(([view, rows]) => [view, rows.map(key).sort()]));
}

async function refusal(file: string): Promise<InputError> {
  const e = await parsePdf(readFileSync(file), file).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(InputError);
  return e as InputError;
}

describe('PDF ingest', () => {
  const tmp = tempDir();
  const pdf = {
    seed: join(tmp.dir, '2021-longgang-budget.pdf'),
    scan: join(tmp.dir, 'scan.pdf'),
    unknown: join(tmp.dir, 'unknown.pdf'),
    partly: join(tmp.dir, 'partly.pdf'),
  };
  let fromText: ParsedDocument;
  let fromPdf: ParsedDocument;

  beforeAll(async () => {
    // The seed's tables (and its text) printed to PDF by Chromium: a real text layer, ruled tables.
    await printPdfs([
      { out: pdf.seed, page: { html: seedHtml(readFileSync(SEED, 'utf8')), landscape: true, format: 'A3' } },
      { out: pdf.scan, page: { html: scannedHtml() } },
      { out: pdf.unknown, page: { html: unknownLayoutHtml() } },
      { out: pdf.partly, page: { html: partlyKnownFinalHtml() } },
    ]);
    fromText = parseBudgetText(readFileSync(SEED), SEED);
    fromPdf = await parsePdf(readFileSync(pdf.seed), pdf.seed);
  });
  afterAll(() => tmp.cleanup());

  describe('the budget layout: the seed printed to PDF', () => {
    it('registers a PDF document of the same department, year and stage', () => {
      expect(fromPdf.doc).toMatchObject({
        department: fromText.doc.department,
        doc_year: 2021,
        stage: 'budget',
        format: 'pdf',
      });
    });

    it('gives the same facts as the text, view by view', () => {
      const a = facts(fromText);
      const b = facts(fromPdf);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [view, rows] of a) expect(b.get(view), view).toEqual(rows);
    });

    it('runs the same checks with the same verdicts', () => {
      const verdict = (p: ParsedDocument) =>
        p.findings.map((f) => `${f.check_id} ${f.severity} ${f.expected ?? ''} ${f.actual ?? ''}`).sort();
      expect(verdict(fromPdf)).toEqual(verdict(fromText));
    });

    it('fills source_page, and source_line as the line of that page', () => {
      const rows = [...fromPdf.facts.values()].flat();
      expect(rows.length).toBeGreaterThan(500);
      for (const r of rows) {
        expect(r['source_page'], JSON.stringify(key(r))).toEqual(expect.any(Number));
        expect(r['source_line'] as number).toBeGreaterThanOrEqual(1);
      }
      // The text has no pages.
      expect([...fromText.facts.values()].flat().every((r) => r['source_page'] === null)).toBe(true);
      // 表3's department row: the 2021 spending total, on the page and line where the PDF prints it.
      const total = fromPdf.facts
        .get('budget_totals')
        ?.find(
          (r) => r['measure'] === 'spending_total' && r['fiscal_year'] === 2021 && r['unit_level'] === 'department',
        );
      expect(total?.['amount']).toBe(7_920_000_000n);
      expect(total?.['source_page']).toBeGreaterThan(1);
      const f = fromPdf.findings.find((x) => x.source_lines !== '');
      expect(f?.source_lines).toMatch(/^p\d+:\d+(,p\d+:\d+)*$/);
    });

    it('loads through the engine like any document: once, with its pages', async () => {
      const e = await Engine.open({ db: ':memory:' });
      try {
        const [first] = await e.ingest([pdf.seed]);
        expect(first?.status).toBe('loaded');
        const [again] = await e.ingest([pdf.seed]);
        expect(again?.status).toBe('unchanged');
        const [doc] = await e.rows(`SELECT format, stage, doc_year FROM documents`);
        expect(doc).toEqual({ format: 'pdf', stage: 'budget', doc_year: 2021 });
        const [row] = await e.rows(
          `SELECT total, source_page FROM spending_by_function WHERE func_code = '201' AND fiscal_year = 2021 AND unit_level = 'department'`,
        );
        expect(row?.['total']).toBe('7128');
        expect(row?.['source_page']).toEqual(expect.any(Number));
      } finally {
        e.close();
      }
    });
  });

  describe('PDFs that are refused', () => {
    it('a scanned PDF: no text layer', async () => {
      const e = await refusal(pdf.scan);
      expect(e.message).toMatch(/scanned PDF/);
      expect(e.message).toMatch(/no text layer/);
    });

    it('a layout of no known template loads nothing and names the tables it found', async () => {
      const e = await refusal(pdf.unknown);
      expect(e.message).toMatch(/nothing loaded/);
      expect(e.message).toContain('no table of a kind this reader reads');
      expect(e.message).toMatch(/Recognized, not read: 项目支出绩效情况表 \(p1:\d+\)/);
      expect(e.message).toMatch(/Not recognized: 部门收支情况汇总表 \(p1:\d+\)/);
      const engine = await Engine.open({ db: ':memory:' });
      try {
        await expect(engine.ingest([pdf.unknown])).rejects.toThrow(InputError);
        expect(await engine.rows('SELECT * FROM documents')).toEqual([]);
      } finally {
        engine.close();
      }
    });

    it('a 决算 with a table of the template and one that is not: says which is which', async () => {
      const e = await refusal(pdf.partly);
      expect(e.message).toMatch(/Recognized: 收入支出决算总表 \(p1:\d+\)/);
      expect(e.message).toMatch(/Not recognized: 部门支出明细表 \(p1:\d+\)/);
      expect(e.message).toContain('Missing: 支出决算表');
    });

    it('a file that is not a PDF', async () => {
      const e = await refusal(SEED);
      expect(e.message).toMatch(/not a PDF/);
    });
  });
});
