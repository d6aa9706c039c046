/**
 * docs/views.md, generated from the header comments of sql/*.sql.
 * `npx tsx test/views-doc.ts --write` rewrites it; test/views-doc.test.ts fails when it is out of date.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../engine/paths.ts';

export const SQL_DIR = join(projectRoot, 'sql');
export const DOC_PATH = join(projectRoot, 'docs', 'views.md');
export const REGENERATE = 'npx tsx test/views-doc.ts --write';

/** One `name  meaning` entry of a header's Columns: (or Macros:) list. */
export interface HeaderEntry {
  name: string;
  meaning: string;
}

/** The parsed header comment of one sql/ file. */
export interface SqlHeader {
  file: string;
  /** The view's name, or 'macros'. */
  name: string;
  summary: string;
  /** Labelled paragraphs in file order (Question, Inputs, Grain, Vintage …). */
  fields: { label: string; text: string }[];
  /** 'Columns' for a view, 'Macros' for the macro file. */
  listLabel: string;
  entries: HeaderEntry[];
  example: string;
  /** The statements' objects, e.g. [{kind: 'VIEW', name: 'spending_growth'}]. */
  objects: { kind: 'VIEW' | 'MACRO'; name: string }[];
}

export class HeaderError extends Error {}

/** Parse the leading `--` comment block of a sql/ file (see any file there for the layout). */
export function parseHeader(file: string, text: string): SqlHeader {
  const fail = (line: number, why: string) => new HeaderError(`sql/${file}:${line}: ${why}`);
  const lines = text.split('\n');
  const header: string[] = [];
  for (const l of lines) {
    if (!l.startsWith('--')) break;
    header.push(l.replace(/^-- ?/, ''));
  }
  const first = /^(\S+): (.+)$/.exec(header[0] ?? '');
  if (!first) throw fail(1, "the header's first line must be '-- name: what the view is'");
  const out: SqlHeader = {
    file,
    name: first[1] as string,
    summary: first[2] as string,
    fields: [],
    listLabel: '',
    entries: [],
    example: '',
    objects: statements(text).map((s, i) => {
      const m = /^CREATE OR REPLACE (VIEW|MACRO) ([A-Za-z_][A-Za-z0-9_]*)/.exec(s);
      if (!m) throw fail(0, `statement ${i + 1} must start 'CREATE OR REPLACE VIEW' or 'CREATE OR REPLACE MACRO'`);
      return { kind: m[1] as 'VIEW' | 'MACRO', name: m[2] as string };
    }),
  };
  let mode: 'field' | 'list' | 'example' | 'none' = 'none';
  const example: string[] = [];
  header.slice(1).forEach((l, i) => {
    const at = i + 2;
    if (l.trim() === '') return;
    const label = /^([A-Z][A-Za-z ]*):\s*(.*)$/.exec(l);
    if (label) {
      const [, name, rest] = label as unknown as [string, string, string];
      if (name === 'Columns' || name === 'Macros') {
        out.listLabel = name;
        mode = 'list';
      } else if (name === 'Example') mode = 'example';
      else {
        out.fields.push({ label: name, text: rest });
        mode = 'field';
      }
      return;
    }
    if (!l.startsWith('  ')) throw fail(at, `expected 'Label: text' or a line indented by two spaces, got '${l}'`);
    if (mode === 'list') {
      const e = /^ {2}(.+?) {2,}(.+)$/.exec(l);
      if (!e) throw fail(at, `a ${out.listLabel} entry is '  name  meaning' (two spaces between), got '${l}'`);
      out.entries.push({ name: e[1] as string, meaning: e[2] as string });
    } else if (mode === 'example') example.push(l.slice(2));
    else if (mode === 'field') {
      const f = out.fields[out.fields.length - 1] as { text: string };
      f.text += ' ' + l.trim();
    } else throw fail(at, 'an indented line outside a field');
  });
  out.example = example.join('\n');
  if (!out.listLabel || out.entries.length === 0) throw fail(0, 'the header needs a Columns: (or Macros:) list');
  if (!out.example) throw fail(0, 'the header needs an Example: query');
  return out;
}

