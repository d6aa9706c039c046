import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBudgetText } from '../engine/ingest/budget-text/index.ts';
import { SEED } from './helpers.ts';

describe('narrative changes', () => {
  it('"减少 X 万元，下降 P%" is a fall: the rate is compared as negative, and agrees', () => {
    const seed = readFileSync(SEED, 'utf8').replace(
      '部门预算支出7920万元（详见表三），比2020年增加992万元，增长14%',
      '部门预算支出7920万元（详见表三），比2020年减少992万元，下降11%',
    );
    const doc = parseBudgetText(new TextEncoder().encode(seed), 'fall.txt');
    const spending2020 = doc.facts
      .get('budget_totals')
      ?.find((r) => r['measure'] === 'spending_total' && r['fiscal_year'] === 2020);
    expect(spending2020?.['amount']).toBe(8912_000000n); // 7920 + 992
    const growth = doc.findings.find((f) => f.scope.endsWith('spending_total') && f.check_id.startsWith('TEXT.growth'));
    expect(growth?.severity).toBe('info');
    expect(growth?.message).toContain('printed -11%, computed -11.13%');
  });

  it('a file named synthetic-… is labelled synthetic in its title', () => {
    const doc = parseBudgetText(readFileSync(SEED), 'synthetic-d0001-2021.txt');
    expect(doc.doc.synthetic).toBe(true);
    expect(doc.doc.title.startsWith('[synthetic] ')).toBe(true);
  });
});
