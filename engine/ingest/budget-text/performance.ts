import { amountOf, type Amount, type DocumentContext, type Table } from './context.ts';
import { dataLines } from './tables.ts';
import { dropSpaces, type Line } from './lines.ts';

export interface ProjectForm {
  unit: string;
  project: string;
  line: number;
  figures: { year: number; stage: string; amount: Amount }[];
}

const LEVEL1 = /^(产出指标|效益指标|满意度指标|成本指标|投入和管理目标|产出目标|效益目标|满意度目标|其他)$/;

/** "在岗 40 人" → 40 人; "≥98%" → 98 %; "2-3 次" or text → no value. */
export function targetValue(target: string): { value: number | null; unit: string | null } {
  const t = target.replace(/\s+/g, '');
  const nums = t.match(/\d+(?:\.\d+)?/g) ?? [];
  if (nums.length !== 1) return { value: null, unit: null };
  const m = /^(?:[^\d]{0,4}?)([≥≤><=]*)(\d+(?:\.\d+)?)([^\d]{0,4})$/.exec(t);
  if (!m) return { value: null, unit: null };
  const unit = (m[3] ?? '').replace(/以上|以内|以下|内$/, '') || null;
  return { value: Number(m[2]), unit };
}

function addTarget(
  ctx: DocumentContext,
  table: string,
  unit: string,
  project: string | null,
  l: Line,
  level1: string,
  level2: string,
  indicator: string,
  target: string,
): void {
  const { value, unit: tu } = targetValue(target);
  ctx.add('performance_targets', ctx.prov(unit, table, l.no), {
    project,
    level1: level1 || null,
    level2: level2 || null,
    indicator,
    target: target || null,
    target_value: value,
    target_unit: tu,
  });
}

/** 表14 部门整体支出绩效目标表: department-wide targets (一级 / 二级 / 三级 指标 and 指标目标值), blank levels carried down. */
export function readDepartmentTargets(ctx: DocumentContext, t: Table): { budget?: Amount } {
  let level1 = '';
  let level2 = '';
  let inTargets = false;
  let budget: Amount | undefined;
  const seen = new Map<string, number>();
  for (const l of dataLines(t)) {
    const c = l.cells;
    if (c[0] === '年度预算金额') continue;
    if (!inTargets && c[0] === '' && amountOf(c[1], l.no) && !budget) {
      budget = amountOf(c[1], l.no);
      continue;
    }
    if (c[0] === '一级指标') {
      inTargets = true;
      continue;
    }
    if (!inTargets) continue;
    if (c[0]) level1 = c[0];
    if (c[1]) level2 = c[1];
    const rest = c.slice(2).filter((x) => x !== '');
    const indicator = rest[0];
    if (!indicator) continue;
    const target = rest[1] ?? '';
    const key = `${level1}|${level2}|${indicator}|${target}`;
    if (seen.has(key)) {
      ctx.note(
        'T14.repeat',
        '表14',
        'info',
        [seen.get(key) as number, l.no],
        `表14 prints the target '${level2} / ${indicator}: ${target}' twice (lines ${seen.get(key)} and ${l.no}); loaded once`,
      );
      continue;
    }
    seen.set(key, l.no);
    addTarget(ctx, '表14', ctx.department, null, l, level1, level2, indicator, target);
  }
  return budget ? { budget } : {};
}

/** 表15 部门预算项目绩效目标表: one form per project: unit, name, the 2019 actual / 2020 budget / 2021 budget figures, and its targets. */
export function readProjectTargetForms(ctx: DocumentContext, t: Table): ProjectForm[] {
  const forms: ProjectForm[] = [];
  let form: ProjectForm | undefined;
  let unit = ctx.department;
  let level1 = '';
  let level2 = '';
  let inTargets = false;
  for (let i = 0; i < t.lines.length; i++) {
    const l = t.lines[i] as Line;
    const c = l.cells;
    if (c.length === 0) continue;
    const head = dropSpaces(c[0] ?? '');
    if (/项目绩效目标表$/.test(head)) {
      form = undefined;
      inTargets = false;
      continue;
    }
    const filler = /^填报单位[:：](.+)$/.exec(head);
    if (filler) {
      // A form filled in by the department itself belongs to its own budget unit (本级), where there is one.
      const u = ctx.unitNamed(filler[1] as string) ?? ctx.department;
      unit = u === ctx.department ? (ctx.units.find((x) => x !== u && x.startsWith(u) && x.endsWith('本级')) ?? u) : u;
      continue;
    }
    if (head === '项目名称' && c[1]) {
      form = { unit, project: c[1].replace(/\s+/g, ' '), line: l.no, figures: [] };
      forms.push(form);
      level1 = level2 = '';
      continue;
    }
    if (!form) continue;
    const fig = /^(\d{4})年(实际执行数|预算数|决算数)$/.exec(head);
    if (fig) {
      const amount = c
        .slice(1)
        .map((x) => amountOf(x, l.no))
        .find((x) => x !== undefined);
      if (amount) {
        const stage = fig[2] === '实际执行数' ? 'actual' : fig[2] === '决算数' ? 'final' : 'budget';
        form.figures.push({ year: Number(fig[1]), stage, amount });
      }
      continue;
    }
    if (/^三、项目绩效/.test(head)) {
      inTargets = true;
      continue;
    }
    if (!inTargets || head === '一级指标' || head === '年度绩效目标') continue;
    if (c[0]) {
      if (!LEVEL1.test(head)) continue;
      level1 = head;
    }
    if (c[1]) level2 = c[1];
    const rest = c.slice(2).filter((x) => x !== '');
    const indicator = rest[0];
    if (!indicator || /^[（(]根据本项目实际填报[）)]$/.test(indicator.replace(/\s+/g, ''))) continue;
    addTarget(
      ctx,
      '表15',
      form.unit,
      form.project,
      l,
      level1,
      level2,
      indicator.replace(/(\S) (\S)/g, (m, a: string, b: string) =>
        /[\u4e00-\u9fff]/.test(a) && /[\u4e00-\u9fff]/.test(b) ? a + b : m,
      ),
      rest[1] ?? '',
    );
  }
  for (const f of forms)
    for (const fig of f.figures)
      ctx.add('projects', ctx.prov(f.unit, '表15', fig.amount.line, { fiscal_year: fig.year, stage: fig.stage }), {
        project: f.project,
        amount: fig.amount.value,
      });
  return forms;
}
