import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Database } from '../db/database.ts';
import { projectRoot } from '../paths.ts';
import { DOCUMENTS, FACT_TABLES } from './tables.ts';
import { SchemaError } from '../db/errors.ts';

/**
 * The reference tables the views read, loaded from datasets/ at every open (so an edited CSV takes effect without
 * a schema migration; TEMP tables where the database is read-only), and the fact views that join them.
 */

const CROSSWALK = join(projectRoot, 'datasets', 'classification', 'function-crosswalk.csv');
/**
 * The function-code crosswalk (datasets/classification/function-crosswalk.csv) that the analysis views read.
 * Reloaded at every open like the views themselves, so an edited CSV takes effect without a schema migration;
 * a TEMP table where the database is read-only.
 */
async function createCrosswalk(db: Database, temporary: boolean): Promise<void> {
  const table = temporary ? 'temp.code_crosswalk' : 'code_crosswalk';
  await db.exec(
    `CREATE OR REPLACE ${temporary ? 'TEMP ' : ''}TABLE code_crosswalk (old_code VARCHAR, new_code VARCHAR, from_year INTEGER, note VARCHAR, kind VARCHAR, verified BOOLEAN, source VARCHAR, PRIMARY KEY (old_code, from_year))`,
  );
  const path = CROSSWALK;
  if (existsSync(path))
    await db.run(
      `INSERT INTO ${table} SELECT old_code, nullif(trim(new_code), ''), from_year::INTEGER, note, kind, verified = 'yes', source FROM read_csv(?, header = true, all_varchar = true)`,
      [path],
    );
}

const DEPARTMENT_NAMES = join(projectRoot, 'datasets', 'departments', 'names.csv');
const CPI = join(projectRoot, 'datasets', 'deflators', 'china-cpi.csv');

/**
 * China's CPI by year (datasets/deflators/china-cpi.csv, each year with its source) as the table \`deflator\`,
 * with the index chained from the yearly changes (the first year = 100), for the macro real_amount. Reloaded at
 * every open; a TEMP table where the database is read-only.
 */
async function createDeflator(db: Database, temporary: boolean): Promise<void> {
  await db.exec(
    `CREATE OR REPLACE ${temporary ? 'TEMP ' : ''}TABLE deflator (year INTEGER PRIMARY KEY, cpi_change_pct DECIMAL(6, 2) NOT NULL, cpi_index DOUBLE NOT NULL, source VARCHAR NOT NULL)`,
  );
  if (!existsSync(CPI)) return;
  await db.run(
    `INSERT INTO deflator
     SELECT year, pct, 100 * exp(sum(CASE WHEN first THEN 0 ELSE ln(1 + pct / 100) END) OVER (ORDER BY year)), source
     FROM (SELECT year::INTEGER AS year, cpi_change_pct::DECIMAL(6, 2) AS pct, source,
                  row_number() OVER (ORDER BY year::INTEGER) = 1 AS first
           FROM read_csv(?, header = true, all_varchar = true))`,
    [CPI],
  );
  const [gap] = await db.all(`SELECT count(*)::INTEGER AS n, min(year) AS a, max(year) AS b FROM deflator`);
  const n = Number(gap?.['n'] ?? 0);
  if (n > 0 && Number(gap?.['b']) - Number(gap?.['a']) + 1 !== n)
    throw new SchemaError(
      `datasets/deflators/china-cpi.csv: the years ${String(gap?.['a'])}–${String(gap?.['b'])} have a gap`,
    );
}

/**
 * The printed names of departments and their stable ids (datasets/departments/names.csv): `department_name`, with
 * the view `department_lineage` of the mergers and splits. Reloaded at every open like the crosswalk (a TEMP
 * table where the database is read-only); a file where one name has two ids, or a change has no year, is refused.
 */
