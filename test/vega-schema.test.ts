import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../engine/paths.ts';
import { describeColumns } from '../web/src/lib/charts/columns.ts';
import { applyForm, formOf } from '../web/src/lib/charts/form.ts';
import { previewSpec, renderSpec } from '../web/src/lib/charts/render-spec.ts';
import { chartTemplate, maxAbs, type Spec } from '../web/src/lib/charts/spec.ts';
import { parseSpec } from '../web/src/lib/charts/spec-text.ts';
import { suggestCharts } from '../web/src/lib/charts/suggest.ts';
import { parseNotebook } from '../web/src/lib/notebook-format.ts';
import { sangong, SHAPES } from './charts-shapes.ts';

// Every Vega-Lite spec the app produces is checked against vega-lite's own JSON schema (as vega-lite's
// examples test does): suggestions for each result shape, what the form makes of them, the render specs
// (data inline, config), and the chart cells of the example notebooks.
let validate: ValidateFunction;
beforeAll(() => {
  const schema = JSON.parse(
    readFileSync(join(projectRoot, 'node_modules', 'vega-lite', 'build', 'vega-lite-schema.json'), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allowUnionTypes: true, strict: false, allErrors: true });
  ajv.addFormat('color-hex', /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i);
  ajv.addFormat('uri', true);
  ajv.addFormat('uri-reference', true);
  validate = ajv.compile(schema);
});

function errors(spec: Spec): string[] {
  return validate(spec) ? [] : (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);
}

const suggestions = SHAPES.flatMap((shape) =>
  suggestCharts(shape.schema, shape.rows, 'q').map((s) => ({ name: `${shape.name}: ${s.label}`, shape, spec: s.spec })),
);

const notebookCharts = readdirSync(join(projectRoot, 'notebooks'))
  .filter((f) => f.endsWith('.md'))
  .flatMap((file) =>
    parseNotebook(readFileSync(join(projectRoot, 'notebooks', file), 'utf8'))
      .filter((c) => c.kind === 'chart')
      .map((c) => ({ name: `${file} ${c.name}`, source: c.source })),
  );

describe('Vega-Lite specs against the Vega-Lite JSON schema', () => {
  it('the shapes give every kind of suggestion', () => {
    const kinds = new Set(
      suggestions.map((s) => (s.spec['mark'] === undefined ? 'layer' : JSON.stringify(s.spec['mark']))),
    );
    expect(suggestions.length).toBeGreaterThanOrEqual(12);
    expect(kinds.size).toBeGreaterThanOrEqual(3);
  });

  it.each(suggestions.map((s) => [s.name, s] as const))('suggestion %s', (_name, s) => {
    expect(errors(s.spec)).toEqual([]);
    expect(errors(renderSpec(s.spec, s.shape.rows, 'chart'))).toEqual([]);
    expect(errors(previewSpec(s.spec, s.shape.rows))).toEqual([]);
  });

  it('the template of a new chart cell', () => {
    expect(errors(chartTemplate('q1'))).toEqual([]);
    expect(errors(renderSpec(chartTemplate('q1'), [], 'chart1'))).toEqual([]);
  });

  it('the example notebooks have chart cells', () => {
    expect(notebookCharts.map((c) => c.name)).toEqual(
      expect.arrayContaining(['三公-sangong.md trend', '三公-sangong.md bridge']),
    );
  });

  it.each(notebookCharts.map((c) => [c.name, c] as const))('notebook chart %s', (_name, c) => {
    const parsed = parseSpec(c.source);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(errors(parsed.spec)).toEqual([]);
    expect(errors(renderSpec(parsed.spec, sangong.rows, 'chart'))).toEqual([]);
  });

  it('specs the form makes: every mark, with colour and facet', () => {
    const cols = describeColumns(sangong.schema, sangong.rows);
    const base = suggestCharts(sangong.schema, sangong.rows, 'q')[0]?.spec as Spec;
    const form = formOf(base);
    expect(form).toEqual({ mark: 'line', x: 'fiscal_year', y: 'amount', color: 'category_name', facet: '' });
    for (const mark of ['line', 'bar', 'area', 'point'])
      for (const change of [
        {},
        { color: '' },
        { facet: 'category', color: '' },
        { x: 'category_name', y: 'share_of_total' },
      ]) {
        const spec = applyForm(base, { ...(form as NonNullable<typeof form>), mark, ...change }, cols, (f) =>
          maxAbs(sangong.rows, f),
        );
        expect(errors(spec), `${mark} ${JSON.stringify(change)}`).toEqual([]);
      }
  });

  it('a spec that is not Vega-Lite fails (the check has teeth)', () => {
    expect(errors({ data: { name: 'q' }, mark: 'pie', encoding: {} })).not.toEqual([]);
    expect(errors({ data: { name: 'q' }, mark: 'bar', encoding: { x: { field: 'a', type: 'number' } } })).not.toEqual(
      [],
    );
  });
});
