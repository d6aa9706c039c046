import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { projectRoot } from '../paths.ts';

export interface Code {
  code: string;
  name: string;
  level: number;
  parent_code: string | null;
}

/** The code lists shipped in datasets/classification, read once. */
export class CodeList {
  readonly byCode = new Map<string, Code>();
  private readonly byName = new Map<string, Code[]>();

  constructor(rows: Code[], aliases: [string, string][] = []) {
    for (const r of rows) {
      this.byCode.set(r.code, r);
      this.addName(r.name, r);
    }
    for (const [alias, code] of aliases) {
      const c = this.byCode.get(code);
      if (c) this.addName(alias, c);
    }
  }

  private addName(name: string, c: Code): void {
    const k = nameKey(name);
    const list = this.byName.get(k) ?? [];
    if (!list.includes(c)) list.push(c);
    this.byName.set(k, list);
  }

  /** Codes printed under this name (several where a name repeats under different parents). */
  named(name: string): Code[] {
    return this.byName.get(nameKey(name)) ?? [];
  }
}

/** Names compare without spaces, with ASCII and full-width brackets alike. */
export function nameKey(name: string): string {
  // Most names have nothing to change: one test tells, and spares the four replaces.
  if (!NOT_KEY.test(name)) return name;
  return name.replace(/\s+/g, '').replace(/[（(]/g, '(').replace(/[）)]/g, ')').replace(/[“”"]/g, '');
}

/** What nameKey changes: white space, brackets of either width, quotes. */
const NOT_KEY = /[\s（(）)“”"]/;

function readCsv(file: string): Record<string, string>[] {
  const path = join(projectRoot, 'datasets', 'classification', file);
  if (!existsSync(path)) return [];
  return parse(readFileSync(path), { columns: true, bom: true, skip_empty_lines: true }) as Record<string, string>[];
}

function toCodes(rows: Record<string, string>[]): Code[] {
  return rows.map((r) => ({
    code: String(r['code']).trim(),
    name: String(r['name']).trim(),
    level: Number(r['level']),
    parent_code: r['parent_code']?.trim() || null,
  }));
}

let cache: { func: CodeList; econ: CodeList; proc: CodeList } | undefined;

export function codeLists(): { func: CodeList; econ: CodeList; proc: CodeList } {
  if (cache) return cache;
  const aliases = readCsv('economic-aliases.csv').map(
    (r) => [String(r['alias']), String(r['code'])] as [string, string],
  );
  cache = {
    func: new CodeList(toCodes(readCsv('function.csv'))),
    econ: new CodeList(toCodes(readCsv('economic.csv')), aliases),
    proc: new CodeList(toCodes(readCsv('procurement.csv'))),
  };
  return cache;
}

/** Function code level from its length: 3 → 类, 5 → 款, 7 → 项. */
export function funcLevel(code: string): number {
  return code.length === 3 ? 1 : code.length === 5 ? 2 : 3;
}
export function funcParent(code: string): string | null {
  return code.length === 7 ? code.slice(0, 5) : code.length === 5 ? code.slice(0, 3) : null;
}

/** Procurement item level: the letter is 1, each further pair of digits one more. */
export function procLevel(code: string): number {
  return 1 + Math.floor((code.length - 1) / 2);
}
export function procType(code: string): 'goods' | 'works' | 'services' | undefined {
  return ({ A: 'goods', B: 'works', C: 'services' } as const)[code.charAt(0) as 'A' | 'B' | 'C'];
}
