/**
 * Measurement 2: each analysis view read to the end through the engine's streaming query path — over every row
 * (SELECT * FROM view), and for one department (… WHERE department = ?) — against two baselines:
 * - DuckDB materializing the same rows itself (Engine.run: the view's rows, nothing fetched into JS). The view
 *   reads rows materialized at ingest, and so does this side: the fair comparison, and the headline ratio.
 * - a hand-written query over the base tables (baselines.ts) that computes the rows from the facts, read through
 *   the same streaming path. It checks the view's rows (same count, same order-independent checksum) and shows
 *   what materializing at ingest saves; its ratio flatters the view and is not the headline.
 */
import { quote, type Engine } from '../engine.ts';
import { VIEWS, baselineSql, checksumSql } from './baselines.ts';
import { ratio, sideBySide, summarize, timed, type Timing } from './stats.ts';

export interface SameRows {
  view: string;
  /** Set where the rows are one department's. */
  department?: string;
  rows: number;
  baselineRows: number;
  checksum: string;
  baselineChecksum: string;
  same: boolean;
}

export interface Timed extends SameRows {
  ours: Timing;
  baseline: Timing;
  /** ours / baseline (hand-written, from the facts), medians: what materializing at ingest saves. */
  overhead: number;
  /** ours / materialized (DuckDB alone over the same rows), medians: the fair ratio. */
  overDuckdb: number;
  /**
   * DuckDB materializing the view's rows inside the process (connection.run: nothing fetched into JS): the floor
   * for any client reading them, ours or not.
   */
  materialized: Timing;
}

export interface ViewResult extends Timed {
  /** The same view for one department. */
  oneDepartment: Timed;
}

/**
 * The view's rows as the baseline computes them: without the stable ids (department_id, unit_id), which the
 * baselines do not derive (the bench corpus has no aliases, so the ids equal the printed names).
 */
export function viewSql(view: string, department?: string): string {
  const rows = `SELECT * EXCLUDE (department_id, unit_id) FROM ${view}`;
  return department === undefined ? rows : `${rows} WHERE department = ${quote(department)}`;
}

export async function sameRows(db: Engine, view: string, department?: string): Promise<SameRows> {
  const [a] = await db.rows(checksumSql(viewSql(view, department)));
  const [b] = await db.rows(checksumSql(baselineSql(view, department)));
  const out: SameRows = {
    view,
    ...(department === undefined ? {} : { department }),
    rows: Number(a?.['n']),
    baselineRows: Number(b?.['n']),
    checksum: String(a?.['h']),
    baselineChecksum: String(b?.['h']),
    same: false,
  };
  out.same = out.rows === out.baselineRows && out.checksum === out.baselineChecksum;
  return out;
}

/** Run a query through the streaming path and read every chunk (no conversion to JS values). */
export async function drain(db: Engine, sql: string): Promise<number> {
  const s = await db.query(sql);
  let n = 0;
  for await (const chunk of s.chunks) n += chunk.rowCount;
  return n;
}

async function timeOne(
  db: Engine,
  view: string,
  department: string | undefined,
  repeats: number,
  budgetMs: number,
  log: (s: string) => void,
): Promise<Timed> {
  const same = await sameRows(db, view, department);
  const what = department === undefined ? view : `${view} (${department})`;
  if (!same.same) {
    log(
      `  ${what}: the view and its baseline DISAGREE (${same.rows} vs ${same.baselineRows} rows, checksum ${same.checksum} vs ${same.baselineChecksum}); not timed`,
    );
    return { ...same, ours: nan(), baseline: nan(), overhead: NaN, overDuckdb: NaN, materialized: nan() };
  }
  const t = await sideBySide(
    () => drain(db, viewSql(view, department)),
    () => drain(db, baselineSql(view, department)),
    repeats,
    1,
    budgetMs,
  );
  const floor: number[] = [];
  for (let i = 0; i < Math.min(t.ours.runs, 5); i++)
    floor.push((await timed(() => db.run(viewSql(view, department)))).ms);
  const materialized = summarize(floor);
  log(
    `  ${what}: ${same.rows} rows, ${t.ours.median} ms; DuckDB alone over the same rows ${materialized.median} ms; hand-written from the facts ${t.base.median} ms`,
  );
  return {
    ...same,
    ours: t.ours,
    baseline: t.base,
    overhead: ratio(t.ours.median, t.base.median),
    overDuckdb: ratio(t.ours.median, materialized.median),
    materialized,
  };
}

export async function measureViews(
  db: Engine,
  repeats: number,
  log: (s: string) => void,
  budgetMs = Infinity,
): Promise<ViewResult[]> {
  const [first] = await db.rows('SELECT min(department) AS d FROM documents');
  const department = String(first?.['d'] ?? '');
  const out: ViewResult[] = [];
  for (const view of VIEWS) {
    const all = await timeOne(db, view, undefined, repeats, budgetMs, log);
    const one = await timeOne(db, view, department, repeats, budgetMs, log);
    out.push({ ...all, oneDepartment: one });
  }
  return out;
}

function nan(): Timing {
  return { median: NaN, p95: NaN, min: NaN, runs: 0 };
}
