import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';

export const SEED = join(projectRoot, 'datasets', '2021-longgang-zwfw-sjglj-budget.txt');
export const DEPT = '深圳市龙岗区政务服务数据管理局';
export const BENJI = '深圳市龙岗区政务服务数据管理局本级';
export const BIGDATA = '深圳市龙岗区大数据中心';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'budget-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An in-memory engine with the seed document loaded. */
export async function seededEngine(): Promise<Engine> {
  const engine = await Engine.open({ db: ':memory:' });
  await engine.ingest([SEED]);
  return engine;
}

/** The single value of a one-row, one-column query. */
export async function value(engine: Engine, sql: string, params?: (string | number)[]): Promise<unknown> {
  const rows = await engine.rows(sql, params);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
  return Object.values(rows[0] as object)[0];
}
