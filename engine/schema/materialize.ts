import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { quote, type Database, type Session } from '../db/database.ts';
import { projectRoot } from '../paths.ts';
import { loadReference, REFERENCE_FILES } from './reference.ts';
import { SchemaError } from '../db/errors.ts';

/**
 * The analysis views of sql/ and the materialized tables: the \`_best_*\` tables (the vintage rule over each fact
 * view) and the \`_view_*\` tables (the rows of each analysis view of sql/1x_*.sql). Both are called the
 * materialized tables here and in the docs. They are brought up to date after every load, by a patch of the
 * loaded departments' rows or a rebuild.
 */

/**
 * (Re)create the analysis views and macros of sql/, in file-name order. Temporary where the database is read-only.
 * Two kinds of results are materialized as tables, brought up to date after every load (`refreshAfterLoad`):
 * - the helper views `_best_*_source` (the vintage rule over each fact view) as tables `_best_*`;
 * - each analysis view of sql/1x_*.sql: its definition becomes `_view_<name>_source`, its rows the table
 *   `_view_<name>`, and the view `<name>` reads that table. A query of an analysis view is then a scan of its
 *   finished rows, not the view's joins and window functions over millions of facts.
 * Both are up to date when budget_meta's best_state matches the facts' version and the SQL's hash; a read-only
 * database that is out of date reads the definitions directly instead (slower, but right).
 */
