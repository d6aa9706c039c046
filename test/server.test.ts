import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { Database } from '../engine/db/database.ts';
import { startServer } from '../engine/server/serve.ts';
import { post, seededServer } from './server-helpers.ts';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';

type Server = Awaited<ReturnType<typeof seededServer>>;

const TOTAL_2021 = `select sum(amount) from budget_totals where measure = 'spending_total' and fiscal_year = 2021 and unit_level = 'department'`;

describe('HTTP API (CONTRACT.md §3)', () => {
  let s: Server;
  beforeAll(async () => {
    s = await seededServer();
  });
  afterAll(() => s.cleanup());

  it('POST /api/query answers with an Arrow stream holding 7920', async () => {
    const res = await post(`${s.url}/api/query`, { sql: TOTAL_2021 });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const f = t.schema.fields[0];
    expect(String(f?.type)).toMatch(/^Decimal\[\d+e\+6\]$/);
    expect(String(t.getChildAt(0)?.get(0))).toBe('7920000000'); // unscaled, scale 6
  });

  it('binds prepared-statement parameters', async () => {
    const res = await post(`${s.url}/api/query`, {
      sql: 'select amount::VARCHAR a from budget_totals where measure = ? and fiscal_year = ? and unit_level = ?',
      params: ['spending_total', 2020, 'department'],
      format: 'json',
    });
    expect(await res.json()).toEqual([{ a: '6928.000000' }]);
  });

  it('a bad query is a 400 with the DuckDB message and its position', async () => {
    const res = await post(`${s.url}/api/query`, { sql: 'select nosuch from budget_totals' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; position: number } };
    expect(body.error.message).toContain('Binder Error');
    expect(body.error.position).toBe(7);
  });

  it('json and csv formats keep decimals exact; csv starts with a BOM', async () => {
    const json = await post(`${s.url}/api/query`, {
      sql: `select amount from budget_totals where measure = 'procurement_total' and unit_level = 'department'`,
      format: 'json',
    });
    expect(await json.text()).toBe('[\n{"amount":2129.08}\n]\n');
    const csv = await post(`${s.url}/api/query`, {
      sql: `select 1702.89::DECIMAL(20,6) amt, '龙岗' AS name`,
      format: 'csv',
    });
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('amt,name\n1702.89,龙岗\n');
  });

  it('xlsx: the first sheet holds numbers as numbers; a second sheet holds the SQL and the sources', async () => {
    const res = await post(`${s.url}/api/query`, {
      sql: `select unit, amount from budget_totals where measure = 'spending_total' and fiscal_year = 2021 order by amount desc`,
      format: 'xlsx',
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.worksheets[0];
    expect(sheet?.getRow(2).getCell(2).value).toBe(7920);
    expect(sheet?.getRow(2).getCell(1).value).toBe('深圳市龙岗区政务服务数据管理局');
    expect(String(wb.worksheets[1]?.getRow(1).getCell(2).value)).toContain('select unit, amount');
  });

  it('parquet keeps DECIMAL', async () => {
    const res = await post(`${s.url}/api/query`, { sql: `select 1702.89::DECIMAL(20,6) amt`, format: 'parquet' });
    expect(res.status).toBe(200);
    const file = join(s.dir, 'r.parquet');
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()));
    const db = await Database.open();
    expect(await db.all(`select typeof(amt) t, amt from read_parquet(?)`, [file])).toEqual([
      { t: 'DECIMAL(20,6)', amt: '1702.89' },
    ]);
    db.close();
  });

  it('GET /api/schema lists views with columns, types and the contract meaning', async () => {
    const body = (await (await fetch(`${s.url}/api/schema`)).json()) as {
      views: { name: string; description: string; columns: { name: string; type: string }[] }[];
      functions: string[];
    };
    const sangong = body.views.find((v) => v.name === 'sangong');
    expect(sangong?.description).toContain('三公');
    expect(sangong?.columns.find((c) => c.name === 'amount')?.type).toBe('DECIMAL(20,6)');
    expect(body.functions).toContain('sum');
  });

  it('notebooks: PUT then GET round-trips; names cannot leave notebooks/', async () => {
    const text = '# 测试\n\n```sql q1\nselect 1\n```\n';
    expect((await fetch(`${s.url}/api/notebooks/测试 notebook`, { method: 'PUT', body: text })).status).toBe(200);
    expect(await (await fetch(`${s.url}/api/notebooks/测试 notebook`)).text()).toBe(text);
    const list = (await (await fetch(`${s.url}/api/notebooks`)).json()) as { notebooks: { name: string }[] };
    expect(list.notebooks.map((n) => n.name)).toContain('测试 notebook');
    for (const bad of ['..%2F..%2Fetc%2Fx', '%2Fetc%2Fpasswd', 'a%00b', '..']) {
      const res = await fetch(`${s.url}/api/notebooks/${bad}`, { method: 'PUT', body: 'x' });
      expect(res.status, bad).toBeGreaterThanOrEqual(400); // 400 for a bad name, 404 where the URL itself normalizes away
      expect(res.status, bad).toBeLessThan(500);
    }
    expect((await fetch(`${s.url}/api/notebooks/nosuch`)).status).toBe(404);
  });

  it('refuses, with a 4xx JSON error, whatever would change data or reach the machine', async () => {
    const before = await (
      await post(`${s.url}/api/query`, { sql: 'select count(*)::INTEGER n from sangong', format: 'json' })
    ).json();
    for (const sql of [
      "COPY documents TO '/tmp/x.csv'",
      "select * from read_csv('/etc/passwd')",
      "ATTACH '/tmp/y.duckdb'",
      'INSTALL httpfs',
      'LOAD httpfs',
      'SET enable_external_access = true',
      'DROP VIEW sangong',
      'DELETE FROM fact_sangong',
      'CREATE TABLE x AS SELECT 1',
      "select * from read_parquet('../../etc/*.parquet')",
    ]) {
      const res = await post(`${s.url}/api/query`, { sql });
      expect(res.status, sql).toBeGreaterThanOrEqual(400);
      expect(res.status, sql).toBeLessThan(500);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message.length, sql).toBeGreaterThan(0);
    }
    const after = await (
      await post(`${s.url}/api/query`, { sql: 'select count(*)::INTEGER n from sangong', format: 'json' })
    ).json();
    expect(after).toEqual(before);
    // Temporary views still work: researchers can name intermediate results.
    const tmp = await post(`${s.url}/api/query`, { sql: 'create temp view v as select 1 as one' });
    expect(tmp.status).toBe(200);
  });

  it('unknown routes and bad bodies are JSON errors, never stack traces', async () => {
    const r1 = await fetch(`${s.url}/api/nothing`);
    expect(r1.status).toBe(404);
    expect(((await r1.json()) as { error: { message: string } }).error.message).toContain('no route');
    const r2 = await fetch(`${s.url}/api/query`, { method: 'POST', body: '{not json' });
    expect(r2.status).toBe(400);
    const r3 = await post(`${s.url}/api/query`, { sql: 'select 1', format: 'pdf' });
    expect(r3.status).toBe(400);
  });
});