/** The SQL statements of a file, comments removed, each trimmed. */
export function statements(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every sql/ file's header, in file-name order (the order the engine runs them). */
export function sqlHeaders(): SqlHeader[] {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => parseHeader(f, readFileSync(join(SQL_DIR, f), 'utf8')));
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
/** Identifiers (words with an underscore, with a call's arguments) as code, so Markdown keeps their underscores. */
const code = (s: string) => s.replace(/(?<![`\w])([A-Za-z_]\w*_\w*(?:\([^)]*\))?)/g, '`$1`');
/** A header's text as a Markdown sentence: capitalized unless it starts with an identifier. */
const sentence = (s: string) => code(/^[a-z][a-z]*\b(?!_)/.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : s);

function section(h: SqlHeader): string {
  const out = [`## \`${h.name}\``, '', sentence(h.summary), ''];
  for (const f of h.fields) out.push(`**${f.label}.** ${sentence(f.text)}`, '');
  const what = h.listLabel === 'Macros' ? 'macro' : 'column';
  out.push(`| ${what} | meaning |`, '| --- | --- |');
  for (const e of h.entries) out.push(`| \`${cell(e.name)}\` | ${cell(code(e.meaning))} |`);
  out.push('', 'Example:', '', '```sql', h.example, '```', '', `Source: \`sql/${h.file}\``, '');
  return out.join('\n');
}

/** The text of docs/views.md. */
export function renderViewsDoc(headers: SqlHeader[] = sqlHeaders()): string {
  const views = headers.filter((h) => h.listLabel === 'Columns' && !h.name.startsWith('_'));
  const macros = headers.filter((h) => h.listLabel === 'Macros');
  const helpers = headers.filter((h) => h.listLabel === 'Columns' && h.name.startsWith('_'));
  const toc = (hs: SqlHeader[]) => hs.map((h) => `- [\`${h.name}\`](#${h.name}): ${sentence(h.summary)}`);
  return [
    '# Analysis views and macros',
    '',
    `<!-- Generated from the header comments of sql/*.sql by \`${REGENERATE}\`; do not edit by hand. -->`,
    '',
    'The engine creates these views and macros in every database it opens (temporary ones where the database is',
    'opened read-only), so `budget query`, the HTTP API and the notebook all see them. Each comes from one file in',
    '`sql/`, run in file-name order; this page is generated from the files’ header comments, and',
    '`test/views-doc.test.ts` fails when the two disagree, runs every example below against the seed document and',
    'checks each view’s columns against its header.',
    '',
    'Rules shared by every view:',
    '',
    '- **Vintage.** For a fiscal year, the figure printed in that year’s own document (vintage = fiscal_year) wins;',
    '  otherwise the latest document’s figure (or a derived one) fills the gap; at equal vintage a printed figure',
    '  beats a derived one. The rule is written once, as the macro `vintage_priority`, and applied by the helper',
    '  views `_best_*`, one per fact view, which the analysis views read. Each is defined as `_best_*_source` and',
    '  materialized by the engine as the table `_best_*` after every load, so a query does not re-run the rule.',
    '- **Materialized.** Each analysis view’s rows are computed once per load too: the engine keeps the definition',
    '  below as `_view_<name>_source`, stores its rows in department, unit and year order as the table',
    '  `_view_<name>` after every load, and the view reads that table (a read-only database whose tables are out of',
    '  date reads the definitions instead).',
    '- **Codes.** The code is the key of a series; the latest name printed for a code is shown. Function codes',
    '  renumbered between editions are mapped by `datasets/classification/function-crosswalk.csv` (table',
    '  `code_crosswalk`, reloaded at every open).',
    '- **Numbers.** Money is DECIMAL(20,6) 万元, exact. `pct_change` and `share` are fractions (0.25 = 25%),',
    '  DOUBLE rounded to 4 decimals in the views; `prev_*` is the previous fiscal year’s value, NULL when unknown.',
    '- **Added columns** (allowed by the contract) come after the contract’s columns and say so.',
    '',
    'Views:',
    '',
    ...toc(views),
    '',
    'Macros and helper views:',
    '',
    ...toc([...macros, ...helpers]),
    '',
    ...[...views, ...macros, ...helpers].map(section),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = renderViewsDoc();
  if (process.argv.includes('--write')) {
    writeFileSync(DOC_PATH, text);
    process.stdout.write(`wrote ${DOC_PATH}\n`);
  } else {
    let current = '';
    try {
      current = readFileSync(DOC_PATH, 'utf8');
    } catch {
      // absent: out of date
    }
    if (current === text) process.stdout.write('docs/views.md is up to date\n');
    else {
      process.stdout.write(`docs/views.md is out of date: run ${REGENERATE}\n`);
      process.exitCode = 1;
    }
  }
}
