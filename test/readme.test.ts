import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDefault } from '../engine/cli/main.ts';
import { Engine } from '../engine/engine.ts';
import { cellRows, cellText } from '../engine/output/text.ts';
import { projectRoot } from '../engine/paths.ts';
import { tempDir } from './helpers.ts';

/**
 * The README's worked example is true: each ```sql block of the section "A worked example" runs as written on the
 * default database (built as `budget build-default` builds it, from datasets/), and gives the table printed under
 * it, cell for cell as `budget query` prints it. The `budget check` line quoted there is one the database prints.
 */

interface Example {
  sql: string;
  header: string[];
  rows: string[][];
}

/** The text of the README's section whose heading starts with `title`, up to the next heading of its level. */
function section(markdown: string, title: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${title}`));
  if (start < 0) throw new Error(`README.md has no section '## ${title}'`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The cells of a Markdown table row: `| a | b\|c |` → ['a', 'b|c']. */
function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'));
}

/** Each ```sql block of the text with the first Markdown table after it (before the next fenced block). */
function examples(text: string): Example[] {
  const found: Example[] = [];
  const block = /^```sql\n([\s\S]*?)^```$/gm;
  for (let m = block.exec(text); m; m = block.exec(text)) {
    const after = text.slice(m.index + m[0].length);
    const rest = after.split(/^```/m)[0] ?? '';
    const table = rest.split('\n').filter((l) => l.trim().startsWith('|'));
    const [head, rule, ...body] = table;
    if (!head || !rule || !/^\|?[\s:|-]+\|?$/.test(rule.trim()))
      throw new Error(`no answer table under the SQL:\n${m[1]}`);
    found.push({ sql: m[1] ?? '', header: cells(head), rows: body.map(cells) });
  }
  return found;
}

const README = readFileSync(join(projectRoot, 'README.md'), 'utf8');
const WORKED = section(README, 'A worked example');
const EXAMPLES = examples(WORKED);

describe("the README's worked example, on the default database", () => {
  const tmp = tempDir();
  let engine: Engine;

  beforeAll(async () => {
    const db = join(tmp.dir, 'budget.duckdb');
    // build-default prints a line per document; the test keeps quiet.
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await buildDefault(db)).toBe(0);
    } finally {
      write.mockRestore();
    }
    engine = await Engine.open({ db, readOnly: true });
  }, 240_000);

  afterAll(() => {
    engine?.close();
    tmp.cleanup();
  });

  it('has a question in SQL with its answer table, and the first one is the peer ranking', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
    expect(EXAMPLES[0]?.sql).toMatch(/peer_compare/);
    for (const e of EXAMPLES) expect(e.rows.length).toBeGreaterThan(0);
  });

  EXAMPLES.forEach((example, i) => {
    it(`SQL block ${i + 1} gives the table printed under it`, async () => {
      const result = await engine.query(example.sql);
      expect(result.columns.map((c) => c.name)).toEqual(example.header);
      const got: string[][] = [];
      for await (const row of cellRows(result)) got.push(row.map(cellText));
      expect(got).toEqual(example.rows);
    });
  });

  it('quotes a line that budget check prints, as it prints it', async () => {
    const quoted = /^```text\n([\s\S]*?)^```$/m.exec(WORKED)?.[1]?.trim() ?? '';
    const m = /^(ERROR|WARNING|INFO)\s+(\S+) (\d{4}) \[([^\]]+)\] lines (\S+): (.*)$/.exec(quoted);
    expect(m, `not a budget check line: ${quoted}`).not.toBeNull();
    const [, severity, department, year, checkId, lines, message] = m as RegExpExecArray;
    const findings = (await engine.findings()).filter((f) => f['check_id'] === checkId);
    expect(
      findings.map((f) => ({
        severity: String(f['severity']).toUpperCase(),
        department: f['department'],
        year: String(f['doc_year']),
        lines: f['source_lines'],
        message: f['message'],
      })),
    ).toContainEqual({ severity, department, year, lines, message });
  });
});
