import type { DocumentContext } from '../budget-text/context.ts';
import { crossChecks } from './check-across.ts';
import { fiscalChecks, summaryChecks } from './check-sides.ts';
import { basicChecks, functionTableChecks, fundChecks, sangongChecks } from './check-tables.ts';
import { NAME } from './tables.ts';
import type { Tables } from './read.ts';

/** Every identity the nine tables imply, within each table and between them. */
export function checkAll(ctx: DocumentContext, t: Tables): void {
  summaryChecks(ctx, t);
  fiscalChecks(ctx, t);
  const sp = t.spending?.r;
  if (sp)
    functionTableChecks(
      ctx,
      NAME.spending,
      sp,
      ['total', 'basic', 'project'],
      ['basic', 'project', 'remit', 'operating', 'affiliate'],
    );
  const inc = t.income?.r;
  if (inc)
    functionTableChecks(
      ctx,
      NAME.income,
      inc,
      ['total', 'fiscal'],
      ['fiscal', 'upper', 'business', 'operating', 'affiliate', 'other'],
    );
  const gen = t.general?.r;
  if (gen) functionTableChecks(ctx, NAME.general, gen, ['total', 'basic', 'project'], ['basic', 'project']);
  for (const k of ['fund', 'capital'] as const) {
    const f = t[k]?.r;
    if (f) fundChecks(ctx, NAME[k], f);
  }
  crossChecks(ctx, t);
  basicChecks(ctx, t);
  sangongChecks(ctx, t);
}