async function createDepartmentNames(db: Database, temporary: boolean): Promise<void> {
  const t = temporary ? 'TEMP ' : '';
  await db.exec(
    `CREATE OR REPLACE ${t}TABLE department_name (name VARCHAR, department_id VARCHAR, kind VARCHAR, year INTEGER, source VARCHAR)`,
  );
  if (existsSync(DEPARTMENT_NAMES))
    await db.run(
      `INSERT INTO department_name
       SELECT nullif(trim(name), ''), nullif(trim(department_id), ''), nullif(trim(kind), ''),
              nullif(trim(year), '')::INTEGER, nullif(trim(source), '')
       FROM read_csv(?, header = true, all_varchar = true)`,
      [DEPARTMENT_NAMES],
    );
  const bad = await db.all(
    `SELECT name, string_agg(DISTINCT department_id, ', ') AS ids, 'maps to two ids' AS why FROM department_name
     WHERE kind IN ('alias', 'renamed') GROUP BY name HAVING count(DISTINCT department_id) > 1
     UNION ALL SELECT name, kind, 'has no year' FROM department_name WHERE kind <> 'alias' AND year IS NULL
     UNION ALL SELECT name, kind, 'is not alias, renamed, merged_into or split_from' FROM department_name
     WHERE kind NOT IN ('alias', 'renamed', 'merged_into', 'split_from')
     UNION ALL SELECT coalesce(name, '(empty)'), department_id, 'has no name' FROM department_name WHERE name IS NULL
     UNION ALL SELECT name, kind, 'has no department_id' FROM department_name WHERE department_id IS NULL
     UNION ALL SELECT name, department_id, 'has no source' FROM department_name WHERE source IS NULL
     UNION ALL SELECT a.name, a.department_id, 'maps to an id that is itself a name mapped on (map it to the last id)'
     FROM department_name AS a JOIN department_name AS b ON b.name = a.department_id AND b.name <> b.department_id
     WHERE a.kind IN ('alias', 'renamed') AND b.kind IN ('alias', 'renamed')`,
  );
  if (bad.length > 0) {
    const r = bad[0] as Record<string, unknown>;
    throw new SchemaError(
      `datasets/departments/names.csv: ${String(r['name'])} (${String(r['ids'])}) ${String(r['why'])}`,
    );
  }
  await db.exec(
    `CREATE OR REPLACE ${t}VIEW department_lineage AS
     SELECT name AS department_id, kind, year, department_id AS related_id, source
     FROM department_name WHERE kind IN ('merged_into', 'split_from')`,
  );
}

/**
 * The fact views and \`documents\` with the stable ids of the printed names (datasets/departments/README.md):
 * \`department_id\` and \`unit_id\`, after the columns of contract v1, which keep their order.
 */
async function createFactViews(db: Database, temporary: boolean): Promise<void> {
  for (const table of [...FACT_TABLES, DOCUMENTS]) {
    const names = table.columns.map((c) => c.name);
    // An alias names the department in any year; an earlier name only in the years before its rename.
    const year = names.includes('fiscal_year') ? 'f.fiscal_year' : 'f.doc_year';
    const id = (col: string) =>
      `coalesce((SELECT max(n.department_id) FROM department_name AS n WHERE n.name = f.${col}
        AND (n.kind = 'alias' OR (n.kind = 'renamed' AND ${year} < n.year))), f.${col})`;
    const ids = [`${id('department')} AS department_id`];
    if (names.includes('unit'))
      ids.push(`CASE WHEN f.unit_level = 'department' THEN ${id('department')} ELSE ${id('unit')} END AS unit_id`);
    const cols = [...names.map((n) => `f.${n}`), ...ids];
    await db.exec(
      `CREATE OR REPLACE ${temporary ? 'TEMP ' : ''}VIEW ${table.view} AS SELECT ${cols.join(', ')} FROM ${table.table} AS f`,
    );
  }
}

/** The files of datasets/ these tables come from: the materialized tables are rebuilt when one changes. */
export const REFERENCE_FILES = [CROSSWALK, DEPARTMENT_NAMES];

/** Load every reference table and (re)create the fact views over them. */
export async function loadReference(db: Database, temporary: boolean): Promise<void> {
  await createCrosswalk(db, temporary);
  await createDepartmentNames(db, temporary);
  await createDeflator(db, temporary);
  await createFactViews(db, temporary);
}
