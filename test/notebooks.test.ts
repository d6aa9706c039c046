import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { projectRoot } from '../engine/paths.ts';
import { composeSql } from '../web/src/lib/compose.ts';
import { parseNotebook, serializeNotebook } from '../web/src/lib/notebook-format.ts';
import { seededEngine } from './helpers.ts';

const DIR = join(projectRoot, 'notebooks');
const files = readdirSync(DIR).filter((f) => f.endsWith('.md'));

describe('the example notebooks work on the bundled data', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await seededEngine();
  });
  afterAll(() => e.close());

  it('there is one per analysis view, and a few more', () => {
    const text = files.map((f) => readFileSync(join(DIR, f), 'utf8')).join('\n');
    for (const view of [
      'spending_growth',
      'department_totals',
      'composition',
      'sangong_trend',
      'procurement_mix',
      'project_trend',
    ])
      expect(text, view).toContain(`from ${view}`);
  });

  for (const file of files) {
    it(`${file}: round-trips as a file, and every query cell returns rows`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const cells = parseNotebook(text);
      expect(serializeNotebook(cells)).toBe(text);
      const queries = cells.filter((c) => c.kind === 'sql');
      expect(queries.length).toBeGreaterThan(0);
      for (const cell of queries) {
        const composed = composeSql(cells, cell);
        if ('error' in composed) throw new Error(`${file} ${cell.name}: ${composed.error}`);
        // Cells bound to input parameters are run by the browser tests with their inputs.
        if (/\$[a-z_]/i.test(composed.sql)) continue;
        const rows = await e.rows(composed.sql);
        expect(rows.length, `${file} ${cell.name}`).toBeGreaterThan(0);
      }
    });
  }
});
