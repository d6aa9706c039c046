import { label } from './labels.ts';
import { moneyScale, SCHEMA_URL, type Spec } from './spec.ts';

/**
 * A bridge (waterfall) chart: last year's total, one floating bar per item's change, this year's total.
 * The data is one row per item with `change` and `amount` (this year's figure); the start and end bars are
 * made inside the spec (flatten adds them to the first and last rows), so the chart follows the data when an
 * input changes. Red is an increase, green a decrease, as Chinese financial charts use them.
 */
export function waterfallSpec(o: {
  data: string;
  item: string;
  change: string;
  amount: string;
  max: number;
  title?: string;
  /** The year column: the end bars are labelled "2020 年" and "2021 年" from the data. */
  year?: string;
}): Spec {
  const item = JSON.stringify(o.item);
  const change = JSON.stringify(o.change);
  const year = o.year ? `datum[${JSON.stringify(o.year)}]` : undefined;
  const start = year ? `(${year} - 1) + " 年"` : '"上年合计"';
  const end = year ? `${year} + " 年"` : '"本年合计"';
  return {
    $schema: SCHEMA_URL,
    ...(o.title ? { title: o.title } : {}),
    data: { name: o.data },
    transform: [
      { filter: `isValid(datum[${change}])` },
      {
        window: [
          { op: 'row_number', as: '_i' },
          { op: 'sum', field: o.change, as: '_cum' },
        ],
      },
      {
        joinaggregate: [
          { op: 'count', as: '_n' },
          { op: 'sum', field: o.amount, as: '_end' },
          { op: 'sum', field: o.change, as: '_delta' },
        ],
      },
      { calculate: 'datum._end - datum._delta', as: '_start' },
      {
        calculate:
          'datum._n == 1 ? ["start", "item", "end"] : datum._i == 1 ? ["start", "item"] : ' +
          'datum._i == datum._n ? ["item", "end"] : ["item"]',
        as: '_kinds',
      },
      { flatten: ['_kinds'], as: ['_kind'] },
      {
        calculate: `datum._kind == "start" ? ${start} : datum._kind == "end" ? ${end} : datum[${item}]`,
        as: '_label',
      },
      { calculate: 'datum._kind == "start" ? 0 : datum._kind == "end" ? datum._n + 1 : datum._i', as: '_order' },
      {
        calculate: `datum._kind == "item" ? datum._start + datum._cum - datum[${change}] : 0`,
        as: '_y',
      },
      {
        calculate:
          'datum._kind == "start" ? datum._start : datum._kind == "end" ? datum._end : datum._start + datum._cum',
        as: '_y2',
      },
      {
        calculate: `datum._kind == "start" ? datum._start : datum._kind == "end" ? datum._end : datum[${change}]`,
        as: '_value',
      },
      {
        calculate: `datum._kind != "item" ? "合计" : datum[${change}] >= 0 ? "增加" : "减少"`,
        as: '_direction',
      },
    ],
    mark: 'bar',
    encoding: {
      x: { field: '_label', type: 'nominal', sort: { field: '_order' }, title: label(o.item) },
      y: { field: '_y', type: 'quantitative', ...moneyScale(label(o.amount), o.max) },
      y2: { field: '_y2' },
      color: {
        field: '_direction',
        type: 'nominal',
        title: null,
        scale: { domain: ['合计', '增加', '减少'], range: ['#8c959f', '#d1242f', '#1a7f37'] },
      },
      tooltip: [
        { field: '_label', type: 'nominal', title: label(o.item) },
        { field: '_value', type: 'quantitative', title: '金额（万元）', format: ',.2~f' },
      ],
    },
  };
}
