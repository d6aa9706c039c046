/**
 * After a load, the materialized tables are brought up to date either by computing again only the
 * loaded documents' departments (a patch) or by rebuilding every table. Whichever was done, every table must
 * hold exactly the rows of its definition over all the facts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type RefreshResult } from '../engine/engine.ts';
import { Database } from '../engine/db/database.ts';
import { patchRows } from '../engine/schema/materialize.ts';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { generateCorpus, writeCorpus } from '../datasets/synthetic/generate.ts';
import { tempDir } from './helpers.ts';

const SEED = 7;
const DEPARTMENTS = 8;
const START = 2019;

/** Each materialized table against its definition: rows only in the table, rows only in the definition. */
async function differences(engine: Engine): Promise<Record<string, string>> {
  const names = await engine.rows(
    `SELECT replace(view_name, '_source', '') AS n FROM duckdb_views()
     WHERE view_name LIKE '\\_%\\_source' ESCAPE '\\' AND NOT temporary ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const r of names) {
    const n = String(r['n']);
    const [d] = await engine.rows(
      `SELECT (SELECT count(*) FROM (FROM ${n} EXCEPT ALL FROM ${n}_source)) AS extra,
              (SELECT count(*) FROM (FROM ${n}_source EXCEPT ALL FROM ${n})) AS missing`,
    );
    out[n] = `${String(d?.['extra'])}/${String(d?.['missing'])}`;
  }
  return out;
}

/** The document of `department` for a year after the corpus's three (the 4th or 5th), from a model of that many years. */
function nextYear(department: number, years = 4): { fileName: string; text: string; department: string; year: number } {
  const docs = [
    ...generateCorpus({ seed: SEED, departments: 1, years, startYear: START, firstDepartment: department }),
  ];
  return docs[years - 1] as (typeof docs)[number];
}

describe('refreshing the materialized tables after a load', () => {
  const tmp = tempDir();
  const db = join(tmp.dir, 'r.duckdb');
  let engine: Engine;
  let same: Record<string, string>;

  beforeAll(async () => {
    writeCorpus(join(tmp.dir, 'corpus'), { seed: SEED, departments: DEPARTMENTS, years: 3, startYear: START });
    engine = await Engine.open({ db });
    const refreshes: RefreshResult[] = [];
    const r = await engine.ingest([join(tmp.dir, 'corpus')], { onRefresh: (x) => refreshes.push(x) });
    expect(r.filter((x) => x.status === 'loaded')).toHaveLength(DEPARTMENTS * 3);
    // A first load: every department is new, the tables are built whole.
    expect(refreshes.map((x) => [x.kind, x.why])).toEqual([
      ['rebuilt', 'documents of 8 of 8 departments (a patch is for at most 50%)'],
    ]);
    same = Object.fromEntries(Object.keys(await differences(engine)).map((n) => [n, '0/0']));
    expect(Object.keys(same)).toHaveLength(13);
  }, 120_000);

  afterAll(() => {
    engine?.close();
    tmp.cleanup();
  });

  it("patches only the new document's department, and the tables equal their definitions", async () => {
    const doc = nextYear(1);
    const file = join(tmp.dir, doc.fileName);
    writeFileSync(file, doc.text);
    const parsed = parseBudgetText(Buffer.from(doc.text), file);
    const printed = parsed.facts
      .get('budget_totals')
      ?.find((r) => r['measure'] === 'spending_total' && r['unit'] === doc.department && r['fiscal_year'] === doc.year);
    expect(printed).toBeDefined();
    const before = await engine.rows(
      `SELECT count(*) AS n FROM department_totals WHERE department = ? AND fiscal_year = ?`,
      [doc.department, doc.year],
    );
    expect(before).toEqual([{ n: 0n }]);

    const refreshes: RefreshResult[] = [];
    await engine.ingest([file], { onRefresh: (x) => refreshes.push(x) });
    expect(refreshes.map((x) => [x.kind, x.departments])).toEqual([['patched', 1]]);
    expect(await differences(engine)).toEqual(same);
    // The new year is in the analysis views, with the figure the document prints (表3 支出总计, 万元).
    const rows = await engine.rows(
      `SELECT spending_total::VARCHAR AS t FROM department_totals
       WHERE department = ? AND unit_level = 'department' AND fiscal_year = ? AND stage = 'budget'`,
      [doc.department, doc.year],
    );
    expect(rows).toEqual([{ t: (Number(printed?.['amount']) / 1e6).toFixed(6) }]);
    const growth = await engine.rows(
      `SELECT count(*) AS n, count(prev_total) AS with_prev FROM spending_growth WHERE department = ? AND fiscal_year = ?`,
      [doc.department, doc.year],
    );
    expect(Number(growth[0]?.['n'])).toBeGreaterThan(10);
    expect(Number(growth[0]?.['with_prev'])).toBeGreaterThan(0);

    // Loading it again changes nothing, and nothing is refreshed.
    const again: RefreshResult[] = [];
    const r = await engine.ingest([file], { onRefresh: (x) => again.push(x) });
    expect(r.map((x) => x.status)).toEqual(['unchanged']);
    expect(again).toEqual([]);
  }, 60_000);

  it('every materialized view is computed per department, as the patch assumes: its rows for one department are the same computed from that department alone', async () => {
    engine.close();
    const db = await Database.open(join(tmp.dir, 'r.duckdb'));
    try {
      /** Rows of one department that differ between the patch's computation and the definition over everything. */
      const stale = async (view: string, id: string) => {
        const rows = await patchRows(db, view, [id]);
        const [d] = await db.all(
          `SELECT (SELECT count(*) FROM (${rows} EXCEPT ALL SELECT * FROM ${view}_source WHERE department_id = ?))
                + (SELECT count(*) FROM (SELECT * FROM ${view}_source WHERE department_id = ? EXCEPT ALL ${rows}))::INTEGER AS n`,
          [id, id],
        );
        return Number(d?.['n']);
      };
      const ids = (await db.all('SELECT DISTINCT department_id AS d FROM documents ORDER BY 1')).map((r) =>
        String(r['d']),
      );
      const views = (
        await db.all(
          `SELECT view_name AS v FROM duckdb_views() WHERE view_name LIKE '\\_view\\_%\\_source' ESCAPE '\\' AND NOT temporary`,
        )
      ).map((r) => String(r['v']).replace(/_source$/, ''));
      expect(views.length).toBeGreaterThanOrEqual(6);
      for (const v of views) for (const id of ids.slice(0, 3)) expect(await stale(v, id), `${v} / ${id}`).toBe(0);
      // A view that ranks departments against each other is not per department: the check sees it.
      await db.exec(
        `CREATE VIEW _view_rank_source AS SELECT department_id, fiscal_year,
           rank() OVER (PARTITION BY fiscal_year ORDER BY amount DESC) AS r
         FROM _best_budget_totals WHERE measure = 'spending_total' AND unit_level = 'department'`,
      );
      expect(await stale('_view_rank', ids[1] as string)).toBeGreaterThan(0);
      await db.exec('DROP VIEW _view_rank_source');
    } finally {
      db.close();
      engine = await Engine.open({ db: join(tmp.dir, 'r.duckdb') });
    }
  }, 120_000);

  it("rebuilds every table where the new document renames a code that other departments' rows carry", async () => {
    // The fifth year: no other document is as recent, so its name for a code is the latest.
    const doc = nextYear(2, 5);
    // A function code this document prints that other departments' rows carry too, and its name.
    const parsed = parseBudgetText(Buffer.from(doc.text), doc.fileName);
    const codes = new Map<string, string>();
    for (const r of parsed.facts.get('spending_by_function') ?? [])
      if (typeof r['func_code'] === 'string' && typeof r['func_name'] === 'string' && r['func_code'].length === 7)
        codes.set(r['func_code'], r['func_name']);
    const shared = await engine.rows(
      `SELECT func_code, any_value(func_name) AS func_name FROM _best_spending_by_function
       WHERE department <> ? AND func_code IN (SELECT unnest(string_split(?, ',')))
       GROUP BY func_code ORDER BY func_code LIMIT 1`,
      [doc.department, [...codes.keys()].join(',')],
    );
    expect(shared).toHaveLength(1);
    const code = String(shared[0]?.['func_code']);
    const oldName = codes.get(code) as string;
    const newName = `${oldName}（改）`;
    // The document prints the name as a cell of its own (in 表7 beside the code, in 表1 without it): every such
    // cell gets the new name, the latest name of the code, the one every row of it must then carry.
    const quoted = oldName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const text = doc.text.replace(new RegExp(`\t${quoted}(?=\t|$)`, 'gm'), `\t${newName}`);
    expect(text).not.toBe(doc.text);
    const file = join(tmp.dir, doc.fileName);
    writeFileSync(file, text);

    const refreshes: RefreshResult[] = [];
    await engine.ingest([file], { onRefresh: (x) => refreshes.push(x) });
    expect(refreshes.map((x) => [x.kind, x.why])).toEqual([
      ['rebuilt', `code ${code} has a new name, which the rows of other departments carry too`],
    ]);
    expect(await differences(engine)).toEqual(same);
    const names = await engine.rows(`SELECT DISTINCT func_name FROM spending_growth WHERE func_code = ? ORDER BY 1`, [
      code,
    ]);
    expect(names).toEqual([{ func_name: newName }]);
    const elsewhere = await engine.rows(
      `SELECT count(*) AS n FROM spending_growth WHERE func_code = ? AND department <> ?`,
      [code, doc.department],
    );
    expect(Number(elsewhere[0]?.['n'])).toBeGreaterThan(0);
  }, 60_000);

  it('rolls a failed patch back and rebuilds every table instead', async () => {
    // A table that no longer has its definition's columns: the patch's INSERT fails, the rebuild replaces it.
    await engine.db.exec('ALTER TABLE _view_procurement_mix ADD COLUMN stray INTEGER');
    const doc = nextYear(6);
    const file = join(tmp.dir, doc.fileName);
    writeFileSync(file, doc.text);
    const refreshes: RefreshResult[] = [];
    const r = await engine.ingest([file], { onRefresh: (x) => refreshes.push(x) });
    expect(r.map((x) => x.status)).toEqual(['loaded']);
    expect(refreshes.map((x) => x.kind)).toEqual(['rebuilt']);
    expect(refreshes[0]?.why).toMatch(/^the patch failed \(.*Binder Error/);
    expect(await differences(engine)).toEqual(same);
    const cols = await engine.rows(
      `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = '_view_procurement_mix' AND column_name = 'stray'`,
    );
    expect(cols).toEqual([{ n: 0n }]);
  }, 60_000);

  it('rebuilds every table when the documents are of more than half of the departments', async () => {
    const files = [3, 4, 5, 7, 8].map((d) => {
      const doc = nextYear(d);
      const file = join(tmp.dir, doc.fileName);
      writeFileSync(file, doc.text);
      return file;
    });
    const refreshes: RefreshResult[] = [];
    await engine.ingest(files, { onRefresh: (x) => refreshes.push(x) });
    expect(refreshes.map((x) => [x.kind, x.why])).toEqual([
      ['rebuilt', 'documents of 5 of 8 departments (a patch is for at most 50%)'],
    ]);
    expect(await differences(engine)).toEqual(same);
    const years = await engine.rows(
      `SELECT count(DISTINCT department) AS n FROM department_totals
       WHERE fiscal_year = ? AND department IN (SELECT department FROM documents WHERE doc_year = ?)`,
      [START + 3, START + 3],
    );
    // Departments 1 and 6 (the tests above), 3, 4, 5, 7 and 8 have a document of the fourth year.
    expect(years).toEqual([{ n: 7n }]);
  }, 60_000);
});
