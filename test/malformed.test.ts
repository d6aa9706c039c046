import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, InputError } from '../engine/engine.ts';
import { SEED, tempDir } from './helpers.ts';

const seedText = readFileSync(SEED, 'utf8');

/** Row counts of every table a load writes to: "the database is left as it was" means these do not move. */
async function counts(e: Engine): Promise<Record<string, unknown>> {
  const [r] = await e.rows(`SELECT
    (SELECT count(*) FROM documents)::INTEGER AS documents,
    (SELECT count(*) FROM spending_by_function)::INTEGER AS func,
    (SELECT count(*) FROM sangong)::INTEGER AS sangong,
    (SELECT count(*) FROM reconciliation)::INTEGER AS recon,
    (SELECT count(*) FROM ingested_files)::INTEGER AS files`);
  return r as Record<string, unknown>;
}

describe('malformed documents are refused with file, line and reason; nothing is loaded', () => {
  const tmp = tempDir();
  let e: Engine;
  let before: Record<string, unknown>;
  beforeAll(async () => {
    e = await Engine.open({ db: join(tmp.dir, 'm.duckdb') });
    await e.ingest([SEED]);
    before = await counts(e);
  });
  afterAll(() => {
    e.close();
    tmp.cleanup();
  });

  async function refused(name: string, content: string | Uint8Array): Promise<InputError> {
    const path = join(tmp.dir, name);
    writeFileSync(path, content);
    const err = await e.ingest([path]).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(err).toBeInstanceOf(InputError);
    expect(await counts(e)).toEqual(before);
    return err as InputError;
  }

  it('an amount like 7,9x0 in 表1', async () => {
    const lines = seedText.split('\n');
    const at = lines.findIndex((l) => l.startsWith('本年收入合计\t7,920'));
    lines[at] = (lines[at] as string).replace('7,920', '7,9x0');
    const err = await refused('bad-amount.txt', lines.join('\n'));
    expect(err.line).toBe(at + 1);
    expect(err.message).toContain(`bad-amount.txt:${at + 1}`);
    expect(err.message).toContain("amount '7,9x0' is not a number");
  });

  it('an empty file', async () => {
    expect((await refused('empty.txt', '')).message).toMatch(/empty\.txt: empty file/);
  });

  it('binary garbage', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    expect((await refused('garbage.txt', bytes)).message).toMatch(/garbage\.txt:\d+: binary data/);
  });

  it('GBK bytes instead of UTF-8', async () => {
    // "部门预算" in GBK: b2 bf c3 c5 d4 a4 cb e3
    const gbk = new Uint8Array([0x32, 0x30, 0x32, 0x31, 0x0a, 0xb2, 0xbf, 0xc3, 0xc5, 0xd4, 0xa4, 0xcb, 0xe3, 0x0a]);
    const err = await refused('gbk.txt', gbk);
    expect(err.message).toContain('not UTF-8');
  });

  it('prose with no tables', async () => {
    const prose = seedText.slice(0, seedText.indexOf('表 1\n'));
    expect((await refused('prose.txt', prose)).message).toContain('no budget tables found');
  });

  it('a document cut short loads what it has, with findings naming the missing tables', async () => {
    const path = join(tmp.dir, 'cut.txt');
    // Another department's name, so that it is a document of its own, cut after 表7.
    writeFileSync(path, seedText.slice(0, seedText.indexOf('表 8\n')).replaceAll('政务服务数据管理局', '测试局'));
    const [r] = await e.ingest([path]);
    expect(r?.status).toBe('loaded');
    const [f] = await e.rows(
      `SELECT severity, message FROM reconciliation WHERE doc_id = ? AND check_id LIKE 'DOC.missing%'`,
      [r?.doc_id ?? ''],
    );
    expect(f?.['severity']).toBe('warning');
    expect(String(f?.['message'])).toContain('表8 政府性基金预算支出表');
    expect(String(f?.['message'])).toContain('表15 部门预算项目绩效目标表');
    expect(
      await e.rows(
        `SELECT total FROM spending_by_function WHERE doc_id = ? AND unit = '深圳市龙岗区测试局' AND func_code = '201' AND fiscal_year = 2021`,
        [r?.doc_id ?? ''],
      ),
    ).toEqual([{ total: '7128' }]);
  });

  it('the same file twice changes nothing', async () => {
    const mid = await counts(e);
    const [r] = await e.ingest([SEED]);
    expect(r?.status).toBe('unchanged');
    expect(await counts(e)).toEqual(mid);
  });
});
