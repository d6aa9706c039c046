import { label } from './labels.ts';
import { moneyScale, percentScale, SCHEMA_URL, type Spec } from './spec.ts';

/** The columns a chart is drawn from, as suggest.ts picks them. */
export interface Fields {
  data: string;
  year?: string;
  money?: string;
  /** The category to colour or sort by. */
  category?: string;
  /** A second grouping column (several units, say): facets. */
  group?: string;
  /** Largest absolute amount, for 万元 / 亿元. */
  max: number;
}

const yearAxis = (year: string) => ({ field: year, type: 'ordinal', title: label(year), axis: { labelAngle: 0 } });
/** A tooltip field; amounts (given a format) show in 万元 whatever the axis says. */
const tip = (field: string, type: string, format?: string) => ({
  field,
  type,
  title: format ? `${label(field)}（万元）` : label(field),
  ...(format ? { format } : {}),
});

/** year × amount → line; with two years this is a slope chart. A category colours the lines. */
export function lineSpec(f: Fields & { year: string; money: string }, title: string): Spec {
  const encoding: Spec = {
    x: yearAxis(f.year),
    y: { field: f.money, type: 'quantitative', ...moneyScale(label(f.money), f.max) },
    tooltip: [
      tip(f.year, 'ordinal'),
      ...(f.category ? [tip(f.category, 'nominal')] : []),
      tip(f.money, 'quantitative', ',.2~f'),
    ],
  };
  if (f.category) encoding['color'] = { field: f.category, type: 'nominal', title: label(f.category) };
  if (f.group) encoding['facet'] = { field: f.group, type: 'nominal', columns: 3, title: label(f.group) };
  return { $schema: SCHEMA_URL, title, data: { name: f.data }, mark: { type: 'line', point: true }, encoding };
}

/** category × amount → horizontal bars sorted by amount; `year` keeps one year when there are several. */
export function sortedBarSpec(f: Fields & { category: string; money: string }, title: string, year?: number): Spec {
  const encoding: Spec = {
    y: { field: f.category, type: 'nominal', sort: '-x', title: label(f.category) },
    x: { field: f.money, type: 'quantitative', ...moneyScale(label(f.money), f.max) },
    tooltip: [tip(f.category, 'nominal'), tip(f.money, 'quantitative', ',.2~f')],
  };
  if (f.group) encoding['color'] = { field: f.group, type: 'nominal', title: label(f.group) };
  return {
    $schema: SCHEMA_URL,
    title,
    data: { name: f.data },
    ...(f.year && year !== undefined ? { transform: [{ filter: { field: f.year, equal: year } }] } : {}),
    mark: 'bar',
    encoding,
  };
}

/** Shares of a whole → bars stacked to 100%, one bar per year or group (`by`), or one bar when there is none. */
export function stackedShareSpec(
  f: Fields & { category: string; money: string },
  by: string | undefined,
  title: string,
): Spec {
  const encoding: Spec = {
    y: { field: f.money, type: 'quantitative', stack: 'normalize', ...percentScale('占比') },
    color: { field: f.category, type: 'nominal', title: label(f.category) },
    tooltip: [...(by ? [tip(by, 'nominal')] : []), tip(f.category, 'nominal'), tip(f.money, 'quantitative', ',.2~f')],
  };
  if (by) encoding['x'] = by === f.year ? yearAxis(by) : { field: by, type: 'nominal', title: label(by) };
  return { $schema: SCHEMA_URL, title, data: { name: f.data }, mark: 'bar', encoding };
}

/** Two years per category → a dumbbell: one dot per year on a line per category, sorted by the amount. */
export function dumbbellSpec(f: Fields & { category: string; money: string; year: string }, title: string): Spec {
  const x = { field: f.money, type: 'quantitative', ...moneyScale(label(f.money), f.max) };
  return {
    $schema: SCHEMA_URL,
    title,
    data: { name: f.data },
    encoding: {
      y: {
        field: f.category,
        type: 'nominal',
        title: label(f.category),
        sort: { field: f.money, op: 'max', order: 'descending' },
      },
      x,
    },
    layer: [
      { mark: { type: 'line', color: '#8c959f' }, encoding: { detail: { field: f.category, type: 'nominal' } } },
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 1 },
        encoding: {
          color: { field: f.year, type: 'ordinal', title: label(f.year) },
          tooltip: [tip(f.category, 'nominal'), tip(f.year, 'ordinal'), tip(f.money, 'quantitative', ',.2~f')],
        },
      },
    ],
  };
}
