import { codeLists, funcLevel, funcParent } from '../../classify/codes.ts';
import { InputError } from '../../db/errors.ts';
import { divisorOf, sum } from '../../money.ts';
import { DocumentContext, type Amount } from '../budget-text/context.ts';
import { departmentAndUnits, sameFigure, sumOfParts } from '../checks.ts';
import { squash, type Line } from '../budget-text/lines.ts';
import { documentMeta, type LinesSource } from '../budget-text/index.ts';
import type { FactRow, ParsedDocument } from '../types.ts';
import { pageSpan } from './coverage.ts';
import { findTables, type FoundTable } from './find.ts';
import { findIdentity, type Identity } from './identity.ts';
import { narrativeFigures } from './narrative.ts';
import { adds, labelKey, mapAmounts, readRows, totalOf, type Row, type Segment } from './read.ts';
import { READ, SOURCES, type KindSpec, type TableKind } from './templates.ts';

export interface TablesOptions {
  /** How to name a line in messages (a PDF says which page). */
  where?: (line: number) => string;
  /** The page a line was printed on, for the coverage record. */
  page?: (line: number) => number | undefined;
  /** Said at the end of a refusal (e.g. pages of the PDF that are scans). */
  remark?: string;
}

/** A recognized table as read: where it is, its unit, its rows, and which of its amounts were used. */
interface Read {
  t: FoundTable;
  spec: KindSpec;
  /** The name facts cite: the printed number ("表3"), else the printed title. */
  source: string;
  divisor: bigint;
  unitNote: string;
  rows: Row[];
  /** Lines of text only among the data rows whose first cell holds text: a label wrapped over lines. */
  wrapped: number[];
  printed: number;
  used: Set<Amount>;
  notUnderstood: number[];
  /** Rows deliberately not loaded (a finding says why). */
  skipped?: boolean;
}

/**
 * Read a published 部门预算 / 单位预算 by what its tables say: each table's kind from its title, its columns
 * from their headers, its unit from its 单位 line (元 and 千元 converted to 万元 exactly). Any template whose
 * tables are named as in templates.ts is read; a document with no table of a known kind is refused with the
 * titles it printed. Every document gets a coverage record (view `coverage`).
 */
