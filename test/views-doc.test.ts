import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { seededEngine } from './helpers.ts';
import { DOC_PATH, parseHeader, REGENERATE, renderViewsDoc, sqlHeaders } from './views-doc.ts';

// docs/views.md is generated from the header comments of sql/*.sql; the headers are checked against the views.
describe('docs/views.md and the sql/ headers', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e.close());

  it('docs/views.md is up to date with the sql/ headers', () => {
    let current = '';
    try {
      current = readFileSync(DOC_PATH, 'utf8');
    } catch {
      // absent: reported below
    }
    expect(current === renderViewsDoc(), `docs/views.md is out of date with sql/*.sql: run ${REGENERATE}`).toBe(true);
  });

  it('every file states what it answers, its inputs and the vintage rule; every view its grain', () => {
    for (const h of sqlHeaders()) {
      const labels = h.fields.map((f) => f.label);
      for (const need of ['Question', 'Inputs', 'Vintage']) expect(labels, `sql/${h.file}`).toContain(need);
      if (h.listLabel === 'Columns') expect(labels, `sql/${h.file}`).toContain('Grain');
      // A helper view `_best_x_source` is materialized as the table `_best_x`, the name its header gives.
      if (h.listLabel === 'Columns')
        expect(
          h.objects.map((o) => ({ ...o, name: o.name.replace(/_source$/, '') })),
          `sql/${h.file}`,
        ).toEqual([{ kind: 'VIEW', name: h.name }]);
    }
  });

  it("each view's header lists its columns, in order", async () => {
    for (const h of sqlHeaders().filter((x) => x.listLabel === 'Columns')) {
      const cols = await e.rows(`SELECT column_name AS c FROM (DESCRIBE ${h.name})`);
      expect(
        h.entries.map((c) => c.name),
        `sql/${h.file}`,
      ).toEqual(cols.map((c) => c['c']));
    }
  });

  it('the macro header lists the macros the file creates', () => {
    const [macros] = sqlHeaders().filter((x) => x.listLabel === 'Macros');
    expect(macros?.entries.map((m) => m.name.replace(/\(.*$/, ''))).toEqual(macros?.objects.map((o) => o.name));
  });

  it('every example query runs on the seed document and returns rows (or says what it needs that the seed lacks)', async () => {
    for (const h of sqlHeaders()) {
      const rows = await e.rows(h.example);
      // A view over stages the seed does not have (execution needs a 决算) declares it in a 'Needs:' field.
      if (h.fields.some((f) => f.label === 'Needs')) continue;
      expect(rows.length, `example of sql/${h.file}`).toBeGreaterThan(0);
    }
  });

  it('a malformed header is reported with its file and line', () => {
    expect(() => parseHeader('x.sql', '-- x: a view\n--\n-- Columns:\n--   a_column_without_meaning\n')).toThrow(
      'sql/x.sql:4:',
    );
    expect(() =>
      parseHeader('y.sql', '-- y: a view\n-- Columns:\n--   a  b\n-- Example:\n--   SELECT 1\nSELECT 1;\n'),
    ).toThrow("statement 1 must start 'CREATE OR REPLACE VIEW' or 'CREATE OR REPLACE MACRO'");
  });
});
