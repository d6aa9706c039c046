import { Decimal, Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';

/** Result shapes the chart suggestions are tested on: Arrow schemas as the server sends them, and plain rows. */
export interface Shape {
  name: string;
  schema: Schema;
  rows: Record<string, unknown>[];
}

const money = (name: string) => new Field(name, new Decimal(6, 20, 128), true);
const int = (name: string) => new Field(name, new Int32(), true);
const float = (name: string) => new Field(name, new Float64(), true);
const text = (name: string) => new Field(name, new Utf8(), true);

const CATS: [string, string][] = [
  ['overseas_travel', '因公出国（境）费'],
  ['reception', '公务接待费'],
  ['vehicle_operation', '公务用车运行维护费'],
  ['vehicle_purchase', '公务用车购置费'],
];
const A2020: Record<string, number> = {
  overseas_travel: 0,
  reception: 6,
  vehicle_operation: 13.5,
  vehicle_purchase: 0,
};
const A2021: Record<string, number> = { overseas_travel: 0, reception: 6, vehicle_operation: 12, vehicle_purchase: 0 };

/** The 三公 notebook's query: two years × four categories, with change and share. */
export const sangong: Shape = {
  name: 'sangong (2 years × category)',
  schema: new Schema([
    int('fiscal_year'),
    text('category'),
    text('category_name'),
    money('amount'),
    money('prev_amount'),
    money('change'),
    float('share_of_total'),
  ]),
  rows: [2020, 2021].flatMap((y) =>
    CATS.map(([category, category_name]) => {
      const amount = (y === 2020 ? A2020 : A2021)[category] as number;
      const prev = y === 2021 ? (A2020[category] as number) : null;
      return {
        fiscal_year: y,
        category,
        category_name,
        amount,
        prev_amount: prev,
        change: prev === null ? null : amount - prev,
        share_of_total: amount / (y === 2020 ? 19.5 : 18),
      };
    }),
  ),
};

/** A department's spending over several years: one line. */
export const totals: Shape = {
  name: 'spending by year',
  schema: new Schema([int('fiscal_year'), money('spending_total')]),
  rows: [
    { fiscal_year: 2019, spending_total: 6500 },
    { fiscal_year: 2020, spending_total: 6928 },
    { fiscal_year: 2021, spending_total: 7920 },
  ],
};

/** One year's composition by function: sorted bars, and a share column → one 100% bar. */
export const composition: Shape = {
  name: 'composition (one year)',
  schema: new Schema([text('func_code'), text('func_name'), money('total'), float('share')]),
  rows: [
    { func_code: '201', func_name: '一般公共服务支出', total: 7128, share: 0.9 },
    { func_code: '221', func_name: '住房保障支出', total: 537, share: 0.0678 },
    { func_code: '208', func_name: '社会保障和就业支出', total: 199, share: 0.0251 },
    { func_code: '210', func_name: '卫生健康支出', total: 56, share: 0.0071 },
  ],
};

/** Procurement by type in each unit: bars coloured by unit, 100% stacks per unit. */
export const procurement: Shape = {
  name: 'procurement mix by unit',
  schema: new Schema([text('unit'), text('procurement_type'), money('amount'), float('share')]),
  rows: [
    { unit: '深圳市龙岗区大数据中心', procurement_type: 'goods', amount: 2.16, share: 0.0012 },
    { unit: '深圳市龙岗区大数据中心', procurement_type: 'services', amount: 1740.12, share: 0.9988 },
    { unit: '深圳市龙岗区政务服务数据管理局本级', procurement_type: 'goods', amount: 30.24, share: 0.0782 },
    { unit: '深圳市龙岗区政务服务数据管理局本级', procurement_type: 'services', amount: 356.56, share: 0.9218 },
  ],
};

/** A change broken down by item, without a year: a bridge from last year's total to this year's. */
export const bridge: Shape = {
  name: 'change by item',
  schema: new Schema([text('item'), money('amount'), money('change')]),
  rows: [
    { item: '工资福利支出', amount: 3200, change: 420 },
    { item: '商品和服务支出', amount: 2900, change: -150 },
    { item: '资本性支出', amount: 1820, change: 722 },
  ],
};

/** Large amounts (亿元 axis): a province-sized budget over years. */
export const large: Shape = {
  name: 'large amounts',
  schema: new Schema([int('fiscal_year'), money('amount')]),
  rows: [
    { fiscal_year: 2020, amount: 125000 },
    { fiscal_year: 2021, amount: 138000.5 },
    { fiscal_year: 2022, amount: 141000 },
  ],
};

/** Nothing to draw: only text. */
export const textOnly: Shape = {
  name: 'text only',
  schema: new Schema([text('doc_id'), text('title')]),
  rows: [{ doc_id: 'cf4ff3ae3325d973', title: '2021 年深圳市龙岗区政务服务数据管理局部门预算' }],
};

export const SHAPES = [sangong, totals, composition, procurement, bridge, large, textOnly];