export function parseBudgetTables(lines: Line[], source: LinesSource, options: TablesOptions = {}): ParsedDocument {
  const { file } = source;
  const where = options.where ?? ((n: number) => `line ${n}`);
  const found = findTables(lines);
  const known = found.filter((t) => t.spec && READ.has(t.spec.kind));
  if (known.length === 0) {
    const list = (ts: FoundTable[]) => ts.map((t) => `${t.title} (${where(t.line)})`).join(', ') || 'none';
    const listed = found.filter((t) => t.spec);
    throw new InputError(
      file,
      undefined,
      [
        'no table of a kind this reader reads (收支总表, 收入总表, 支出总表, 财政拨款收支总表, 一般公共预算支出表, 三公经费表, …); nothing loaded.',
        listed.length ? `Recognized, not read: ${list(listed)}.` : '',
        `Not recognized: ${list(found.filter((t) => !t.spec))}.`,
        options.remark ?? '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  const id = findIdentity(lines);
  if (!id)
    throw new InputError(
      file,
      1,
      'no title naming the department and year ("2026年…部门预算", "…2024年度部门决算", or "预算主管部门：…" beside a dated title) on its first pages',
    );

  const ctx = new DocumentContext(file, id.department, id.year, id.stage);
  ctx.units = [id.department];
  const printedUnits = found.filter((t) => t.divisor !== undefined).map((t) => t.unit);
  const fallback = mostCommon(printedUnits);
  if (!fallback)
    ctx.note(
      'DOC.unit',
      'document',
      'warning',
      [],
      'no table prints its unit (单位：万元 / 元): amounts are taken as 万元; check them against the narrative',
    );
  const reads: Read[] = [];
  for (const t of found) {
    if (!t.spec || !READ.has(t.spec.kind)) continue;
    const divisor = t.divisor ?? divisorOf(fallback ?? '万元') ?? 1n;
    if (t.divisor === undefined && fallback)
      ctx.note(
        'DOC.unit',
        t.number || t.title.trim(),
        'warning',
        [t.line],
        `${t.number || ''} ${t.title.trim()}: prints no unit; its amounts are taken as ${fallback}, as most of the document's tables`.trim(),
      );
    const { rows, wrapped } = readRows(t, divisor, t.spec.codes !== 'none', file, options.page, id.year);
    const printed = rows.reduce((n, r) => n + r.segments.reduce((k, s) => k + s.amounts.length, 0), 0);
    reads.push({
      t,
      spec: t.spec,
      source: t.number || t.title.trim(),
      divisor,
      unitNote: t.unit || `${fallback ?? '万元'} (not printed; as the other tables)`,
      rows,
      wrapped,
      printed,
      used: new Set(),
      notUnderstood: [],
    });
  }

  const doc = new Reader(ctx, id, reads, where);
  doc.read();
  narrativeFigures(ctx, lines, doc.sangongTotal, doc.tableFor('sangong'), where);

  const coverage: FactRow[] = [];
  for (const t of found) {
    const r = reads.find((x) => x.t === t);
    const status = !t.spec
      ? 'unrecognized'
      : !r
        ? 'listed'
        : r.rows.length === 0
          ? 'empty'
          : r.notUnderstood.length || r.skipped
            ? 'partial'
            : 'read';
    coverage.push({
      table_no: t.number || null,
      table_kind: t.spec?.kind ?? null,
      title: t.title.trim(),
      source_line: t.line,
      pages: pageSpan([t.line, ...t.lines.map((l) => l.no)], options.page),
      unit: r?.unitNote ?? (t.unit || null),
      rows_read: r ? r.rows.length : null,
      amounts_printed: r ? r.printed : null,
      amounts_used: r ? r.used.size : null,
      status,
    });
    if (
      r &&
      r.rows.length === 0 &&
      !t.lines.some((l) => /本表无|空表|无数据|无发生额|没有|不涉及/.test(squash(l.text)))
    )
      ctx.note(
        'DOC.empty',
        r.source,
        'warning',
        [t.line],
        `${r.source} ${t.title.trim()}: recognized as ${r.spec.name} but no row was read`,
      );
    if (r && r.notUnderstood.length)
      ctx.note(
        'DOC.rows',
        r.source,
        'warning',
        r.notUnderstood.slice(0, 20),
        `${r.source} ${t.title.trim()}: ${r.notUnderstood.length} row(s) whose amounts could not be matched to the columns' headers, not loaded (first at ${where(r.notUnderstood[0] as number)})`,
      );
  }
  const unknown = found.filter((t) => !t.spec);
  if (unknown.length)
    ctx.note(
      'DOC.unrecognized',
      'document',
      'info',
      unknown.map((t) => t.line),
      `tables not of a kind this reader knows, listed in coverage, not loaded: ${unknown.map((t) => `${t.title.trim()} (${where(t.line)})`).join('; ')}`,
    );

  return {
    doc: documentMeta(source, lines, { department: id.department, year: id.year, stage: id.stage, title: id.title }),
    facts: ctx.facts,
    findings: ctx.findings,
    coverage,
  };
}

function mostCommon(units: string[]): string | undefined {
  const n = new Map<string, number>();
  for (const u of units) n.set(u, (n.get(u) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A named line of a 收入 | 支出 table. */
interface Item {
  key: string;
  amount: Amount;
  side: 'left' | 'right';
}

/** A function or economic row of a coded table, under the unit whose block it is in. */
interface CodedRow {
  unit: string;
  code: string;
  name: string;
  values: Map<string, Amount>;
  line: number;
  /** A department row computed as the sum of its units' rows (the document prints units only). */
  derived?: boolean;
}

class Reader {
  sangongTotal: Amount | undefined;
  private summary: Item[] = [];
  private fiscal: Item[] = [];

  constructor(
    private ctx: DocumentContext,
    private id: Identity,
    private reads: Read[],
    private where: (line: number) => string,
  ) {}

  tableFor(kind: TableKind): string | undefined {
    return this.reads.find((r) => r.spec.kind === kind)?.source;
  }

  private first(kind: TableKind): Read | undefined {
    return this.reads.find((r) => r.spec.kind === kind && r.rows.length > 0);
  }

  read(): void {
    const s = this.first('summary');
    if (s) this.summary = this.twoSided(s);
    const f = this.first('fiscal');
    if (f) this.fiscal = this.twoSided(f);
    this.summaryFacts(s);
    const spending = this.coded(this.first('spending'));
    const general = this.coded(this.first('general'));
    const functions = spending.rows.length ? spending : general;
    if (functions.read) this.functionFacts(functions.read, functions.rows, functions.totals);
    if (functions === general && general.read && !this.allGeneral())
      this.ctx.note(
        'DOC.functions',
        'document',
        'warning',
        [],
        `no 支出总表 by function was read: spending_by_function holds ${general.read.source}'s 一般公共预算 only, not money of other sources`,
      );
    this.economic();
    this.sangong();
    this.crossChecks(spending, general);
    this.income();
    this.projects(spending.totals.get(this.ctx.department)?.get('project'), spending.read);
  }

  /** Does all the document's money come from 一般公共预算 (so that its tables are all-source too)? */
  private allGeneral(): boolean {
    // This year's revenue (收入总计 holds 上年结转 too), else 收入总计.
    const total =
      this.item(this.summary, 'left', /^(?:本年)?收入(?:合计|小计)$/) ??
      this.item(this.summary, 'left', /^(?:收入总计|总计)$/);
    const gen = this.item(this.summary, 'left', /^一般公共预算/);
    return !!total && !!gen && total.value === gen.value;
  }

  private item(items: Item[], side: 'left' | 'right', re: RegExp): Amount | undefined {
    return items.find((i) => i.side === side && re.test(i.key))?.amount;
  }

  /** The items of a table printed as 收入 on the left and 支出 on the right. */
  private twoSided(r: Read): Item[] {
    const out: Item[] = [];
    let rightStart = Infinity;
    const segsOf = (row: Row) =>
      row.segments.filter((s, k, all) => {
        // A label copied into the next cell ("结转结余下年 | 结转结余下年") once; "总计 | 100 | 总计 | 100" twice.
        const prev = all[k - 1];
        return s.amounts.length > 0 && !(prev && labelKey(prev) === labelKey(s) && s.col - prev.col <= 1);
      });
    for (const row of r.rows) {
      const segs = segsOf(row);
      if (segs.length >= 2) rightStart = Math.min(rightStart, (segs[1] as Segment).col);
    }
    for (const row of r.rows) {
      const segs = segsOf(row);
      segs.forEach((s, k) => {
        const key = labelKey(s);
        if (!key) return;
        const side =
          segs.length >= 2
            ? k === 0
              ? 'left'
              : 'right'
            : s.col >= rightStart || (rightStart === Infinity && /支出|结转下年|下年$/.test(key))
              ? 'right'
              : 'left';
        const amount = this.thisYear(s, row.header.columns);
        if (amount) out.push({ key, amount, side });
      });
    }
    return out;
  }

  /**
   * The amount of this year's budget among a label's amounts: a column headed 上年 / the year before / 执行数 /
   * 增减 is never it; one headed 本年 or this year is; else the first (合计 where a side splits by source).
   */
  private thisYear(s: Segment, columns: string[]): Amount | undefined {
    const y = this.id.year;
    const prior = new RegExp(`上年|执行数|决算数|增减|变化|比上年|${y - 1}\\s*年|${y - 2}\\s*年`);
    const current = new RegExp(`本年|${y}\\s*年`);
    const list = s.amounts.filter((a) => !prior.test(columns[a.col] ?? ''));
    return (list.find((a) => current.test(columns[a.col] ?? '')) ?? list[0])?.amount;
  }

  private fact(r: Read, view: string, unit: string, a: Amount, fields: Record<string, FactRow[string]>): void {
    r.used.add(a);
    this.ctx.add(view, this.ctx.prov(unit, r.source, a.line), fields);
  }

  /** The same figure in two tables (both printed, else no check), its amounts counted as used. */
  private check(
    id: string,
    scope: string,
    a: { r: Read; amount: Amount | undefined; what: string },
    b: { r: Read; amount: Amount | undefined; what: string },
  ): void {
    if (!a.amount || !b.amount) return;
    a.r.used.add(a.amount);
    b.r.used.add(b.amount);
    sameFigure(this.ctx, {
      id,
      scope,
      a: a.amount,
      b: b.amount,
      // Two printed figures of one sum, each rounded on its own.
      addends: 2,
      what: `${a.what} (${a.r.source}, ${this.where(a.amount.line)}) vs ${b.what} (${b.r.source}, ${this.where(b.amount.line)})`,
    });
  }

  /** A table's total against the sum of its parts, its amounts counted as used. */
  private sumCheck(id: string, scope: string, r: Read, whole: Amount, parts: Amount[], what: string): void {
    r.used.add(whole);
    for (const p of parts) r.used.add(p);
    sumOfParts(this.ctx, {
      id,
      scope,
      whole,
      parts,
      // The total is rounded on its own too.
      addends: parts.length + 1,
      what: `${what} (${r.source}, ${this.where(whole.line)})`,
    });
  }

  private summaryFacts(s: Read | undefined): void {
    if (!s) return;
    const dept = this.ctx.department;
    const total = (measure: string, side: 'left' | 'right', re: RegExp) => {
      const a = this.item(this.summary, side, re);
      if (a) this.fact(s, 'budget_totals', dept, a, { measure, amount: a.value });
      return a;
    };
    const revenue = total('revenue_total', 'left', /^(?:收入总计|总计)$/);
    const spending = total('spending_total', 'right', /^(?:支出总计|总计)$/);
    const curIn = total('revenue_current_year', 'left', /^(?:本年)?收入(?:合计|小计)$/);
    const curOut = total('spending_current_year', 'right', /^(?:本年)?支出合计$/);
    total(
      'carryover_begin',
      'left',
      /^(?:上年结转|上年结余|上年结转结余|上年结余结转|上年结余、结转|上年结转和结余|年初结转和结余)/,
    );
    total('carryover_end', 'right', CARRY_END);
    if (revenue && spending)
      this.check(
        'SUM.balance',
        'document',
        { r: s, amount: revenue, what: '收入总计' },
        { r: s, amount: spending, what: '支出总计' },
      );
    void curOut;
    // Sources of revenue (the left side down to 本年收入合计).
    const left = this.summary.filter((i) => i.side === 'left');
    // The sources run down to 本年收入合计 (or 小计), the carry-over (上年结转 …) or 收入总计, whichever comes first.
    const end = left.findIndex((i) => /^(?:本年)?收入(?:合计|小计)$|^收入总计$|^(?:上年|年初)/.test(i.key));
    // A group row "一、本年收入" heads the sources; it is none of them.
    const items = left.slice(0, end < 0 ? left.length : end).filter((i) => !/^本年收入$/.test(i.key));
    const hasFiscal = items.some((i) => sourceOf(i.key)?.[0] === '财政拨款收入');
    const hasUnitFunds = items.some((i) => sourceOf(i.key)?.[0] === '单位资金');
    const unmatched = items.filter((i) => !sourceOf(i.key) && i.amount.value !== 0n && !/^(?:上年|年初)/.test(i.key));
    if (unmatched.length)
      this.ctx.note(
        'DOC.source',
        s.source,
        'warning',
        unmatched.map((i) => i.amount.line),
        `${s.source}: revenue line(s) ${unmatched.map((i) => `'${i.key}'`).join(', ')} match no known source; not loaded as revenue_by_source`,
      );
    const top: Amount[] = [];
    for (const i of items) {
      const src = sourceOf(i.key);
      if (!src) continue;
      const [name, parent] = src;
      const under = parent && hasFiscal ? parent : !parent && hasUnitFunds && UNIT_FUNDS.has(name) ? '单位资金' : null;
      this.fact(s, 'revenue_by_source', dept, i.amount, {
        source: name,
        source_level: under ? 2 : 1,
        parent_source: under,
        amount: i.amount.value,
      });
      if (!under) top.push(i.amount);
    }
    if (curIn && top.length)
      this.sumCheck('SUM.sources', 'document', s, curIn, top, `本年收入合计 = Σ of its ${top.length} sources`);
  }

  /** A table coded by function: its rows by unit block, the total row, the within-table checks. */
  private coded(r: Read | undefined): { read?: Read; rows: CodedRow[]; totals: Map<string, Map<string, Amount>> } {
    const rows: CodedRow[] = [];
    const totals = new Map<string, Map<string, Amount>>();
    if (!r) return { rows, totals };
    let unit = this.ctx.department;
    for (const row of r.rows) {
      const seg = row.segments.find((s) => s.amounts.length > 0);
      if (!seg) continue;
      const m = mapAmounts(seg, row.header, r.spec.columns, this.id.year);
      const key = labelKey(seg);
      if (!m) {
        r.notUnderstood.push(row.line);
        continue;
      }
      if (!seg.code && seg.lead) {
        // Code cells that make no whole code (a 款 under a blank 类): not a unit's row, and not guessed.
        r.notUnderstood.push(row.line);
        continue;
      }
      if (seg.code && /^\d{3}(?:\d{2}){0,2}$/.test(seg.code)) {
        rows.push({ unit, code: seg.code, name: key, values: m.values, line: row.line });
        continue;
      }
      if (/^(?:合计|总计|本年支出合计|支出合计|支出总计|收入合计|收入总计)$/.test(key) || key === '') {
        totals.set(this.ctx.department, m.values);
        unit = this.ctx.department;
        continue;
      }
      // A row naming a unit: the rows under it are its own (the department's, where it names the department).
      unit = this.unitOf(key);
      totals.set(unit, m.values);
    }
    // The department's row against its units' rows, where the table prints both.
    const dept = departmentAndUnits(totals, this.ctx.department);
    const whole = dept.department?.get('total');
    const units = dept.units.map((m) => m.get('total'));
    if (whole && units.length && units.every((a) => a))
      this.sumCheck(
        'UNITS.total',
        'department',
        r,
        whole,
        units as Amount[],
        `department = Σ of its ${units.length} units`,
      );
    return { read: r, rows: this.consolidated(rows, totals), totals };
  }

  /**
   * The department's rows of a coded table. Printed, where the table prints them; where it prints one unit
   * only (a department of one unit, or its 本级), that unit's rows are the department's; where it prints
   * several units, the department's rows are their sums, marked derived.
   */
  private consolidated(rows: CodedRow[], totals: Map<string, Map<string, Amount>>): CodedRow[] {
    const dept = this.ctx.department;
    const units = [...new Set(rows.map((x) => x.unit))];
    if (units.length === 0 || units.includes(dept)) return rows;
    if (units.length === 1) {
      const only = totals.get(units[0] as string);
      if (only && !totals.has(dept)) totals.set(dept, only);
      return rows.map((x) => ({ ...x, unit: dept }));
    }
    const byCode = new Map<string, CodedRow[]>();
    for (const x of rows) byCode.set(x.code, [...(byCode.get(x.code) ?? []), x]);
    const derived: CodedRow[] = [];
    for (const [code, list] of byCode) {
      const values = new Map<string, Amount>();
      for (const role of new Set(list.flatMap((x) => [...x.values.keys()]))) {
        const vs = list.map((x) => x.values.get(role)).filter((a): a is Amount => !!a);
        values.set(role, {
          value: sum(vs.map((a) => a.value)),
          decimals: Math.max(...vs.map((a) => a.decimals)),
          line: (list[0] as CodedRow).line,
        });
      }
      derived.push({
        unit: dept,
        code,
        name: (list[0] as CodedRow).name,
        values,
        line: (list[0] as CodedRow).line,
        derived: true,
      });
    }
    return [...rows, ...derived.sort((a, b) => (a.code < b.code ? -1 : 1))];
  }

  private unitOf(printed: string): string {
    const d = this.ctx.department;
    if (printed === squash(d)) return d;
    if (!this.ctx.units.includes(printed)) this.ctx.units.push(printed);
    return printed;
  }

  private functionFacts(r: Read, rows: CodedRow[], totals: Map<string, Map<string, Amount>>): void {
    const dept = this.ctx.department;
    const func = codeLists().func;
    for (const x of rows) {
      const total = x.values.get('total');
      if (!total) continue;
      const name = x.name || func.byCode.get(x.code)?.name || x.code;
      const basic = x.values.get('basic');
      const project = x.values.get('project');
      if (!x.derived) for (const a of [total, basic, project]) if (a) r.used.add(a);
      this.ctx.add('spending_by_function', this.ctx.prov(x.unit, r.source, x.line, { derived: !!x.derived }), {
        func_code: x.code,
        func_name: name,
        func_level: funcLevel(x.code),
        func_parent_code: funcParent(x.code),
        total: total.value,
        basic: basic?.value ?? null,
        project: project?.value ?? null,
      });
    }
    // Totals by type of spending, from the table's total row.
    const t = totals.get(dept);
    if (t && r.spec.kind === 'spending') {
      for (const [role, measure] of [
        ['basic', 'basic_total'],
        ['project', 'project_total'],
      ] as const) {
        const a = t.get(role);
        if (a) this.fact(r, 'budget_totals', dept, a, { measure, amount: a.value });
      }
    }
  }

  /** Within a coded table: each parent = Σ children, the total = Σ 类, total = basic + project. */
  private levelChecks(r: Read, rows: CodedRow[], totals: Map<string, Map<string, Amount>>): void {
    const byUnit = new Map<string, CodedRow[]>();
    for (const x of rows) byUnit.set(x.unit, [...(byUnit.get(x.unit) ?? []), x]);
    for (const [unit, list] of byUnit) {
      const scope = unit === this.ctx.department ? 'department' : unit;
      for (const p of list) {
        const kids = list.filter((c) => c.code.length === p.code.length + 2 && c.code.startsWith(p.code));
        const whole = p.values.get('total');
        const parts = kids.map((c) => c.values.get('total')).filter((a): a is Amount => !!a);
        if (whole && kids.length && parts.length === kids.length)
          this.sumCheck(
            'FUNC.levels',
            scope,
            r,
            whole,
            parts,
            `${p.code} ${p.name} = Σ of the ${kids.length} codes under it`,
          );
      }
      const classes = list
        .filter((x) => x.code.length === 3)
        .map((x) => x.values.get('total'))
        .filter((a): a is Amount => !!a);
      const total = totals.get(unit)?.get('total');
      if (total && classes.length)
        this.sumCheck('FUNC.total', scope, r, total, classes, `${r.spec.name} total = Σ of its ${classes.length} 类`);
    }
    const parts = new Set(r.spec.columns.filter((c) => c.part).map((c) => c.role));
    for (const x of rows)
      if (adds(x.values, parts) === false) {
        const whole = x.values.get('total') as Amount;
        const ps = [...x.values].filter(([k]) => parts.has(k)).map(([, a]) => a);
        this.sumCheck('FUNC.split', x.unit, r, whole, ps, `${x.code} ${x.name}: total = Σ of its columns`);
      }
  }

  private crossChecks(
    spending: { read?: Read; rows: CodedRow[]; totals: Map<string, Map<string, Amount>> },
    general: { read?: Read; rows: CodedRow[]; totals: Map<string, Map<string, Amount>> },
  ): void {
    for (const t of [spending, general]) if (t.read) this.levelChecks(t.read, t.rows, t.totals);
    for (const k of ['fund', 'capital'] as const) {
      const c = this.coded(this.first(k));
      if (c.read) {
        // Read once for its checks; the rows are not facts (spending_by_function is all-source).
        this.levelChecks(c.read, c.rows, c.totals);
      }
    }
    const s = this.first('summary');
    const sp = spending.read;
    const dept = this.ctx.department;
    if (s && sp) {
      // 本年支出合计; 支出总计 only where nothing is carried to next year (else it holds 结转下年 too).
      const carried = this.item(this.summary, 'right', CARRY_END);
      const cur =
        this.item(this.summary, 'right', /^(?:本年)?支出合计$/) ??
        (!carried || carried.value === 0n ? this.item(this.summary, 'right', /^(?:支出总计|总计)$/) : undefined);
      const t = spending.totals.get(dept)?.get('total');
      if (!t)
        this.ctx.note(
          'DOC.total',
          sp.source,
          'warning',
          [sp.t.line],
          `${sp.source} ${sp.t.title.trim()}: no total row for the department; its 类 are not checked against 本年支出合计`,
        );
      this.check(
        'SUM.spending',
        'document',
        { r: s, amount: cur, what: '本年支出合计' },
        { r: sp, amount: t, what: `${sp.spec.name} total` },
      );
      // Each 类 of the summary's 支出 side against the spending table's.
      const func = codeLists().func;
      for (const i of this.summary.filter((x) => x.side === 'right')) {
        const code = func.named(i.key).find((c) => c.level === 1)?.code;
        if (!code) continue;
        const row = spending.rows.find((x) => x.unit === dept && x.code === code);
        if (!row && i.amount.value === 0n) continue;
        this.check(
          'SUM.class',
          'department',
          { r: s, amount: i.amount, what: `${code} ${i.key}` },
          {
            r: sp,
            amount: row?.values.get('total') ?? { value: 0n, decimals: i.amount.decimals, line: i.amount.line },
            what: `${sp.spec.name} ${code}`,
          },
        );
      }
    }
    // 一般公共预算 against 一般公共预算: the fiscal table's and the summary's 一般公共预算 revenue.
    const f = this.first('fiscal');
    if (s && f) {
      const a = this.item(this.summary, 'left', /^一般公共预算/);
      const b = this.item(this.fiscal, 'left', /^一般公共预算/);
      this.check(
        'FISCAL.general',
        'document',
        { r: s, amount: a, what: '一般公共预算 revenue' },
        { r: f, amount: b, what: '一般公共预算 revenue' },
      );
      const ra = this.item(this.fiscal, 'left', /^(?:收入总计|总计)$/);
      const rb = this.item(this.fiscal, 'right', /^(?:支出总计|总计)$/);
      this.check(
        'FISCAL.balance',
        'document',
        { r: f, amount: ra, what: '财政拨款收入总计' },
        { r: f, amount: rb, what: '财政拨款支出总计' },
      );
    }
  }

  /** Spending by economic class: the all-source 基本支出 table where it is read, else 一般公共预算's. */
  private economic(): void {
    const econ = codeLists().econ;
    const r = this.first('general_economic');
    if (!r) return;
    const dept = this.ctx.department;
    const basicOnly = /基本支出/.test(r.t.title);
    const parts = new Set(r.spec.columns.filter((c) => c.part).map((c) => c.role));
    // Rows by the unit block they are printed under (a unit's name where a code would be), as coded() does.
    const blocks = new Map<
      string,
      { total?: Amount; rows: { code: string; name: string; m: Map<string, Amount>; line: number }[] }
    >();
    let unit = dept;
    let lastClass: string | undefined;
    for (const row of r.rows) {
      const seg = row.segments.find((s) => s.amounts.length > 0);
      if (!seg) continue;
      const key = labelKey(seg);
      // A name without its code: the code of that name under the class last printed (办公设备购置 is 31002
      // under 310, 30902 under 309); none, or several and no class to choose by, is no code.
      const named = econ.named(key);
      const code =
        seg.code ??
        (named.length === 1
          ? named[0]?.code
          : (named.find((c) => lastClass !== undefined && c.code.startsWith(lastClass))?.code ??
            named.find((c) => c.level === 1)?.code));
      if (code?.length === 3) lastClass = code;
      const m = mapAmounts(seg, row.header, r.spec.columns, this.id.year);
      if (!m) {
        r.notUnderstood.push(row.line);
        continue;
      }
      if (!code) {
        if (/^(?:合计|总计)$/.test(key)) unit = dept;
        else if (key === squash(dept) || this.ctx.units.includes(key) || /本级[)）]?$/.test(key))
          unit = this.unitOf(key);
        else {
          r.notUnderstood.push(row.line);
          continue;
        }
        const b = blocks.get(unit) ?? { rows: [] };
        b.total ??= m.values.get('total') ?? m.values.get('basic');
        blocks.set(unit, b);
        continue;
      }
      const b = blocks.get(unit) ?? { rows: [] };
      b.rows.push({ code, name: key || econ.byCode.get(code)?.name || code, m: m.values, line: row.line });
      blocks.set(unit, b);
      if (adds(m.values, parts) === false) {
        const whole = m.values.get('total') as Amount;
        const ps = [...m.values].filter(([k]) => parts.has(k)).map(([, a]) => a);
        this.sumCheck('ECON.split', unit, r, whole, ps, `${code} ${key}: total = Σ of its columns`);
      }
    }
    // Where the table prints several units, the rows are theirs; with one block they are the department's.
    const withRows = [...blocks].filter(([, b]) => b.rows.length > 0);
    const several = withRows.length > 1;
    for (const [u, b] of withRows) {
      const owner = several ? u : dept;
      for (const x of b.rows) {
        const types: [string, Amount | undefined][] = basicOnly
          ? [['basic', x.m.get('basic') ?? x.m.get('total')]]
          : [
              ['basic', x.m.get('basic')],
              ['project', x.m.get('project')],
            ];
        for (const [type, a] of types) {
          if (!a) continue;
          this.fact(r, 'spending_by_economic', owner, a, {
            spending_type: type,
            econ_code: x.code,
            econ_name: x.name,
            econ_level: x.code.length <= 3 ? 1 : 2,
            amount: a.value,
          });
          if (several && owner !== dept)
            (this.ctx.rows('spending_by_economic').at(-1) as FactRow)['unit_level'] = 'unit';
        }
      }
      // Each block's total = Σ of its 类 (the 3-digit codes).
      const classes = b.rows.filter((x) => x.code.length === 3).map((x) => x.m.get('total') ?? x.m.get('basic'));
      const whole = b.total ?? (several ? undefined : blocks.get(dept)?.total);
      if (whole && classes.length && classes.every((a) => a))
        this.sumCheck(
          'ECON.total',
          u === dept ? 'department' : u,
          r,
          whole,
          classes as Amount[],
          `${r.spec.name} total = Σ of its ${classes.length} 类`,
        );
    }
  }

  /** The 三公 table, printed by category in rows, in columns, or by year and fund (Shenzhen). */
  private sangong(): void {
    const r = this.first('sangong');
    if (!r) return;
    const dept = this.ctx.department;
    const found = new Map<string, Amount>();
    const CATS: [RegExp, string][] = [
      [/因公出国/, 'overseas_travel'],
      [/公务接待/, 'reception'],
      [/购置(?:及|和)运行/, 'vehicle'],
      [/公务用车购置费$|^购置费$|车辆购置/, 'vehicle_purchase'],
      [/运行(?:维护)?费$/, 'vehicle_operation'],
      [/公务用车/, 'vehicle'],
      [/三公|^合计$|^总计$/, 'total'],
      [/行政经费|机关运行经费/, 'admin'],
    ];
    const byRow = r.rows.some((row) => row.segments.some((s) => /因公出国|公务接待/.test(labelKey(s))));
    if (byRow) {
      // Categories down the side: the first amount of each row is its 合计.
      for (const row of r.rows)
        for (const s of row.segments) {
          const key = labelKey(s);
          const cat = CATS.find(([re]) => re.test(key))?.[1];
          // This year's column (not 上年 / the year before), or the first: its 合计.
          const a = this.thisYear(s, row.header.columns);
          if (cat && a && !found.has(cat)) found.set(cat, a);
        }
    } else {
      // Categories across the top (split again by fund): the row of this year, or the only row.
      const year = String(this.id.year);
      const rows = r.rows.filter((row) => row.segments.some((s) => s.amounts.length));
      const row =
        rows.find((x) =>
          x.segments.some((s) => /^本年/.test(labelKey(s)) || squash(s.parts.join('')).includes(`${year}年`)),
        ) ?? (rows.length === 1 ? rows[0] : undefined);
      if (row) {
        const seg = row.segments.find((s) => s.amounts.length) as Segment;
        const cols = row.header.columns;
        const sums = new Map<string, Amount[]>();
        const subtotal = new Map<string, Amount>();
        let unmapped = 0;
        const y = this.id.year;
        const prior = new RegExp(`上年|执行数|决算数|增减|变化|比上年`);
        for (const a of seg.amounts) {
          const h = cols[a.col] ?? '';
          // A column of the year before (or of the change) is not this year's, whatever category it names.
          if (prior.test(h) || [...h.matchAll(/(\d{4})\s*年/g)].some((m) => Number(m[1]) !== y)) continue;
          const cat = categoryOfHeader(h);
          if (!cat) {
            unmapped++;
            continue;
          }
          // A category split by fund may print its own 小计 beside the funds: that column alone, not added to them.
          if (/^(?:小计|合计)$/.test(h.split(' ').at(-1) ?? '') && h.split(' ').length > 1) subtotal.set(cat, a.amount);
          sums.set(cat, [...(sums.get(cat) ?? []), a.amount]);
        }
        for (const [cat, a] of subtotal) sums.set(cat, [a]);
        // Several columns of one category are added only where they split it by fund.
        const FUND = /一般公共预算|政府性基金|国有资本经营|财政拨款|其他资金/;
        const ambiguous = [...sums].filter(
          ([cat, list]) =>
            list.length > 1 &&
            !subtotal.has(cat) &&
            !seg.amounts.some((x) => categoryOfHeader(cols[x.col] ?? '') === cat && FUND.test(cols[x.col] ?? '')),
        );
        if (ambiguous.length) {
          r.notUnderstood.push(row.line);
          sums.clear();
        }
        if (unmapped && sums.size === 0) r.notUnderstood.push(row.line);
        for (const [cat, list] of sums) {
          const first = list[0] as Amount;
          for (const a of list) r.used.add(a);
          if (list.length === 1) {
            found.set(cat, first);
            continue;
          }
          found.set(cat, {
            value: sum(list.map((a) => a.value)),
            decimals: Math.max(...list.map((a) => a.decimals)),
            line: first.line,
          });
        }
      } else if (rows.length) r.notUnderstood.push(...rows.map((x) => x.line));
    }
    const names: Record<string, string> = {
      overseas_travel: '因公出国（境）费',
      reception: '公务接待费',
      vehicle_purchase: '公务用车购置费',
      vehicle_operation: '公务用车运行维护费',
    };
    const hasSplit = found.has('vehicle_purchase') || found.has('vehicle_operation');
    for (const cat of ['overseas_travel', 'reception', 'vehicle_purchase', 'vehicle_operation']) {
      const a = found.get(cat);
      if (a) this.fact(r, 'sangong', dept, a, { category: cat, category_name: names[cat] as string, amount: a.value });
    }
    let total = found.get('total');
    const cats = [
      'overseas_travel',
      'reception',
      ...(hasSplit && !found.has('vehicle') ? ['vehicle_purchase', 'vehicle_operation'] : ['vehicle']),
    ]
      .map((c) => found.get(c))
      .filter((a): a is Amount => !!a);
    if (!total && cats.length) {
      // A table that prints the categories but no 合计: the total is their sum (derived).
      const sumOf: Amount = {
        value: sum(cats.map((a) => a.value)),
        decimals: Math.max(...cats.map((a) => a.decimals)),
        line: (cats[0] as Amount).line,
      };
      this.ctx.add('budget_totals', this.ctx.prov(dept, r.source, sumOf.line, { derived: true }), {
        measure: 'sangong_total',
        amount: sumOf.value,
      });
      this.sangongTotal = sumOf;
      total = undefined;
    }
    if (total) {
      this.fact(r, 'budget_totals', dept, total, { measure: 'sangong_total', amount: total.value });
      this.sangongTotal = total;
      const parts = [
        'overseas_travel',
        'reception',
        ...(hasSplit ? ['vehicle_purchase', 'vehicle_operation'] : ['vehicle']),
      ]
        .map((c) => found.get(c))
        .filter((a): a is Amount => !!a);
      if (parts.length)
        this.sumCheck('SANGONG.total', 'department', r, total, parts, '三公 total = Σ of its categories');
    }
    const vehicle = found.get('vehicle');
    const vp = found.get('vehicle_purchase');
    const vo = found.get('vehicle_operation');
    if (vehicle && (vp || vo))
      this.sumCheck(
        'SANGONG.vehicle',
        'department',
        r,
        vehicle,
        [vp, vo].filter((a): a is Amount => !!a),
        '公务用车购置及运行 = 购置 + 运行',
      );
    // A category summed over fund columns is not a printed amount: count the printed ones only.
    const printed = new Set(r.rows.flatMap((x) => x.segments.flatMap((g) => g.amounts.map((a) => a.amount))));
    for (const a of [...r.used]) if (!printed.has(a)) r.used.delete(a);
    const admin = found.get('admin');
    if (admin && /机关运行/.test(r.rows.map((x) => x.header.columns.join(' ')).join(' ') + r.t.title))
      this.fact(r, 'budget_totals', dept, admin, { measure: 'operating_cost', amount: admin.value });
    else if (admin) this.fact(r, 'budget_totals', dept, admin, { measure: 'admin_cost', amount: admin.value });
  }

  /**
   * The 项目支出 table: a row per project under a row per unit (the units the other tables name), loaded as
   * `projects`; each unit's row against the sum of its projects, the table's total against the 支出总表's 项目支出.
   * A unit row that repeats the department's name after a 合计 row is its 本级 unit: with several units, every
   * project is a unit's (unit_level 'unit').
   */
  private projects(spendingProject: Amount | undefined, spending: Read | undefined): void {
    const r = this.first('project');
    if (!r) return;
    const dept = this.ctx.department;
    if (r.wrapped.length) {
      // Which lines of a wrapped name belong to which row is not in the text: no project is loaded under a
      // name cut in two.
      this.ctx.note(
        'DOC.wrapped',
        r.source,
        'warning',
        r.wrapped.slice(0, 20),
        `${r.source} ${r.t.title.trim()}: names wrapped over lines (first at ${this.where(r.wrapped[0] as number)}); its projects are not loaded`,
      );
      r.skipped = true;
      return;
    }
    const known = new Set([squash(dept), ...this.ctx.units.map((u) => squash(u))]);
    let total: Amount | undefined;
    let unit: string | undefined;
    const unitRows = new Map<string, Amount>();
    const list: { unit: string; name: string; amount: Amount }[] = [];
    for (const row of r.rows) {
      const seg = row.segments.find((x) => x.amounts.length > 0);
      if (!seg) continue;
      const key = labelKey(seg);
      const a = totalOf(seg, row.header, r.spec.columns, this.id.year);
      if (!a || !key) {
        r.notUnderstood.push(row.line);
        continue;
      }
      if (/^(?:合计|总计)$/.test(key)) total = a;
      else if (known.has(key) || /本级[)）]?$/.test(key)) {
        unit = key;
        if (!unitRows.has(key)) unitRows.set(key, a);
      } else list.push({ unit: unit ?? squash(dept), name: key, amount: a });
    }
    const d = squash(dept);
    const units = [...unitRows.keys()];
    // Several units: every project is a unit's. A row named as the department is then the department's total
    // (printed first, with no 合计 row) or, after a 合计 row, its 本级 unit.
    const several = units.length > 1 || (units.length === 1 && units[0] !== d);
    const deptIsTotal = !total && units[0] === d;
    for (const p of list) {
      const asUnit = several && !(p.unit === d && deptIsTotal);
      this.fact(r, 'projects', asUnit ? p.unit : dept, p.amount, { project: p.name, amount: p.amount.value });
      if (asUnit) (this.ctx.rows('projects').at(-1) as FactRow)['unit_level'] = 'unit';
    }
    for (const [u, whole] of unitRows) {
      const parts = list.filter((p) => p.unit === u).map((p) => p.amount);
      if (parts.length)
        this.sumCheck('PROJECT.unit', u, r, whole, parts, `${u}: 项目支出 = Σ of its ${parts.length} projects`);
    }
    const top =
      total ?? (deptIsTotal ? unitRows.get(d) : units.length === 1 ? unitRows.get(units[0] as string) : undefined);
    const others = [...unitRows].filter(([u]) => !(deptIsTotal && u === d)).map(([, a]) => a);
    // No unit rows: the total is the sum of the projects (a unit row taken for a project shows here).
    if (total && units.length === 0 && list.length)
      this.sumCheck(
        'PROJECT.units',
        'department',
        r,
        total,
        list.map((p) => p.amount),
        `${r.spec.name}: total = Σ of its ${list.length} projects`,
      );
    if (top && others.length >= 1 && !(others.length === 1 && top === others[0]))
      this.sumCheck(
        'PROJECT.units',
        'department',
        r,
        top,
        others,
        `${r.spec.name}: department = Σ of its ${others.length} units`,
      );
    if (top && spending)
      this.check(
        'PROJECT.total',
        'document',
        { r, amount: top, what: `${r.spec.name} total` },
        { r: spending, amount: spendingProject, what: '支出总表 项目支出' },
      );
  }

  /** The 收入总表: its total against the summary's 收入总计 (all sources with all sources). */
  private income(): void {
    const r = this.first('income');
    const s = this.first('summary');
    if (!r) return;
    const dept = this.ctx.department;
    let total: Amount | undefined;
    const unitTotals: Amount[] = [];
    for (const row of r.rows) {
      const seg = row.segments.find((x) => x.amounts.length > 0);
      if (!seg || seg.code) continue;
      const key = labelKey(seg);
      const a = totalOf(seg, row.header, r.spec.columns, this.id.year);
      if (!a) {
        r.notUnderstood.push(row.line);
        continue;
      }
      if (/^(?:合计|总计)$/.test(key)) total = a;
      else if (key && this.unitOf(key) === dept && !total) total = a;
      else if (key) unitTotals.push(a);
    }
    if (total && unitTotals.length)
      this.sumCheck(
        'INCOME.units',
        'department',
        r,
        total,
        unitTotals,
        `${r.spec.name}: department = Σ of its ${unitTotals.length} units`,
      );
    if (s && total)
      this.check(
        'INCOME.total',
        'document',
        { r: s, amount: this.item(this.summary, 'left', /^(?:收入总计|总计)$/), what: '收入总计' },
        { r, amount: total, what: `${r.spec.name} 合计` },
      );
  }
}

/** What a 收支总表 carries over to next year (its 支出总计 holds it besides 本年支出合计). */
const CARRY_END = /^(?:结转下年|结转结余下年|年末结转和结余|年末结转结余|年末结余|结转下年结余)/;

const UNIT_FUNDS = new Set(['事业收入', '事业单位经营收入', '上级补助收入', '附属单位上缴收入', '其他收入']);

function sourceOf(key: string): [string, string | null] | undefined {
  const k = key.replace(/[（(].*[)）]$/, '');
  const hit = SOURCES.find(([re]) => re.test(k));
  return hit ? [hit[1], hit[2]] : undefined;
}

/** The 三公 category a column header names (Shenzhen: "公务用车购置及运行维护费 公务用车购置费 一般公共预算"). */
function categoryOfHeader(h: string): string | undefined {
  const k = squash(h);
  if (/公务用车运行维护费|\s运行费|^运行费/.test(h) || /用车运行(?:维护)?费/.test(k)) return 'vehicle_operation';
  if (/公务用车购置费|\s购置费|^购置费/.test(h)) return 'vehicle_purchase';
  if (/公务用车|购置及运行/.test(k)) return 'vehicle';
  if (/因公出国/.test(k)) return 'overseas_travel';
  if (/公务接待/.test(k)) return 'reception';
  if (/机关运行经费|行政经费/.test(k)) return 'admin';
  if (/合计|总计|三公/.test(k)) return 'total';
  return undefined;
}
