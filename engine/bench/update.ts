/**
 * Measurement 5: adding documents to the larger database, as a researcher does when a new year is published:
 * the next year's document of a few departments (generated from the same seed, one year beyond the corpus),
 * loaded into a copy of the database. After the load, `Engine.ingest` computes again only those departments'
 * rows of the materialized tables (refreshAfterLoad's patch). Its baseline, in the same process on the same
 * data: rebuilding every materialized table (`Engine.refresh`, what every load did before). Both must leave the
 * same rows: every table's count and order-independent checksum after the patch equal those after the rebuild.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus } from '../../datasets/synthetic/generate.ts';
import { Engine, type RefreshResult } from '../engine.ts';
import { checksumSql } from './baselines.ts';
import { ratio, round } from './stats.ts';

export interface UpdateResult {
  /** Documents added (one department each). */
  documents: number;
  /** Documents in the database before. */
  databaseDocuments: number;
  /** The whole Engine.ingest of the new documents, refresh included, ms. */
  ingestMs: number;
  /** How the ingest refreshed the tables ('patched' expected) and how long that took, ms. */
  refresh: RefreshResult['kind'];
  refreshMs: number;
  /** Rebuilding every materialized table over the same facts, ms. */
  rebuildMs: number;
  /** refreshMs / rebuildMs. */
  ratio: number;
  /** Materialized tables compared, and whether every one had the same rows after the patch and the rebuild. */
  tables: number;
  same: boolean;
  differing: string[];
}

export async function measureUpdate(
  largeDb: string,
  work: string,
  o: { seed: number; departments: number; years: number; documents: number },
  log: (s: string) => void,
): Promise<UpdateResult> {
  const dir = join(work, 'update');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Department k's document for the year after the corpus's last: the k-th department's model over one more year.
  const files: string[] = [];
  const step = Math.max(1, Math.floor(o.departments / o.documents));
  for (let k = 0; k < o.documents; k++) {
    const department = 1 + k * step;
    const docs = [...generateCorpus({ seed: o.seed, departments: 1, years: o.years + 1, firstDepartment: department })];
    const doc = docs[docs.length - 1];
    if (!doc) throw new Error('the generator gave no document');
    const file = join(dir, doc.fileName);
    writeFileSync(file, doc.text);
    files.push(file);
  }
  const db = join(dir, 'update.duckdb');
  copyFileSync(largeDb, db);
  if (existsSync(largeDb + '.wal')) copyFileSync(largeDb + '.wal', db + '.wal');
  log(`  copied the database (${Math.round(statSync(db).size / 1e6)} MB); adding ${files.length} documents`);

  const engine = await Engine.open({ db });
  try {
    const databaseDocuments = Number((await engine.rows('SELECT count(*) AS n FROM documents'))[0]?.['n']);
    let refresh: RefreshResult | undefined;
    const t0 = performance.now();
    await engine.ingest(files, { onRefresh: (r) => (refresh = r) });
    const ingestMs = performance.now() - t0;
    if (!refresh) throw new Error('the ingest loaded nothing');
    const r: RefreshResult = refresh;
    log(`  ingest ${round(ingestMs)} ms, of which refresh (${r.kind}) ${round(r.ms)} ms`);
    const names = await engine.materializedTables();
    const sums = async () => {
      const out = new Map<string, string>();
      for (const n of names) {
        const [c] = await engine.rows(checksumSql(`SELECT * FROM ${n}`));
        out.set(n, `${String(c?.['n'])}:${String(c?.['h'])}`);
      }
      return out;
    };
    const patched = await sums();
    const t1 = performance.now();
    await engine.refresh();
    const rebuildMs = performance.now() - t1;
    log(`  rebuilding every table instead: ${round(rebuildMs)} ms`);
    const rebuilt = await sums();
    const differing = names.filter((n) => patched.get(n) !== rebuilt.get(n));
    return {
      documents: files.length,
      databaseDocuments,
      ingestMs: round(ingestMs),
      refresh: r.kind,
      refreshMs: round(r.ms),
      rebuildMs: round(rebuildMs),
      ratio: ratio(r.ms, rebuildMs),
      tables: names.length,
      same: differing.length === 0,
      differing,
    };
  } finally {
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