describe('limits', () => {
  it('a query over the time limit is interrupted and answered 408; the server goes on serving', async () => {
    const s = await seededServer({ timeoutMs: 400 });
    try {
      const t0 = Date.now();
      const res = await post(`${s.url}/api/query`, {
        sql: 'select sum(a.range * b.range) from range(300000) a, range(300000) b',
      });
      expect(res.status).toBe(408);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('0.4 s limit');
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(s.queries.active).toBe(0);
      expect((await post(`${s.url}/api/query`, { sql: 'select 42 as x', format: 'json' })).status).toBe(200);
    } finally {
      await s.cleanup();
    }
  });

  it('beyond the concurrency cap, a query waits for a slot; past the wait, a clear 429', async () => {
    const s = await seededServer({ maxConcurrent: 1, queueWaitMs: 400 });
    try {
      // Two quick queries at a cap of one: the second waits its turn, and both are answered.
      const both = await Promise.all([
        post(`${s.url}/api/query`, { sql: 'select 1 as x', format: 'json' }),
        post(`${s.url}/api/query`, { sql: 'select 2 as x', format: 'json' }),
      ]);
      expect(both.map((r) => r.status)).toEqual([200, 200]);
      const long = post(`${s.url}/api/query`, {
        sql: 'select sum(a.range * b.range) from range(300000) a, range(300000) b',
      });
      await expect.poll(() => s.queries.active).toBe(1);
      const t0 = Date.now();
      const res = await post(`${s.url}/api/query`, { sql: 'select 1' });
      expect(res.status).toBe(429);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(
        'too many queries running (1 of 1): waited 0.4 s for a slot',
      );
      s.server.closeAllConnections();
      await long.catch(() => undefined);
    } finally {
      await s.cleanup();
    }
  });
});

describe('access', () => {
  it('a non-loopback host without a token is refused at start', async () => {
    await expect(startServer({ db: '/nonexistent.duckdb', port: 0, host: '0.0.0.0' })).rejects.toThrow(/needs a token/);
  });

  it('without a token, a request whose Host is not this machine (DNS rebinding) gets 403', async () => {
    const s = await seededServer();
    try {
      const status = (host: string) =>
        new Promise<number>((ok, fail) => {
          const url = new URL(`${s.url}/api/schema`);
          request({ host: url.hostname, port: url.port, path: url.pathname, headers: { Host: host } }, (res) => {
            res.resume();
            ok(res.statusCode ?? 0);
          })
            .on('error', fail)
            .end();
        });
      expect(await status('attacker.example:5317')).toBe(403);
      expect(await status(`127.0.0.1:${new URL(s.url).port}`)).toBe(200);
      expect(await status(`localhost:${new URL(s.url).port}`)).toBe(200);
    } finally {
      await s.cleanup();
    }
  });

  it('with a token, a request without it gets 401 and one with it is served', async () => {
    const s = await seededServer({ token: 'secret-token-123' });
    try {
      expect((await post(`${s.url}/api/query`, { sql: 'select 1' })).status).toBe(401);
      expect((await fetch(`${s.url}/api/schema`)).status).toBe(401);
      expect(
        (await post(`${s.url}/api/query`, { sql: 'select 1' }, { Authorization: 'Bearer secret-token-123' })).status,
      ).toBe(200);
      expect((await fetch(`${s.url}/api/schema?token=secret-token-123`)).status).toBe(200);
    } finally {
      await s.cleanup();
    }
  });
});
