import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../engine/cli/main.ts';
import { Database } from '../engine/db/database.ts';
import { Engine } from '../engine/engine.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'bin', 'budget.mjs');
const SEED = path.join(root, 'datasets', '2021-longgang-zwfw-sjglj-budget.txt');
// `name` is a keyword in DuckDB's grammar: as a column alias it needs AS.
const SQL = `select 1702.89::DECIMAL(20,6) amt, 1152921504606846976::BIGINT big, '龙岗' AS name`;

let tmp: string;
let db: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-test-'));
  db = ':memory:';
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The `budget` command as users run it: node bin/budget.mjs …, stdout as bytes. */
function budget(args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'buffer', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** main(argv) in this process, with standard output and error captured. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const text = (c: unknown): string => (typeof c === 'string' ? c : Buffer.from(c as Uint8Array).toString('utf8'));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(((c: unknown) => {
    out.push(text(c));
    return true;
  }) as typeof process.stdout.write);
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(((c: unknown) => {
    err.push(text(c));
    return true;
  }) as typeof process.stderr.write);
  try {
    const code = await main(argv);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

function unscaledAt(words: Uint32Array, i: number): bigint {
  let v = 0n;
  for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(words[i * 4 + k] ?? 0);
  return BigInt.asIntN(128, v);
}

function checkArrow(t: Table): void {
  expect(t.numRows).toBe(1);
  expect(t.schema.fields.map((f) => f.name)).toEqual(['amt', 'big', 'name']);
  const amtType = t.schema.fields[0]?.type;
  expect(DataType.isDecimal(amtType)).toBe(true);
  if (!DataType.isDecimal(amtType)) return;
  expect(amtType.scale).toBe(6);
  expect(amtType.precision).toBe(20);
  const amt = t.getChild('amt');
  const words = amt?.data[0]?.values as Uint32Array;
  expect(unscaledAt(words, 0)).toBe(1702890000n);
  const bigType = t.schema.fields[1]?.type;
  expect(DataType.isInt(bigType) && bigType.bitWidth === 64 && bigType.isSigned).toBe(true);
  expect(t.getChild('big')?.get(0)).toBe(1152921504606846976n);
  expect(t.getChild('name')?.get(0)).toBe('龙岗');
}

function oneLine(s: string): string {
  const lines = s.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0] ?? '';
}

describe('budget query --format arrow', () => {
  it('--out FILE: Decimal(20,6) exact, Int64 exact, UTF-8 text', () => {
    const out = path.join(tmp, 'x.arrow');
    const r = budget(['query', SQL, '--format', 'arrow', '--db', db, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(0);
    checkArrow(tableFromIPC(fs.readFileSync(out)));
  });

  it('to standard output as bytes', () => {
    const r = budget(['query', SQL, '--format', 'arrow', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    checkArrow(tableFromIPC(new Uint8Array(r.stdout)));
  });
});

describe('budget query --format parquet', () => {
  it('keeps DECIMAL(20,6) and the exact value', async () => {
    const out = path.join(tmp, 'x.parquet');
    const r = budget(['query', SQL, '--format', 'parquet', '--db', db, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const d = await Database.open(':memory:');
    try {
      const cols = await d.all(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))`, [out]);
      expect(cols).toEqual([
        { column_name: 'amt', column_type: 'DECIMAL(20,6)' },
        { column_name: 'big', column_type: 'BIGINT' },
        { column_name: 'name', column_type: 'VARCHAR' },
      ]);
      const rows = await d.all(
        `SELECT amt, amt::VARCHAR AS text, amt = 1702.89 AS exact, big, name FROM read_parquet(?)`,
        [out],
      );
      expect(rows).toEqual([
        { amt: '1702.89', text: '1702.890000', exact: true, big: 1152921504606846976n, name: '龙岗' },
      ]);
    } finally {
      d.close();
    }
  });

  it('needs --out', async () => {
    const r = await run(['query', SQL, '--format', 'parquet', '--db', db]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe('budget query: --format parquet needs --out FILE');
  });
});

describe('budget query text formats print DECIMAL exactly', () => {
  it('--format csv has a header row and exact figures', async () => {
    const r = budget(['query', SQL, '--format', 'csv', '--db', db]);
    expect(r.status).toBe(0);
    expect(r.stdout.toString('utf8')).toBe('amt,big,name\n1702.89,1152921504606846976,龙岗\n');
    const sums = await run([
      'query',
      `select 0.1::DECIMAL(20,6) + 0.2::DECIMAL(20,6) AS s, 1702.89::DECIMAL(20,6) * 3 AS t, (-0.5)::DECIMAL(20,6) AS n, 7920::DECIMAL(20,6) AS w`,
      '--format',
      'csv',
      '--db',
      db,
    ]);
    expect(sums.code).toBe(0);
    expect(sums.out).toBe('s,t,n,w\n0.3,5108.67,-0.5,7920\n');
  });

  it('--format json is an array of row objects with exact number literals', () => {
    const r = budget(['query', SQL, '--format', 'json', '--db', db]);
    expect(r.status).toBe(0);
    const text = r.stdout.toString('utf8');
    expect(text).toContain('"amt":1702.89');
    expect(text).not.toContain('1702.8899');
    expect(text).not.toContain('"1702.89"');
    expect(text).toContain('"big":1152921504606846976');
    const parsed = JSON.parse(text) as Record<string, unknown>[];
    expect(Array.isArray(parsed)).toBe(true);
    expect(parsed).toHaveLength(1);
    expect(Object.keys(parsed[0] ?? {})).toEqual(['amt', 'big', 'name']);
    expect(parsed[0]?.['amt']).toBe(1702.89);
    expect(parsed[0]?.['name']).toBe('龙岗');
  });

  it('--format json of no rows is an empty array', async () => {
    const r = await run(['query', `select 1.5::DECIMAL(20,6) AS a where false`, '--format', 'json', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it('the default table format aligns and prints exact figures', async () => {
    const r = await run(['query', SQL, '--db', db]);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]?.trim().split(/\s+/)).toEqual(['amt', 'big', 'name']);
    expect(lines[2]?.trim().split(/\s+/)).toEqual(['1702.89', '1152921504606846976', '龙岗']);
    expect(lines[2]).toBe('1702.89  1152921504606846976  龙岗');
    expect(lines.at(-1)).toBe('(1 row)');
  });
});

describe('errors are one clear line and a non-zero exit', () => {
  it('unknown command', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.err)).toBe(`budget: unknown command 'frobnicate' (try budget --help)`);
    expect(r.out).toBe('');
  });

  it('unknown command, through the bin', () => {
    const r = budget(['frobnicate']);
    expect(r.status).not.toBe(0);
    expect(oneLine(r.stderr)).toContain(`unknown command 'frobnicate'`);
  });

  it('ingest into a database another process has open says what to do', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-lock-'));
    const db = path.join(dir, 'held.duckdb');
    (await Engine.open({ db })).close();
    // This process holds the file read-only, as a running `budget serve` does; the bin is another process.
    const held = await Database.open(db, { readOnly: true });
    try {
      const r = budget(['ingest', path.join(root, 'datasets', '2021-longgang-zwfw-sjglj-budget.txt'), '--db', db]);
      expect(r.status).toBe(1);
      const line = oneLine(r.stderr);
      expect(line).toContain(`budget ingest: cannot open database ${db}: IO Error: Could not set lock on file`);
      expect(line).toContain(
        'another process has this database open (a running `budget serve` or `budget ingest`?): stop it or let it finish, then try again',
      );
    } finally {
      held.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unknown option', async () => {
    const r = await run(['query', 'select 1', '--bogus']);
    expect(r.code).not.toBe(0);
    expect(oneLine(r.err)).toContain('--bogus');
  });

  it('bad SQL carries the DuckDB message and where it points', async () => {
    const r = await run(['query', 'selec 1', '--db', db]);
    expect(r.code).toBe(1);
    const line = oneLine(r.err);
    expect(line).toMatch(/^budget query: /);
    expect(line).toContain('Parser Error');
    expect(line).toContain('"selec"');
    expect(line).toContain('(at character 1)');
  });

  // Regression (was a bug, fixed): Binder and Catalog errors come out on two lines. DuckDB's message for them has a second line
  // ("Candidate bindings: …" / "Did you mean …?"); QueryError.from keeps it (firstParagraph in
  // engine/db/errors.ts line 44 only cuts at "\n\nLINE "), and describe() in engine/cli/main.ts line 126-128
  // prints a QueryError's whole message, then appends "(at character N)" after the second line.
  // main()'s own contract: "Errors are one clear line on stderr".
  it('a binder error is one line naming the missing column', async () => {
    const r = await run(['query', 'select nope from range(3)', '--db', db]);
    expect(r.code).toBe(1);
    const line = oneLine(r.err);
    expect(line).toContain('Binder Error');
    expect(line).toContain('"nope"');
  });

  // Regression (was a bug, fixed): same cause as above (describe() in engine/cli/main.ts line 128 prints the multi-line DuckDB message).
  it('a catalog error is one line naming the missing table', async () => {
    const r = await run(['query', 'select * from no_such_table', '--db', db]);
    expect(r.code).toBe(1);
    const line = oneLine(r.err);
    expect(line).toContain('Catalog Error');
    expect(line).toContain('no_such_table');
  });

  it('unknown --format', async () => {
    const r = await run(['query', 'select 1', '--format', 'xml', '--db', db]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(`budget query: unknown format 'xml': table, csv, json, arrow or parquet`);
  });

  it('a --db that does not exist is refused, not opened as an empty database (a typo returns no empty result)', async () => {
    const missing = path.join(tmp, 'no-such.duckdb');
    const r = await run(['query', 'select count(*) from documents', '--db', missing]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`no database at ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('ingest of a missing file', async () => {
    const missing = path.join(tmp, 'no-such-file.csv');
    const r = await run(['ingest', missing, '--db', path.join(tmp, 'ingest.duckdb')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(`budget ingest: ${missing}: no such file`);
  });

  it('ingest with no file', async () => {
    const r = await run(['ingest', '--db', path.join(tmp, 'ingest.duckdb')]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toContain('name at least one file');
  });

  it('check of a missing database', async () => {
    const missing = path.join(tmp, 'none.duckdb');
    const r = await run(['check', '--db', missing]);
    expect(r.code).toBe(1);
    expect(oneLine(r.err)).toBe(`budget check: no database at ${missing}: run budget ingest first`);
    expect(fs.existsSync(missing)).toBe(false);
  });
});

describe('--help', () => {
  for (const cmd of ['ingest', 'query', 'check', 'export', 'serve', 'build-default']) {
    it(`budget ${cmd} --help exits 0 with a Usage line`, async () => {
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.err).toBe('');
      expect(r.out.split('\n')[0]).toMatch(new RegExp(`^Usage: budget ${cmd}( |$)`));
    });
  }

  it('budget --help lists the commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: budget <command> [options]');
    for (const cmd of ['ingest', 'query', 'check', 'export', 'serve', 'build-default']) expect(r.out).toContain(cmd);
  });

  it('budget help query is the query help', async () => {
    const r = await run(['help', 'query']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: budget query SQL/);
  });

  it('query --help through the bin', () => {
    const r = budget(['query', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout.toString('utf8')).toMatch(/^Usage: budget query /);
  });
});

describe('ingest, check and export on the bundled seed document', () => {
  let seedDb: string;
  beforeAll(async () => {
    seedDb = path.join(tmp, 'seed.duckdb');
  });

  it('ingest prints what was loaded and the reconciliation summary; twice changes nothing', async () => {
    const r = await run(['ingest', SEED, '--db', seedDb]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const e = await Engine.open({ db: seedDb, readOnly: true });
    let sev: Record<string, number>;
    let docId: string;
    try {
      const rows = await e.rows(`SELECT severity, count(*)::INTEGER AS n FROM reconciliation GROUP BY ALL`);
      sev = Object.fromEntries(rows.map((x) => [String(x['severity']), Number(x['n'])]));
      docId = String((await e.rows('SELECT doc_id FROM documents'))[0]?.['doc_id']);
    } finally {
      e.close();
    }
    const [line = '', tables, cover = '', ...perTable] = r.out.trimEnd().split('\n');
    // Then the coverage record: the document's line, and one line for each of its 15 tables.
    expect(cover).toMatch(
      /^coverage 深圳市龙岗区政务服务数据管理局 2021 .*: 15 tables recognized, \d+ read, 0 not recognized; /,
    );
    expect(perTable).toHaveLength(15);
    expect(perTable[0]).toMatch(/^ {2}表1 收支总表 \(line \d+\): summary, 万元: \d+ rows, \d+ of \d+ amounts used$/);
    // The first load of a database: the materialized tables are built whole.
    expect(tables).toMatch(
      /^materialized tables: rebuilt in \d+\.\d s \(documents of 1 of 1 departments \(a patch is for at most 50%\)\)$/,
    );
    expect(line).toContain(`${SEED}: loaded as ${docId}`);
    expect(line).toContain(
      `reconciliation: ${sev['error'] ?? 0} error, ${sev['warning'] ?? 0} warning, ${sev['info'] ?? 0} info`,
    );
    expect(line).toMatch(/sangong \d+/);

    const again = await run(['ingest', SEED, '--db', seedDb]);
    expect(again.code).toBe(0);
    expect(oneLine(again.out)).toBe(`${SEED}: already loaded, nothing changed`);
  });

  it('check exits 1 on the seed (it has error findings) and prints a count summary', async () => {
    const e = await Engine.open({ db: seedDb, readOnly: true });
    let sev: Record<string, number>;
    let total: number;
    try {
      const rows = await e.rows(`SELECT severity, count(*)::INTEGER AS n FROM reconciliation GROUP BY ALL`);
      sev = Object.fromEntries(rows.map((x) => [String(x['severity']), Number(x['n'])]));
      total = rows.reduce((a, x) => a + Number(x['n']), 0);
    } finally {
      e.close();
    }
    expect(sev['error']).toBeGreaterThan(0);

    const r = budget(['check', '--db', seedDb]);
    expect(r.status).toBe(1);
    const lines = r.stdout.toString('utf8').trimEnd().split('\n');
    expect(lines.at(-1)).toBe(
      `${total} checks: ${sev['error'] ?? 0} error, ${sev['warning'] ?? 0} warning, ${sev['info'] ?? 0} info`,
    );
    // one line per non-info finding, errors first
    expect(lines.filter((l) => l.startsWith('ERROR '))).toHaveLength(sev['error'] ?? 0);
    expect(lines.filter((l) => l.startsWith('WARNING '))).toHaveLength(sev['warning'] ?? 0);
    expect(lines.filter((l) => l.startsWith('INFO '))).toHaveLength(0);
    expect(lines[0]).toMatch(/^ERROR /);
    expect(lines[0]).toContain('深圳市龙岗区政务服务数据管理局 2021');

    // the coverage record of the document: its line, and (with --all) a line per table
    const cover = lines.filter((l) => l.startsWith('coverage '));
    expect(cover).toHaveLength(1);
    expect(cover[0]).toMatch(
      /^coverage 深圳市龙岗区政务服务数据管理局 2021 \(2021-longgang-zwfw-sjglj-budget.txt\): 15 tables recognized, /,
    );

    const all = await run(['check', '--db', seedDb, '--all']);
    expect(all.code).toBe(1);
    const allLines = all.out.trimEnd().split('\n');
    expect(allLines.filter((l) => /^(ERROR|WARNING|INFO) /.test(l))).toHaveLength(total);
    expect(allLines.filter((l) => /^ {2}表\d+ /.test(l))).toHaveLength(15);
  });

  it('export writes every view; budget ingest DIR loads it back', async () => {
    const out = path.join(tmp, 'export');
    const r = await run(['export', '--out', out, '--db', seedDb]);
    expect(r.code).toBe(0);
    expect(oneLine(r.out)).toBe(`wrote 12 views under ${out}`);
    expect(fs.existsSync(path.join(out, 'coverage.parquet'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'documents.parquet'))).toBe(true);
    const back = path.join(tmp, 'back.duckdb');
    const ing = await run(['ingest', out, '--db', back]);
    expect(ing.err).toBe('');
    expect(ing.code).toBe(0);
    const sql = 'select sum(amount) AS s, count(*) AS n from sangong';
    const q = await run(['query', sql, '--format', 'csv', '--db', back]);
    const orig = await run(['query', sql, '--format', 'csv', '--db', seedDb]);
    expect(q.code).toBe(0);
    expect(q.out).toBe(orig.out);
    expect(q.out).toMatch(/^s,n\n\d+(\.\d+)?,[1-9]\d*\n$/);
  });
});