export async function createAnalysisViews(db: Database, temporary: boolean): Promise<void> {
  await loadReference(db, temporary);
  const texts = sqlTexts();
  if (texts.size === 0) return;
  const files = [...texts.keys()];
  const run = async (f: string, text: string) => {
    if (temporary) text = text.replace(/CREATE OR REPLACE (VIEW|MACRO)/gi, 'CREATE OR REPLACE TEMP $1');
    try {
      await db.exec(text);
    } catch (e) {
      throw new SchemaError(`sql/${f}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const definitions = files.filter((f) => /^0\d_/.test(f));
  // sql/2x_*.sql compare departments with each other (peer_compare): plain views over the materialized tables,
  // computed when queried, since the refresh patches the materialized rows one department at a time.
  const plain = files.filter((f) => /^2\d_/.test(f));
  const analysis = files.filter((f) => !definitions.includes(f) && !plain.includes(f));
  const viewNames = analysisViews(texts);
  for (const f of definitions) await run(f, texts.get(f) as string);
  const hash = createHash('sha256')
    .update(files.map((f) => texts.get(f)).join('\n'))
    .update(REFERENCE_FILES.map((f) => (existsSync(f) ? readFileSync(f) : '')).join('\n'))
    .digest('hex')
    .slice(0, 16);
  const best = await materializedNames(db);
  const views = viewNames.map((n) => `_view_${n}`);
  const { wanted, stored } = await tablesState(db);
  const tables = new Set(
    (await db.all(`SELECT table_name AS t FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary`)).map(
      (r) => String(r['t']),
    ),
  );
  const fresh = stored === `${wanted}|${hash}` && [...best, ...views].every((n) => tables.has(n));
  const stand = async (names: string[]) => {
    // Read-only and out of date: the definitions stand in for the tables.
    for (const n of names) await db.exec(`CREATE OR REPLACE TEMP VIEW ${n} AS SELECT * FROM ${n}_source`);
  };
  if (!fresh) {
    if (temporary) await stand(best);
    else await rebuild(db, best);
  }
  for (const f of analysis) {
    const text = (texts.get(f) as string).replace(
      /CREATE OR REPLACE VIEW (\w+) AS/gi,
      (_m, name: string) => `CREATE OR REPLACE VIEW _view_${name}_source AS`,
    );
    await run(f, text);
  }
  if (!fresh) {
    if (temporary) await stand(views);
    else await refreshMaterialized(db, hash, views, wanted); // the `_best_*` were rebuilt above
  }
  for (const n of viewNames)
    await db.exec(`CREATE OR REPLACE ${temporary ? 'TEMP ' : ''}VIEW ${n} AS SELECT * FROM _view_${n}`);
  for (const f of plain) await run(f, texts.get(f) as string);
}

/** The files of sql/ and their text, in file order (empty without the folder). */
function sqlTexts(): Map<string, string> {
  const dir = join(projectRoot, 'sql');
  if (!existsSync(dir)) return new Map();
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.sql'))
    .sort();
  return new Map(files.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** The materialized analysis views' names (the views of sql/1x_*.sql), in file order. */
export function analysisViews(texts = sqlTexts()): string[] {
  return [...texts]
    .filter(([f]) => !/^[02]\d_/.test(f))
    .flatMap(([, text]) => [...text.matchAll(/CREATE OR REPLACE VIEW (\w+) AS/gi)].map((m) => m[1] as string));
}

/** The materialized tables, in the order they are built: the `_best_*` first, then the analysis views' `_view_*`. */
async function materializedNames(db: Database, kinds: ('best' | 'view')[] = ['best']): Promise<string[]> {
  const out: string[] = [];
  for (const kind of kinds) {
    const rows = await db.all(
      `SELECT DISTINCT view_name AS v FROM duckdb_views() WHERE view_name LIKE '\\_${kind}\\_%\\_source' ESCAPE '\\' ORDER BY 1`,
    );
    out.push(...rows.map((r) => String(r['v']).replace(/_source$/, '')));
  }
  return out;
}

async function tablesState(db: Database): Promise<{ wanted: string; stored: string | undefined }> {
  const rows = await db.all(`SELECT key, value FROM budget_meta WHERE key IN ('facts_version', 'best_state')`);
  const get = (k: string) => rows.find((r) => r['key'] === k)?.['value'] as string | undefined;
  return { wanted: `${get('facts_version') ?? '0'}`, stored: get('best_state') };
}

/** Rebuild some materialized tables from their definitions, one transaction each, without noting any state. */
async function rebuild(db: Database, names: string[]): Promise<void> {
  for (const n of names) await db.transaction(async (s) => s.exec(await materializeSql(s, n)));
}

/**
 * The statement that builds one materialized table. An analysis view's rows are stored in department order, so
 * that a query of one department reads the few row groups that hold it (DuckDB skips the others by their
 * min/max), instead of scanning millions of rows.
 */
async function materializeSql(s: Session, name: string): Promise<string> {
  return `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${name}_source${await orderBy(s, name)}`;
}

/** ' ORDER BY department_id, unit_id, fiscal_year' (those of them it has) for an analysis view's table, else ''. */
async function orderBy(s: Session, name: string): Promise<string> {
  if (!name.startsWith('_view_')) return '';
  const cols = await s.all(
    `SELECT column_name AS c FROM duckdb_columns() WHERE table_name = ? AND column_name IN ('department_id', 'unit_id', 'fiscal_year')`,
    [`${name}_source`],
  );
  const have = new Set(cols.map((r) => String(r['c'])));
  const keys = ['department_id', 'unit_id', 'fiscal_year'].filter((c) => have.has(c));
  return keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '';
}

/**
 * The state of the materialized tables as budget_meta notes it ('<facts version>|<SQL hash>') when they are up to
 * date with the facts, else undefined. Taken before a load, it tells `refreshAfterLoad` whether the tables
 * reflected every other department's facts.
 */
export async function upToDateState(db: Database): Promise<string | undefined> {
  const { wanted, stored } = await tablesState(db);
  return stored !== undefined && stored.startsWith(`${wanted}|`) ? stored : undefined;
}

/**
 * Where one department's rows take something from other departments' facts: a code's name is the latest name
 * printed for it in any document (sql/01_best_spending_by_economic.sql, sql/01_best_spending_by_function.sql),
 * so every row of a code carries the same name. Every other materialized row is computed from its own
 * department's facts alone (each view's joins, groups and windows are by department).
 */
const SHARED_NAMES = [
  { table: '_best_spending_by_economic', code: 'econ_code', name: 'econ_name' },
  { table: '_best_spending_by_function', code: 'func_code', name: 'func_name' },
];

/**
 * A patch is tried for at most this share of the departments. Measured at 10,000 documents of 1,000 departments
 * (npm run bench's database): a patch of 10 / 100 / 250 / 500 departments took 1.5 / 4.2 / 9.2 / 14.1 s, a rebuild
 * 20–25 s; the two meet at about 80%.
 */
const PATCH_MAX_SHARE = 0.5;

class PatchRefused extends Error {}

/**
 * Bring the materialized tables up to date after a load. Where they were up to date before it (`before`, from
 * `upToDateState`) and the load added documents of a few departments (`departments`), only those departments'
 * rows are computed again: deleted and inserted from the definitions, in one transaction. Otherwise, or where
 * the new documents changed the name of a code that other departments' rows also carry, every table is
 * rebuilt (`refreshMaterialized`). Returns which of the two was done.
 */
export async function refreshAfterLoad(
  db: Database,
  before: string | undefined,
  departments: string[] | undefined,
): Promise<{ kind: 'patched' | 'rebuilt'; why?: string }> {
  let why: string;
  if (before === undefined) why = 'the tables were not up to date before the load (a first load)';
  else if (departments === undefined) why = 'a canonical file may hold rows of any department';
  else if (departments.length === 0) why = 'no department to patch';
  else {
    const patched = await patchDepartments(db, before, departments);
    if (patched === true) return { kind: 'patched' };
    why = patched;
  }
  await refreshMaterialized(db);
  return { kind: 'rebuilt', why };
}

/** Patch the tables for some departments: true, or why not (nothing changed then). */
async function patchDepartments(db: Database, before: string, departments: string[]): Promise<true | string> {
  const { wanted, stored } = await tablesState(db);
  if (stored !== before) return 'the tables changed during the load';
  const [count] = await db.all('SELECT count(DISTINCT department) AS n FROM documents');
  const all = Number(count?.['n'] ?? 0);
  if (departments.length > all * PATCH_MAX_SHARE)
    return `documents of ${departments.length} of ${all} departments (a patch is for at most ${PATCH_MAX_SHARE * 100}%)`;
  const best = await materializedNames(db, ['best']);
  const views = await materializedNames(db, ['view']);
  const names = [...best, ...views];
  const withDepartment = await db.all(
    `SELECT DISTINCT table_name AS t FROM duckdb_columns() WHERE column_name = 'department_id' AND database_name = current_database() AND schema_name = 'main'`,
  );
  const have = new Set(withDepartment.map((r) => String(r['t'])));
  if (!names.every((n) => have.has(n) && have.has(`${n}_source`)))
    return 'a materialized table has no department_id column';
  // The rows to compute again are those of the loaded departments' ids: a renamed department's earlier rows too.
  const ids = await db.all(
    `SELECT DISTINCT department_id AS id FROM documents WHERE department IN (${departments.map(quote).join(', ')})`,
  );
  const list = ids.map((r) => quote(String(r['id']))).join(', ');
  if (list === '') return 'no department to patch';
  try {
    await db.transaction(async (s) => {
      const patch = async (n: string, source: string) => {
        await s.exec(`DELETE FROM ${n} WHERE department_id IN (${list})`);
        await s.exec(`INSERT INTO ${n} SELECT * FROM ${source} WHERE department_id IN (${list})${await orderBy(s, n)}`);
      };
      for (const n of best) await patch(n, `${n}_source`);
      // The analysis views read the `_best_*` rows just patched: refused here if their shared names split.
      await checkSharedNames(s, list, best);
      for (const n of views) await patch(n, `(${await scopedBody(s, `${n}_source`, list, best)})`);
      await noteState(s, `${wanted}|${before.split('|')[1] ?? ''}`);
    });
  } catch (e) {
    // Refused (a shared name changed), or the patch failed: rolled back, and every table is rebuilt instead.
    const message = e instanceof Error ? e.message : String(e);
    return e instanceof PatchRefused ? message : `the patch failed (${message.split('\n')[0]})`;
  }
  return true;
}

/**
 * An analysis view's definition reading only some departments' rows of the `_best_*` tables it names: each of them
 * shadowed by a CTE of the same name over those rows. The filter outside the view alone is not enough: DuckDB
 * does not carry it to the right side of a LEFT JOIN (composition's parent rows, department_totals' parts), which
 * then reads every department (0.9 of the 1.0 s composition took for 10 departments at 10,000 documents).
 */
async function scopedBody(s: Session, view: string, list: string, materialized: string[]): Promise<string> {
  const [row] = await s.all(`SELECT sql FROM duckdb_views() WHERE view_name = ? AND NOT temporary`, [view]);
  const text = String(row?.['sql'] ?? '')
    .trim()
    .replace(/;$/, '');
  const m = /^CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+\S+\s+AS\s+/i.exec(text);
  if (!m) throw new Error(`${view}: no view definition found`);
  const body = text.slice(m[0].length);
  const tables = [...new Set([...body.matchAll(/\b_best_\w+\b/g)].map((x) => x[0]))].filter((t) =>
    materialized.includes(t),
  );
  if (tables.length === 0) return body;
  const ctes = tables.map((t) => `${t} AS (SELECT * FROM main.${t} WHERE department_id IN (${list}))`).join(', ');
  if (/^WITH\s+RECURSIVE\s/i.test(body)) return body; // not spliced: the outer filter still gives the right rows
  return /^WITH\s/i.test(body) ? `WITH ${ctes}, ${body.replace(/^WITH\s+/i, '')}` : `WITH ${ctes} ${body}`;
}

/**
 * The rows a patch computes for some departments (ids) of one analysis view: its definition over only their
 * rows of the \`_best_*\` tables. For the test that every materialized view is computed per department.
 */
export async function patchRows(db: Database, view: string, departmentIds: string[]): Promise<string> {
  const list = departmentIds.map(quote).join(', ');
  const body = await scopedBody(db.session, `${view}_source`, list, await materializedNames(db, ['best']));
  return `SELECT * FROM (${body}) WHERE department_id IN (${list})`;
}

/** Refuse the patch (PatchRefused) where a code of the patched departments now has a name other rows do not. */
async function checkSharedNames(s: Session, list: string, tables: string[]): Promise<void> {
  for (const { table, code, name } of SHARED_NAMES) {
    if (!tables.includes(table)) continue;
    const split = await s.all(
      `SELECT ${code} AS code FROM ${table}
       WHERE ${code} IN (SELECT ${code} FROM ${table} WHERE department_id IN (${list}) AND ${code} IS NOT NULL)
       GROUP BY ${code} HAVING count(DISTINCT ${name}) + max(CASE WHEN ${name} IS NULL THEN 1 ELSE 0 END) > 1 LIMIT 1`,
    );
    if (split.length > 0)
      throw new PatchRefused(
        `code ${String(split[0]?.['code'])} has a new name, which the rows of other departments carry too`,
      );
  }
}

/** Rebuild the materialized tables (`_best_*`, then `_view_*`) from their definitions, and note which facts they reflect. */
export async function refreshMaterialized(
  db: Database,
  hash?: string,
  names?: string[],
  version?: string,
): Promise<void> {
  const list = names ?? (await materializedNames(db, ['best', 'view']));
  const h =
    hash ??
    (
      (await db.all(`SELECT value FROM budget_meta WHERE key = 'best_state'`))[0]?.['value'] as string | undefined
    )?.split('|')[1] ??
    '';
  // One transaction per table: each table's rows (and a sort's runs) are written and let go before the next is
  // built, which keeps the rebuild within the ingest's memory limit. The state is noted last, so a rebuild cut
  // short leaves the tables marked out of date (rebuilt at the next open; read from the definitions meanwhile).
  const v = version ?? (await tablesState(db)).wanted;
  await rebuild(db, list);
  await noteState(db.session, `${v}|${h}`);
}

/** Note in budget_meta which facts version and SQL the materialized tables reflect ('<version>|<hash>'). */
async function noteState(s: Session, state: string): Promise<void> {
  await s.run(
    `INSERT INTO budget_meta VALUES ('best_state', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [state],
  );
}

/** The materialized tables (`_best_*`, then `_view_*`), in the order they are built. */
export function materializedTables(db: Database): Promise<string[]> {
  return materializedNames(db, ['best', 'view']);
}

/** Inside a load's transaction: the facts changed, so the `_best_*` tables are out of date until refreshed. */
export async function bumpFactsVersion(s: Session): Promise<void> {
  await s.exec(
    `INSERT INTO budget_meta VALUES ('facts_version', '1') ON CONFLICT (key) DO UPDATE SET value = (budget_meta.value::BIGINT + 1)::VARCHAR`,
  );
}
