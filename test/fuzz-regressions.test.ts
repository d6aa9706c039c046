import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../engine/db/errors.ts';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { SEED } from './helpers.ts';

// Inputs that once crashed the parser (found by the fuzz run, or while writing it), kept as regression cases.
const seed = readFileSync(SEED, 'utf8');
const parse = (text: string | Uint8Array) =>
  parseBudgetText(typeof text === 'string' ? new TextEncoder().encode(text) : text, 'regression.txt');

describe('parser regressions', () => {
  it('a narrative procurement figure that is not a number is skipped, not a crash', () => {
    const doc = parse(seed.replace('货物采购预算 32.4 万元', '货物采购预算 99999999999999999999 万元'));
    expect(doc.findings.some((f) => f.check_id.startsWith('TEXT.proc.type'))).toBe(false);
    expect(doc.facts.get('procurement')?.some((r) => r['unit_level'] === 'department')).toBe(false);
  });

  it('a huge project count in the narrative is ignored', () => {
    const doc = parse(seed.replace('编报 14 个项目绩效目标', '编报 99999999999999999999 个项目绩效目标'));
    expect(doc.findings.some((f) => f.check_id.startsWith('TEXT.projects'))).toBe(false);
  });

  it('a function line of the narrative with an unreadable amount is skipped', () => {
    const doc = parse(seed.replace('1. 一般公共服务支出 3690 万元', '1. 一般公共服务支出 1e308 万元'));
    const rows = doc.facts.get('spending_by_function') ?? [];
    expect(
      rows.some((r) => r['unit'] === '深圳市龙岗区大数据中心' && r['fiscal_year'] === 2020 && r['func_code'] === '201'),
    ).toBe(false);
  });

  it('a file cut inside a multi-byte character loads what it has', () => {
    const bytes = readFileSync(SEED);
    const cut = bytes.indexOf(Buffer.from('表 8')) - 1; // just before a table marker…
    const inside = bytes.subarray(0, cut + 2); // …then two bytes into the next character
    const doc = parse(inside);
    expect(doc.findings.some((f) => f.check_id.startsWith('DOC.missing'))).toBe(true);
  });

  it('staff counts too large to be counts are not read', () => {
    const doc = parse(seed.replace('总编制数 48 人', '总编制数 99999999999999999999 人'));
    expect((doc.facts.get('unit_facts') ?? []).some((r) => r['fact'] === 'staff_authorized')).toBe(false);
  });

  it('GBK bytes are refused with the line they start on', () => {
    const bytes = new Uint8Array(readFileSync(SEED));
    bytes.set([0xb2, 0xbf, 0xc3, 0xc5], 200);
    expect(() => parse(bytes)).toThrow(InputError);
    expect(() => parse(bytes)).toThrow(/regression\.txt:\d+: not UTF-8/);
  });
});
