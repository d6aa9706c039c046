import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Database } from '../db/database.ts';
import { SchemaError } from '../db/errors.ts';
import { projectRoot } from '../paths.ts';
import { ALL_TABLES, COVERAGE, sqlType } from './tables.ts';
import { createAnalysisViews } from './materialize.ts';

/**
 * The stored schema and its version: created in an empty database, migrated step by step from an older one,
 * refused from a newer one. What is rebuilt at every open (reference tables, views, materialized tables) is in
 * reference.ts and materialize.ts.
 */

/** Bump when the stored schema changes; add a step to MIGRATIONS that brings version N-1 to N. */
export const SCHEMA_VERSION = 2;
const MIGRATIONS: Record<number, (db: Database) => Promise<void>> = {
  // 2: per-document coverage (which tables were read, how much of each became facts or checks).
  2: async (db) => {
    const cols = COVERAGE.columns.map((c) => `${c.name} ${sqlType(c.type)}`).join(', ');
    await db.exec(`CREATE TABLE IF NOT EXISTS ${COVERAGE.table} (${cols})`);
    await db.exec(`CREATE OR REPLACE VIEW ${COVERAGE.view} AS SELECT * FROM ${COVERAGE.table}`);
  },
};

export { SchemaError };

/** Create the contract's schema in an empty database, migrate an older one, refuse a newer one. */
export async function ensureSchema(db: Database): Promise<void> {
  const found = await storedVersion(db);
  if (found === undefined) {
    await db.transaction(async (s) => {
      await s.exec('CREATE TABLE budget_meta (key VARCHAR PRIMARY KEY, value VARCHAR)');
      for (const t of ALL_TABLES) {
        const cols = t.columns.map((c) => `${c.name} ${sqlType(c.type)}`).join(', ');
        await s.exec(`CREATE TABLE ${t.table} (${cols})`);
        await s.exec(`CREATE VIEW ${t.view} AS SELECT * FROM ${t.table}`);
      }
      await s.exec(
        'CREATE TABLE ingested_files (sha256 VARCHAR PRIMARY KEY, path VARCHAR, view VARCHAR, row_count INTEGER, loaded_at TIMESTAMP)',
      );
      await createClassification(db);
      await s.run(`INSERT INTO budget_meta VALUES ('schema_version', ?)`, [String(SCHEMA_VERSION)]);
    });
  } else if (found < SCHEMA_VERSION) {
    await db.transaction(async () => {
      for (let v = found + 1; v <= SCHEMA_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (!step) throw new SchemaError(`no migration from schema version ${v - 1} to ${v}`);
        await step(db);
      }
      await db.run(`UPDATE budget_meta SET value = ? WHERE key = 'schema_version'`, [String(SCHEMA_VERSION)]);
    });
  } else if (found > SCHEMA_VERSION) {
    throw new SchemaError(
      `database ${db.path} has schema version ${found}, newer than this engine's ${SCHEMA_VERSION}: upgrade the engine, or rebuild the database`,
    );
  }
  await createAnalysisViews(db, false);
}

/** Check the version of a database opened read-only, without writing. */
export async function checkSchema(db: Database): Promise<void> {
  const found = await storedVersion(db);
  if (found === undefined) throw new SchemaError(`database ${db.path} has no budget schema: run 'budget ingest' first`);
  if (found !== SCHEMA_VERSION)
    throw new SchemaError(
      `database ${db.path} has schema version ${found}, this engine reads ${SCHEMA_VERSION}: open it once read-write to migrate, or rebuild it`,
    );
}

async function storedVersion(db: Database): Promise<number | undefined> {
  const t = await db.all(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'budget_meta' AND database_name = current_database()`,
  );
  if (!t[0] || t[0]['n'] === 0) return undefined;
  const r = await db.all(`SELECT value FROM budget_meta WHERE key = 'schema_version'`);
  return r[0] ? Number(r[0]['value']) : undefined;
}

const CLASSIFICATION = [
  { view: 'classification_function', file: 'function.csv', extra: '' },
  { view: 'classification_economic', file: 'economic.csv', extra: '' },
  { view: 'classification_procurement', file: 'procurement.csv', extra: ', edition VARCHAR' },
];

async function createClassification(db: Database): Promise<void> {
  const dir = join(projectRoot, 'datasets', 'classification');
  for (const c of CLASSIFICATION) {
    const table = `code_${c.view.replace('classification_', '')}`;
    // Procurement codes repeat across catalogue editions: there the key is (code, edition).
    const key = c.extra ? ', PRIMARY KEY (code, edition)' : ', PRIMARY KEY (code)';
    await db.exec(
      `CREATE TABLE ${table} (code VARCHAR, name VARCHAR, level INTEGER, parent_code VARCHAR${c.extra}${key})`,
    );
    const path = join(dir, c.file);
    if (existsSync(path)) {
      const cols = c.extra ? 'code, name, level, parent_code, edition' : 'code, name, level, parent_code';
      await db.run(`INSERT INTO ${table} SELECT ${cols} FROM read_csv(?, header = true, all_varchar = true)`, [path]);
    }
    await db.exec(`CREATE VIEW ${c.view} AS SELECT * FROM ${table}`);
  }
  const aliases = join(dir, 'economic-aliases.csv');
  await db.exec('CREATE TABLE code_economic_alias (alias VARCHAR, code VARCHAR)');
  if (existsSync(aliases))
    await db.run(
      `INSERT INTO code_economic_alias SELECT alias, code FROM read_csv(?, header = true, all_varchar = true)`,
      [aliases],
    );
}
