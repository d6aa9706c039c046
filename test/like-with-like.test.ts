import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { SEED } from './helpers.ts';

const ROW = '深圳市龙岗区政务服务数据管理局\t7,920\t7,920\t7,920\t7,920\t7,920\t0\t0\t0\t0';

describe('the 15-table layout compares like with like', () => {
  it('the bundled document (all 一般公共预算): 表3 and 表1 are checked against 表7 as before', () => {
    const p = parseBudgetText(readFileSync(SEED), SEED);
    expect(p.findings.some((f) => f.check_id.startsWith('T7.vs.T3') && f.expected !== null)).toBe(true);
    expect(p.findings.some((f) => f.check_id.startsWith('表1.vs.T7') && f.expected !== null)).toBe(true);
    expect(p.findings.some((f) => f.check_id.startsWith('DOC.functions'))).toBe(false);
  });

  it('a department with 政府性基金 money: 表3 (every source) is not held against 表7 (一般公共预算), and says so', () => {
    const text = readFileSync(SEED, 'utf8');
    expect(text).toContain(ROW);
    // 表2: 收入总计 8,000 of which 80 政府性基金 (the 8th amount column).
    const cells = ROW.split('\t');
    cells[1] = '8,000';
    cells[8] = '80';
    const p = parseBudgetText(Buffer.from(text.replace(ROW, cells.join('\t'))), 'fund.txt');
    const dept = p.findings.filter(
      (f) => f.scope === '表3 深圳市龙岗区政务服务数据管理局' || f.scope.startsWith('表1 '),
    );
    expect(dept.filter((f) => f.check_id.startsWith('T7.vs.T3') || f.check_id.startsWith('表1.vs.T7'))).not.toEqual([]);
    for (const f of dept.filter((x) => /vs\.T7|T7\.vs/.test(x.check_id))) {
      expect(f.severity).toBe('info');
      expect(f.message).toMatch(/not compared: .*表7 一般公共预算 only/);
    }
    const w = p.findings.find((f) => f.check_id.startsWith('DOC.functions'));
    expect(w?.severity).toBe('warning');
  });
});
