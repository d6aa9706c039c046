import { parseAmount, printedDecimals } from '../../money.ts';
import { compare, type Amount, type Checker, type Comparison } from '../checks.ts';
import type { FactRow, FactValue, Finding, Severity } from '../types.ts';
import type { Line } from './lines.ts';

/** A table of the document: its number, title and lines (between its marker and the next). */
export interface Table {
  no: number;
  name: string;
  title: string;
  lines: Line[];
  markerLine: number;
}

/** A printed amount with where it was printed and how precisely (defined with the checks that compare them). */
export type { Amount };

export function amountOf(text: string | undefined, line: number): Amount | undefined {
  if (text === undefined) return undefined;
  const value = parseAmount(text);
  if (value === undefined) return undefined;
  return { value, decimals: printedDecimals(text), line };
}

export interface Provenance {
  unit: string;
  unit_level: 'department' | 'unit';
  fiscal_year: number;
  stage: string;
  derived: boolean;
  source_table: string;
  source_line: number | null;
}

/** Collects the facts and findings of one document as it is parsed. */
export class DocumentContext implements Checker {
  readonly facts = new Map<string, FactRow[]>();
  readonly findings: Finding[] = [];
  /** Units in table order; the first is the department itself. */
  units: string[] = [];
  /** 表13's project list, kept for the checks against 表15. */
  projectList?: { unit: string; name: string; total: Amount }[];
  private checkSeq = new Map<string, number>();
  /** unitNamed's answers, for the unit list they were found in (namedFor, of namedForLength units). */
  private named = new Map<string, string | undefined>();
  private namedFor: string[] | undefined;
  private namedForLength = 0;

  constructor(
    readonly file: string,
    readonly department: string,
    readonly year: number,
    readonly stage: string,
  ) {}

  prov(unit: string, source_table: string, source_line: number | null, over?: Partial<Provenance>): Provenance {
    const p: Provenance = {
      unit,
      unit_level: unit === this.department ? 'department' : 'unit',
      fiscal_year: this.year,
      stage: this.stage,
      derived: false,
      source_table,
      source_line,
    };
    // As {...p, ...over}: `over` only names keys p has, so the order stays the same.
    return over ? Object.assign(p, over) : p;
  }

  add(view: string, p: Provenance, fields: Record<string, FactValue>): void {
    const rows = this.facts.get(view) ?? [];
    const row: FactRow = {
      department: this.department,
      unit: p.unit,
      unit_level: p.unit_level,
      fiscal_year: p.fiscal_year,
      stage: p.stage,
      vintage: this.year,
      derived: p.derived,
      source_table: p.source_table,
      source_page: null,
      source_line: p.source_line,
    };
    // As {...row, ...fields}, in the same key order, without the spread's generic copy.
    rows.push(Object.assign(row, fields));
    this.facts.set(view, rows);
  }

  rows(view: string): FactRow[] {
    return this.facts.get(view) ?? [];
  }

  /** Full unit name for a name as printed in tables or shortened in the narrative ("区大数据中心"). */
  unitNamed(printed: string): string | undefined {
    // Every table asks this for each of its lines: remember the answers while the unit list stays the same
    // (it is set, and the department put first, before the tables are read).
    if (this.namedFor !== this.units || this.namedForLength !== this.units.length) {
      this.named.clear();
      this.namedFor = this.units;
      this.namedForLength = this.units.length;
    }
    const known = this.named.get(printed);
    if (known !== undefined || this.named.has(printed)) return known;
    const u = this.findUnit(printed);
    this.named.set(printed, u);
    return u;
  }
  private findUnit(printed: string): string | undefined {
    const p = printed.replace(/\s+/g, '');
    if (p.length < 2) return undefined;
    if (this.units.includes(p)) return p;
    const short = p.replace(/^(区|市|县)/, '');
    const hit = this.units.filter((u) => u.endsWith(short));
    // The department's own name ends the same way as its 本级: prefer the exact ending.
    if (hit.length > 1) return hit.find((u) => u.endsWith('本级') === short.endsWith('本级')) ?? hit[0];
    return hit[0];
  }

  /**
   * Record a cross-check (see checks.ts: compare): `expected` is the figure a statement makes, `actual` what
   * the other side gives. Within printed rounding it is 'info'. Findings of one id are numbered in order.
   */
  check(c: Comparison): Finding {
    const f: Finding = { check_id: this.nextId(c.id), ...compare(c) };
    this.findings.push(f);
    return f;
  }

  /** A finding that is not a numeric comparison (a missing table, a shifted column, a repeated row). */
  note(id: string, scope: string, severity: Severity, lines: number[], message: string): void {
    this.findings.push({
      check_id: this.nextId(id),
      scope,
      expected: null,
      actual: null,
      difference: null,
      severity,
      source_lines: lines.join(','),
      message,
    });
  }

  /** `T2.total#3`: the id with its count so far in this document. */
  private nextId(id: string): string {
    const n = (this.checkSeq.get(id) ?? 0) + 1;
    this.checkSeq.set(id, n);
    return `${id}#${n}`;
  }
}

/** Strip printed numbering ("一、", "（一）", "1.", "2、") from the front of a name. */
export function stripNumbering(name: string): string {
  return name
    .replace(/^[（(][一二三四五六七八九十]+[）)]\s*/, '')
    .replace(/^[一二三四五六七八九十]+[、.．]\s*/, '')
    .replace(/^\d+[、.．]\s*/, '')
    .trim();
}
